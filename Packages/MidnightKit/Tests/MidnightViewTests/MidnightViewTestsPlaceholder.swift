import Testing

@Test func placeholder_MidnightViewTests() { #expect(Bool(true)) }
