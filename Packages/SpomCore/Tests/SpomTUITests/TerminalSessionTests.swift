import Foundation
import SpomTUI
import SpomTheme
import Synchronization
import Testing

/// A pseudo-terminal whose output side is drained by a background thread, so the session under
/// test never blocks writing and the test can look at every byte ncurses sent.
final class PseudoTerminal: Sendable {
    let master: Int32
    let slave: Int32
    private let output = Mutex<[UInt8]>([])
    private let stopped = Atomic<Bool>(false)

    let pair: PseudoTerminalPair

    init(size: TerminalSize = TerminalSize(columns: 80, rows: 24)) throws {
        pair = try PseudoTerminalPair.open(size: size)
        master = pair.controller
        slave = pair.terminal
        let master = self.master
        // The reader holds the terminal weakly: a strong capture kept it alive for ever, so deinit
        // never closed the pair and every test left a thread blocked in read() and two open fds.
        Thread.detachNewThread { [weak self] in
            var chunk = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = chunk.withUnsafeMutableBytes { read(master, $0.baseAddress, $0.count) }
                guard count > 0, let self, !self.stopped.load(ordering: .relaxed) else { break }
                self.output.withLock { $0.append(contentsOf: chunk[0..<count]) }
            }
        }
    }

    /// Everything received so far, as text.
    var text: String { output.withLock { String(decoding: $0, as: UTF8.self) } }

    /// Forgets what was received.
    func reset() { output.withLock { $0.removeAll() } }

    /// Types bytes into the terminal.
    func type(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
    }

    /// Waits (bounded) until the received text satisfies `condition`.
    func waitFor(timeout: Duration = .seconds(5), _ condition: (String) -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if condition(text) { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return condition(text)
    }

    deinit {
        stopped.store(true, ordering: .relaxed)
        pair.close()
    }
}


@Suite("Terminal session on a pseudo-terminal", .serialized)
struct TerminalSessionTests {
    func options(_ pty: PseudoTerminal, depth: TerminalColorDepth? = .palette256) -> TerminalOptions {
        TerminalOptions(colorDepth: depth, restoresTerminalOnSignals: false, terminalType: "xterm-256color",
                        inputFileDescriptor: pty.slave, outputFileDescriptor: pty.slave, tmuxPassthrough: false)
    }

    @Test func drawsReadsKeysCopiesAndRestores() async throws {
        let pty = try PseudoTerminal()
        let session = try TerminalSession(theme: darkTheme, options: options(pty))
        #expect(session.isActive)
        #expect(session.size == TerminalSize(columns: 80, rows: 24))
        #expect(session.colorDepth == .palette256)
        // A second session cannot start while this one owns the terminal.
        #expect(throws: TerminalError.sessionAlreadyActive) {
            _ = try TerminalSession(theme: darkTheme, options: options(pty))
        }

        var grid = CellGrid(size: session.size)
        Panel("Blocks").render(into: &grid, area: Rect(width: 30, height: 4))
        grid.write("区块 #42", column: 2, row: 1, style: .role(.error))
        session.present(grid)
        let red = ColorApproximation.xterm256(darkTheme[.error])
        #expect(await pty.waitFor { $0.contains("区块 #42") && $0.contains("Blocks") && $0.contains("╭") })
        #expect(pty.text.contains("38;5;\(red)"))

        // Only changed cells are sent the second time.
        pty.reset()
        grid.write("#43", column: 5, row: 1, style: .role(.error))
        session.present(grid)
        #expect(await pty.waitFor { $0.contains("3") })
        #expect(!pty.text.contains("Blocks"))
        #expect(!pty.text.contains("区"))

        pty.type("j")
        #expect(session.readKey(timeoutMilliseconds: 2000) == .character("j"))
        pty.type("\u{1B}OA")
        #expect(session.readKey(timeoutMilliseconds: 2000) == .up)
        pty.type("\u{1B}[6~")
        #expect(session.readKey(timeoutMilliseconds: 2000) == .pageDown)
        pty.type("\u{1B}")
        #expect(session.readKey(timeoutMilliseconds: 2000) == .escape)
        pty.type("\u{03}")
        #expect(session.readKey(timeoutMilliseconds: 2000) == .controlC)  // raw mode: Ctrl-C is a key
        #expect(session.readKey(timeoutMilliseconds: 0) == nil)

        pty.reset()
        session.copyToClipboard("abc")
        #expect(await pty.waitFor { $0.contains("\u{1B}]52;c;YWJj\u{07}") })

        pty.reset()
        session.close()
        #expect(!session.isActive)
        #expect(await pty.waitFor { $0.contains("\u{1B}[?1049l") })  // left the alternate screen
        session.close()  // idempotent
        session.present(grid)  // ignored after close

        // The terminal is free again.
        let again = try TerminalSession(theme: lightTheme, options: options(pty))
        again.close()
    }

    @Test func presentSwappingHandsBackThePreviousFrameAndStillSendsOnlyChanges() async throws {
        let pty = try PseudoTerminal()
        let session = try TerminalSession(theme: darkTheme, options: options(pty))
        defer { session.close() }
        var grid = CellGrid(size: session.size)
        grid.write("first frame", column: 0, row: 0)
        session.present(swapping: &grid)
        #expect(await pty.waitFor { $0.contains("first frame") })
        // No frame before the first: a blank grid of the same size comes back.
        #expect(grid.size == session.size)
        #expect(grid.text(row: 0).trimmingCharacters(in: .whitespaces).isEmpty)

        grid.clear()
        grid.write("first frame", column: 0, row: 0)
        grid.write("second", column: 0, row: 1)
        pty.reset()
        session.present(swapping: &grid)
        #expect(await pty.waitFor { $0.contains("second") })
        #expect(!pty.text.contains("first frame"), "unchanged cells are not sent again")
        // The grid handed back is the frame before (the first one), to be redrawn in place.
        #expect(grid.text(row: 0).hasPrefix("first frame"))
        #expect(!grid.text(row: 1).hasPrefix("second"))

        grid.clear()
        grid.write("first frame", column: 0, row: 0)
        grid.write("third!", column: 0, row: 1)
        pty.reset()
        session.present(swapping: &grid)
        #expect(await pty.waitFor { $0.contains("hird!") })
        #expect(!pty.text.contains("first frame"))
    }

    @Test func clipboardInsideTmuxSendsThePlainSequenceAndThePassthrough() async throws {
        let pty = try PseudoTerminal()
        var tmux = options(pty)
        tmux.tmuxPassthrough = true
        let session = try TerminalSession(theme: darkTheme, options: tmux)
        defer { session.close() }
        pty.reset()
        session.copyToClipboard("abc")
        // tmux with `set-clipboard on` takes the plain sequence into its buffer; with
        // `allow-passthrough on` the wrapped one reaches the outer terminal.
        #expect(await pty.waitFor { $0.contains("\u{1B}Ptmux;\u{1B}\u{1B}]52;c;YWJj\u{07}\u{1B}\\") })
        #expect(pty.text.replacingOccurrences(of: "\u{1B}Ptmux;\u{1B}\u{1B}]52;c;YWJj\u{07}\u{1B}\\", with: "").contains("\u{1B}]52;c;YWJj\u{07}"))
    }

    @Test func runRestoresTheTerminalWhenTheBodyThrows() async throws {
        struct Boom: Error {}
        let pty = try PseudoTerminal()
        #expect(throws: Boom.self) {
            try TerminalSession.run(theme: darkTheme, options: options(pty)) { session in
                session.present(CellGrid(size: session.size))
                throw Boom()
            }
        }
        #expect(await pty.waitFor { $0.contains("\u{1B}[?1049l") })
        // And a new session can start afterwards.
        let session = try TerminalSession(theme: darkTheme, options: options(pty))
        session.close()
    }

    @Test func lightPalettePaintsEveryCellsBackground() async throws {
        let pty = try PseudoTerminal()
        let session = try TerminalSession(theme: lightTheme, options: options(pty))
        defer { session.close() }
        session.present(CellGrid(size: session.size))
        let background = ColorApproximation.xterm256(lightTheme[.background])
        #expect(await pty.waitFor { $0.contains("48;5;\(background)") })
        pty.reset()
        session.setTheme(darkTheme)
        session.present(CellGrid(size: session.size))
        #expect(await pty.waitFor { $0.contains("\u{1B}[39;49m") || $0.contains("\u{1B}[m") || $0.contains("\u{1B}[0m") })
        #expect(!pty.text.contains("48;5;\(background)"))
    }

    @Test func followsTheWindowSize() async throws {
        let pty = try PseudoTerminal(size: TerminalSize(columns: 100, rows: 30))
        let session = try TerminalSession(theme: darkTheme, options: options(pty))
        defer { session.close() }
        #expect(session.size == TerminalSize(columns: 100, rows: 30))
        #expect(!session.updateSize())
        pty.pair.setSize(TerminalSize(columns: 60, rows: 20))
        #expect(session.updateSize())
        #expect(session.size == TerminalSize(columns: 60, rows: 20))
        var grid = CellGrid(size: session.size)
        #expect(MinimumSize.classic.renderNoticeIfTooSmall(into: &grid))
        pty.reset()
        session.present(grid)
        #expect(await pty.waitFor { $0.contains("Terminal too small") })
    }

    @Test func refusesWhatIsNotATerminal() throws {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        defer { close(fds[0]); close(fds[1]) }
        #expect(throws: TerminalError.notATerminal(fileDescriptor: fds[0])) {
            _ = try TerminalSession(theme: darkTheme, options: TerminalOptions(inputFileDescriptor: fds[0], outputFileDescriptor: fds[1]))
        }
        let pty = try PseudoTerminal()
        #expect(throws: TerminalError.cannotInitialize(terminalType: "no-such-terminal-type")) {
            _ = try TerminalSession(theme: darkTheme, options: TerminalOptions(
                restoresTerminalOnSignals: false, terminalType: "no-such-terminal-type",
                inputFileDescriptor: pty.slave, outputFileDescriptor: pty.slave))
        }
        #expect(TerminalError.notATerminal(fileDescriptor: 0).description.contains("not a terminal"))
    }
}
