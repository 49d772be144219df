import Testing

@Test func placeholder_MidnightStoreTests() { #expect(Bool(true)) }
