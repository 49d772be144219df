import Testing

@Test func placeholder_MidnightDevnodeTests() { #expect(Bool(true)) }
