import Testing

@Test func placeholder_SpomHTTPTests() { #expect(Bool(true)) }
