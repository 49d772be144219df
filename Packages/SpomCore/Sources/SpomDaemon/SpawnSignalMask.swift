#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The signal mask a child process starts with.
///
/// `posix_spawn` (and Foundation's `Process`, which uses it) hands the child the calling thread's
/// signal mask. Swift concurrency and Dispatch threads block nearly every signal, so a child started
/// from async code would never see `SIGCHLD`, `SIGTERM` or `SIGHUP`: a tmux server never reaps its
/// panes or exits, a shell script's traps never run. Spawning inside ``withEmptyMask(_:)`` gives the
/// child the empty mask a shell would.
public enum SpawnSignalMask {
    /// Runs `body` (which spawns a child) with this thread's signal mask emptied, then restores it.
    public static func withEmptyMask<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        var empty = sigset_t()
        sigemptyset(&empty)
        var previous = sigset_t()
        pthread_sigmask(SIG_SETMASK, &empty, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        return try body()
    }
}
