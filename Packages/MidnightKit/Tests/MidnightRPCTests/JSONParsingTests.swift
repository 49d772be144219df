import Foundation
import MidnightChain
import MidnightRPC
import Testing

/// The one-pass JSON parser behind every node answer, and blocks read straight from a value.
@Suite struct JSONParsingTests {
    @Test func parsesWhatJSONDecoderParses() throws {
        let text = #" { "a" : [ -0.5e2, 0, -9223372036854775808, 9223372036854775808, 1E3 ], "s" : "tab\there \"q\" \u00e9 \ud83d\ude00 \/", "o": {}, "e": [] } "#
        let value = try JSONValue.parse(Data(text.utf8))
        #expect(value["a"] == [.double(-50), .int(0), .int(.min), .uint(9_223_372_036_854_775_808), .double(1000)])
        #expect(value["s"]?.stringValue == "tab\there \"q\" é 😀 /")
        #expect(value["o"] == .object([:]))
        #expect(value["e"] == .array([]))
        let foundation = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
        #expect(foundation?["s"] as? String == value["s"]?.stringValue)
    }

    @Test(arguments: [
        "", "{", "[1,]", "{\"a\" 1}", "{\"a\":1,}", "01", "1.", "-", "tru", "\"abc", "\"a\\x\"", "[1] 2", "{\"a\":\"\u{01}\"}",
        String(repeating: "[", count: 100_000),
    ])
    func rejectsMalformedText(_ text: String) {
        #expect(throws: (any Error).self, "\(text.prefix(20))") { try JSONValue.parse(Data(text.utf8)) }
    }

    @Test func blocksAndHeadersAreReadStraightFromTheValueWithTheCodablePaths() throws {
        let hash = "0x" + String(repeating: "11", count: 32)
        let text = #"{"block":{"header":{"parentHash":"\#(hash)","number":"0x2a","stateRoot":"\#(hash)","extrinsicsRoot":"\#(hash)","digest":{"logs":["0x066175726120778c911100000000"]}},"extrinsics":["\#(TimestampInherent.encode(milliseconds: 6000))"]},"justifications":[["0x46524e4b","0x"]]}"#
        let value = try JSONValue.parse(Data(text.utf8))
        let block = try value.decode(as: SignedBlock.self)
        #expect(block == (try JSONDecoder().decode(SignedBlock.self, from: Data(text.utf8))))
        #expect(block.hasJustifications && block.block.header.number == 42 && block.block.timestampMs == 6000)
        #expect(try value["block"]?["header"]?.decode(as: BlockHeader.self) == block.block.header)

        let broken: JSONValue = ["block": ["header": ["parentHash": "0x", "stateRoot": "0x", "extrinsicsRoot": "0x", "number": true], "extrinsics": []]]
        do {
            _ = try broken.decode(as: SignedBlock.self)
            Issue.record("a boolean block number decoded")
        } catch let error as DecodingError {
            guard case .dataCorrupted(let context) = error else { Issue.record("\(error)"); return }
            #expect(context.codingPath.map(\.stringValue) == ["block", "header", "number"])
        }
        let missing: JSONValue = ["block": ["header": ["parentHash": "0x", "stateRoot": "0x", "extrinsicsRoot": "0x", "number": 1]]]
        #expect(throws: DecodingError.self) { try missing.decode(as: SignedBlock.self) }
    }
}
