import Foundation

/// Event ids: ULIDs (26 Crockford base32 characters, time-ordered, 80 random bits). An event
/// keeps its id across every retry and restart; it is the `webhook-id` header that receivers
/// de-duplicate on.
public enum WebhookEventID {
    static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)

    /// A new ULID for the current time.
    public static func generate(now: Date = Date()) -> String {
        var generator = SystemRandomNumberGenerator()
        return generate(milliseconds: UInt64(max(0, now.timeIntervalSince1970 * 1000)), using: &generator)
    }

    /// A ULID for `milliseconds` since 1970 with randomness from `generator`.
    public static func generate(milliseconds: UInt64, using generator: inout some RandomNumberGenerator) -> String {
        var bytes = [UInt8](repeating: 0, count: 16)
        for index in 0..<6 { bytes[index] = UInt8(truncatingIfNeeded: milliseconds >> (8 * (5 - index))) }
        for index in 6..<16 { bytes[index] = UInt8.random(in: .min ... .max, using: &generator) }
        // 128 bits -> 26 characters of 5 bits, the first holding the top 3 bits.
        var out = [UInt8]()
        out.reserveCapacity(26)
        var accumulator: UInt32 = 0
        var bits = 2  // pad two zero bits in front: 130 bits = 26 * 5
        for byte in bytes {
            accumulator = (accumulator << 8) | UInt32(byte)
            bits += 8
            while bits >= 5 {
                bits -= 5
                out.append(alphabet[Int((accumulator >> UInt32(bits)) & 0x1f)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
