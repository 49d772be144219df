import Foundation
import SpomDaemon
import Testing

@Suite struct MemoryReliefTests {
    /// Anonymous resident memory of this process, from `/proc/self/status`.
    private func residentAnonymousBytes() throws -> Int {
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("RssAnon:") })
        let kilobytes = try #require(Int(line.split(separator: " ", omittingEmptySubsequences: true)[1]))
        return kilobytes * 1024
    }

    /// 48 MiB of small blocks are freed below one block that stays allocated, so glibc cannot give
    /// them back on its own (they are not at the top of the arena): they stay resident until
    /// `returnFreePages()` releases them.
    @Test func freedMemoryBelowALiveBlockIsReturnedToTheKernel() throws {
        let blockSize = 512
        let count = 48 * 1024 * 1024 / blockSize
        let baseline = try residentAnonymousBytes()
        var blocks: [UnsafeMutableRawPointer] = []
        blocks.reserveCapacity(count)
        for _ in 0..<count {
            let block = try #require(malloc(blockSize))
            memset(block, 0xa5, blockSize)
            blocks.append(block)
        }
        let pin = try #require(malloc(blockSize))
        defer { free(pin) }
        for block in blocks { free(block) }
        blocks = []
        let afterFree = try residentAnonymousBytes()
        #expect(afterFree - baseline > 32 * 1024 * 1024, "glibc kept the freed blocks resident")

        #expect(MemoryRelief.returnFreePages())
        let afterTrim = try residentAnonymousBytes()
        #expect(afterFree - afterTrim > 32 * 1024 * 1024, "freed pages were returned")
    }
}
