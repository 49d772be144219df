import Testing

@Test func placeholder_MidnightAPITests() { #expect(Bool(true)) }
