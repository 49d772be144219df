#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An IPv4 or IPv6 address. IPv4 addresses are stored IPv4-mapped (`::ffff:a.b.c.d`), so an
/// IPv4 peer seen on a dual-stack socket compares equal to its plain IPv4 form.
public struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    /// The 16 address bytes (IPv4 mapped into `::ffff:0:0/96`).
    public let bytes: [UInt8]

    /// Parses `text`: dotted IPv4, or IPv6 (with optional `[ ]` and without a zone id).
    public init?(_ text: some StringProtocol) {
        var text = String(text)
        if text.hasPrefix("["), text.hasSuffix("]") { text = String(text.dropFirst().dropLast()) }
        if let percent = text.firstIndex(of: "%") { text = String(text[..<percent]) }
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            let raw = withUnsafeBytes(of: v4.s_addr) { Array($0) }
            bytes = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff] + raw
            return
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            bytes = withUnsafeBytes(of: v6) { Array($0) }
            return
        }
        return nil
    }

    /// Whether this is an IPv4 (or IPv4-mapped) address.
    public var isIPv4: Bool { bytes[0..<10].allSatisfy { $0 == 0 } && bytes[10] == 0xff && bytes[11] == 0xff }

    /// The usual text form (`192.0.2.1`, `2001:db8::1`).
    public var description: String {
        if isIPv4 { return bytes[12...].map(String.init).joined(separator: ".") }
        var v6 = in6_addr()
        withUnsafeMutableBytes(of: &v6) { $0.copyBytes(from: bytes) }
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        guard inet_ntop(AF_INET6, &v6, &buffer, socklen_t(buffer.count)) != nil else { return "::" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// An address range in CIDR notation (`10.0.0.0/8`, `fd00::/8`); a bare address is a single host.
public struct CIDRRange: Sendable, Hashable, CustomStringConvertible {
    /// The network address.
    public let network: IPAddress
    /// The prefix length over the 128-bit (IPv4-mapped) form.
    public let prefixLength: Int
    /// The text it was parsed from.
    public let description: String

    /// Parses `text`.
    ///
    /// - Throws: ``CIDRRangeError`` naming the text when the address or prefix is invalid.
    public init(_ text: String) throws(CIDRRangeError) {
        let trimmed = text.trimmingWhitespace()
        let parts = trimmed.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = IPAddress(parts[0]) else { throw CIDRRangeError(text: text, reason: "not an IP address") }
        let width = address.isIPv4 ? 32 : 128
        var prefix = width
        if parts.count == 2 {
            guard let value = Int(parts[1]), (0...width).contains(value) else {
                throw CIDRRangeError(text: text, reason: "prefix length must be 0...\(width)")
            }
            prefix = value
        }
        network = address
        prefixLength = address.isIPv4 ? prefix + 96 : prefix
        description = trimmed
    }

    /// Whether `address` lies in the range.
    public func contains(_ address: IPAddress) -> Bool {
        var remaining = prefixLength
        for index in 0..<16 where remaining > 0 {
            let bits = min(8, remaining)
            let mask = UInt8(truncatingIfNeeded: 0xff << (8 - bits))
            if network.bytes[index] & mask != address.bytes[index] & mask { return false }
            remaining -= bits
        }
        return true
    }
}

/// A CIDR range that could not be parsed.
public struct CIDRRangeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The text given.
    public let text: String
    /// What is wrong with it.
    public let reason: String

    /// `invalid address range "…": reason`.
    public var description: String { "invalid address range \"\(text)\": \(reason)" }
}

extension String {
    func trimmingWhitespace() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars = scalars.dropFirst() }
        while let last = scalars.last, last.isWhitespace { scalars = scalars.dropLast() }
        return String(scalars)
    }
}
