import SpomTheme

/// One dimension of a popup: a percentage of the screen with a minimum, or a fixed size. The
/// result is always capped to the screen minus a margin.
public enum PopupDimension: Hashable, Sendable {
    /// A percentage of the screen, at least `minimum` cells.
    case percent(Int, minimum: Int = 0)
    /// Exactly this many cells.
    case fixed(Int)

    func resolve(screen: Int, margin: Int) -> Int {
        let limit = max(0, screen - 2 * margin)
        switch self {
        case .percent(let p, let minimum): return min(limit, max(minimum, screen * p / 100))
        case .fixed(let n): return min(limit, max(0, n))
        }
    }
}

/// What a key means to an open popup.
public enum PopupKeyAction: Hashable, Sendable {
    /// Close the popup (Esc or q). Esc never quits the application while a popup is open.
    case close
    /// Scroll the popup's content.
    case scroll(ScrollCommand)
    /// Not a popup key: the caller may handle it (Ctrl-C, `y`, ...) or ignore it.
    case other
}

/// A centred modal box drawn over the screen: it clears its area (so nothing underneath shows
/// through), draws a border and title, and returns the inner area for its content.
public struct Popup: Hashable, Sendable {
    /// Title in the top border.
    public var title: StyledLine?
    /// Hint in the bottom border (default `"Esc close"`).
    public var footer: StyledLine?
    /// Width rule.
    public var width: PopupDimension
    /// Height rule.
    public var height: PopupDimension
    /// Border glyphs.
    public var border: BorderStyle
    /// Border style.
    public var borderStyle: CellStyle
    /// Style the area is cleared with (default: text on the palette background).
    public var background: CellStyle
    /// Cells kept free around the popup.
    public var margin: Int

    /// Creates a popup.
    public init(title: StyledLine? = nil,
                footer: StyledLine? = StyledLine(Span("Esc", role: .primary), Span(" close", role: .muted)),
                width: PopupDimension = .percent(60, minimum: 60), height: PopupDimension = .percent(65, minimum: 10),
                border: BorderStyle = .rounded, borderStyle: CellStyle = .role(.primary),
                background: CellStyle = .screen, margin: Int = 1) {
        self.title = title
        self.footer = footer
        self.width = width
        self.height = height
        self.border = border
        self.borderStyle = borderStyle
        self.background = background
        self.margin = margin
    }

    /// Creates a popup titled `title` (title role, bold).
    public init(_ title: String, width: PopupDimension = .percent(60, minimum: 60), height: PopupDimension = .percent(65, minimum: 10)) {
        self.init(title: StyledLine(title, .role(.title, .bold)), width: width, height: height)
    }

    /// The popup's outer rectangle, centred in `screen`.
    public func frame(in screen: Rect) -> Rect {
        screen.centered(width: width.resolve(screen: screen.width, margin: margin),
                        height: height.resolve(screen: screen.height, margin: margin))
    }

    /// Clears the popup's area, draws its border, and returns the inner area.
    @discardableResult
    public func render(into grid: inout CellGrid, screen: Rect) -> Rect {
        let outer = frame(in: screen)
        grid.fill(outer, style: background)
        let panel = Panel(title: title, footer: footer, border: border, borderStyle: borderStyle)
        return panel.render(into: &grid, area: outer)
    }

    /// The meaning of `key` for an open popup: Esc and `q` close it, navigation keys scroll,
    /// everything else is `.other`.
    public static func action(for key: Key) -> PopupKeyAction {
        switch key {
        case .escape, .character("q"): return .close
        default:
            if let command = ScrollCommand(key: key) { return .scroll(command) }
            return .other
        }
    }
}
