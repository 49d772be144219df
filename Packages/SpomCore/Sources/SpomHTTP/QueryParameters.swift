import Foundation
import Hummingbird

/// Typed access to a request's query parameters. Every accessor throws ``APIError/badParameter(_:_:)``
/// (400) naming the parameter and what is allowed, so bad input never becomes a 500.
///
/// ```swift
/// let query = QueryParameters(request)
/// let limit = try query.int("limit", default: 50, in: 1...1000)
/// let finalized = try query.bool("finalized")
/// ```
///
/// Names and values are percent-decoded and `+` means a space. A parameter given twice is a 400
/// (there is no good guess which one was meant).
public struct QueryParameters: Sendable {
    /// The decoded (name, value) pairs in order.
    public let pairs: [(name: String, value: String)]

    /// Parses `request`'s query string.
    public init(_ request: Request) {
        self.init(query: request.uri.query)
    }

    /// Parses a raw query string (without `?`).
    public init(query: String?) {
        guard let query, !query.isEmpty else {
            pairs = []
            return
        }
        pairs = query.split(separator: "&", omittingEmptySubsequences: true).map { item in
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = Self.decode(parts[0])
            let value = parts.count > 1 ? Self.decode(parts[1]) : ""
            return (name: name, value: value)
        }
    }

    private static func decode(_ text: Substring) -> String {
        // Most names and values (limit=50) need no decoding; Foundation's percent decoding cost
        // more than the rest of the parsing.
        if !text.utf8.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "+") }) { return String(text) }
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }

    /// The names present, in order, without duplicates.
    public var names: [String] {
        var seen = Set<String>()
        return pairs.map(\.name).filter { seen.insert($0).inserted }
    }

    /// Whether `name` is present (even with an empty value).
    public func contains(_ name: String) -> Bool { pairs.contains { $0.name == name } }

    /// Every value of `name`, in order.
    public func all(_ name: String) -> [String] { pairs.filter { $0.name == name }.map(\.value) }

    /// Throws a 400 naming the first parameter not in `allowed` (catches typos such as `limt`).
    public func rejectUnknown(allowing allowed: Set<String>) throws(APIError) {
        if let unknown = names.first(where: { !allowed.contains($0) }) {
            throw .badParameter(unknown, "unknown parameter; allowed: \(allowed.sorted().joined(separator: ", "))")
        }
    }

    /// The single value of `name`, or `nil` when absent.
    ///
    /// - Throws: a 400 when it is given more than once.
    public func string(_ name: String, maxLength: Int = 1024) throws(APIError) -> String? {
        let values = all(name)
        guard let value = values.first else { return nil }
        guard values.count == 1 else { throw .badParameter(name, "given \(values.count) times; give it once") }
        guard value.count <= maxLength else { throw .badParameter(name, "longer than \(maxLength) characters") }
        return value
    }

    /// The value of `name` as an integer in `range`, or `nil` when absent.
    public func int(_ name: String, in range: ClosedRange<Int>) throws(APIError) -> Int? {
        guard let text = try string(name, maxLength: 32) else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw .badParameter(name, "must be an integer in \(range.lowerBound)...\(range.upperBound), got \(Self.quote(text))")
        }
        return value
    }

    /// The value of `name` as an integer in `range`, or `defaultValue` when absent.
    public func int(_ name: String, default defaultValue: Int, in range: ClosedRange<Int>) throws(APIError) -> Int {
        try int(name, in: range) ?? defaultValue
    }

    /// The value of `name` as an unsigned 64-bit integer in `range`, or `nil` when absent.
    public func uint64(_ name: String, in range: ClosedRange<UInt64> = 0...UInt64.max) throws(APIError) -> UInt64? {
        guard let text = try string(name, maxLength: 32) else { return nil }
        guard let value = UInt64(text), range.contains(value) else {
            throw .badParameter(name, "must be an integer in \(range.lowerBound)...\(range.upperBound), got \(Self.quote(text))")
        }
        return value
    }

    /// The value of `name` as a boolean (`true`/`false`/`1`/`0`), or `nil` when absent.
    public func bool(_ name: String) throws(APIError) -> Bool? {
        guard let text = try string(name, maxLength: 8) else { return nil }
        switch text.lowercased() {
        case "true", "1": return true
        case "false", "0": return false
        default: throw .badParameter(name, "must be true or false, got \(Self.quote(text))")
        }
    }

    /// The value of `name`, which must be one of `allowed`, or `nil` when absent.
    public func oneOf(_ name: String, _ allowed: [String]) throws(APIError) -> String? {
        guard let text = try string(name, maxLength: 64) else { return nil }
        guard allowed.contains(text) else {
            throw .badParameter(name, "must be one of \(allowed.joined(separator: ", ")), got \(Self.quote(text))")
        }
        return text
    }

    /// The value of `name` converted to `T` by its raw value, or `nil` when absent.
    public func value<T: RawRepresentable & CaseIterable>(_ name: String, as type: T.Type) throws(APIError) -> T?
    where T.RawValue == String {
        guard let text = try oneOf(name, T.allCases.map(\.rawValue)) else { return nil }
        return T(rawValue: text)
    }

    /// `text` quoted and cut to 40 characters, safe to echo in an error message.
    static func quote(_ text: String) -> String {
        let cut = text.count > 40 ? String(text.prefix(40)) + "…" : text
        return "\"" + cut.replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
