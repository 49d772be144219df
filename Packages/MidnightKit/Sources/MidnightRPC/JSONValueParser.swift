import Foundation
import MidnightChain

/// Parses JSON text into a ``JSONValue`` in one pass over the bytes.
///
/// Every answer from the node goes through here (catch-up parses thousands of blocks a second),
/// so it avoids `JSONDecoder`, whose `Decodable` path for an untyped value has to try each JSON
/// type in turn and throw for every wrong guess. Integers keep 64-bit precision (`Int64`, or
/// `UInt64` above `Int64.max`); other numbers are `Double`.
struct JSONValueParser {
    /// Why text is not JSON, with the byte offset.
    struct SyntaxError: Error, CustomStringConvertible {
        let offset: Int
        let reason: String
        var description: String { "\(reason) at byte offset \(offset)" }
    }

    private let bytes: UnsafeRawBufferPointer
    private var index = 0
    /// Nesting limit, so hostile input cannot exhaust the stack.
    private static let maxDepth = 512

    private init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    /// Parses `data` (exactly one JSON value, surrounded by optional whitespace).
    static func parse(_ data: Data) throws(SyntaxError) -> JSONValue {
        let result: Result<JSONValue, SyntaxError> = data.withUnsafeBytes { buffer in
            var parser = JSONValueParser(buffer)
            return Result { () throws(SyntaxError) -> JSONValue in
                let value = try parser.value(depth: 0)
                parser.skipWhitespace()
                guard parser.index == buffer.count else { throw parser.error("unexpected text after the value") }
                return value
            }
        }
        return try result.get()
    }

    private func error(_ reason: String) -> SyntaxError { SyntaxError(offset: index, reason: reason) }

    private var peek: UInt8 { index < bytes.count ? bytes[index] : 0 }

    private mutating func skipWhitespace() {
        JSONLexer.skipWhitespace(bytes, &index)
    }

    private mutating func value(depth: Int) throws(SyntaxError) -> JSONValue {
        guard depth < Self.maxDepth else { throw error("nested too deeply") }
        skipWhitespace()
        guard index < bytes.count else { throw error("expected a value, found the end") }
        switch bytes[index] {
        case 0x7B: return try object(depth: depth)
        case 0x5B: return try array(depth: depth)
        case 0x22: return .string(try string())
        case 0x74: try literal("true"); return .bool(true)
        case 0x66: try literal("false"); return .bool(false)
        case 0x6E: try literal("null"); return .null
        case 0x2D, 0x30...0x39: return try number()
        default: throw error("expected a value")
        }
    }

    private mutating func literal(_ text: StaticString) throws(SyntaxError) {
        let count = text.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw error("expected \(text)") }
        let matches = text.withUTF8Buffer { UnsafeRawBufferPointer(rebasing: bytes[index..<index + count]).elementsEqual($0) }
        guard matches else { throw error("expected \(text)") }
        index += count
    }

    private mutating func object(depth: Int) throws(SyntaxError) -> JSONValue {
        index += 1
        var members: [String: JSONValue] = [:]
        skipWhitespace()
        if peek == 0x7D {
            index += 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard peek == 0x22 else { throw error("expected a member name") }
            let key = try string()
            skipWhitespace()
            guard peek == 0x3A else { throw error("expected ':'") }
            index += 1
            members[key] = try value(depth: depth + 1)
            skipWhitespace()
            switch peek {
            case 0x2C: index += 1
            case 0x7D:
                index += 1
                return .object(members)
            default: throw error("expected ',' or '}'")
            }
        }
    }

    private mutating func array(depth: Int) throws(SyntaxError) -> JSONValue {
        index += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if peek == 0x5D {
            index += 1
            return .array(elements)
        }
        while true {
            elements.append(try value(depth: depth + 1))
            skipWhitespace()
            switch peek {
            case 0x2C: index += 1
            case 0x5D:
                index += 1
                return .array(elements)
            default: throw error("expected ',' or ']'")
            }
        }
    }

    private mutating func string() throws(SyntaxError) -> String {
        do {
            return try JSONLexer.readString(bytes, &index)
        } catch {
            throw SyntaxError(offset: error.offset, reason: error.reason)
        }
    }

    private mutating func number() throws(SyntaxError) -> JSONValue {
        let start = index
        var negative = false
        if peek == 0x2D {
            negative = true
            index += 1
        }
        var magnitude: UInt64 = 0
        var overflow = false
        let digitsStart = index
        while index < bytes.count, (0x30...0x39).contains(bytes[index]) {
            let (m, o1) = magnitude.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(UInt64(bytes[index] - 0x30))
            overflow = overflow || o1 || o2
            magnitude = s
            index += 1
        }
        guard index > digitsStart else { throw error("expected digits") }
        if bytes[digitsStart] == 0x30, index - digitsStart > 1 { throw error("leading zero in a number") }
        var isInteger = true
        if peek == 0x2E {
            isInteger = false
            index += 1
            let fractionStart = index
            while index < bytes.count, (0x30...0x39).contains(bytes[index]) { index += 1 }
            guard index > fractionStart else { throw error("expected digits after '.'") }
        }
        if peek == 0x65 || peek == 0x45 {
            isInteger = false
            index += 1
            if peek == 0x2B || peek == 0x2D { index += 1 }
            let exponentStart = index
            while index < bytes.count, (0x30...0x39).contains(bytes[index]) { index += 1 }
            guard index > exponentStart else { throw error("expected digits in the exponent") }
        }
        if isInteger, !overflow {
            if !negative {
                return magnitude <= UInt64(Int64.max) ? .int(Int64(magnitude)) : .uint(magnitude)
            }
            if magnitude <= UInt64(Int64.max) { return .int(-Int64(magnitude)) }
            if magnitude == UInt64(Int64.max) + 1 { return .int(.min) }
        }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        guard let double = Double(text) else { throw SyntaxError(offset: start, reason: "number out of range") }
        return .double(double)
    }
}
