/// RGB values for every ``TUIRole``: what the backend paints a role with.
///
/// Stand-in until SpomTheme's palette lands; ``TUIPalette/init(name:colors:paintsBackground:)``
/// takes plain RGB so any theme model can be adapted in one line.
public struct TUIPalette: Hashable, Sendable {
    /// Display name ("Midnight").
    public var name: String
    /// True for palettes that paint their own background on every cell (light themes). When
    /// false, cells with the `background` role show the terminal's own background.
    public var paintsBackground: Bool
    private var colors: [RGB]

    /// Creates a palette. Roles missing from `colors` fall back to white text on black.
    public init(name: String, colors: [TUIRole: RGB], paintsBackground: Bool) {
        self.name = name
        self.paintsBackground = paintsBackground
        self.colors = TUIRole.allCases.map { role in
            colors[role] ?? (role == .background || role == .highlight ? RGB(0, 0, 0) : RGB(255, 255, 255))
        }
    }

    /// The colour of a role.
    public subscript(role: TUIRole) -> RGB {
        get { colors[role.rawValue] }
        set { colors[role.rawValue] = newValue }
    }

    /// The RGB a cell colour resolves to, or nil for the terminal's default colour.
    public func resolve(_ color: CellColor) -> RGB? {
        switch color {
        case .inherit, .terminalDefault: return nil
        case .rgb(let rgb): return rgb
        case .role(.background): return paintsBackground ? self[.background] : nil
        case .role(let role): return self[role]
        }
    }

    /// A neutral dark palette (terminal background shows through).
    public static let neutralDark = TUIPalette(
        name: "Dark",
        colors: [
            .text: RGB(220, 220, 230), .muted: RGB(150, 150, 170), .primary: RGB(138, 102, 255),
            .secondary: RGB(102, 153, 255), .success: RGB(120, 255, 180), .warning: RGB(255, 200, 100),
            .error: RGB(255, 100, 120), .highlight: RGB(60, 45, 90), .border: RGB(100, 80, 140),
            .title: RGB(180, 150, 255), .background: RGB(16, 16, 24),
        ],
        paintsBackground: false
    )

    /// A neutral light palette that paints its own background.
    public static let neutralLight = TUIPalette(
        name: "Light",
        colors: [
            .text: RGB(50, 60, 80), .muted: RGB(100, 115, 140), .primary: RGB(0, 150, 200),
            .secondary: RGB(0, 80, 180), .success: RGB(0, 180, 100), .warning: RGB(255, 140, 0),
            .error: RGB(220, 50, 80), .highlight: RGB(210, 235, 255), .border: RGB(140, 170, 200),
            .title: RGB(0, 140, 200), .background: RGB(250, 250, 252),
        ],
        paintsBackground: true
    )
}
