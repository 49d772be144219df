import SpomTheme
/// One label and its value.
public struct LabelValue: Hashable, Sendable {
    /// The label ("Block:").
    public var label: String
    /// The value, styled.
    public var value: StyledLine

    /// Creates a pair.
    public init(_ label: String, _ value: StyledLine) {
        self.label = label
        self.value = value
    }

    /// Creates a pair with a plain value in a role's colour.
    public init(_ label: String, _ value: String, role: ThemeRole = .text) {
        self.init(label, StyledLine(value, .role(role)))
    }
}

/// Aligned label/value rows. Each row holds one or more pairs side by side; labels are padded
/// to ``labelWidth``, each pair takes ``pairWidth`` columns (the last pair in a row takes the rest),
/// and values are truncated with an ellipsis when they do not fit.
public struct LabelValueList: Hashable, Sendable {
    /// The rows; a row with one pair spans the full width.
    public var rows: [[LabelValue]]
    /// Columns given to each label (including its trailing gap).
    public var labelWidth: Int
    /// Columns given to each pair before the last one in a row; nil splits the width equally.
    public var pairWidth: Int?
    /// Label style.
    public var labelStyle: CellStyle

    /// Creates a list.
    public init(rows: [[LabelValue]], labelWidth: Int = 14, pairWidth: Int? = nil, labelStyle: CellStyle = .role(.muted)) {
        self.rows = rows
        self.labelWidth = labelWidth
        self.pairWidth = pairWidth
        self.labelStyle = labelStyle
    }

    /// Draws the rows from the top of `area`; rows that do not fit are dropped. Returns the
    /// number of rows drawn.
    @discardableResult
    public func render(into grid: inout CellGrid, area: Rect) -> Int {
        var drawn = 0
        for (index, pairs) in rows.enumerated() where index < area.height && !pairs.isEmpty {
            let rowRect = area.row(index)
            let constraints: [Constraint] = pairs.indices.map { i in
                if i == pairs.count - 1 { return .fill() }
                if let pairWidth { return .fixed(pairWidth) }
                return .fill()
            }
            let cells = Layout.columns(rowRect, constraints)
            for (pairIndex, (pair, cell)) in zip(pairs, cells).enumerated() where cell.width > 0 {
                let labelColumns = min(labelWidth, cell.width)
                let label = TextLayout.truncate(pair.label, to: max(0, labelColumns - 1))
                grid.write(label, column: cell.x, row: cell.y, style: labelStyle, clip: cell)
                let valueRect = Rect(x: cell.x + labelColumns, y: cell.y, width: cell.width - labelColumns, height: 1)
                if valueRect.width > 0 {
                    // Keep one column free before the next pair.
                    let room = pairIndex == pairs.count - 1 ? valueRect.width : max(0, valueRect.width - 1)
                    grid.write(pair.value.truncated(to: room), column: valueRect.x, row: valueRect.y, clip: valueRect)
                }
            }
            drawn += 1
        }
        return drawn
    }
}
