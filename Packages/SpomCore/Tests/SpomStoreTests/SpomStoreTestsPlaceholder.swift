import Testing

@Test func placeholder_SpomStoreTests() { #expect(Bool(true)) }
