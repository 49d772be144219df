/// An error decoding SCALE bytes, with the byte offset where it happened.
public struct ScaleError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Offset into the input where decoding failed.
    public let offset: Int
    /// What was expected there.
    public let reason: String

    public init(offset: Int, reason: String) {
        self.offset = offset
        self.reason = reason
    }

    public var description: String { "SCALE decoding failed at byte \(offset): \(reason)" }
}

/// Reads SCALE-encoded values (Substrate's codec) from a byte buffer, front to back.
public struct ScaleReader: Sendable {
    /// The input.
    public let bytes: [UInt8]
    /// The offset of the next unread byte.
    public private(set) var offset: Int

    public init(_ bytes: [UInt8], offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
    }

    /// Bytes not yet read.
    public var remaining: Int { bytes.count - offset }
    /// Whether every byte has been read.
    public var isAtEnd: Bool { offset >= bytes.count }

    /// Reads one byte.
    public mutating func readU8() throws(ScaleError) -> UInt8 {
        guard offset < bytes.count else { throw ScaleError(offset: offset, reason: "expected 1 byte, input ended") }
        defer { offset += 1 }
        return bytes[offset]
    }

    /// Reads a little-endian unsigned integer of `size` bytes (at most 8).
    public mutating func readLE(size: Int) throws(ScaleError) -> UInt64 {
        guard remaining >= size else {
            throw ScaleError(offset: offset, reason: "expected \(size) bytes, \(remaining) left")
        }
        var v: UInt64 = 0
        for i in 0..<size { v |= UInt64(bytes[offset + i]) << (8 * UInt64(i)) }
        offset += size
        return v
    }

    public mutating func readU16() throws(ScaleError) -> UInt16 { UInt16(try readLE(size: 2)) }
    public mutating func readU32() throws(ScaleError) -> UInt32 { UInt32(try readLE(size: 4)) }
    public mutating func readU64() throws(ScaleError) -> UInt64 { try readLE(size: 8) }

    /// Reads `count` raw bytes.
    public mutating func readBytes(_ count: Int) throws(ScaleError) -> [UInt8] {
        guard count >= 0, remaining >= count else {
            throw ScaleError(offset: offset, reason: "expected \(count) bytes, \(remaining) left")
        }
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }

    /// Reads a compact-encoded unsigned integer in any of its four modes.
    ///
    /// Single-byte (`0b00`), two-byte (`0b01`), four-byte (`0b10`) and big-integer (`0b11`: the
    /// upper six bits + 4 give the number of following little-endian bytes). Values beyond
    /// `UInt64` are rejected with an error naming the offset; v1 rejected big-integer mode entirely.
    public mutating func readCompact() throws(ScaleError) -> UInt64 {
        let start = offset
        let first = try readU8()
        switch first & 0b11 {
        case 0b00:
            return UInt64(first >> 2)
        case 0b01:
            let second = try readU8()
            return (UInt64(first) | UInt64(second) << 8) >> 2
        case 0b10:
            offset = start
            return try readLE(size: 4) >> 2
        default:
            let length = Int(first >> 2) + 4
            guard length <= 8 else {
                // Accept larger encodings only when the extra high bytes are zero.
                let value = try readLE(size: 8)
                let extra = try readBytes(length - 8)
                guard extra.allSatisfy({ $0 == 0 }) else {
                    throw ScaleError(offset: start, reason: "compact integer of \(length) bytes exceeds 64 bits")
                }
                return value
            }
            return try readLE(size: length)
        }
    }

    /// Reads a compact length prefix followed by that many bytes (`Vec<u8>`).
    public mutating func readByteVector() throws(ScaleError) -> [UInt8] {
        let at = offset
        let length = try readCompact()
        guard length <= UInt64(remaining) else {
            throw ScaleError(offset: at, reason: "length \(length) exceeds the \(remaining) bytes left")
        }
        return try readBytes(Int(length))
    }
}

/// Writes SCALE-encoded values into a growing byte buffer.
public struct ScaleWriter: Sendable {
    /// The bytes written so far.
    public private(set) var bytes: [UInt8]

    public init(capacity: Int = 64) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    public mutating func appendU8(_ v: UInt8) { bytes.append(v) }

    /// Appends `v` as `size` little-endian bytes.
    public mutating func appendLE(_ v: UInt64, size: Int) {
        for i in 0..<size { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(i)))) }
    }

    public mutating func appendU16(_ v: UInt16) { appendLE(UInt64(v), size: 2) }
    public mutating func appendU32(_ v: UInt32) { appendLE(UInt64(v), size: 4) }
    public mutating func appendU64(_ v: UInt64) { appendLE(v, size: 8) }

    /// Appends raw bytes.
    public mutating func appendBytes(_ b: some Sequence<UInt8>) { bytes.append(contentsOf: b) }

    /// Appends `v` in the shortest compact mode.
    public mutating func appendCompact(_ v: UInt64) {
        switch v {
        case 0..<(1 << 6):
            bytes.append(UInt8(v << 2))
        case (1 << 6)..<(1 << 14):
            appendLE(v << 2 | 0b01, size: 2)
        case (1 << 14)..<(1 << 30):
            appendLE(v << 2 | 0b10, size: 4)
        default:
            var n = 8
            while n > 4, (v >> (8 * UInt64(n - 1))) == 0 { n -= 1 }
            bytes.append(UInt8((n - 4) << 2) | 0b11)
            appendLE(v, size: n)
        }
    }

    /// Appends the bytes that the hex text `text` (`0x`-prefixed or bare) spells, decoding
    /// straight into the buffer (no intermediate array). Returns how many bytes were appended,
    /// or nil (appending nothing) when `text` is not valid hex: callers then decode it with
    /// ``Hex/decode(_:)`` for the error message.
    mutating func appendHex(_ text: String) -> Int? {
        var text = text
        let start = bytes.count
        let valid = text.withUTF8 { utf8 -> Bool in
            var i = 0
            if utf8.count >= 2, utf8[0] == UInt8(ascii: "0"), utf8[1] == UInt8(ascii: "x") || utf8[1] == UInt8(ascii: "X") {
                i = 2
            }
            guard (utf8.count - i) % 2 == 0 else { return false }
            // Grow once, then decode into the new tail through a pointer (no per-byte append).
            bytes.append(contentsOf: repeatElement(0, count: (utf8.count - i) / 2))
            return bytes.withUnsafeMutableBufferPointer { out -> Bool in
                var o = start
                while i < utf8.count {
                    guard let high = Hex.nibble(utf8[i]), let low = Hex.nibble(utf8[i &+ 1]) else { return false }
                    out[o] = high &<< 4 | low
                    o &+= 1
                    i &+= 2
                }
                return true
            }
        }
        guard valid else {
            bytes.removeSubrange(start...)
            return nil
        }
        return bytes.count - start
    }

    /// Removes the last `n` bytes written (undoes an ``appendHex(_:)`` of the wrong length).
    mutating func removeLast(_ n: Int) { bytes.removeLast(n) }

    /// Appends a compact length prefix and the bytes (`Vec<u8>`).
    public mutating func appendByteVector(_ b: [UInt8]) {
        appendCompact(UInt64(b.count))
        bytes.append(contentsOf: b)
    }
}
