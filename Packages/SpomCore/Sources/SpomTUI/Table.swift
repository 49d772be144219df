import SpomTheme

/// A table column: header, width rule, alignment and how overlong text is cut.
public struct TableColumn: Hashable, Sendable {
    /// How overlong cell text is shortened.
    public enum Truncation: Hashable, Sendable {
        /// Cut the end: `"Validat…"`.
        case end
        /// Keep start and end: `"0x0377…f4700"` (for hashes and keys).
        case middle
    }

    /// Header text.
    public var title: String
    /// Width rule (fixed columns, percentage of the table, or a share of the rest).
    public var width: Constraint
    /// Alignment of header and cells.
    public var alignment: TextAlignment
    /// Truncation of overlong cells.
    public var truncation: Truncation

    /// Creates a column.
    public init(_ title: String, width: Constraint, alignment: TextAlignment = .left, truncation: Truncation = .end) {
        self.title = title
        self.width = width
        self.alignment = alignment
        self.truncation = truncation
    }
}

/// A table row: a stable identity and one styled cell per column.
public struct TableRow: Hashable, Sendable {
    /// Identity used to keep the selection across refreshes (a block hash, a key).
    public var id: String
    /// One cell per column; missing cells are blank.
    public var cells: [StyledLine]

    /// Creates a row.
    public init(id: String, cells: [StyledLine]) {
        self.id = id
        self.cells = cells
    }
}

/// A scrolling table with a header, aligned and truncated columns, a highlighted selection and
/// a scrollbar when it overflows.
public struct Table: Hashable, Sendable {
    /// Columns.
    public var columns: [TableColumn]
    /// Rows.
    public var rows: [TableRow]
    /// Whether the header row is drawn.
    public var showsHeader: Bool
    /// Header style.
    public var headerStyle: CellStyle
    /// Spacing between columns.
    public var columnSpacing: Int
    /// Whether the selected row is highlighted (lists without selection set false).
    public var showsSelection: Bool
    /// Background of the selected row (bold is added).
    public var highlight: CellColor
    /// Drawn at the left of the selected row (`"› "`), blank on the others; nil for none.
    public var selectionMarker: String?
    /// Whether a scrollbar is drawn in the last column when rows overflow.
    public var showsScrollbar: Bool
    /// Shown when there are no rows.
    public var emptyMessage: StyledLine

    /// Creates a table.
    public init(columns: [TableColumn], rows: [TableRow], showsHeader: Bool = true,
                headerStyle: CellStyle = .role(.muted, .bold), columnSpacing: Int = 2,
                showsSelection: Bool = true, highlight: CellColor = .role(.highlight),
                selectionMarker: String? = nil, showsScrollbar: Bool = true,
                emptyMessage: StyledLine = StyledLine("(no rows)", .role(.muted))) {
        self.columns = columns
        self.rows = rows
        self.showsHeader = showsHeader
        self.headerStyle = headerStyle
        self.columnSpacing = columnSpacing
        self.showsSelection = showsSelection
        self.highlight = highlight
        self.selectionMarker = selectionMarker
        self.showsScrollbar = showsScrollbar
        self.emptyMessage = emptyMessage
    }

    /// The row ids, in order (feed them to ``TableState/reconcile(rowIDs:)``).
    public var rowIDs: [String] { rows.map(\.id) }

    /// Number of body rows visible in an area of this height.
    public func visibleRowCount(height: Int) -> Int {
        max(0, height - (showsHeader ? 1 : 0))
    }

    /// Draws the table into `area`, reconciling `state` with the rows and the viewport first.
    public func render(into grid: inout CellGrid, area: Rect, state: inout TableState) {
        let area = area.intersection(grid.bounds)
        state.reconcile(rowIDs: rowIDs)
        let bodyHeight = visibleRowCount(height: area.height)
        state.layout(visibleRows: bodyHeight)
        guard !area.isEmpty else { return }

        let overflow = rows.count > bodyHeight
        let scrollbar = showsScrollbar && overflow && area.width > 2 && bodyHeight > 0
        let markerWidth = selectionMarker.map { DisplayWidth.of($0) } ?? 0
        let content = Rect(x: area.x + markerWidth, y: area.y, width: area.width - markerWidth - (scrollbar ? 1 : 0), height: area.height)
        let columnRects = Layout.columns(content, columns.map(\.width), spacing: columnSpacing)

        var y = area.y
        if showsHeader {
            for (column, rect) in zip(columns, columnRects) where rect.width > 0 {
                let text = TextLayout.pad(column.title, to: rect.width, alignment: column.alignment)
                grid.write(text, column: rect.x, row: y, style: headerStyle, clip: Rect(x: rect.x, y: y, width: rect.width, height: 1))
            }
            y += 1
        }
        if rows.isEmpty {
            if bodyHeight > 0 {
                grid.write(emptyMessage.truncated(to: content.width), column: content.x, row: y, clip: Rect(x: content.x, y: y, width: content.width, height: 1))
            }
            return
        }
        let first = state.offset
        let last = min(rows.count, first + bodyHeight)
        for index in first..<last {
            let row = rows[index]
            let line = Rect(x: area.x, y: y, width: area.width - (scrollbar ? 1 : 0), height: 1)
            let selected = showsSelection && index == state.selectedIndex
            if let marker = selectionMarker {
                grid.write(selected ? marker : String(repeating: " ", count: markerWidth), column: area.x, row: y, style: .role(.primary, .bold), clip: line)
            }
            for (columnIndex, (column, rect)) in zip(columns, columnRects).enumerated() where rect.width > 0 {
                let cell = columnIndex < row.cells.count ? row.cells[columnIndex] : StyledLine()
                let fitted = Self.fit(cell, width: rect.width, column: column)
                let x: Int
                switch column.alignment {
                case .left: x = rect.x
                case .right: x = rect.maxX - fitted.width
                case .center: x = rect.x + (rect.width - fitted.width) / 2
                }
                grid.write(fitted, column: x, row: y, clip: Rect(x: rect.x, y: y, width: rect.width, height: 1))
            }
            if selected {
                let highlightColor = highlight
                grid.restyle(line) { style in
                    style.background = highlightColor
                    style.attributes.insert(.bold)
                }
            }
            y += 1
        }
        if scrollbar {
            Scrollbar.render(into: &grid, area: Rect(x: area.maxX - 1, y: area.y + (showsHeader ? 1 : 0), width: 1, height: bodyHeight),
                             offset: state.offset, visible: bodyHeight, total: rows.count)
        }
    }

    private static func fit(_ cell: StyledLine, width: Int, column: TableColumn) -> StyledLine {
        guard cell.width > width else { return cell }
        switch column.truncation {
        case .end:
            return cell.truncated(to: width)
        case .middle:
            let style = cell.spans.first?.style ?? .text
            return StyledLine(TextLayout.truncateMiddle(cell.plainText, to: width), style)
        }
    }
}

/// A vertical scrollbar: a `│` track with a `┃` thumb sized to the visible fraction.
public enum Scrollbar {
    /// The thumb's first row and length (in track rows) for a viewport.
    public static func thumb(trackHeight: Int, offset: Int, visible: Int, total: Int) -> (start: Int, length: Int) {
        guard trackHeight > 0, total > visible, total > 0 else { return (0, trackHeight) }
        let length = max(1, trackHeight * visible / total)
        let maxOffset = total - visible
        let start = maxOffset > 0 ? (trackHeight - length) * min(offset, maxOffset) / maxOffset : 0
        return (start, length)
    }

    /// Draws the scrollbar in the single column `area`.
    public static func render(into grid: inout CellGrid, area: Rect, offset: Int, visible: Int, total: Int,
                              trackStyle: CellStyle = .role(.border), thumbStyle: CellStyle = .role(.primary)) {
        guard area.height > 0, area.width > 0 else { return }
        let (start, length) = thumb(trackHeight: area.height, offset: offset, visible: visible, total: total)
        for row in 0..<area.height {
            let onThumb = row >= start && row < start + length
            grid.put(onThumb ? "┃" : "│", column: area.x, row: area.y + row, style: onThumb ? thumbStyle : trackStyle)
        }
    }
}
