/// Makes an optional property encode as JSON `null` instead of being left out, so that API
/// clients always see every documented key (`"next_before": null`).
///
/// ```swift
/// struct Page: Encodable {
///     var items: [Item]
///     @NullWhenAbsent var nextBefore: UInt64?
/// }
/// ```
///
/// Synthesized `Encodable` calls `encode(_:forKey:)` for the wrapper (it is not an `Optional`),
/// and the wrapper writes `null` for `nil`: one place instead of a hand-written `encode(to:)`
/// per response type.
@propertyWrapper
public struct NullWhenAbsent<Value: Encodable & Sendable>: Encodable, Sendable {
    /// The wrapped optional value.
    public var wrappedValue: Value?

    /// Wraps `wrappedValue`.
    public init(wrappedValue: Value?) {
        self.wrappedValue = wrappedValue
    }

    /// Encodes the value, or `null` when it is `nil`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let wrappedValue {
            try container.encode(wrappedValue)
        } else {
            try container.encodeNil()
        }
    }
}

extension NullWhenAbsent: Equatable where Value: Equatable {}
extension NullWhenAbsent: Hashable where Value: Hashable {}
