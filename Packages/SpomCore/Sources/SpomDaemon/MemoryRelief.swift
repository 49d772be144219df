#if canImport(Glibc)
import Glibc
#endif

/// Hands memory that a long-running process no longer uses back to the kernel.
///
/// A daemon's working set after a burst (a catch-up, a bulk import) is far smaller than during it.
/// glibc keeps the freed pages of every thread's arena mapped until something asks for them back,
/// so an idle daemon keeps the burst's peak as resident memory. ``returnFreePages()`` asks glibc to
/// give back every whole free page of every arena (`malloc_trim(0)`); call it when a burst ends.
public enum MemoryRelief {
    /// Returns the free pages of every malloc arena to the kernel; `true` when some were returned.
    /// A no-op returning `false` where the C library has no `malloc_trim`.
    @discardableResult
    public static func returnFreePages() -> Bool {
        guard let trim = mallocTrim else { return false }
        return trim(0) != 0
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
}
