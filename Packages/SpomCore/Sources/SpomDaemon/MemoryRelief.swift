#if canImport(Glibc)
import Glibc
#endif

/// Hands memory that a long-running process no longer uses back to the kernel.
///
/// A daemon's working set after a burst (start-up, a catch-up, a bulk import) is far smaller than
/// during it, but two kinds of pages stay resident after the burst ends:
///
/// - glibc keeps the freed pages of every thread's arena mapped until something asks for them
///   back. ``returnFreePages()`` asks for them (`malloc_trim(0)`).
/// - Every page of code and read-only data that the burst ran through (argument parsing, config,
///   schema migration, the catch-up pipeline, and whole neighbourhoods of them: the kernel maps
///   file pages in chunks of 64 KiB and more) stays mapped. ``dropCleanFilePages()`` unmaps the
///   clean ones; they stay in the page cache, and those that the process still uses are mapped
///   again on their next use.
///
/// ``settle()`` does both; call it when a burst ends.
public enum MemoryRelief {
    /// What ``settle()`` gave back.
    public struct Report: Sendable, Equatable {
        /// Whether `malloc_trim` returned any page.
        public var returnedFreePages: Bool
        /// Resident bytes of the clean file mappings that were unmapped.
        public var droppedFileBytes: Int
    }

    /// Returns free heap pages and unmaps clean file-backed pages (see the type's overview).
    @discardableResult
    public static func settle() -> Report {
        let trimmed = returnFreePages()
        let dropped = dropCleanFilePages()
        return Report(returnedFreePages: trimmed, droppedFileBytes: dropped)
    }

    /// Returns the free pages of every malloc arena to the kernel; `true` when some were returned.
    /// A no-op returning `false` where the C library has no `malloc_trim`.
    @discardableResult
    public static func returnFreePages() -> Bool {
        guard let trim = mallocTrim else { return false }
        return trim(0) != 0
    }

    /// Unmaps the resident pages of this process's clean file mappings: read-only mappings of a file
    /// (code, constants) that hold no page of their own. Returns their resident size in bytes
    /// before the call; 0 where `/proc/self/smaps` cannot be read.
    ///
    /// Safe for the running process: such a page is identical to the file's page in the page
    /// cache, so the next access maps it again (a minor fault while the page stays cached). A
    /// mapping with any private (copy-on-write) page, resident or swapped out, such as relocated
    /// read-only data, or any writable mapping, is left alone: dropping it would lose what was
    /// written.
    ///
    /// Only files that are mapped executable somewhere (the executable and the shared libraries
    /// the loader mapped) are considered. Those stay mapped for the life of the process, whereas a
    /// data file mapped for a moment (`Data(contentsOf:options: .alwaysMapped)`) could be unmapped
    /// by another thread, and its addresses reused for heap, between reading `smaps` and the
    /// `madvise`.
    ///
    /// What comes back is what the process runs afterwards, in the kernel's units: a fault on code
    /// maps the surrounding 64 KiB (fault-around), and executable files are read ahead whatever the
    /// advice, so also marking the mappings for random access and evicting the files' cached pages
    /// was measured to gain nothing (Linux 6.18).
    @discardableResult
    public static func dropCleanFilePages() -> Int {
        #if os(Linux)
        guard let text = readProcFile("/proc/self/smaps") else { return 0 }
        let mappings = MappedRegion.parse(smaps: text)
        let loadedObjects = Set(mappings.filter { $0.path.hasPrefix("/") && $0.permissions.contains("x") }.map(\.path))
        var dropped = 0
        for mapping in mappings
        where mapping.isCleanFileMapping && mapping.residentBytes > 0 && loadedObjects.contains(mapping.path) {
            guard let start = UnsafeMutableRawPointer(bitPattern: mapping.start) else { continue }
            if madvise(start, Int(mapping.end - mapping.start), MADV_DONTNEED) == 0 {
                dropped += mapping.residentBytes
            }
        }
        return dropped
        #else
        return 0
        #endif
    }

    /// glibc's `malloc_trim`, looked up at run time: `malloc.h` is not part of Swift's Glibc module,
    /// and other C libraries (musl) do not have it.
    private static let mallocTrim: (@convention(c) (Int) -> Int32)? = {
        #if canImport(Glibc)
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)
        #else
        return nil
        #endif
    }()

    /// Reads a whole `/proc` file (their size is not known in advance, so `stat` cannot tell it).
    static func readProcFile(_ path: String) -> String? {
        #if canImport(Glibc)
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
        }
        return String(decoding: bytes, as: UTF8.self)
        #else
        return nil
        #endif
    }
}

/// One mapping of a process's address space, as `/proc/<pid>/smaps` describes it.
public struct MappedRegion: Sendable, Equatable {
    /// First address.
    public var start: UInt
    /// One past the last address.
    public var end: UInt
    /// `r`, `w`, `x` and `p` (private) or `s` (shared), as in `r-xp`.
    public var permissions: String
    /// The mapped file, or a pseudo-name such as `[heap]`, or empty for anonymous memory.
    public var path: String
    /// Resident bytes (`Rss`).
    public var residentBytes: Int
    /// Bytes of private pages not backed by the file (`Anonymous`): copy-on-write copies.
    public var anonymousBytes: Int
    /// Bytes of this mapping's private pages that are swapped out (`Swap`).
    public var swappedBytes: Int

    /// A mapping with the given fields (`-1` for a field `smaps` did not give).
    public init(start: UInt, end: UInt, permissions: String, path: String, residentBytes: Int, anonymousBytes: Int,
                swappedBytes: Int) {
        self.start = start
        self.end = end
        self.permissions = permissions
        self.path = path
        self.residentBytes = residentBytes
        self.anonymousBytes = anonymousBytes
        self.swappedBytes = swappedBytes
    }

    /// A read-only mapping of a file with no private page, resident or swapped out: every page
    /// equals the file's.
    public var isCleanFileMapping: Bool {
        path.hasPrefix("/") && !permissions.contains("w") && anonymousBytes == 0 && swappedBytes == 0
    }

    /// Parses the text of `/proc/<pid>/smaps`. A mapping whose header or fields cannot be read is
    /// skipped; a missing `Anonymous` or `Swap` field counts as unknown, so the mapping is never
    /// clean.
    public static func parse(smaps text: String) -> [MappedRegion] {
        var regions: [MappedRegion] = []
        var current: MappedRegion?
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            if let header = header(line) {
                if let done = current { regions.append(done) }
                current = header
                continue
            }
            guard current != nil, let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon]
            guard key == "Rss" || key == "Anonymous" || key == "Swap" else { continue }
            let fields = line[line.index(after: colon)...].split(separator: " ", omittingEmptySubsequences: true)
            guard let value = fields.first.flatMap({ Int($0) }) else { continue }
            let bytes = fields.count > 1 && fields[1] == "kB" ? value * 1024 : value
            switch key {
            case "Rss": current?.residentBytes = bytes
            case "Anonymous": current?.anonymousBytes = bytes
            default: current?.swappedBytes = bytes
            }
        }
        if let done = current { regions.append(done) }
        return regions
    }

    /// `start-end perms offset dev inode [path]`, or nil for a field line (`Rss:   12 kB`).
    private static func header(_ line: Substring) -> MappedRegion? {
        // Field names start with a capital letter, addresses with a lowercase hex digit: most lines
        // are fields, so tell them apart before splitting.
        guard let first = line.utf8.first, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first)
            || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(first)
        else { return nil }
        let parts = line.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true)
        guard parts.count >= 5, let dash = parts[0].firstIndex(of: "-"),
            let start = UInt(parts[0][..<dash], radix: 16),
            let end = UInt(parts[0][parts[0].index(after: dash)...], radix: 16), end >= start,
            parts[1].count == 4
        else { return nil }
        let path = parts.count > 5 ? String(parts[5].drop { $0 == " " }) : ""
        // Anonymous and Swap are unknown until their fields are read: start them at "not clean".
        return MappedRegion(start: start, end: end, permissions: String(parts[1]), path: path,
                            residentBytes: 0, anonymousBytes: -1, swappedBytes: -1)
    }
}
