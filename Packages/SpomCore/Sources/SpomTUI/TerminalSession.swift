#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import CNcursesw
import SpomTheme

/// Why a terminal session could not start.
public enum TerminalError: Error, Sendable, CustomStringConvertible, Equatable {
    /// Another session is already active in this process (ncurses has one screen).
    case sessionAlreadyActive
    /// The input or output file descriptor is not a terminal.
    case notATerminal(fileDescriptor: Int32)
    /// ncurses could not set up the terminal type (unknown `TERM`, missing terminfo).
    case cannotInitialize(terminalType: String)
    /// A file descriptor could not be opened as a stream.
    case cannotOpenStream(fileDescriptor: Int32, errno: Int32)

    /// A message naming what is wrong and what to do.
    public var description: String {
        switch self {
        case .sessionAlreadyActive:
            return "a terminal session is already active in this process"
        case .notATerminal(let fd):
            return "file descriptor \(fd) is not a terminal; run the dashboard in an interactive terminal (not through a pipe or redirect)"
        case .cannotInitialize(let type):
            return "cannot initialise the terminal of type '\(type)' (is TERM set and its terminfo entry installed?)"
        case .cannotOpenStream(let fd, let code):
            return "cannot open file descriptor \(fd) as a stream (errno \(code))"
        }
    }
}

/// How a ``TerminalSession`` sets up the terminal.
public struct TerminalOptions: Sendable {
    /// Colour depth to use at most; nil detects it (COLORTERM, NO_COLOR, what terminfo reports).
    public var colorDepth: TerminalColorDepth?
    /// When true (the default) the terminal is in raw mode and Ctrl-C arrives as
    /// ``Key/controlC`` so the application can shut down cleanly; when false (cbreak mode)
    /// Ctrl-C raises SIGINT.
    public var controlCAsKey: Bool
    /// How long ncurses waits after Esc for the rest of an escape sequence (ms).
    public var escapeDelayMilliseconds: Int32
    /// Install handlers that restore the terminal on SIGINT/SIGTERM/SIGHUP/SIGQUIT and on
    /// crashes (SIGSEGV, SIGABRT, SIGILL, SIGTRAP, ...) before the signal takes its course.
    public var restoresTerminalOnSignals: Bool
    /// Terminal type; nil uses `TERM`.
    public var terminalType: String?
    /// Input file descriptor (default: standard input).
    public var inputFileDescriptor: Int32
    /// Output file descriptor (default: standard output).
    public var outputFileDescriptor: Int32
    /// Inside tmux: also send OSC 52 wrapped for tmux passthrough (besides the plain sequence tmux takes itself); nil decides from `TMUX`.
    public var tmuxPassthrough: Bool?
    /// Which themes paint their own background (default: light themes).
    public var background: BackgroundPolicy

    /// Creates options; the defaults suit a full-screen dashboard on the controlling terminal.
    public init(colorDepth: TerminalColorDepth? = nil, controlCAsKey: Bool = true, escapeDelayMilliseconds: Int32 = 25,
                restoresTerminalOnSignals: Bool = true, terminalType: String? = nil,
                inputFileDescriptor: Int32 = 0, outputFileDescriptor: Int32 = 1, tmuxPassthrough: Bool? = nil,
                background: BackgroundPolicy = .lightThemes) {
        self.colorDepth = colorDepth
        self.controlCAsKey = controlCAsKey
        self.escapeDelayMilliseconds = escapeDelayMilliseconds
        self.restoresTerminalOnSignals = restoresTerminalOnSignals
        self.terminalType = terminalType
        self.inputFileDescriptor = inputFileDescriptor
        self.outputFileDescriptor = outputFileDescriptor
        self.tmuxPassthrough = tmuxPassthrough
        self.background = background
    }
}

/// The ncursesw backend: owns the terminal while it is alive and flushes ``CellGrid``s to it.
///
/// The terminal is restored on every exit path: ``close()`` (idempotent, also called from
/// `deinit` and by ``run(theme:options:_:)`` on return or throw), signal handlers for
/// SIGINT/SIGTERM/SIGHUP/SIGQUIT and crash signals (restore, then re-raise to the previous
/// handler), and an at-exit hook. One session at a time per process; use it from one thread.
///
/// ```swift
/// try TerminalSession.run(theme: .dark(name: "Dusk")) { session in
///     var grid = CellGrid(size: session.size)
///     while true {
///         draw(&grid)
///         session.present(grid)
///         guard let key = session.readKey(timeoutMilliseconds: 250) else { continue }
///         if key == .character("q") || key == .controlC { break }
///         if key == .resize { grid.resize(to: session.size) }
///     }
/// }
/// ```
public final class TerminalSession {
    /// The colour depth in use.
    public let colorDepth: TerminalColorDepth
    /// Colours the terminal reports (`COLORS`).
    public let terminalColors: Int
    private var mapper: ColorMapper
    private let screen: OpaquePointer
    private let window: UnsafeMutablePointer<WINDOW>
    private let outputStream: UnsafeMutablePointer<FILE>
    private let inputStream: UnsafeMutablePointer<FILE>
    private let outputFileDescriptor: Int32
    private let tmuxPassthrough: Bool
    private let restoresOnSignals: Bool
    private let backgroundPolicy: BackgroundPolicy
    private var previous: CellGrid?
    private var styleCache: [PackedStyle: (attributes: UInt32, pair: Int32)] = [:]
    private var pairs: [Int64: Int32] = [:]
    private var nextPair: Int32 = 1
    private let maxPairs: Int32
    private var buffer: [wchar_t] = []
    private var closed = false

    /// Starts curses mode on the terminal: locale, raw/cbreak, no echo, keypad, hidden cursor,
    /// colours. Throws when the descriptors are not a terminal or the terminal type is unknown.
    public init(theme: Theme, options: TerminalOptions = TerminalOptions()) throws(TerminalError) {
        guard isatty(options.inputFileDescriptor) == 1 else { throw .notATerminal(fileDescriptor: options.inputFileDescriptor) }
        guard isatty(options.outputFileDescriptor) == 1 else { throw .notATerminal(fileDescriptor: options.outputFileDescriptor) }
        guard !terminalIsActive.load(ordering: .sequentiallyConsistent) else { throw .sessionAlreadyActive }
        _ = cnc_setlocale_utf8()
        guard let output = fdopen(dup(options.outputFileDescriptor), "w") else {
            throw .cannotOpenStream(fileDescriptor: options.outputFileDescriptor, errno: errno)
        }
        guard let input = fdopen(dup(options.inputFileDescriptor), "r") else {
            fclose(output)
            throw .cannotOpenStream(fileDescriptor: options.inputFileDescriptor, errno: errno)
        }
        let type = options.terminalType ?? Self.environment("TERM") ?? "dumb"
        // Our handlers go in before newterm: ncurses only installs its own SIGINT/SIGTERM
        // handlers (which exit(1) instead of re-raising) where the default action is in place.
        if options.restoresTerminalOnSignals { installRestoringSignalHandlers() }
        guard let screen = newterm(type, output, input) else {
            if options.restoresTerminalOnSignals { removeRestoringSignalHandlers() }
            fclose(output)
            fclose(input)
            throw .cannotInitialize(terminalType: type)
        }
        set_term(screen)
        guard let window = cnc_stdscr() else {
            if options.restoresTerminalOnSignals { removeRestoringSignalHandlers() }
            endwin()
            delscreen(screen)
            fclose(output)
            fclose(input)
            throw .cannotInitialize(terminalType: type)
        }
        terminalIsActive.store(true, ordering: .sequentiallyConsistent)
        self.screen = screen
        self.window = window
        self.outputStream = output
        self.inputStream = input
        self.outputFileDescriptor = options.outputFileDescriptor
        self.restoresOnSignals = options.restoresTerminalOnSignals

        if options.controlCAsKey { raw() } else { cbreak() }
        noecho()
        nonl()
        keypad(window, true)
        set_escdelay(options.escapeDelayMilliseconds)
        curs_set(0)
        leaveok(window, true)

        var environment: [String: String] = [:]
        for name in ["COLORTERM", "NO_COLOR", "TMUX"] { environment[name] = Self.environment(name) }
        if has_colors() {
            start_color()
            use_default_colors()
        }
        terminalColors = has_colors() ? Int(cnc_colors()) : 0
        colorDepth = TerminalColorDepth.detect(environment: environment, colors: terminalColors,
                                       canChangeColor: can_change_color(), preferred: options.colorDepth)
        maxPairs = max(1, cnc_color_pairs())
        backgroundPolicy = options.background
        mapper = ColorMapper(depth: colorDepth, theme: theme, paintsBackground: options.background.paints(theme), terminalColors: terminalColors)
        tmuxPassthrough = options.tmuxPassthrough ?? Clipboard.isInsideTmux(environment: environment)
    }

    deinit { close() }

    /// Runs `body` with a session and restores the terminal however `body` ends.
    public static func run<R>(theme: Theme, options: TerminalOptions = TerminalOptions(),
                              _ body: (TerminalSession) throws -> R) throws -> R {
        let session = try TerminalSession(theme: theme, options: options)
        defer { session.close() }
        return try body(session)
    }

    /// The terminal's current size.
    public var size: TerminalSize {
        TerminalSize(columns: Int(getmaxx(window)), rows: Int(getmaxy(window)))
    }

    /// Re-reads the window size from the terminal and resizes curses when it changed (ncurses
    /// does this itself on SIGWINCH and reports ``Key/resize``; call this on each tick to catch
    /// a resize whose signal went elsewhere). Returns true when the size changed.
    @discardableResult
    public func updateSize() -> Bool {
        guard isActive, let actual = windowSize(of: outputFileDescriptor), actual != size else { return false }
        resizeterm(Int32(actual.rows), Int32(actual.columns))
        previous = nil
        return true
    }

    /// The theme roles are drawn with.
    public var theme: Theme { mapper.theme }

    /// True until the session is closed (or the terminal was restored by a signal).
    public var isActive: Bool { !closed && terminalIsActive.load(ordering: .sequentiallyConsistent) }

    /// Switches theme (the `t` key): colour pairs are rebuilt and the next ``present(_:)``
    /// repaints every cell.
    public func setTheme(_ theme: Theme) {
        mapper.setTheme(theme, paintsBackground: backgroundPolicy.paints(theme))
        styleCache.removeAll(keepingCapacity: true)
        pairs.removeAll(keepingCapacity: true)
        nextPair = 1
        if has_colors() { reset_color_pairs() }
        previous = nil
    }

    /// Forces the next ``present(_:)`` to repaint everything (after something else wrote to the
    /// terminal).
    public func invalidate() {
        previous = nil
    }

    /// ``present(_:)`` for a draw loop that redraws the whole grid every frame: afterwards `grid`
    /// holds the frame before (or blank cells), in storage nobody else shares, so the next
    /// frame's `clear()` and writes update it in place instead of first copying all cells (the
    /// session keeps the grid just shown to diff against, which would otherwise share storage
    /// with the caller's grid and make the next write copy it).
    public func present(swapping grid: inout CellGrid) {
        guard isActive else { return }
        var older = previous  // the frame before; `present` replaces `previous` with `grid`
        present(grid)
        if let reusable = older.take(), reusable.size == grid.size {
            grid = reusable
        } else {
            grid = CellGrid(size: grid.size)
        }
    }

    /// Draws `grid` on the terminal, sending only the cells that changed since the last call.
    /// A grid of a different size than the last one (after a resize) is painted in full.
    public func present(_ grid: CellGrid) {
        guard isActive else { return }
        let full: Bool
        if let previous, previous.width == grid.width, previous.height == grid.height {
            full = false
        } else {
            full = true
            werase(window)
            clearok(window, true)
        }
        let maxRows = min(grid.height, Int(getmaxy(window)))
        let maxColumns = min(grid.width, Int(getmaxx(window)))
        grid.cells.withUnsafeBufferPointer { cells in
            let old = full ? nil : previous
            for row in 0..<maxRows {
                let base = row * grid.width
                var column = 0
                while column < maxColumns {
                    var index = base + column
                    if let old, old.cells[index] == cells[index] {
                        column += 1
                        continue
                    }
                    // A changed continuation cell: repaint its wide character from the left half.
                    if cells[index].width == 0, column > 0 {
                        column -= 1
                        index -= 1
                    }
                    column = flushRun(cells, row: row, from: column, base: base, limit: maxColumns, old: old)
                }
            }
        }
        previous = grid
        wnoutrefresh(window)
        doupdate()
    }

    /// Writes consecutive changed cells of one style with one `waddnwstr`; returns the column
    /// after the run.
    private func flushRun(_ cells: UnsafeBufferPointer<Cell>, row: Int, from start: Int, base: Int, limit: Int, old: CellGrid?) -> Int {
        let style = cells[base + start].packedStyle
        apply(style)
        buffer.removeAll(keepingCapacity: true)
        var column = start
        while column < limit {
            let cell = cells[base + column]
            if column > start {
                if cell.packedStyle != style { break }
                if let old, old.cells[base + column] == cell, cell.width != 0 { break }
            }
            if cell.width != 0 {
                if cell.width == 2 && column + 1 >= limit { break }
                if cell.glyph & PackedGlyph.internedBit == 0 {
                    buffer.append(wchar_t(bitPattern: cell.glyph))
                } else {
                    for scalar in cell.character.unicodeScalars { buffer.append(wchar_t(bitPattern: scalar.value)) }
                }
            }
            column += 1
        }
        if column == start { column = start + 1 }  // never stall on an unwritable cell
        if !buffer.isEmpty {
            buffer.withUnsafeBufferPointer { pointer in
                _ = mvwaddnwstr(window, Int32(row), Int32(start), pointer.baseAddress, Int32(pointer.count))
            }
        }
        return column
    }

    private func apply(_ style: PackedStyle) {
        if let cached = styleCache[style] {
            _ = cnc_set_attr_pair(window, cached.attributes, cached.pair)
            return
        }
        let resolved = mapper.resolve(style.style)
        for definition in mapper.takePendingSlotDefinitions() {
            let scale = { (v: UInt8) in Int32(Int(v) * 1000 / 255) }
            _ = init_extended_color(Int32(definition.index), scale(definition.color.red), scale(definition.color.green), scale(definition.color.blue))
        }
        var attributes = cnc_a_normal()
        if resolved.attributes.contains(.bold) { attributes |= UInt32(bitPattern: cnc_a_bold()) }
        if resolved.attributes.contains(.dim) { attributes |= UInt32(bitPattern: cnc_a_dim()) }
        if resolved.attributes.contains(.reverse) { attributes |= UInt32(bitPattern: cnc_a_reverse()) }
        if resolved.attributes.contains(.underline) { attributes |= UInt32(bitPattern: cnc_a_underline()) }
        let pair = pairNumber(foreground: resolved.foreground, background: resolved.background)
        styleCache[style] = (attributes, pair)
        _ = cnc_set_attr_pair(window, attributes, pair)
    }

    private func pairNumber(foreground: Int, background: Int) -> Int32 {
        if foreground == -1 && background == -1 { return 0 }
        guard colorDepth != .monochrome else { return 0 }
        let key = Int64(foreground) << 32 | Int64(UInt32(truncatingIfNeeded: background))
        if let pair = pairs[key] { return pair }
        guard nextPair < maxPairs else { return 0 }
        let pair = nextPair
        nextPair += 1
        _ = init_extended_pair(pair, Int32(foreground), Int32(background))
        pairs[key] = pair
        return pair
    }

    /// Waits up to `timeoutMilliseconds` (0 polls, negative blocks) for a key and decodes it.
    /// Returns nil on timeout or for keys with no meaning (``Key``).
    public func readKey(timeoutMilliseconds: Int32) -> Key? {
        guard isActive else { return nil }
        wtimeout(window, timeoutMilliseconds)
        var value: UInt32 = 0
        let status = cnc_get_wch(window, &value)
        if status == cnc_err() { return nil }
        return KeyDecoder.decode(value, isKeyCode: status == cnc_key_code_yes())
    }

    /// Copies `text` to the clipboard with OSC 52 (see ``Clipboard``).
    public func copyToClipboard(_ text: String, selection: Clipboard.Selection = .clipboard) {
        guard isActive else { return }
        // Inside tmux both forms go out: the plain one is what tmux itself takes (its buffer and
        // the outer clipboard with `set-clipboard on`, the default `external` ignores it); the
        // wrapped one passes through to the outer terminal with `allow-passthrough on` (off by
        // default since tmux 3.3, so the wrapped form alone was dropped).
        var sequence = Clipboard.osc52Sequence(for: text, selection: selection)
        if tmuxPassthrough { sequence += Clipboard.osc52Sequence(for: text, selection: selection, tmuxPassthrough: true) }
        fflush(outputStream)
        Self.writeAll(Array(sequence.utf8), to: outputFileDescriptor)
    }

    /// Restores the terminal (leaves curses mode, shows the cursor) and removes the signal
    /// handlers. Safe to call more than once.
    public func close() {
        guard !closed else { return }
        closed = true
        restoreTerminalIfActive()
        if restoresOnSignals { removeRestoringSignalHandlers() }
        delscreen(screen)
        fclose(outputStream)
        fclose(inputStream)
    }

    private static func environment(_ name: String) -> String? {
        guard let value = getenv(name) else { return nil }
        return String(cString: value)
    }

    private static func writeAll(_ bytes: [UInt8], to fd: Int32) {
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = write(fd, raw.baseAddress! + offset, raw.count - offset)
                if written <= 0 {
                    if written < 0 && errno == EINTR { continue }
                    return
                }
                offset += written
            }
        }
    }
}
