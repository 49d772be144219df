import SpomTheme

/// The colour of a cell's foreground or background.
public enum CellColor: Hashable, Sendable {
    /// Keep the colour already in the cell when writing (becomes the terminal default if nothing
    /// was there).
    case inherit
    /// The terminal's own default colour.
    case terminalDefault
    /// A semantic role resolved through the active theme when the grid is drawn.
    case role(ThemeRole)
    /// An explicit colour.
    case rgb(RGB)
}

/// Text attributes of a cell.
public struct TextAttributes: OptionSet, Hashable, Sendable {
    /// The raw bits.
    public var rawValue: UInt8
    /// Creates attributes from raw bits.
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    /// Bold / bright.
    public static let bold = TextAttributes(rawValue: 1 << 0)
    /// Dim / faint.
    public static let dim = TextAttributes(rawValue: 1 << 1)
    /// Reverse video.
    public static let reverse = TextAttributes(rawValue: 1 << 2)
    /// Underlined.
    public static let underline = TextAttributes(rawValue: 1 << 3)
}

/// Foreground, background and attributes of a cell.
public struct CellStyle: Hashable, Sendable {
    /// Text colour.
    public var foreground: CellColor
    /// Background colour (`.inherit` keeps what is underneath).
    public var background: CellColor
    /// Bold, dim, reverse, underline.
    public var attributes: TextAttributes

    /// Creates a style. By default: text colour, inherited background, no attributes.
    public init(foreground: CellColor = .role(.text), background: CellColor = .inherit, attributes: TextAttributes = []) {
        self.foreground = foreground
        self.background = background
        self.attributes = attributes
    }

    /// Ordinary text on the inherited background.
    public static let text = CellStyle()
    /// What a cleared screen holds: text colour on the theme background.
    public static let screen = CellStyle(foreground: .role(.text), background: .role(.background))

    /// A style whose foreground is `role`.
    public static func role(_ role: ThemeRole, _ attributes: TextAttributes = []) -> CellStyle {
        CellStyle(foreground: .role(role), attributes: attributes)
    }

    /// A style whose foreground is an explicit colour.
    public static func rgb(_ color: RGB, _ attributes: TextAttributes = []) -> CellStyle {
        CellStyle(foreground: .rgb(color), attributes: attributes)
    }

    /// This style with `bold` added.
    public var bold: CellStyle { adding(.bold) }
    /// This style with `dim` added.
    public var dim: CellStyle { adding(.dim) }

    /// This style with extra attributes.
    public func adding(_ extra: TextAttributes) -> CellStyle {
        var copy = self
        copy.attributes.formUnion(extra)
        return copy
    }

    /// This style with another background.
    public func on(_ background: CellColor) -> CellStyle {
        var copy = self
        copy.background = background
        return copy
    }

    /// The style that results from writing `self` over a cell styled `below`: `.inherit`
    /// colours take the colour below; attributes are replaced.
    public func applied(over below: CellStyle) -> CellStyle {
        CellStyle(
            foreground: foreground == .inherit ? below.foreground : foreground,
            background: background == .inherit ? below.background : background,
            attributes: attributes
        )
    }
}
