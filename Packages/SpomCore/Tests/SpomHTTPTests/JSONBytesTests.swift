import Foundation
import SpomHTTP
import Testing

/// `JSONBytes` must write exactly what `JSONOutput.encode` (Foundation's JSONEncoder) writes.
@Suite("JSONBytes")
struct JSONBytesTests {
    private func encoded<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try JSONOutput.encode(value), as: UTF8.self)
    }

    private func written(_ body: (inout JSONBytes) -> Void) -> String {
        var json = JSONBytes(capacity: 4)
        body(&json)
        return String(decoding: json.bytes, as: UTF8.self)
    }

    /// Every control character, quotes, backslashes, slashes, DEL, non-ASCII (2-, 3- and 4-byte
    /// UTF-8, U+2028) and an empty string.
    static let trickyStrings: [String] = [
        "", "plain", "a\"b", "back\\slash", "/path/with/slashes", "tab\there", "line\nbreak\r\n",
        "\u{08}\u{0c}", "\u{7f}del", "caf\u{e9} \u{20ac} \u{1F600}", "\u{2028}\u{2029}",
        String(decoding: (0..<0x20).map { UInt8($0) }, as: UTF8.self), "end\\", "\"", "\u{0}",
    ]

    @Test(arguments: trickyStrings)
    func stringsAreEscapedLikeJSONEncoder(_ text: String) throws {
        #expect(written { $0.append(text) } == (try encoded(text)), "string \(text.debugDescription)")
    }

    @Test func integersAtTheEdges() throws {
        for value: UInt64 in [0, 1, 9, 10, 99, 100, 1_234_567_890, UInt64(Int64.max), UInt64.max - 1, UInt64.max] {
            #expect(written { $0.append(value) } == (try encoded(value)))
        }
        for value: Int in [0, -1, 7, -10, Int.max, Int.min, Int.min + 1] {
            #expect(written { $0.append(value) } == (try encoded(value)))
        }
    }

    @Test func nullsBooleansAndOptionals() throws {
        #expect(written { $0.appendNull() } == "null")
        #expect(written { $0.append(true) } == (try encoded(true)))
        #expect(written { $0.append(false) } == (try encoded(false)))
        #expect(written { $0.append(nil as String?) } == "null")
        #expect(written { $0.append(nil as UInt64?) } == "null")
        #expect(written { $0.append(nil as Int?) } == "null")
        #expect(written { $0.append("x" as String?) } == #""x""#)
        #expect(written { $0.append(5 as UInt64?) } == "5")
    }

    struct Sample: Encodable {
        var alpha: String
        var beta: [UInt64]
        var gamma: Bool
    }

    @Test func objectsAndArraysMatchTheEncoder() throws {
        let sample = Sample(alpha: "q\"/", beta: [3, 0, 18_446_744_073_709_551_615], gamma: false)
        let text = written { json in
            json.beginObject()
            json.key("alpha", first: true)
            json.append(sample.alpha)
            json.key("beta")
            json.beginArray()
            for (index, value) in sample.beta.enumerated() {
                if index > 0 { json.comma() }
                json.append(value)
            }
            json.endArray()
            json.key("gamma")
            json.append(sample.gamma)
            json.endObject()
        }
        #expect(text == (try encoded(sample)))
    }

    @Test func hexStringsMatchTheEncodedHexText() throws {
        for bytes: [UInt8] in [[], [0], [0x0f, 0xf0, 0xab], Array(0...255)] {
            let hex = "0x" + bytes.map { String(format: "%02x", $0) }.joined()
            #expect(written { json in bytes.withUnsafeBytes { json.appendQuotedHex($0) } } == (try encoded(hex)))
        }
    }

    @Test func rawFragmentsAreCopiedAsTheyAre() {
        #expect(written { $0.appendRaw(Array(#"{"a":1}"#.utf8)) } == #"{"a":1}"#)
    }
}
