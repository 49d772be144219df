import MidnightStore
import SpomHTTP

/// The block JSON of `/api/v1/blocks` and `/api/v1/blocks/{id}`, written by hand.
///
/// `JSONEncoder` spent more time on a page of 50 blocks (key conversion, boxing every value,
/// sorting keys per object) than the query took. These writers produce exactly the bytes
/// ``JSONOutput/encode(_:)`` produces for the same ``StoredBlock`` / ``BlocksResponse`` (the
/// `Encodable` conformances stay the reference: the CLI's `--json` uses them, and tests compare
/// both byte for byte), with the keys in the encoder's sorted order.
public enum BlockJSON {
    /// One block object.
    public static func write(_ block: StoredBlock, into json: inout JSONBytes) {
        json.beginObject()
        json.key("author", first: true)
        json.append(block.author)
        json.key("author_aura_key")
        json.append(block.authorAuraKey)
        json.key("chain")
        json.append(block.chain)
        json.key("extrinsics_count")
        json.append(block.extrinsicsCount)
        json.key("finalized")
        json.append(block.finalized)
        json.key("hash")
        json.append(block.hash)
        json.key("mainchain_epoch")
        json.append(block.mainchainEpoch)
        json.key("number")
        json.append(block.number)
        json.key("parent_hash")
        json.append(block.parentHash)
        json.key("sidechain_epoch")
        json.append(block.sidechainEpoch)
        json.key("slot")
        json.append(block.slot)
        json.key("timestamp_ms")
        json.append(block.timestampMs)
        json.endObject()
    }

    /// One block as a JSON document.
    public static func encode(_ block: StoredBlock) -> [UInt8] {
        var json = JSONBytes(capacity: 512)
        write(block, into: &json)
        return json.bytes
    }

    /// A page of blocks as a JSON document.
    public static func encode(_ page: BlocksResponse) -> [UInt8] {
        var json = JSONBytes(capacity: 64 + 480 * page.blocks.count)
        json.beginObject()
        json.key("blocks", first: true)
        json.beginArray()
        for (index, block) in page.blocks.enumerated() {
            if index > 0 { json.comma() }
            write(block, into: &json)
        }
        json.endArray()
        json.key("next_before")
        json.append(page.nextBefore)
        json.key("prev_after")
        json.append(page.prevAfter)
        json.endObject()
        return json.bytes
    }
}
