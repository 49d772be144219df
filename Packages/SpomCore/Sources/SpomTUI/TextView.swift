import SpomTheme

/// Scroll position of a ``TextView`` (or any scrolled content).
public struct ScrollState: Hashable, Sendable {
    /// First visible line.
    public private(set) var offset: Int
    /// Lines of content at the last render.
    public private(set) var contentHeight: Int
    /// Visible lines at the last render (10 before the first render).
    public private(set) var viewportHeight: Int

    /// Creates a state scrolled to the top.
    public init() {
        offset = 0
        contentHeight = 0
        viewportHeight = 10
    }

    /// The largest useful offset.
    public var maxOffset: Int { max(0, contentHeight - viewportHeight) }

    /// Applies a scroll command.
    public mutating func apply(_ command: ScrollCommand) {
        switch command {
        case .by(let delta): offset += delta
        case .pages(let pages): offset += pages * max(1, viewportHeight - 1)
        case .top: offset = 0
        case .bottom: offset = maxOffset
        }
        offset = min(max(0, offset), maxOffset)
    }

    /// Handles the shared navigation keys. Returns true when the key scrolled (or tried to).
    @discardableResult
    public mutating func handle(_ key: Key) -> Bool {
        guard let command = ScrollCommand(key: key) else { return false }
        apply(command)
        return true
    }

    /// Records content and viewport heights and clamps the offset.
    public mutating func layout(contentHeight content: Int, viewportHeight viewport: Int) {
        contentHeight = max(0, content)
        viewportHeight = max(1, viewport)
        offset = min(max(0, offset), maxOffset)
    }
}

/// Scrollable styled text, wrapped to the width (plain scrolling, no selection bar), with a
/// scrollbar when it overflows.
public struct TextView: Hashable, Sendable {
    /// The text, one entry per paragraph/line.
    public var lines: [StyledLine]
    /// Wrap long lines (true) or cut them with an ellipsis (false).
    public var wraps: Bool
    /// Whether a scrollbar is drawn in the last column when the text overflows.
    public var showsScrollbar: Bool

    /// Creates a text view.
    public init(lines: [StyledLine], wraps: Bool = true, showsScrollbar: Bool = true) {
        self.lines = lines
        self.wraps = wraps
        self.showsScrollbar = showsScrollbar
    }

    /// Creates a text view from plain text split at newlines.
    public init(text: String, style: CellStyle = .text, wraps: Bool = true) {
        self.init(lines: text.split(separator: "\n", omittingEmptySubsequences: false).map { StyledLine(String($0), style) }, wraps: wraps)
    }

    /// The display lines for a width.
    public func layoutLines(width: Int) -> [StyledLine] {
        guard width > 0 else { return [] }
        if wraps { return lines.flatMap { $0.wrapped(to: width) } }
        return lines.map { $0.truncated(to: width) }
    }

    /// Draws the visible part of the text into `area`.
    public func render(into grid: inout CellGrid, area: Rect, state: inout ScrollState) {
        guard !area.isEmpty else { return }
        var display = layoutLines(width: area.width)
        var scrollbar = false
        if showsScrollbar && display.count > area.height && area.width > 2 {
            scrollbar = true
            display = layoutLines(width: area.width - 1)
        }
        state.layout(contentHeight: display.count, viewportHeight: area.height)
        let textArea = Rect(x: area.x, y: area.y, width: area.width - (scrollbar ? 1 : 0), height: area.height)
        for row in 0..<area.height {
            let index = state.offset + row
            guard index < display.count else { break }
            grid.write(display[index], column: textArea.x, row: textArea.y + row, clip: textArea)
        }
        if scrollbar {
            Scrollbar.render(into: &grid, area: Rect(x: area.maxX - 1, y: area.y, width: 1, height: area.height),
                             offset: state.offset, visible: area.height, total: display.count)
        }
    }
}
