import PostgresNIO

/// One column of a batch of rows as a single PostgreSQL array parameter (`$n::bigint[]`, …), so
/// an upsert of thousands of rows binds one value per column and the server unpacks them with
/// `unnest(…)`: one statement, one round trip, no 65,535-parameter limit.
///
/// PostgresNIO's own array encoding has no NULL elements, so this writes PostgreSQL's binary
/// array format itself (`array_recv`: dimensions, has-null flag, element type, length, lower
/// bound, then each element as a 32-bit length (-1 for NULL) and its binary value).
///
/// Values are written as the column type stores them (``SQLValue/normalized(for:)``); a value
/// that can't be one (text that isn't a number in a BIGINT column, a blob in a number column) is
/// written as NULL.
struct PostgresColumnArray: PostgresDynamicTypeEncodable, Sendable {
    /// The rows (shared, not copied) and the column to take from each.
    let rows: ArraySlice<[SQLValue]>
    let column: Int
    let type: RemoteColumnType

    var psqlType: PostgresDataType {
        switch type {
        case .bigint: return .int8Array
        case .double: return .float8Array
        case .text: return .textArray
        case .bytea: return .byteaArray
        case .boolean: return .boolArray
        }
    }

    var psqlFormat: PostgresFormat { .binary }

    var elementType: PostgresDataType {
        switch type {
        case .bigint: return .int8
        case .double: return .float8
        case .text: return .text
        case .bytea: return .bytea
        case .boolean: return .bool
        }
    }

    func encode<JSONEncoder: PostgresJSONEncoder>(into buffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>) {
        buffer.writeInteger(Int32(rows.isEmpty ? 0 : 1))
        let flagIndex = buffer.writerIndex
        buffer.writeInteger(Int32(0))  // has nulls: patched below
        buffer.writeInteger(elementType.rawValue)
        guard !rows.isEmpty else { return }
        buffer.writeInteger(Int32(rows.count))
        buffer.writeInteger(Int32(1))  // lower bound
        var hasNull = false
        for row in rows {
            let value = column < row.count ? row[column] : .null
            if !Self.writeElement(value, as: type, into: &buffer) {
                buffer.writeInteger(Int32(-1))
                hasNull = true
            }
        }
        if hasNull { buffer.setInteger(Int32(1), at: flagIndex) }
    }

    /// Writes one element (length + bytes); false when it is NULL (nothing written).
    @inline(__always)
    static func writeElement(_ value: SQLValue, as type: RemoteColumnType, into buffer: inout ByteBuffer) -> Bool {
        switch (type, value) {
        case (_, .null):
            return false
        case (.bigint, .integer(let v)):
            buffer.writeInteger(Int32(8)); buffer.writeInteger(v)
        case (.bigint, .real(let v)):
            guard v.isFinite, abs(v) < 9.2e18 else { return false }
            buffer.writeInteger(Int32(8)); buffer.writeInteger(Int64(v.rounded()))
        case (.bigint, .text(let s)):
            guard let v = Int64(s) else { return false }
            buffer.writeInteger(Int32(8)); buffer.writeInteger(v)
        case (.boolean, .integer(let v)):
            buffer.writeInteger(Int32(1)); buffer.writeInteger(UInt8(v != 0 ? 1 : 0))
        case (.boolean, .real(let v)):
            buffer.writeInteger(Int32(1)); buffer.writeInteger(UInt8(v != 0 ? 1 : 0))
        case (.boolean, .text(let s)):
            guard let v = Int64(s) else { return false }
            buffer.writeInteger(Int32(1)); buffer.writeInteger(UInt8(v != 0 ? 1 : 0))
        case (.double, .integer(let v)):
            buffer.writeInteger(Int32(8)); buffer.writeInteger(Double(v).bitPattern)
        case (.double, .real(let v)):
            buffer.writeInteger(Int32(8)); buffer.writeInteger(v.bitPattern)
        case (.double, .text(let s)):
            guard let v = Double(s) else { return false }
            buffer.writeInteger(Int32(8)); buffer.writeInteger(v.bitPattern)
        case (.text, .text(let s)):
            writeBytes(s.utf8, into: &buffer)
        case (.text, .integer(let v)):
            writeBytes(String(v).utf8, into: &buffer)
        case (.text, .real(let v)):
            writeBytes(String(v).utf8, into: &buffer)
        case (.text, .blob(let b)):
            writeBytes(String(decoding: b, as: UTF8.self).utf8, into: &buffer)
        case (.bytea, .blob(let b)):
            writeBytes(b, into: &buffer)
        case (.bytea, .text(let s)):
            writeBytes(s.utf8, into: &buffer)
        case (.bytea, .integer), (.bytea, .real), (.bigint, .blob), (.boolean, .blob), (.double, .blob):
            return false
        }
        return true
    }

    @inline(__always)
    static func writeBytes<C: Collection<UInt8>>(_ bytes: C, into buffer: inout ByteBuffer) {
        buffer.writeInteger(Int32(bytes.count))
        buffer.writeBytes(bytes)
    }
}
