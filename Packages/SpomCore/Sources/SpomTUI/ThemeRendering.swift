import SpomTheme

/// When the backend paints the theme's `background` role on every cell instead of leaving the
/// terminal's own background.
public enum BackgroundPolicy: Sendable, Hashable {
    /// Light themes paint their background (so a light theme stays readable on a dark
    /// terminal, which the predecessor's light theme was not); dark themes use the terminal's background.
    case lightThemes
    /// Every theme paints its background.
    case always
    /// The terminal's background always shows through.
    case never

    /// Whether `theme` paints its background under this policy.
    public func paints(_ theme: Theme) -> Bool {
        switch self {
        case .lightThemes: return !theme.isDark
        case .always: return true
        case .never: return false
        }
    }
}

extension Theme {
    /// The RGB a cell colour resolves to, or nil for the terminal's default colour. The
    /// `background` role resolves only when `paintsBackground`.
    public func resolve(_ color: CellColor, paintsBackground: Bool) -> RGB? {
        switch color {
        case .inherit, .terminalDefault: return nil
        case .rgb(let rgb): return rgb
        case .role(let role):
            if role == .background { return paintsBackground ? self[.background] : nil }
            return self[role]
        }
    }
}
