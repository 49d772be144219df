/// A semantic colour role: what a colour means (`error`, `muted`, ...), not what it looks like.
///
/// Apps add accent roles of their own:
/// ```swift
/// extension ThemeRole { static let ours: ThemeRole = "ours" }
/// ```
public struct ThemeRole: Sendable, Hashable, RawRepresentable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// The role's name.
    public let rawValue: String

    /// Creates a role named `rawValue`.
    public init(rawValue: String) { self.rawValue = rawValue }
    /// Creates a role from a literal.
    public init(stringLiteral value: String) { self.rawValue = value }
    /// The role's name.
    public var description: String { rawValue }

    /// Ordinary values.
    public static let text: ThemeRole = "text"
    /// Labels and secondary information.
    public static let muted: ThemeRole = "muted"
    /// Titles of panels, key hints, bars.
    public static let primary: ThemeRole = "primary"
    /// Names, identifiers, hashes.
    public static let secondary: ThemeRole = "secondary"
    /// Healthy states.
    public static let success: ThemeRole = "success"
    /// Attention needed.
    public static let warning: ThemeRole = "warning"
    /// Failures.
    public static let error: ThemeRole = "error"
    /// Background of the selected row.
    public static let highlight: ThemeRole = "highlight"
    /// Panel borders.
    public static let border: ThemeRole = "border"
    /// The application title and section headers.
    public static let title: ThemeRole = "title"
    /// The screen background (painted when the app chooses to).
    public static let background: ThemeRole = "background"

    /// The roles every theme defines.
    public static let base: [ThemeRole] = [
        .text, .muted, .primary, .secondary, .success, .warning, .error, .highlight, .border, .title, .background,
    ]
}

/// A named palette: a colour for every semantic role.
public struct Theme: Sendable, Equatable {
    /// The name shown to users and used in configuration (for example "Dusk").
    public var name: String
    /// Whether the palette is meant for a dark background.
    public var isDark: Bool
    /// The colours by role.
    public var colours: [ThemeRole: RGB]

    /// Creates a theme.
    public init(name: String, isDark: Bool, colours: [ThemeRole: RGB]) {
        self.name = name
        self.isDark = isDark
        self.colours = colours
    }

    /// The colour of `role`; an unknown role falls back to ``ThemeRole/text``.
    public subscript(role: ThemeRole) -> RGB {
        colours[role] ?? colours[.text] ?? (isDark ? RGB(220, 220, 230) : RGB(50, 60, 80))
    }

    /// A copy with `role` set to `colour` (how apps add accent roles).
    public func with(_ role: ThemeRole, _ colour: RGB) -> Theme {
        var copy = self
        copy.colours[role] = colour
        return copy
    }

    /// A copy with the given accent colours added.
    public func adding(_ accents: [ThemeRole: RGB]) -> Theme {
        var copy = self
        copy.colours.merge(accents) { _, new in new }
        return copy
    }

    /// The built-in dark palette (violet / light blue / mint on a dark background), under the
    /// app's name for it.
    public static func dark(name: String, accents: [ThemeRole: RGB] = [:]) -> Theme {
        Theme(
            name: name, isDark: true,
            colours: [
                .text: RGB(220, 220, 230), .muted: RGB(150, 150, 170), .primary: RGB(138, 102, 255),
                .secondary: RGB(102, 153, 255), .success: RGB(120, 255, 180), .warning: RGB(255, 200, 100),
                .error: RGB(255, 100, 120), .highlight: RGB(60, 45, 90), .border: RGB(100, 80, 140),
                .title: RGB(180, 150, 255), .background: RGB(18, 16, 28),
            ]
        ).adding(accents)
    }

    /// The built-in light palette (teal / vivid blue / emerald on a light background), under the
    /// app's name for it.
    public static func light(name: String, accents: [ThemeRole: RGB] = [:]) -> Theme {
        Theme(
            name: name, isDark: false,
            colours: [
                .text: RGB(50, 60, 80), .muted: RGB(100, 115, 140), .primary: RGB(0, 150, 200),
                .secondary: RGB(0, 80, 180), .success: RGB(0, 180, 100), .warning: RGB(255, 140, 0),
                .error: RGB(220, 50, 80), .highlight: RGB(210, 235, 255), .border: RGB(140, 170, 200),
                .title: RGB(0, 140, 200), .background: RGB(250, 250, 252),
            ]
        ).adding(accents)
    }
}
