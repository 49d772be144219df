/// Lexical pieces of JSON text shared by MVM's two hand-written readers: ``BlockJSON``'s cursor
/// (straight to the block model) and MidnightRPC's tree parser (any answer from the node).
///
/// Both read bytes in place and only allocate for the strings they return; keeping the escape
/// rules (RFC 8259 §7) in one place keeps them agreeing on every string.
public enum JSONLexer {
    /// Why a piece of JSON text is invalid, with the byte offset where reading stopped.
    public struct Failure: Error, Sendable, Equatable {
        /// Byte offset into the buffer.
        public let offset: Int
        /// What is wrong ("invalid escape", "unterminated string", ...).
        public let reason: String

        /// Creates a failure.
        public init(offset: Int, reason: String) {
            self.offset = offset
            self.reason = reason
        }
    }

    /// Advances `index` past JSON whitespace (space, tab, line feed, carriage return).
    @inlinable
    public static func skipWhitespace(_ bytes: UnsafeRawBufferPointer, _ index: inout Int) {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    /// Reads the string whose opening quote is at `index`, decoding escapes, and leaves `index`
    /// just after its closing quote.
    ///
    /// A `\u` high surrogate followed by a `\u` low surrogate makes one scalar; a lone surrogate
    /// becomes U+FFFD (JSON allows it, Swift strings cannot hold it). Raw control characters,
    /// unknown escapes and a missing closing quote are errors.
    public static func readString(_ bytes: UnsafeRawBufferPointer, _ index: inout Int) throws(Failure) -> String {
        guard index < bytes.count, bytes[index] == 0x22 else { throw Failure(offset: index, reason: "expected a string") }
        index += 1
        let start = index
        // Fast path: no escapes (every hex string the node sends).
        while index < bytes.count {
            let b = bytes[index]
            if b == 0x22 {
                let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                index += 1
                return text
            }
            if b == 0x5C { break }
            if b < 0x20 { throw Failure(offset: index, reason: "control character in string") }
            index += 1
        }
        var utf8 = Array(UnsafeRawBufferPointer(rebasing: bytes[start..<index]))
        while index < bytes.count {
            let b = bytes[index]
            if b == 0x22 {
                index += 1
                return String(decoding: utf8, as: UTF8.self)
            }
            if b < 0x20 { throw Failure(offset: index, reason: "control character in string") }
            guard b == 0x5C else {
                utf8.append(b)
                index += 1
                continue
            }
            guard index + 1 < bytes.count else { break }
            let escape = bytes[index + 1]
            index += 2
            switch escape {
            case 0x22, 0x5C, 0x2F: utf8.append(escape)
            case 0x62: utf8.append(0x08)
            case 0x66: utf8.append(0x0C)
            case 0x6E: utf8.append(0x0A)
            case 0x72: utf8.append(0x0D)
            case 0x74: utf8.append(0x09)
            case 0x75:
                var code = try readHex4(bytes, &index)
                if (0xD800..<0xDC00).contains(code), index + 6 <= bytes.count, bytes[index] == 0x5C, bytes[index + 1] == 0x75 {
                    let save = index
                    index += 2
                    let low = try readHex4(bytes, &index)
                    if (0xDC00..<0xE000).contains(low) {
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    } else {
                        index = save
                    }
                }
                utf8.append(contentsOf: String(Character(Unicode.Scalar(code) ?? "\u{FFFD}")).utf8)
            default:
                index -= 1
                throw Failure(offset: index, reason: "invalid escape")
            }
        }
        throw Failure(offset: index, reason: "unterminated string")
    }

    /// Reads the four hex digits of a `\u` escape at `index`.
    static func readHex4(_ bytes: UnsafeRawBufferPointer, _ index: inout Int) throws(Failure) -> UInt32 {
        guard index + 4 <= bytes.count else { throw Failure(offset: index, reason: "truncated \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let digit: UInt32
            switch bytes[index] {
            case let b where (0x30...0x39).contains(b): digit = UInt32(b - 0x30)
            case let b where (0x41...0x46).contains(b): digit = UInt32(b - 0x41 + 10)
            case let b where (0x61...0x66).contains(b): digit = UInt32(b - 0x61 + 10)
            default: throw Failure(offset: index, reason: "invalid \\u escape")
            }
            value = value << 4 | digit
            index += 1
        }
        return value
    }
}
