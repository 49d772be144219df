#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A forward-only reader over JSON text in a byte buffer: the building block of the fast block
/// and header decoders (``BlockJSON``).
///
/// It never allocates except for the strings it returns, and reports every problem with the
/// field being read and the byte offset. It only lives inside a `withUnsafeBytes` scope of
/// the buffer it reads.
struct JSONCursor {
    let bytes: UnsafeRawBufferPointer
    var index = 0
    /// Nesting limit for skipped values, so hostile input cannot exhaust the stack.
    static let maxDepth = 64

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    var isAtEnd: Bool { index >= bytes.count }

    /// The byte at the cursor, or 0 at the end.
    var peek: UInt8 { index < bytes.count ? bytes[index] : 0 }

    func error(_ field: String, _ reason: String) -> ChainDecodingError {
        .invalid(field: field, reason: "\(reason) at byte offset \(index)")
    }

    mutating func skipWhitespace() {
        JSONLexer.skipWhitespace(bytes, &index)
    }

    /// Skips whitespace and consumes `byte`, or throws naming `field`.
    mutating func expect(_ byte: UInt8, _ field: String) throws(ChainDecodingError) {
        skipWhitespace()
        guard peek == byte else {
            throw error(field, isAtEnd ? "expected '\(Character(Unicode.Scalar(byte)))', found the end" : "expected '\(Character(Unicode.Scalar(byte)))'")
        }
        index += 1
    }

    /// Skips whitespace and consumes `byte` when it is next.
    mutating func consume(_ byte: UInt8) -> Bool {
        skipWhitespace()
        if peek == byte {
            index += 1
            return true
        }
        return false
    }

    /// Consumes `null` when it is next.
    mutating func consumeNull() -> Bool {
        skipWhitespace()
        guard index + 4 <= bytes.count, bytes[index] == 0x6E, bytes[index + 1] == 0x75, bytes[index + 2] == 0x6C,
            bytes[index + 3] == 0x6C
        else { return false }
        index += 4
        return true
    }

    /// Iterates the members of an object: calls `body` with each key; `body` must read or skip
    /// the value.
    mutating func readObject(
        _ field: String, _ body: (inout JSONCursor, JSONKey) throws(ChainDecodingError) -> Void
    ) throws(ChainDecodingError) {
        try expect(0x7B, field)
        if consume(0x7D) { return }
        while true {
            skipWhitespace()
            let key = try readKey(field)
            try expect(0x3A, field)
            try body(&self, key)
            if consume(0x2C) { continue }
            try expect(0x7D, field)
            return
        }
    }

    /// Reads an array of strings (`null` reads as empty).
    mutating func readStringArray(_ field: String) throws(ChainDecodingError) -> [String] {
        if consumeNull() { return [] }
        try expect(0x5B, field)
        var result: [String] = []
        if consume(0x5D) { return result }
        result.reserveCapacity(4)  // digests and typical blocks: one allocation, no regrowth
        while true {
            result.append(try readString(field))
            if consume(0x2C) { continue }
            try expect(0x5D, field)
            return result
        }
    }

    /// Reads an object key as raw bytes (keys with escapes are decoded).
    mutating func readKey(_ field: String) throws(ChainDecodingError) -> JSONKey {
        guard peek == 0x22 else { throw error(field, "expected a member name") }
        let start = index + 1
        var i = start
        while i < bytes.count {
            let b = bytes[i]
            if b == 0x22 {
                index = i + 1
                return JSONKey(raw: UnsafeRawBufferPointer(rebasing: bytes[start..<i]), decoded: nil)
            }
            if b == 0x5C { return JSONKey(raw: nil, decoded: try readString(field)) }
            i += 1
        }
        index = i
        throw error(field, "unterminated member name")
    }

    /// Reads a JSON string, decoding escapes (``JSONLexer/readString(_:_:)``).
    mutating func readString(_ field: String) throws(ChainDecodingError) -> String {
        skipWhitespace()
        do {
            return try JSONLexer.readString(bytes, &index)
        } catch {
            index = error.offset
            throw self.error(field, error.reason)
        }
    }

    /// Reads a non-negative JSON integer that fits in `UInt64`.
    mutating func readUInt64(_ field: String) throws(ChainDecodingError) -> UInt64 {
        skipWhitespace()
        var value: UInt64 = 0
        var digits = 0
        while index < bytes.count, (0x30...0x39).contains(bytes[index]) {
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(UInt64(bytes[index] - 0x30))
            guard !o1, !o2 else { throw error(field, "integer does not fit in 64 bits") }
            value = s
            digits += 1
            index += 1
        }
        guard digits > 0 else { throw error(field, "expected a number or a hex string") }
        switch peek {
        case 0x2E, 0x65, 0x45: throw error(field, "expected an integer")
        default: return value
        }
    }

    /// Skips one value of any kind.
    mutating func skipValue(_ field: String, depth: Int = 0) throws(ChainDecodingError) {
        guard depth < Self.maxDepth else { throw error(field, "nested too deeply") }
        skipWhitespace()
        switch peek {
        case 0x22:
            _ = try skipString(field)
        case 0x7B:
            try readObject(field) { (c: inout JSONCursor, _: JSONKey) throws(ChainDecodingError) in
                try c.skipValue(field, depth: depth + 1)
            }
        case 0x5B:
            index += 1
            if consume(0x5D) { return }
            while true {
                try skipValue(field, depth: depth + 1)
                if consume(0x2C) { continue }
                try expect(0x5D, field)
                return
            }
        default:
            // A literal or a number: consume its characters.
            let start = index
            while index < bytes.count {
                switch bytes[index] {
                case 0x2C, 0x7D, 0x5D, 0x20, 0x09, 0x0A, 0x0D: break
                default: index += 1; continue
                }
                break
            }
            let token = UnsafeRawBufferPointer(rebasing: bytes[start..<index])
            guard !token.isEmpty, Self.isLiteralOrNumber(token) else {
                index = start
                throw error(field, isAtEnd ? "expected a value, found the end" : "expected a value")
            }
        }
    }

    private mutating func skipString(_ field: String) throws(ChainDecodingError) {
        index += 1
        while index < bytes.count {
            switch bytes[index] {
            case 0x22:
                index += 1
                return
            case 0x5C: index += 2
            default: index += 1
            }
        }
        throw error(field, "unterminated string")
    }

    private static func isLiteralOrNumber(_ token: UnsafeRawBufferPointer) -> Bool {
        if token.elementsEqual("true".utf8) || token.elementsEqual("false".utf8) || token.elementsEqual("null".utf8) {
            return true
        }
        return token.allSatisfy { b in (0x30...0x39).contains(b) || b == 0x2D || b == 0x2B || b == 0x2E || b == 0x65 || b == 0x45 }
    }
}

/// An object member name as read by ``JSONCursor``.
struct JSONKey {
    let raw: UnsafeRawBufferPointer?
    let decoded: String?

    init(raw: UnsafeRawBufferPointer?, decoded: String?) {
        self.raw = raw
        self.decoded = decoded
    }

    /// Whether the name is `name`.
    func matches(_ name: StaticString) -> Bool {
        if let raw {
            return name.withUTF8Buffer { expected in
                expected.count == raw.count
                    && (expected.isEmpty || memcmp(raw.baseAddress.unsafelyUnwrapped, expected.baseAddress.unsafelyUnwrapped, raw.count) == 0)
            }
        }
        return decoded == name.description
    }
}
