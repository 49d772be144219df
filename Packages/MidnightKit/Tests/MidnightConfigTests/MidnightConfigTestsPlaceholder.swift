import Testing

@Test func placeholder_MidnightConfigTests() { #expect(Bool(true)) }
