import MidnightChain
import Testing

@Suite struct HexTests {
    @Test func decodesWithAndWithoutPrefix() throws {
        #expect(try Hex.decode("0x00ff10") == [0, 255, 16])
        #expect(try Hex.decode("00FF10") == [0, 255, 16])
        #expect(try Hex.decode("0x") == [])
    }

    @Test func rejectsBadInputNamingIt() {
        #expect(throws: HexError.self) { try Hex.decode("0x123") }
        do {
            _ = try Hex.decode("0xzz")
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("'z' is not a hex digit"))
        }
    }

    @Test func encodesLowercaseWithPrefix() {
        #expect(Hex.encode([0xab, 0x01]) == "0xab01")
        #expect(Hex.encode([0xab, 0x01], prefix: false) == "ab01")
    }

    /// v1's `test_parse_hex_number` vectors.
    @Test(arguments: [("0x332534", 3_351_860), ("0x0", 0), ("332534", 3_351_860), ("0x1", 1)])
    func quantities(text: String, value: UInt64) {
        #expect(Hex.quantity(text) == value)
    }

    @Test func quantityRejectsGarbage() {
        #expect(Hex.quantity("0xg1") == nil)
        #expect(Hex.quantity("") == nil)
        #expect(Hex.quantity("0x1ffffffffffffffff") == nil)
    }
}

@Suite struct KeyFormatTests {
    /// The three v1 normalisations' vectors, answered by the one v2 rule.
    @Test(arguments: [
        ("0xABCD", "0xabcd"), ("ABCD", "0xabcd"), ("0x1234", "0x1234"),
        ("0xABCD1234", "0xabcd1234"), ("  0xABCD1234  ", "0xabcd1234"), ("0X12", "0x12"),
        ("  123ABC  ", "0x123abc"),
    ])
    func normalize(input: String, expected: String) {
        #expect(KeyFormat.normalize(input) == expected)
    }

    /// Inputs that look almost normal still go through the full rule.
    @Test(arguments: [("0x0xAB", "0x0xab"), ("0xab ", "0xab"), ("0xzz", "0xzz"), ("0x", "0x"), ("x0ab", "0xx0ab")])
    func normalizeEdgeCases(input: String, expected: String) {
        #expect(KeyFormat.normalize(input) == expected)
    }

    /// A normal key is returned as the same string (no copy), so a committee's seats that name the
    /// same key can share one heap buffer.
    @Test func normalizingANormalKeySharesItsStorage() {
        let key = "0x" + String(repeating: "ab12", count: 16)
        let normalized = KeyFormat.normalize(key)
        let input = key.utf8.withContiguousStorageIfAvailable { UInt(bitPattern: $0.baseAddress) }
        let output = normalized.utf8.withContiguousStorageIfAvailable { UInt(bitPattern: $0.baseAddress) }
        #expect(input != nil)
        #expect(input == output)
        let upper = "0x" + String(repeating: "AB12", count: 16)
        let lowered = KeyFormat.normalize(upper)
        #expect(lowered == normalized)
        #expect(lowered.utf8.withContiguousStorageIfAvailable { UInt(bitPattern: $0.baseAddress) } != output)
    }

    @Test func truncateAndShort() {
        #expect(KeyFormat.truncate("0x1234567890abcdef", to: 10) == "0x12345678...")
        #expect(KeyFormat.truncate("0x1234", to: 10) == "0x1234")
        let key = "0x" + String(repeating: "1234567890abcdef", count: 4) + "ab"
        let short = KeyFormat.short(key)
        #expect(short.count < 30)
        #expect(short.contains("..."))
        #expect(KeyFormat.short("0x1234") == "0x1234")
    }

    @Test func validity() {
        #expect(KeyFormat.isValid("0x" + String(repeating: "aa", count: 32), byteCount: 32))
        #expect(!KeyFormat.isValid("0x" + String(repeating: "aa", count: 31), byteCount: 32))
        #expect(!KeyFormat.isValid("0xnothex", byteCount: 4))
    }
}
