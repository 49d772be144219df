import Testing

@Test func placeholder_MidnightRemoteTests() { #expect(Bool(true)) }
