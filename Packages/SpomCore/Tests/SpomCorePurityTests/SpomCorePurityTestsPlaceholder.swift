import Testing

@Test func placeholder_SpomCorePurityTests() { #expect(Bool(true)) }
