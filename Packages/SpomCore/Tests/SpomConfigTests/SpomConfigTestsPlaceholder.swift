import Testing

@Test func placeholder_SpomConfigTests() { #expect(Bool(true)) }
