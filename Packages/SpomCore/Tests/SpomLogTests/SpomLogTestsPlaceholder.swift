import Testing

@Test func placeholder_SpomLogTests() { #expect(Bool(true)) }
