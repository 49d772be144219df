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
        // Keys as constant bytes (they need no escaping): a page writes 600 of them.
        json.appendRaw(#"{"author":"#)
        json.append(block.author)
        json.appendRaw(#","author_aura_key":"#)
        json.append(block.authorAuraKey)
        json.appendRaw(#","chain":"#)
        json.append(block.chain)
        json.appendRaw(#","extrinsics_count":"#)
        json.append(block.extrinsicsCount)
        json.appendRaw(#","finalized":"#)
        json.append(block.finalized)
        json.appendRaw(#","hash":"#)
        json.append(block.hash)
        json.appendRaw(#","mainchain_epoch":"#)
        json.append(block.mainchainEpoch)
        json.appendRaw(#","number":"#)
        json.append(block.number)
        json.appendRaw(#","parent_hash":"#)
        json.append(block.parentHash)
        json.appendRaw(#","sidechain_epoch":"#)
        json.append(block.sidechainEpoch)
        json.appendRaw(#","slot":"#)
        json.append(block.slot)
        json.appendRaw(#","timestamp_ms":"#)
        json.append(block.timestampMs)
        json.endObject()
    }

    /// One block object from a row read in place (``StoreReader/blocksNewestFirst(_:row:)``):
    /// the same bytes as ``write(_:into:)`` for the ``StoredBlock`` of that row.
    public static func write(_ row: BlockRowView, into json: inout JSONBytes) {
        json.appendRaw(#"{"author":"#)
        appendText(row.author, into: &json)
        json.appendRaw(#","author_aura_key":"#)
        appendText(row.authorAuraKey, into: &json)
        json.appendRaw(#","chain":"#)
        json.appendQuoted(utf8: row.chain)
        json.appendRaw(#","extrinsics_count":"#)
        json.append(row.extrinsicsCount)
        json.appendRaw(#","finalized":"#)
        json.append(row.finalized)
        json.appendRaw(#","hash":"#)
        json.appendQuotedHex(row.hash)
        json.appendRaw(#","mainchain_epoch":"#)
        json.append(row.mainchainEpoch)
        json.appendRaw(#","number":"#)
        json.append(row.number)
        json.appendRaw(#","parent_hash":"#)
        json.appendQuotedHex(row.parentHash)
        json.appendRaw(#","sidechain_epoch":"#)
        json.append(row.sidechainEpoch)
        json.appendRaw(#","slot":"#)
        json.append(row.slot)
        json.appendRaw(#","timestamp_ms":"#)
        json.append(row.timestampMs)
        json.endObject()
    }

    private static func appendText(_ text: UnsafeBufferPointer<UInt8>?, into json: inout JSONBytes) {
        if let text { json.appendQuoted(utf8: text) } else { json.appendNull() }
    }

    /// A page listed newest first, written while the rows are read (no ``StoredBlock`` per row);
    /// the same bytes as ``encode(_:)-(BlocksResponse)`` for the same page.
    public static func encodeNewestFirst(_ query: BlockQuery, from reader: StoreReader) throws -> [UInt8] {
        var json = JSONBytes(capacity: 64 + 480 * query.limit)
        json.appendRaw(#"{"blocks":["#)
        var first = true
        let cursors = try reader.blocksNewestFirst(query) { row in
            if !first { json.comma() }
            first = false
            write(row, into: &json)
        }
        json.appendRaw(#"],"next_before":"#)
        json.append(cursors.nextBefore)
        json.appendRaw(#","prev_after":"#)
        json.append(cursors.prevAfter)
        json.endObject()
        return json.bytes
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
