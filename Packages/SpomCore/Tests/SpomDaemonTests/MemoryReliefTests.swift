import Foundation
import SpomDaemon
import Testing

/// Serialized: `settle()` trims the heap and unmaps pages that the other tests measure.
@Suite(.serialized) struct MemoryReliefTests {
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

    private static let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))

    /// A temporary file of `size` bytes whose byte `i` is `UInt8(truncatingIfNeeded: i / 7)`.
    private func patternFile(size: Int) throws -> (path: String, fd: Int32) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("relief-\(UUID().uuidString)").path
        let bytes = (0..<size).map { UInt8(truncatingIfNeeded: $0 / 7) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let fd = open(path, O_RDONLY)
        try #require(fd >= 0)
        return (path, fd)
    }

    /// This process's mapping that starts at `address`, read from `/proc/self/smaps`.
    private func region(at address: UnsafeMutableRawPointer) throws -> MappedRegion {
        // /proc files report a size of 0: read to the end rather than trust it.
        let handle = try #require(FileHandle(forReadingAtPath: "/proc/self/smaps"))
        defer { try? handle.close() }
        let text = String(decoding: try #require(try handle.readToEnd()), as: UTF8.self)
        return try #require(MappedRegion.parse(smaps: text).first { $0.start == UInt(bitPattern: address) })
    }

    private func sum(_ pointer: UnsafeMutableRawPointer, _ size: Int) -> Int {
        var total = 0
        for i in stride(from: 0, to: size, by: 97) { total &+= Int(pointer.load(fromByteOffset: i, as: UInt8.self)) }
        return total
    }

    @Test func parsesHeadersAndFieldsOfSmaps() {
        let text = """
            55d0c0a00000-55d0c0b00000 r-xp 00001000 08:01 1234   /usr/bin/mvm-sync
            Size:               1024 kB
            Rss:                 512 kB
            Anonymous:             0 kB
            Swap:                  0 kB
            VmFlags: rd ex mr mw me
            55d0c0c00000-55d0c0c10000 r--p 00101000 08:01 1234   /usr/bin/mvm-sync
            Rss:                  64 kB
            Anonymous:            16 kB
            Swap:                  0 kB
            55d0c0c10000-55d0c0c20000 rw-p 00111000 08:01 1234   /usr/bin/mvm-sync
            Rss:                  64 kB
            Anonymous:            64 kB
            Swap:                  0 kB
            7ffd1000-7ffd3000 rw-p 00000000 00:00 0                [stack]
            Rss:                   8 kB
            Anonymous:             8 kB
            Swap:                  0 kB
            7f0000000000-7f0000001000 r--p 00000000 08:01 99   /opt/lib/with space.so
            Rss:                   4 kB
            7f0000010000-7f0000020000 r--p 00010000 08:01 99   /opt/lib/relocated.so
            Rss:                   0 kB
            Anonymous:             0 kB
            Swap:                 12 kB
            """
        let regions = MappedRegion.parse(smaps: text)
        #expect(regions.count == 6)
        #expect(regions[0] == MappedRegion(start: 0x55d0c0a00000, end: 0x55d0c0b00000, permissions: "r-xp",
                                           path: "/usr/bin/mvm-sync", residentBytes: 512 * 1024, anonymousBytes: 0,
                                           swappedBytes: 0))
        #expect(regions.map(\.isCleanFileMapping) == [true, false, false, false, false, false])
        #expect(regions[3].path == "[stack]")
        #expect(regions[4].path == "/opt/lib/with space.so")
        // No Anonymous field: whether it holds private pages is unknown, so it is never dropped.
        #expect(regions[4].anonymousBytes == -1)
        // Relocated pages swapped out are private too: dropping them would bring back the file's bytes.
        #expect(regions[5].swappedBytes == 12 * 1024)
    }

    @Test func cleanFilePagesAreUnmappedAndReadAgainIntact() throws {
        let size = 4 * 1024 * 1024
        let (path, fd) = try patternFile(size: size)
        defer { close(fd); unlink(path) }
        // Mapped executable, as the loader maps code: only such files are dropped.
        let mapped = try #require(mmap(nil, size, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0))
        try #require(mapped != MAP_FAILED)
        defer { munmap(mapped, size) }
        let expected = sum(mapped, size)
        for offset in stride(from: 0, to: size, by: Self.pageSize) { _ = mapped.load(fromByteOffset: offset, as: UInt8.self) }
        let before = try region(at: mapped)
        #expect(before.isCleanFileMapping)
        #expect(before.residentBytes == size, "every page was read")

        let dropped = MemoryRelief.dropCleanFilePages()
        #expect(dropped >= size)
        #expect(try region(at: mapped).residentBytes == 0)
        #expect(sum(mapped, size) == expected, "the pages come back with the file's contents")
    }

    /// A data file mapped read-only (not code) may be unmapped by its owner at any moment, so it is
    /// left alone even though its pages are clean.
    @Test func dataFilesThatAreNotCodeAreLeftAlone() throws {
        let size = 256 * 1024
        let (path, fd) = try patternFile(size: size)
        defer { close(fd); unlink(path) }
        let mapped = try #require(mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0))
        try #require(mapped != MAP_FAILED)
        defer { munmap(mapped, size) }
        for offset in stride(from: 0, to: size, by: Self.pageSize) { _ = mapped.load(fromByteOffset: offset, as: UInt8.self) }
        #expect(try region(at: mapped).isCleanFileMapping)

        MemoryRelief.dropCleanFilePages()
        #expect(try region(at: mapped).residentBytes == size)
    }

    /// A private page written before the mapping was made read-only (as the dynamic loader does to
    /// relocated data) exists only in this process: dropping it would bring back the file's bytes.
    @Test func mappingsWithPrivatePagesAreLeftAlone() throws {
        let size = 256 * 1024
        let (path, fd) = try patternFile(size: size)
        defer { close(fd); unlink(path) }
        // The file's first page also mapped executable, so the file counts as a loaded object.
        let code = try #require(mmap(nil, Self.pageSize, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0))
        try #require(code != MAP_FAILED)
        defer { munmap(code, Self.pageSize) }
        let mapped = try #require(mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0))
        try #require(mapped != MAP_FAILED)
        defer { munmap(mapped, size) }
        for offset in stride(from: 0, to: size, by: Self.pageSize) { mapped.storeBytes(of: 0xEE, toByteOffset: offset, as: UInt8.self) }
        try #require(mprotect(mapped, size, PROT_READ) == 0)
        let before = try region(at: mapped)
        #expect(before.permissions == "r--p")
        #expect(before.anonymousBytes == size)
        #expect(!before.isCleanFileMapping)

        MemoryRelief.dropCleanFilePages()
        for offset in stride(from: 0, to: size, by: Self.pageSize) {
            #expect(mapped.load(fromByteOffset: offset, as: UInt8.self) == 0xEE, "written page at \(offset) kept")
        }
        #expect(try region(at: mapped).residentBytes == size)
    }

    @Test func settleReportsWhatItDropped() {
        // This test process has run code from its executable and libraries, so there is always some.
        let report = MemoryRelief.settle()
        #expect(report.droppedFileBytes > 0)
    }
}
