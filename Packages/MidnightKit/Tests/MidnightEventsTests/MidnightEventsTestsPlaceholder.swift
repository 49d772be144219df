import Testing

@Test func placeholder_MidnightEventsTests() { #expect(Bool(true)) }
