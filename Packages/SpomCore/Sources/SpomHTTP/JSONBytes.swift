/// A small append-only JSON writer producing exactly the bytes that ``JSONOutput/encode(_:)``
/// (Foundation's `JSONEncoder` with sorted keys and unescaped slashes, compact) produces for the
/// same values, for hot endpoints where `JSONEncoder` costs more than the rest of the request.
///
/// The caller writes keys in sorted order itself; the writer only handles the lexical details:
/// string escaping (`"`, `\`, the named control escapes `\b \f \n \r \t`, other control
/// characters as `\u00xx` with lowercase hex, everything else literal), integers, booleans and
/// `null`. Floating-point numbers are deliberately not offered: their text form is
/// Foundation's business (use `JSONOutput` for values holding a `Double`, then ``appendRaw(_:)``).
///
/// ```swift
/// var json = JSONBytes(capacity: 256)
/// json.beginObject()
/// json.key("count", first: true); json.append(3)
/// json.key("name"); json.append("a \"b\"")
/// json.endObject()                       // {"count":3,"name":"a \"b\""}
/// ```
public struct JSONBytes: Sendable {
    /// The bytes written so far.
    public private(set) var bytes: [UInt8]

    /// An empty writer with room for `capacity` bytes.
    public init(capacity: Int = 1024) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// `{`
    public mutating func beginObject() { bytes.append(UInt8(ascii: "{")) }
    /// `}`
    public mutating func endObject() { bytes.append(UInt8(ascii: "}")) }
    /// `[`
    public mutating func beginArray() { bytes.append(UInt8(ascii: "[")) }
    /// `]`
    public mutating func endArray() { bytes.append(UInt8(ascii: "]")) }
    /// `,`
    public mutating func comma() { bytes.append(UInt8(ascii: ",")) }

    /// `"name":`, preceded by a comma unless `first`. `name` is escaped like any string.
    public mutating func key(_ name: String, first: Bool = false) {
        if !first { comma() }
        append(name)
        bytes.append(UInt8(ascii: ":"))
    }

    /// Text that is already JSON, such as a constant key with its punctuation (`,"name":`).
    public mutating func appendRaw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// Bytes that are already JSON (for example a fragment encoded by ``JSONOutput``).
    public mutating func appendRaw<Bytes: Sequence>(_ raw: Bytes) where Bytes.Element == UInt8 {
        bytes.append(contentsOf: raw)
    }

    /// `null`
    public mutating func appendNull() { appendASCII("null") }

    /// `true` or `false`.
    public mutating func append(_ value: Bool) { appendASCII(value ? "true" : "false") }

    /// A string, quoted and escaped as `JSONEncoder` does (slashes not escaped).
    public mutating func append(_ value: String) {
        var value = value
        value.withUTF8 { appendQuoted(utf8: $0) }
    }

    /// A string or `null`.
    public mutating func append(_ value: String?) {
        if let value { append(value) } else { appendNull() }
    }

    /// A quoted, escaped string given as UTF-8 bytes (which must be valid UTF-8).
    public mutating func appendQuoted(utf8: UnsafeBufferPointer<UInt8>) {
        bytes.append(UInt8(ascii: "\""))
        var start = 0
        var index = 0
        let count = utf8.count
        while index < count {
            let byte = utf8[index]
            if byte >= 0x20 && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\") {
                index += 1
                continue
            }
            if index > start { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index])) }
            appendEscape(byte)
            index += 1
            start = index
        }
        if count > start { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<count])) }
        bytes.append(UInt8(ascii: "\""))
    }

    /// `bytes` as a quoted `0x`-prefixed lowercase hex string (`"0x00ff"`), the JSON form of
    /// hashes and keys; needs no escaping.
    public mutating func appendQuotedHex(_ raw: UnsafeRawBufferPointer) {
        let start = bytes.count
        let length = 4 + 2 * raw.count
        bytes.append(contentsOf: repeatElement(0, count: length))
        bytes.withUnsafeMutableBufferPointer { out in
            out[start] = UInt8(ascii: "\"")
            out[start + 1] = UInt8(ascii: "0")
            out[start + 2] = UInt8(ascii: "x")
            var index = start + 3
            for byte in raw {
                let high = byte >> 4, low = byte & 0x0f
                out[index] = high < 10 ? 0x30 + high : 0x57 + high
                out[index + 1] = low < 10 ? 0x30 + low : 0x57 + low
                index += 2
            }
            out[index] = UInt8(ascii: "\"")
        }
    }

    private mutating func appendEscape(_ byte: UInt8) {
        bytes.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""): bytes.append(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\"))
        case 0x08: bytes.append(UInt8(ascii: "b"))
        case 0x0c: bytes.append(UInt8(ascii: "f"))
        case 0x0a: bytes.append(UInt8(ascii: "n"))
        case 0x0d: bytes.append(UInt8(ascii: "r"))
        case 0x09: bytes.append(UInt8(ascii: "t"))
        default:
            let digits: StaticString = "0123456789abcdef"
            appendASCII("u00")
            digits.withUTF8Buffer { hex in
                bytes.append(hex[Int(byte >> 4)])
                bytes.append(hex[Int(byte & 0x0f)])
            }
        }
    }

    /// An unsigned integer in decimal.
    public mutating func append(_ value: UInt64) {
        if value < 10 {
            bytes.append(UInt8(truncatingIfNeeded: value) + UInt8(ascii: "0"))
            return
        }
        var digits: (UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0)  // 40 bytes >= 20 digits
        var count = 0
        var rest = value
        withUnsafeMutableBytes(of: &digits) { buffer in
            while rest > 0 {
                buffer[count] = UInt8(truncatingIfNeeded: rest % 10) + UInt8(ascii: "0")
                rest /= 10
                count += 1
            }
            var index = count - 1
            while index >= 0 {
                bytes.append(buffer[index])
                index -= 1
            }
        }
    }

    /// An unsigned integer or `null`.
    public mutating func append(_ value: UInt64?) {
        if let value { append(value) } else { appendNull() }
    }

    /// A signed integer in decimal.
    public mutating func append(_ value: Int) {
        if value < 0 {
            bytes.append(UInt8(ascii: "-"))
            append(value.magnitude.toUInt64)
        } else {
            append(UInt64(value))
        }
    }

    /// A signed integer or `null`.
    public mutating func append(_ value: Int?) {
        if let value { append(value) } else { appendNull() }
    }

    private mutating func appendASCII(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }
}

extension UInt {
    fileprivate var toUInt64: UInt64 { UInt64(self) }
}
