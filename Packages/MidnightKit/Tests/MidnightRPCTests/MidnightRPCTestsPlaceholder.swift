import Testing

@Test func placeholder_MidnightRPCTests() { #expect(Bool(true)) }
