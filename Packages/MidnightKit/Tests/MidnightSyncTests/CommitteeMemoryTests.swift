import MidnightChain
@testable import MidnightSync
import Testing

@Suite struct CommitteeMemoryTests {
    private func address(_ key: String) -> UInt? {
        key.utf8.withContiguousStorageIfAvailable { UInt(bitPattern: $0.baseAddress) }
    }

    /// A decoded committee gives every seat its own copy of its key; the engine keeps one string
    /// per key, so 1200 seats naming 12 keys hold 12 buffers, not 1200.
    @Test func seatsOfTheSameKeyShareOneString() throws {
        let keys = (0..<12).map { "0x" + String(repeating: Hex.encode([UInt8($0)], prefix: false), count: 32) }
        // Build each seat's string separately, as decoding does.
        let seats = (0..<1200).map { seat in String(decoding: Array(keys[seat % keys.count].utf8), as: UTF8.self) }
        #expect(Set(seats.compactMap(address)).count == 1200)

        let shared = EpochCommittees.sharingKeys(Committee(authorities: seats))
        #expect(shared.authorities == seats)
        #expect(Set(shared.authorities.compactMap(address)).count == keys.count)
    }
}
