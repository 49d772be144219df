import Foundation
import SpomLog
import Testing

@Suite("UTC timestamps")
struct UTCTimestampTests {
    @Test("known instants, leap days and millisecond padding")
    func knownInstants() {
        #expect(UTCTimestamp.rfc3339(milliseconds: Int64(0)) == "1970-01-01T00:00:00.000Z")
        #expect(UTCTimestamp.rfc3339(milliseconds: Int64(951_782_400_007)) == "2000-02-29T00:00:00.007Z")
        #expect(UTCTimestamp.rfc3339(milliseconds: Int64(1_767_323_045_678)) == "2026-01-02T03:04:05.678Z")
        #expect(UTCTimestamp.rfc3339(milliseconds: Int64(-1)) == "1969-12-31T23:59:59.999Z")
        #expect(UTCTimestamp.rfc3339(milliseconds: UInt64(4_102_444_799_999)) == "2099-12-31T23:59:59.999Z")
    }

    @Test("agrees with Foundation's ISO 8601 formatter across four centuries")
    func agreesWithFoundation() {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<2_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            // 1900 ... 2300, whole milliseconds.
            let ms = Int64(state % 12_623_040_000_000) - 2_208_988_800_000
            let expected = formatter.string(from: Date(timeIntervalSince1970: Double(ms) / 1000))
            #expect(UTCTimestamp.rfc3339(milliseconds: ms) == expected, "at \(ms) ms")
        }
    }
}
