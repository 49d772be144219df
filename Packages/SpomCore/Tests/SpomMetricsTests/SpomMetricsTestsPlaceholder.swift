import Testing

@Test func placeholder_SpomMetricsTests() { #expect(Bool(true)) }
