import Testing

@Test func placeholder_MidnightChainTests() { #expect(Bool(true)) }
