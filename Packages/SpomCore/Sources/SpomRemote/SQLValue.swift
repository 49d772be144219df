import GRDB

/// One cell copied from the local database to the remote one.
///
/// The five SQLite storage classes; the remote column type decides how a value is written.
public enum SQLValue: Sendable, Hashable, CustomStringConvertible {
    /// SQL NULL.
    case null
    /// A 64-bit integer.
    case integer(Int64)
    /// A double.
    case real(Double)
    /// UTF-8 text.
    case text(String)
    /// Raw bytes.
    case blob([UInt8])

    /// Converts a GRDB value.
    init(_ value: DatabaseValue) {
        switch value.storage {
        case .null: self = .null
        case .int64(let v): self = .integer(v)
        case .double(let v): self = .real(v)
        case .string(let v): self = .text(v)
        case .blob(let data): self = .blob([UInt8](data))
        }
    }

    /// A readable rendering for messages and tests (blobs as `x'…'` hex).
    public var description: String {
        switch self {
        case .null: return "NULL"
        case .integer(let v): return String(v)
        case .real(let v): return String(v)
        case .text(let v): return "'\(v)'"
        case .blob(let bytes):
            let hex = bytes.map { byte -> String in
                let s = String(byte, radix: 16)
                return s.count == 1 ? "0" + s : s
            }.joined()
            return "x'\(hex)'"
        }
    }

    /// This value as the remote column type stores it, so local and remote rows compare equal
    /// (integers written to a BOOLEAN column come back as 0 / 1, and so on).
    public func normalized(for type: RemoteColumnType) -> SQLValue {
        switch (type, self) {
        case (_, .null): return .null
        case (.bigint, .real(let v)) where v.rounded() == v && abs(v) < 9.2e18: return .integer(Int64(v))
        case (.bigint, .text(let s)): return Int64(s).map(SQLValue.integer) ?? self
        case (.boolean, .integer(let v)): return .integer(v != 0 ? 1 : 0)
        case (.boolean, .real(let v)): return .integer(v != 0 ? 1 : 0)
        case (.double, .integer(let v)): return .real(Double(v))
        case (.text, .integer(let v)): return .text(String(v))
        case (.text, .real(let v)): return .text(String(v))
        case (.text, .blob(let b)): return .text(String(decoding: b, as: UTF8.self))
        case (.bytea, .text(let s)): return .blob(Array(s.utf8))
        default: return self
        }
    }
}

/// A stable 64-bit hash of rows: the same bytes on every run and machine (Swift's `Hasher` is
/// seeded per process, so it can't be used for checksums that are stored remotely).
///
/// Chunk checksums are the wrapping sum of their rows' hashes, so they don't depend on row order.
public enum RowHash {
    /// FNV-1a 64 over a type tag and the bytes of each value, finished with the splitmix64 mixer.
    public static func hash(_ values: some Collection<SQLValue>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        @inline(__always) func byte(_ b: UInt8) {
            h ^= UInt64(b)
            h = h &* 0x0000_0100_0000_01b3
        }
        @inline(__always) func word(_ w: UInt64) {
            var w = w
            for _ in 0..<8 { byte(UInt8(truncatingIfNeeded: w)); w >>= 8 }
        }
        for value in values {
            switch value {
            case .null: byte(0)
            case .integer(let v): byte(1); word(UInt64(bitPattern: v))
            case .real(let v): byte(2); word(v.bitPattern)
            case .text(let s): byte(3); word(UInt64(s.utf8.count)); for b in s.utf8 { byte(b) }
            case .blob(let bytes): byte(4); word(UInt64(bytes.count)); for b in bytes { byte(b) }
            }
        }
        var z = h &+ 0x9e37_79b9_7f4a_7c15
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}

/// The SQLite aggregate `spom_chunk_hash(col, …)`: the wrapping sum of `RowHash` over a group's rows,
/// returned as a signed 64-bit integer.
struct ChunkHashAggregate: DatabaseAggregate {
    var sum: UInt64 = 0

    init() {}

    mutating func step(_ dbValues: [DatabaseValue]) throws {
        sum = sum &+ RowHash.hash(dbValues.lazy.map(SQLValue.init))
    }

    func finalize() throws -> (any DatabaseValueConvertible)? {
        Int64(bitPattern: sum)
    }

    static let function = DatabaseFunction("spom_chunk_hash", argumentCount: nil, pure: true, aggregate: ChunkHashAggregate.self)
}
