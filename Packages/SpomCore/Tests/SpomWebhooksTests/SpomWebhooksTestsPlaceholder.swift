import Testing

@Test func placeholder_SpomWebhooksTests() { #expect(Bool(true)) }
