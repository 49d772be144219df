import Testing

@Test func placeholder_SpomTUITests() { #expect(Bool(true)) }
