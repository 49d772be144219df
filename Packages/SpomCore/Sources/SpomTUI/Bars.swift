import SpomTheme

/// A one-row bar with text on the left and text on the right (a status bar or header line).
/// The right part is dropped when it would leave the left part fewer than ``minimumLeft``
/// columns; the left part is truncated with an ellipsis.
public struct StatusBar: Hashable, Sendable {
    /// Left-aligned content.
    public var left: StyledLine
    /// Right-aligned content.
    public var right: StyledLine
    /// Style the whole row is filled with first (nil keeps what is there).
    public var fill: CellStyle?
    /// Columns the left part keeps before the right part is dropped.
    public var minimumLeft: Int

    /// Creates a bar.
    public init(left: StyledLine, right: StyledLine = StyledLine(), fill: CellStyle? = nil, minimumLeft: Int = 20) {
        self.left = left
        self.right = right
        self.fill = fill
        self.minimumLeft = minimumLeft
    }

    /// Draws the bar on the first row of `area`.
    public func render(into grid: inout CellGrid, area: Rect) {
        guard area.height > 0, area.width > 0 else { return }
        let row = area.row(0)
        if let fill { grid.fill(row, style: fill) }
        var leftRoom = row.width
        let rightWidth = right.width
        if rightWidth > 0 && row.width - rightWidth - 1 >= min(minimumLeft, left.width) {
            grid.write(right, column: row.maxX - rightWidth, row: row.y, clip: row)
            leftRoom = row.width - rightWidth - 1
        }
        grid.write(left.truncated(to: leftRoom), column: row.x, row: row.y, clip: row)
    }
}

/// One tab of a ``TabBar``: a key hint and a title (`[1] Dashboard`).
public struct Tab: Hashable, Sendable {
    /// The key that selects it ("1", "?").
    public var key: String
    /// The title ("Dashboard").
    public var title: String

    /// Creates a tab.
    public init(key: String, title: String) {
        self.key = key
        self.title = title
    }
}

/// A header line: an optional leading title, the tabs, and trailing text on the right. It
/// degrades gracefully when narrow instead of cutting the active tab's name (v1 showed
/// "[1] Das" at 80 columns): first the leading title goes, then inactive tabs shrink to their
/// keys, then the trailing text goes.
public struct TabBar: Hashable, Sendable {
    /// Application title drawn first when there is room.
    public var leading: StyledLine?
    /// The tabs.
    public var tabs: [Tab]
    /// Index of the active tab.
    public var selected: Int
    /// Right-aligned text (node name, clock).
    public var trailing: StyledLine?
    /// Style of the active tab (default primary, bold, reversed).
    public var activeStyle: CellStyle
    /// Style of inactive tabs.
    public var inactiveStyle: CellStyle
    /// Style of the key hints of inactive tabs.
    public var keyStyle: CellStyle

    /// Creates a tab bar.
    public init(leading: StyledLine? = nil, tabs: [Tab], selected: Int, trailing: StyledLine? = nil,
                activeStyle: CellStyle = .role(.primary, [.bold, .reverse]), inactiveStyle: CellStyle = .role(.muted),
                keyStyle: CellStyle = .role(.primary)) {
        self.leading = leading
        self.tabs = tabs
        self.selected = selected
        self.trailing = trailing
        self.activeStyle = activeStyle
        self.inactiveStyle = inactiveStyle
        self.keyStyle = keyStyle
    }

    /// The tabs as a line, either full (`[1] Dashboard`) or compact (inactive tabs as keys only).
    public func tabLine(compact: Bool) -> StyledLine {
        var line = StyledLine()
        for (index, tab) in tabs.enumerated() {
            if index > 0 { line.append(" ", .text) }
            if index == selected {
                line.append(" \(tab.key) \(tab.title) ", activeStyle)
            } else if compact {
                line.append(tab.key, keyStyle)
            } else {
                line.append("[\(tab.key)]", keyStyle)
                line.append(" \(tab.title)", inactiveStyle)
            }
        }
        return line
    }

    /// Draws the bar on the first row of `area`.
    public func render(into grid: inout CellGrid, area: Rect) {
        guard area.height > 0, area.width > 0 else { return }
        let row = area.row(0)
        let full = tabLine(compact: false), compact = tabLine(compact: true)
        let trailingWidth = trailing.map { $0.width + 2 } ?? 0
        let leadingWidth = leading.map { $0.width + 3 } ?? 0
        let candidates: [(lead: Bool, tabs: StyledLine, trail: Bool)] = [
            (true, full, true), (false, full, true), (false, compact, true), (false, compact, false), (false, full, false),
        ]
        var choice = (lead: false, tabs: compact, trail: false)
        for candidate in candidates {
            let need = (candidate.lead ? leadingWidth : 0) + candidate.tabs.width + (candidate.trail ? trailingWidth : 0)
            if need <= row.width { choice = candidate; break }
        }
        var x = row.x
        if choice.lead, let leading {
            x = grid.write(leading, column: x, row: row.y, clip: row)
            x = grid.write(" │ ", column: x, row: row.y, style: .role(.border), clip: row)
        }
        let tabsRoom = row.maxX - x - (choice.trail ? trailingWidth : 0)
        grid.write(choice.tabs.truncated(to: tabsRoom), column: x, row: row.y, clip: row)
        if choice.trail, let trailing {
            grid.write(trailing, column: row.maxX - trailing.width, row: row.y, clip: row)
        }
    }
}
