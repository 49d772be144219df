import Foundation

/// Hex and key helpers private to the store (MidnightChain has the shared versions; the store keeps
/// its own so that it stays self-contained and its stored forms never depend on another module).
enum StoreHex {
    /// `"0x"` + lowercase hex of `bytes`.
    static func encode<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        let contiguous = bytes.withContiguousStorageIfAvailable { encode(UnsafeRawBufferPointer($0)) }
        return contiguous ?? Array(bytes).withUnsafeBytes { encode($0) }
    }

    /// `"0x"` + lowercase hex of `bytes`, written straight into the string's storage (block
    /// listings hex-encode two hashes per row).
    static func encode(_ bytes: UnsafeRawBufferPointer) -> String {
        String(unsafeUninitializedCapacity: 2 + 2 * bytes.count) { out in
            out[0] = 0x30
            out[1] = 0x78
            var index = 2
            for byte in bytes {
                out[index] = hexDigit(byte >> 4)
                out[index + 1] = hexDigit(byte & 0x0f)
                index += 2
            }
            return index
        }
    }

    @inline(__always)
    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? 0x30 + nibble : 0x57 + nibble
    }

    /// Decodes `"0x…"` (or bare) hex, ignoring surrounding whitespace; nil when the text is not
    /// whole bytes of hex. Works on the UTF-8 bytes directly (the bulk insert path calls it twice per block).
    static func decode(_ text: String) -> Data? {
        decodeBytes(text).map { Data($0) }
    }

    /// ``decode(_:)`` into a byte array (no `Data`), for the bulk insert path.
    static func decodeBytes(_ text: String) -> [UInt8]? {
        var text = text
        return text.withUTF8 { raw -> [UInt8]? in
            var start = 0
            var end = raw.count
            while start < end, isSpace(raw[start]) { start += 1 }
            while end > start, isSpace(raw[end - 1]) { end -= 1 }
            if end - start >= 2, raw[start] == 0x30, raw[start + 1] == 0x78 || raw[start + 1] == 0x58 { start += 2 }
            guard (end - start) % 2 == 0 else { return nil }
            var out = [UInt8](repeating: 0, count: (end - start) / 2)
            var index = start
            var byte = 0
            while index < end {
                guard let high = nibble(raw[index]), let low = nibble(raw[index + 1]) else { return nil }
                out[byte] = high << 4 | low
                byte += 1
                index += 2
            }
            return out
        }
    }

    private static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0a || c == 0x0d }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x61...0x66: return c - 0x61 + 10
        case 0x41...0x46: return c - 0x41 + 10
        default: return nil
        }
    }

    /// The canonical key form: trimmed, lowercase, with a `0x` prefix (same rule as KeyFormat.normalize).
    static func normalizeKey(_ key: String) -> String {
        if isCanonical(key) { return key }
        let trimmed = key.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        return trimmed.hasPrefix("0x") ? trimmed : "0x" + trimmed
    }

    /// True when `key` is already `0x` + lowercase hex (the common case, checked without allocating).
    private static func isCanonical(_ key: String) -> Bool {
        var key = key
        return key.withUTF8 { raw in
            guard raw.count > 2, raw[0] == 0x30, raw[1] == 0x78 else { return false }
            for c in raw[2...] where !((0x30...0x39).contains(c) || (0x61...0x66).contains(c)) { return false }
            return true
        }
    }

    /// Decodes a hash argument, throwing a typed error naming the argument.
    static func hashBytes(_ text: String, name: String) throws -> Data {
        guard let bytes = decode(text), !bytes.isEmpty else {
            throw StoreError.invalidArgument(name: name, value: text, reason: "not a hex string")
        }
        return bytes
    }
}

/// Checked conversions between the API's unsigned numbers and SQLite's signed 64-bit integers.
enum StoreInt {
    static func sql(_ value: UInt64, _ name: String) throws -> Int64 {
        guard let v = Int64(exactly: value) else {
            throw StoreError.invalidArgument(name: name, value: String(value), reason: "larger than SQLite's 64-bit signed range")
        }
        return v
    }

    static func api(_ value: Int64) -> UInt64 { UInt64(clamping: value) }
    static func api(_ value: Int64?) -> UInt64? { value.map { UInt64(clamping: $0) } }

    /// Milliseconds since the Unix epoch, now.
    static func nowMs() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }
}
