/// Small helpers to write JSON straight into byte buffers (the node's answers are assembled from
/// pre-encoded pieces, which keeps catch-up fast).
enum JSONText {
    static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Appends `bytes` as a quoted `"0x…"` JSON string.
    static func appendHexString(_ bytes: some Collection<UInt8>, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        appendHex(bytes, to: &out)
        out.append(UInt8(ascii: "\""))
    }

    /// Appends `0x` + lowercase hex of `bytes` (no quotes).
    static func appendHex(_ bytes: some Collection<UInt8>, to out: inout [UInt8]) {
        out.reserveCapacity(out.count + bytes.count * 2 + 2)
        out.append(UInt8(ascii: "0"))
        out.append(UInt8(ascii: "x"))
        for b in bytes {
            out.append(hexDigits[Int(b >> 4)])
            out.append(hexDigits[Int(b & 0x0f)])
        }
    }

    /// Appends a JSON string literal for `s`, escaping as RFC 8259 requires.
    static func appendString(_ s: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\""): out += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case 0x0a: out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case 0x0d: out += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case 0x09: out += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0..<0x20:
                out += Array("\\u00".utf8)
                out.append(hexDigits[Int(b >> 4)])
                out.append(hexDigits[Int(b & 0x0f)])
            default: out.append(b)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// A JSON string literal for `s`.
    static func quoted(_ s: String) -> String {
        var out: [UInt8] = []
        appendString(s, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the decimal digits of `v`.
    static func appendInt(_ v: some BinaryInteger, to out: inout [UInt8]) {
        out += Array(String(v).utf8)
    }

    /// Appends a string-form hex number as Substrate serializes block numbers: `"0x1a"`.
    static func appendHexNumber(_ v: UInt64, to out: inout [UInt8]) {
        out += Array("\"0x\(String(v, radix: 16))\"".utf8)
    }
}

/// A parsed JSON value (requests only; answers are written with ``JSONText``).
enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// The value written back as JSON (used to echo request ids).
    var jsonText: String {
        switch self {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double(let d): return d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : String(d)
        case .string(let s): return JSONText.quoted(s)
        case .array(let a): return "[" + a.map(\.jsonText).joined(separator: ",") + "]"
        case .object(let o):
            return "{" + o.keys.sorted().map { JSONText.quoted($0) + ":" + o[$0]!.jsonText }.joined(separator: ",") + "}"
        }
    }

    var stringValue: String? { if case .string(let s) = self { return s } else { return nil } }
    var isNull: Bool { self == .null }

    /// A non-negative integer, accepting JSON numbers and `"0x…"`/decimal strings as Substrate does.
    var unsignedValue: UInt64? {
        switch self {
        case .int(let i): return i >= 0 ? UInt64(i) : nil
        case .double(let d): return d >= 0 && d == d.rounded() && d < 1.8e19 ? UInt64(d) : nil
        case .string(let s):
            if s.hasPrefix("0x") || s.hasPrefix("0X") { return UInt64(s.dropFirst(2), radix: 16) }
            return UInt64(s)
        default: return nil
        }
    }
}
