/// Errors raised when text that should be hexadecimal is not.
public struct HexError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The offending input, shortened for display.
    public let input: String
    /// What is wrong with it.
    public let reason: String

    public var description: String { "invalid hex \"\(input)\": \(reason)" }
}

/// Hexadecimal encoding as the node uses it: `0x` followed by lowercase digits.
public enum Hex {
    /// Decodes `text` (with or without a `0x` prefix, either case) into bytes.
    ///
    /// - Throws: ``HexError`` when the text has an odd number of digits or a non-hex character.
    public static func decode(_ text: some StringProtocol) throws(HexError) -> [UInt8] {
        // Fast path: straight over the string's contiguous UTF-8 (every native String).
        if let decoded = text.utf8.withContiguousStorageIfAvailable({ decodeDigits($0) }), let bytes = decoded {
            return bytes
        }
        return try decodeSlowly(text)
    }

    /// Decodes `0x`-prefixed or bare hex digits; nil when they are not valid hex (the slow path
    /// then says why).
    @inline(__always)
    static func decodeDigits(_ utf8: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        var start = 0
        if utf8.count >= 2, utf8[0] == UInt8(ascii: "0"), utf8[1] == UInt8(ascii: "x") || utf8[1] == UInt8(ascii: "X") {
            start = 2
        }
        let digits = utf8.count - start
        guard digits % 2 == 0 else { return nil }
        var valid = true
        let bytes = [UInt8](unsafeUninitializedCapacity: digits / 2) { out, initialized in
            var i = start
            var o = 0
            while i < utf8.count {
                guard let high = nibble(utf8[i]), let low = nibble(utf8[i + 1]) else {
                    valid = false
                    break
                }
                out[o] = high << 4 | low
                o += 1
                i += 2
            }
            initialized = o
        }
        return valid ? bytes : nil
    }

    /// Digit by digit, naming the first problem.
    static func decodeSlowly(_ text: some StringProtocol) throws(HexError) -> [UInt8] {
        var utf8 = Substring(text).utf8[...]
        if utf8.count >= 2, utf8.first == UInt8(ascii: "0"),
            utf8.dropFirst().first == UInt8(ascii: "x") || utf8.dropFirst().first == UInt8(ascii: "X")
        {
            utf8 = utf8.dropFirst(2)
        }
        guard utf8.count % 2 == 0 else {
            throw HexError(input: shorten(text), reason: "odd number of digits")
        }
        var out = [UInt8]()
        out.reserveCapacity(utf8.count / 2)
        var high: UInt8? = nil
        for c in utf8 {
            guard let v = nibble(c) else {
                throw HexError(input: shorten(text), reason: "'\(Character(Unicode.Scalar(c)))' is not a hex digit")
            }
            if let h = high {
                out.append(h << 4 | v)
                high = nil
            } else {
                high = v
            }
        }
        return out
    }

    /// Encodes `bytes` as `0x` + lowercase hex (or without the prefix when `prefix` is false).
    public static func encode(_ bytes: some Sequence<UInt8>, prefix: Bool = true) -> String {
        if let text = bytes.withContiguousStorageIfAvailable({ encodeDigits($0, prefix: prefix) }) { return text }
        return encodeDigits(Array(bytes), prefix: prefix)
    }

    static func encodeDigits(_ bytes: [UInt8], prefix: Bool) -> String {
        bytes.withUnsafeBufferPointer { encodeDigits($0, prefix: prefix) }
    }

    static func encodeDigits(_ bytes: UnsafeBufferPointer<UInt8>, prefix: Bool) -> String {
        let count = bytes.count * 2 + (prefix ? 2 : 0)
        return String(unsafeUninitializedCapacity: count) { out in
            var o = 0
            if prefix {
                out[0] = UInt8(ascii: "0")
                out[1] = UInt8(ascii: "x")
                o = 2
            }
            for b in bytes {
                out[o] = digit(b &>> 4)
                out[o + 1] = digit(b & 0x0f)
                o += 2
            }
            return o
        }
    }

    @inline(__always)
    static func digit(_ v: UInt8) -> UInt8 {
        v < 10 ? v &+ 0x30 : v &+ 0x57
    }

    /// Parses a block number or similar quantity given as `0x`-hex text (`"0x332534"`) or
    /// decimal text (`"3351860"` is NOT accepted: v1 treated bare digits as hex, so this
    /// function does too for compatibility: `"332534"` is 0x332534).
    public static func quantity(_ text: some StringProtocol) -> UInt64? {
        var s = Substring(text)
        if s.hasPrefix("0x") || s.hasPrefix("0X") { s = s.dropFirst(2) }
        guard !s.isEmpty, s.count <= 16 else { return nil }
        return UInt64(s, radix: 16)
    }

    @inline(__always)
    static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    static func shorten(_ text: some StringProtocol) -> String {
        text.count > 24 ? String(text.prefix(20)) + "…" : String(text)
    }
}

/// The one normalisation for keys and hashes shown to or given by operators.
///
/// v1 had three normalisations that disagreed (with and without `0x`, trimmed or not); MVM v2
/// stores and compares every key as `0x` + lowercase hex with surrounding whitespace removed.
public enum KeyFormat {
    /// Trims whitespace, lowercases, and makes sure the text starts with `0x`
    /// (`"  0xABCD "` → `"0xabcd"`, `"ABCD"` → `"0xabcd"`, `"0XAB"` → `"0xab"`).
    ///
    /// A key that is already normal comes back as the same string, sharing its storage, so
    /// normalising decoded keys again (a committee's 1200 seats) allocates nothing.
    public static func normalize(_ key: some StringProtocol) -> String {
        if isNormal(key) { return String(key) }
        var s = key.trimmingWhitespace().lowercased()
        if s.hasPrefix("0x") { s.removeFirst(2) }
        return "0x" + s
    }

    /// `0x` followed by lowercase hex digits only: what ``normalize(_:)`` returns unchanged.
    static func isNormal(_ key: some StringProtocol) -> Bool {
        let utf8 = key.utf8
        guard utf8.starts(with: "0x".utf8) else { return false }
        return utf8.dropFirst(2).allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0) }
    }

    /// Whether `key` is `0x` followed by exactly `byteCount` bytes of hex after normalisation.
    public static func isValid(_ key: some StringProtocol, byteCount: Int) -> Bool {
        guard let bytes = try? Hex.decode(normalize(key)) else { return false }
        return bytes.count == byteCount
    }

    /// Shortens a long key for narrow displays: first 12 + `...` + last 8 characters.
    public static func short(_ key: String) -> String {
        key.count > 22 ? String(key.prefix(12)) + "..." + String(key.suffix(8)) : key
    }

    /// Truncates `key` to `n` characters followed by `...` when it is longer than `n + 3`.
    public static func truncate(_ key: String, to n: Int) -> String {
        key.count <= n + 3 ? key : String(key.prefix(n)) + "..."
    }
}

extension StringProtocol {
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        var start = scalars.startIndex
        var end = scalars.endIndex
        while start < end, scalars[start].properties.isWhitespace { start = scalars.index(after: start) }
        while end > start, scalars[scalars.index(before: end)].properties.isWhitespace { end = scalars.index(before: end) }
        return String(String.UnicodeScalarView(scalars[start..<end]))
    }
}
