#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import CNcursesw
import SpomTheme
import Synchronization

/// True while a ``TerminalSession`` holds the terminal in curses mode. The signal handlers and
/// the at-exit hook read it to decide whether `endwin()` is needed.
let terminalIsActive = Atomic<Bool>(false)
private let atExitInstalled = Atomic<Bool>(false)

/// Signals after which the terminal is restored before the signal takes its course.
let restoringSignals: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGABRT, SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP]

/// The handlers that were installed before ours, indexed by signal number. Written only by
/// `installRestoringSignalHandlers` (before our handlers are live) and read by the handler;
/// a signal handler cannot take a lock, hence `nonisolated(unsafe)`.
nonisolated(unsafe) private let previousActions: UnsafeMutablePointer<sigaction> = {
    let buffer = UnsafeMutablePointer<sigaction>.allocate(capacity: 65)
    buffer.initialize(repeating: sigaction(), count: 65)
    return buffer
}()
nonisolated(unsafe) private let installedSignals: UnsafeMutablePointer<Bool> = {
    let buffer = UnsafeMutablePointer<Bool>.allocate(capacity: 65)
    buffer.initialize(repeating: false, count: 65)
    return buffer
}()

/// Restores the terminal if a session is active. Safe to call more than once.
func restoreTerminalIfActive() {
    if terminalIsActive.exchange(false, ordering: .sequentiallyConsistent) {
        endwin()
    }
}

private func restoringSignalHandler(_ signal: Int32) {
    restoreTerminalIfActive()
    // Put back whatever handled the signal before us (the default action, the Swift backtracer,
    // an application's own handler) and deliver the signal to it.
    if signal >= 0, signal < 65, installedSignals[Int(signal)] {
        var previous = previousActions[Int(signal)]
        sigaction(signal, &previous, nil)
        installedSignals[Int(signal)] = false
    }
    raise(signal)
}

/// Installs handlers that call `endwin()` and then re-raise the signal to the previous handler.
/// Signals that were ignored (`SIG_IGN`, e.g. SIGHUP under nohup) stay ignored.
func installRestoringSignalHandlers() {
    for signal in restoringSignals where signal < 65 && !installedSignals[Int(signal)] {
        var old = sigaction()
        sigaction(signal, nil, &old)
        if isIgnored(old) { continue }
        previousActions[Int(signal)] = old
        var action = sigaction()
        #if canImport(Darwin)
        action.__sigaction_u.__sa_handler = restoringSignalHandler
        #else
        action.__sigaction_handler.sa_handler = restoringSignalHandler
        #endif
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        installedSignals[Int(signal)] = true
        sigaction(signal, &action, nil)
    }
    if !atExitInstalled.exchange(true, ordering: .sequentiallyConsistent) {
        atexit { restoreTerminalIfActive() }
    }
}

/// Puts back the handlers that were there before ours.
func removeRestoringSignalHandlers() {
    for signal in restoringSignals where signal < 65 && installedSignals[Int(signal)] {
        var previous = previousActions[Int(signal)]
        installedSignals[Int(signal)] = false
        sigaction(signal, &previous, nil)
    }
}

private func isIgnored(_ action: sigaction) -> Bool {
    #if canImport(Darwin)
    let handler = unsafeBitCast(action.__sigaction_u.__sa_handler, to: Int.self)
    #else
    let handler = unsafeBitCast(action.__sigaction_handler.sa_handler, to: Int.self)
    #endif
    return handler == 1  // SIG_IGN
}
