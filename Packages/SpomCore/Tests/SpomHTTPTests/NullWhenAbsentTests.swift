import Foundation
import SpomHTTP
import Testing

@Suite("NullWhenAbsent")
struct NullWhenAbsentTests {
    struct Page: Encodable {
        var items: [Int]
        @NullWhenAbsent var nextBefore: UInt64?
        var comment: String?
    }

    @Test func nilIsWrittenAsNullAndValuesAsThemselves() throws {
        let empty = String(decoding: try JSONOutput.encode(Page(items: [], nextBefore: nil, comment: nil)), as: UTF8.self)
        #expect(empty == #"{"items":[],"next_before":null}"#, "a plain optional is left out, a wrapped one is null")
        let full = String(decoding: try JSONOutput.encode(Page(items: [1], nextBefore: 7, comment: "x")), as: UTF8.self)
        #expect(full == #"{"comment":"x","items":[1],"next_before":7}"#)
    }
}
