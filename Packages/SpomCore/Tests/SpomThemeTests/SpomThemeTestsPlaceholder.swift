import Testing

@Test func placeholder_SpomThemeTests() { #expect(Bool(true)) }
