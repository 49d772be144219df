import Crypto
import Foundation

/// Standard Webhooks signatures: `webhook-signature: v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`.
///
/// The secret is `whsec_<base64 key>` (the spec's form) or any other text, used as raw key bytes.
public struct WebhookSigner: Sendable {
    private let key: SymmetricKey

    /// Creates a signer for `secret`.
    ///
    /// - Throws: ``WebhookSignatureError/invalidSecret`` when a `whsec_` secret is not base64 or empty.
    public init(secret: String) throws(WebhookSignatureError) {
        if secret.hasPrefix("whsec_") {
            guard let data = Data(base64Encoded: String(secret.dropFirst(6))), !data.isEmpty else { throw .invalidSecret }
            key = SymmetricKey(data: data)
        } else {
            guard !secret.isEmpty else { throw .invalidSecret }
            key = SymmetricKey(data: Data(secret.utf8))
        }
    }

    /// The `v1,<base64>` signature of `body` for message `id` sent at `timestamp` (Unix seconds).
    public func signature(id: String, timestamp: Int64, body: Data) -> String {
        var content = Data("\(id).\(timestamp).".utf8)
        content.append(body)
        let mac = HMAC<SHA256>.authenticationCode(for: content, using: key)
        return "v1," + Data(mac).base64EncodedString()
    }

    /// Checks a received webhook: one of the space-separated `v1,` signatures in
    /// `signatureHeader` must match (compared in constant time), and `timestamp` must be within
    /// `tolerance` of `now` (replay protection).
    ///
    /// - Throws: ``WebhookSignatureError`` saying what failed.
    public func verify(
        id: String,
        timestamp: String,
        body: Data,
        signatureHeader: String,
        tolerance: Duration = .seconds(300),
        now: Date = Date()
    ) throws(WebhookSignatureError) {
        guard let seconds = Int64(timestamp) else { throw .badTimestamp }
        let skew = abs(now.timeIntervalSince1970 - Double(seconds))
        guard skew <= Double(tolerance.components.seconds) else { throw .staleTimestamp }
        var content = Data("\(id).\(seconds).".utf8)
        content.append(body)
        for candidate in signatureHeader.split(separator: " ") {
            let parts = candidate.split(separator: ",", maxSplits: 1)
            guard parts.count == 2, parts[0] == "v1", let mac = Data(base64Encoded: String(parts[1])) else { continue }
            if HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: content, using: key) { return }
        }
        throw .noMatchingSignature
    }

    /// A new random `whsec_` secret of 32 bytes.
    public static func generateSecret() -> String {
        "whsec_" + SymmetricKey(size: .bits256).withUnsafeBytes { Data($0).base64EncodedString() }
    }
}

/// Why a signature could not be made or verified.
public enum WebhookSignatureError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The secret is empty or a `whsec_` secret is not base64.
    case invalidSecret
    /// `webhook-timestamp` is not an integer.
    case badTimestamp
    /// `webhook-timestamp` is too far from now.
    case staleTimestamp
    /// No `v1` signature matched.
    case noMatchingSignature

    /// A readable message.
    public var description: String {
        switch self {
        case .invalidSecret: "webhook secret is empty or not valid base64 after whsec_"
        case .badTimestamp: "webhook-timestamp is not a Unix time in seconds"
        case .staleTimestamp: "webhook-timestamp is outside the allowed tolerance"
        case .noMatchingSignature: "no webhook-signature matches"
        }
    }
}
