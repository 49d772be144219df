#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import CNcursesw
import SpomTheme

/// A pseudo-terminal pair, for driving a ``TerminalSession`` without a real terminal (tests,
/// headless rendering checks). The session uses ``terminal``; whatever it draws can be read
/// from ``controller``, and keys typed there arrive as input.
public struct PseudoTerminalPair: Sendable {
    /// The controlling side (read the output, write keys).
    public let controller: Int32
    /// The terminal side (give it to ``TerminalOptions``).
    public let terminal: Int32

    /// Opens a pair sized `size`.
    public static func open(size: TerminalSize) throws(PseudoTerminalError) -> PseudoTerminalPair {
        var controller: Int32 = -1, terminal: Int32 = -1
        let code = cnc_open_pty(&controller, &terminal, Int32(size.rows), Int32(size.columns))
        guard code == 0 else { throw PseudoTerminalError(errno: code) }
        return PseudoTerminalPair(controller: controller, terminal: terminal)
    }

    /// Changes the window size (what the next ``TerminalSession/updateSize()`` sees).
    public func setSize(_ size: TerminalSize) {
        _ = cnc_set_winsize(terminal, Int32(size.rows), Int32(size.columns))
    }

    /// Closes both sides.
    public func close() {
        _ = closeDescriptor(terminal)
        _ = closeDescriptor(controller)
    }
}

/// A pseudo-terminal could not be opened.
public struct PseudoTerminalError: Error, Sendable, CustomStringConvertible {
    /// The errno value.
    public let errno: Int32
    /// `"cannot open a pseudo-terminal: <strerror>"`.
    public var description: String {
        "cannot open a pseudo-terminal: \(String(cString: strerror(errno))) (errno \(errno))"
    }
}

/// Reads the window size of a terminal file descriptor, nil when it is not a terminal.
func windowSize(of fileDescriptor: Int32) -> TerminalSize? {
    var rows: Int32 = 0, columns: Int32 = 0
    guard cnc_get_winsize(fileDescriptor, &rows, &columns) == 0, rows > 0, columns > 0 else { return nil }
    return TerminalSize(columns: Int(columns), rows: Int(rows))
}

private func closeDescriptor(_ fd: Int32) -> Int32 { close(fd) }
