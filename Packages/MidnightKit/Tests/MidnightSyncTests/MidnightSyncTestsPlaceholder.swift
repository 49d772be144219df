import Testing

@Test func placeholder_MidnightSyncTests() { #expect(Bool(true)) }
