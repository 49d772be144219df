import SpomTheme

/// The line set a border is drawn with.
public enum BorderStyle: Sendable, Hashable {
    /// `┌─┐│└┘`
    case single
    /// `╭─╮│╰╯`
    case rounded
    /// `╔═╗║╚╝`
    case double
    /// `┏━┓┃┗┛`
    case heavy
    /// No border: the panel's inner area is its whole area.
    case none

    /// Corner and edge glyphs: top-left, top-right, bottom-left, bottom-right, horizontal,
    /// vertical.
    public var glyphs: (topLeft: Character, topRight: Character, bottomLeft: Character, bottomRight: Character, horizontal: Character, vertical: Character) {
        switch self {
        case .single, .none: return ("┌", "┐", "└", "┘", "─", "│")
        case .rounded: return ("╭", "╮", "╰", "╯", "─", "│")
        case .double: return ("╔", "╗", "╚", "╝", "═", "║")
        case .heavy: return ("┏", "┓", "┗", "┛", "━", "┃")
        }
    }
}

/// A bordered box with an optional title in its top edge (and an optional footer in the
/// bottom edge). Draw the panel, then draw content into ``inner(_:)``.
public struct Panel: Sendable, Hashable {
    /// The title, drawn in the top border after one border glyph (`┌ Title ───┐`).
    public var title: StyledLine?
    /// Text drawn right-aligned in the top border (e.g. an age badge).
    public var trailingTitle: StyledLine?
    /// Text drawn in the bottom border (e.g. key hints).
    public var footer: StyledLine?
    /// Border glyph set.
    public var border: BorderStyle
    /// Border style (colour).
    public var borderStyle: CellStyle
    /// When set, the inside is filled with this style first (popups, light themes).
    public var fill: CellStyle?

    /// Creates a panel with styled titles.
    public init(title: StyledLine? = nil, trailingTitle: StyledLine? = nil, footer: StyledLine? = nil,
                border: BorderStyle = .rounded, borderStyle: CellStyle = .role(.border), fill: CellStyle? = nil) {
        self.title = title
        self.trailingTitle = trailingTitle
        self.footer = footer
        self.border = border
        self.borderStyle = borderStyle
        self.fill = fill
    }

    /// Creates a panel titled `title` in the primary role, bold.
    public init(_ title: String, border: BorderStyle = .rounded) {
        self.init(title: StyledLine(title, .role(.primary, .bold)), border: border)
    }

    /// The area inside the border.
    public func inner(_ area: Rect) -> Rect {
        border == .none ? area : area.inset(by: 1)
    }

    /// Draws the border and titles into `area` and returns the inner area.
    @discardableResult
    public func render(into grid: inout CellGrid, area: Rect) -> Rect {
        let area = area.intersection(grid.bounds)
        guard !area.isEmpty else { return area }
        if let fill { grid.fill(area, style: fill) }
        guard border != .none else { return area }
        let g = border.glyphs
        let top = area.y, bottom = area.maxY - 1, left = area.x, right = area.maxX - 1
        if area.width >= 2 {
            grid.repeatCharacter(g.horizontal, in: Rect(x: left + 1, y: top, width: right - left - 1, height: 1), style: borderStyle)
            if bottom > top { grid.repeatCharacter(g.horizontal, in: Rect(x: left + 1, y: bottom, width: right - left - 1, height: 1), style: borderStyle) }
        }
        if area.height >= 2 {
            grid.repeatCharacter(g.vertical, in: Rect(x: left, y: top + 1, width: 1, height: bottom - top - 1), style: borderStyle)
            if right > left { grid.repeatCharacter(g.vertical, in: Rect(x: right, y: top + 1, width: 1, height: bottom - top - 1), style: borderStyle) }
        }
        grid.put(g.topLeft, column: left, row: top, style: borderStyle)
        if right > left { grid.put(g.topRight, column: right, row: top, style: borderStyle) }
        if bottom > top {
            grid.put(g.bottomLeft, column: left, row: bottom, style: borderStyle)
            if right > left { grid.put(g.bottomRight, column: right, row: bottom, style: borderStyle) }
        }
        // Titles sit between the corners with one space of padding on each side.
        let edge = Rect(x: left + 1, y: top, width: area.width - 2, height: 1)
        var reservedRight = 0
        if let trailingTitle, edge.width > 6 {
            let text = Self.padded(trailingTitle).truncated(to: max(0, edge.width / 2))
            reservedRight = text.width
            grid.write(text, column: edge.maxX - text.width - 1, row: top, clip: edge)
        }
        if let title, edge.width > 2 {
            let room = edge.width - 1 - (reservedRight > 0 ? reservedRight + 2 : 0)
            let text = Self.padded(title).truncated(to: room)
            grid.write(text, column: edge.x, row: top, clip: edge)
        }
        if let footer, bottom > top, edge.width > 2 {
            let bottomEdge = Rect(x: left + 1, y: bottom, width: area.width - 2, height: 1)
            grid.write(Self.padded(footer).truncated(to: bottomEdge.width - 1), column: bottomEdge.x, row: bottom, clip: bottomEdge)
        }
        return inner(area)
    }

    private static func padded(_ line: StyledLine) -> StyledLine {
        var out = StyledLine(" ", line.spans.first?.style ?? .text)
        out.append(contentsOf: line)
        out.append(" ", line.spans.last?.style ?? .text)
        return out
    }
}
