import Testing

@Test func placeholder_SpomRemoteTests() { #expect(Bool(true)) }
