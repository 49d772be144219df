import Foundation

/// Opaque pagination cursors: any `Codable` position (for example the last row's key) as
/// base64url JSON with a short checksum.
///
/// A cursor that was altered, truncated or made for another endpoint decodes to a
/// ``APIError/badParameter(_:_:)`` (400) naming the parameter, never a 500. The checksum catches
/// corruption and casual edits; it is not a signature, so a cursor must only carry positions a
/// client could also ask for directly.
///
/// ```swift
/// struct BlockPosition: Codable { let number: UInt64 }
/// let next = PageCursor.encode(BlockPosition(number: 41))
/// let position = try PageCursor.decode(BlockPosition.self, from: next)
/// ```
public enum PageCursor {
    /// Encodes `position` into an opaque URL-safe string.
    public static func encode<T: Encodable>(_ position: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let json = try? encoder.encode(position) else { return "" }
        var bytes = [UInt8](json)
        let sum = checksum(bytes)
        bytes.append(contentsOf: withUnsafeBytes(of: sum.bigEndian, Array.init))
        return base64URL(bytes)
    }

    /// Decodes a cursor made by ``encode(_:)``.
    ///
    /// - Throws: ``APIError`` 400 naming `parameter` when the cursor is malformed or tampered with.
    public static func decode<T: Decodable>(_ type: T.Type, from cursor: String, parameter: String = "cursor") throws(APIError) -> T {
        let invalid = APIError.badParameter(parameter, "invalid cursor; use the cursor from a previous response unchanged")
        guard cursor.count <= 2048, let bytes = fromBase64URL(cursor), bytes.count > 4 else { throw invalid }
        let json = Array(bytes.dropLast(4))
        let stored = bytes.suffix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        guard stored == checksum(json) else { throw invalid }
        do {
            return try JSONDecoder().decode(T.self, from: Data(json))
        } catch {
            throw invalid
        }
    }

    /// FNV-1a, 32 bits.
    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        var hash: UInt32 = 0x811c_9dc5
        for byte in bytes {
            hash ^= UInt32(byte)
            hash = hash &* 0x0100_0193
        }
        return hash
    }

    static func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func fromBase64URL(_ text: String) -> [UInt8]? {
        guard text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else { return nil }
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64).map { [UInt8]($0) }
    }
}
