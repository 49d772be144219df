import Testing

@Test func placeholder_SpomCoreReuseTests() { #expect(Bool(true)) }
