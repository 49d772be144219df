import Testing

@Test func placeholder_SpomDaemonTests() { #expect(Bool(true)) }
