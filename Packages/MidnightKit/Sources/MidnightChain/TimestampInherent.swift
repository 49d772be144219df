/// The timestamp inherent (`Timestamp.set(now)`), the first extrinsic of every block.
///
/// Wire form of the real vector `0x280401000b10254cc39b01`: compact length (10) · `04` (unsigned,
/// version 4) · `01 00` (pallet 1, call 0) · compact moment in milliseconds (here big-integer mode:
/// `0b` + six bytes = 1 768 508 106 000).
public enum TimestampInherent {
    /// Pallet and call index of `Timestamp.set` on Midnight.
    public static let palletIndex: UInt8 = 1
    public static let callIndex: UInt8 = 0

    /// The block time in Unix milliseconds, or `nil` when `extrinsic` is not a timestamp inherent.
    public static func decode(extrinsic: String) -> UInt64? {
        guard let bytes = try? Hex.decode(extrinsic) else { return nil }
        var r = ScaleReader(bytes)
        guard let length = try? r.readCompact(), length == UInt64(r.remaining),
            let version = try? r.readU8(), version == 0x04 || version == 0x05,
            let pallet = try? r.readU8(), pallet == palletIndex,
            let call = try? r.readU8(), call == callIndex,
            let moment = try? r.readCompact(), r.isAtEnd
        else { return nil }
        return moment
    }

    /// The hex extrinsic setting the block time to `milliseconds`.
    public static func encode(milliseconds: UInt64) -> String {
        var body = ScaleWriter(capacity: 12)
        body.appendU8(0x04)
        body.appendU8(palletIndex)
        body.appendU8(callIndex)
        body.appendCompact(milliseconds)
        var w = ScaleWriter(capacity: 16)
        w.appendByteVector(body.bytes)
        return Hex.encode(w.bytes)
    }
}
