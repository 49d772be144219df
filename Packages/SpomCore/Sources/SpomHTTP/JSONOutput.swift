import Foundation
import Hummingbird

/// The JSON encoding every SpomHTTP response uses: snake_case keys, sorted keys (byte-stable
/// output for equal values), no escaped slashes, ISO 8601 dates.
public enum JSONOutput {
    /// `application/json; charset=utf-8`.
    public static let contentType = "application/json; charset=utf-8"

    /// A new encoder with the shared settings.
    public static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }

    /// Encodes `value` with the shared settings.
    public static func encode<T: Encodable>(_ value: T) throws -> Data {
        try makeEncoder().encode(value)
    }

    /// A `200` (or `status`) response with `value` as JSON.
    ///
    /// - Throws: ``APIError/internal`` when the value cannot be encoded (never for bad input).
    public static func response<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) throws -> Response {
        let data: Data
        do {
            data = try encode(value)
        } catch {
            throw APIError.internal
        }
        var fields = headers
        fields[.contentType] = contentType
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}

extension JSONOutput {
    /// A `200` (or `status`) response whose body is `json`, bytes already encoded (for example by
    /// ``JSONBytes``), sent as they are.
    public static func response(json: [UInt8], status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        response(json: ByteBuffer(bytes: json), status: status, headers: headers)
    }

    /// A `200` (or `status`) response whose body is the JSON in `json` (shared, not copied).
    public static func response(json: ByteBuffer, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = contentType
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: json))
    }
}
