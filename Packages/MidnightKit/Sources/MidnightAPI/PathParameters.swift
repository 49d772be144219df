import Foundation
import SpomHTTP

/// Parsing of path and key parameters into 400s that name the parameter.
enum PathParameters {
    /// The largest number SQLite stores (block numbers and epochs are `INTEGER`).
    static let maxNumber = UInt64(Int64.max)

    /// A block is named by its number (decimal) or its hash (`0x` + 64 hex digits).
    enum BlockID: Equatable {
        case number(UInt64)
        case hash(String)
    }

    static func blockID(_ text: String?) throws(APIError) -> BlockID {
        let name = "number_or_hash"
        guard let text, !text.isEmpty else { throw .badParameter(name, "missing") }
        if text.allSatisfy({ $0.isASCII && $0.isNumber }) {
            guard let number = UInt64(text), number <= maxNumber else {
                throw .badParameter(name, "block number out of range 0...\(maxNumber)")
            }
            return .number(number)
        }
        let lower = text.lowercased()
        guard lower.hasPrefix("0x"), lower.count == 66, isHex(lower.dropFirst(2)) else {
            throw .badParameter(name, "must be a block number or a 0x-prefixed 32-byte hex hash, got \(quote(text))")
        }
        return .hash(lower)
    }

    static func number(_ text: String?, name: String) throws(APIError) -> UInt64 {
        guard let text, let value = UInt64(text), value <= maxNumber else {
            throw .badParameter(name, "must be an integer in 0...\(maxNumber), got \(quote(text ?? ""))")
        }
        return value
    }

    /// A hex key (`0x` optional, even length, 1...128 bytes), lowercased with `0x`.
    static func key(_ text: String?, name: String) throws(APIError) -> String {
        let raw = (text ?? "").lowercased()
        let digits = raw.hasPrefix("0x") ? raw.dropFirst(2) : Substring(raw)
        guard !digits.isEmpty, digits.count % 2 == 0, digits.count <= 256, isHex(digits) else {
            throw .badParameter(name, "must be a hex key (0x followed by an even number of hex digits), got \(quote(text ?? ""))")
        }
        return "0x" + digits
    }

    static func isHex(_ text: Substring) -> Bool {
        text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    static func quote(_ text: String) -> String {
        let cut = text.count > 40 ? String(text.prefix(40)) + "…" : text
        return "\"" + cut.replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
