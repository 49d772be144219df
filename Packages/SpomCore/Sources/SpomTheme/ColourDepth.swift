/// How many colours a terminal shows, and the escape sequences for a colour at that depth.
public enum ColourDepth: Sendable, Equatable {
    /// 24-bit colour.
    case trueColour
    /// The xterm 256-colour palette.
    case ansi256
    /// The 8 basic colours.
    case ansi8
    /// No colour (`NO_COLOR`, `TERM=dumb`, or not a terminal).
    case none

    /// Picks the depth from the environment: `NO_COLOR` or `TERM=dumb` -> none; `COLORTERM`
    /// `truecolor`/`24bit` -> 24-bit; a `TERM` containing `256color` -> 256; otherwise 8.
    public static func detect(environment: [String: String]) -> ColourDepth {
        if let noColour = environment["NO_COLOR"], !noColour.isEmpty { return .none }
        let term = environment["TERM"] ?? ""
        if term == "dumb" { return .none }
        let colourTerm = (environment["COLORTERM"] ?? "").lowercased()
        if colourTerm == "truecolor" || colourTerm == "24bit" { return .trueColour }
        if term.contains("256color") { return .ansi256 }
        return .ansi8
    }

    /// The SGR escape sequence selecting `colour` as foreground (or background), or "" for `.none`.
    public func sgr(_ colour: RGB, background: Bool = false) -> String {
        switch self {
        case .trueColour: "\u{1B}[\(background ? 48 : 38);2;\(colour.red);\(colour.green);\(colour.blue)m"
        case .ansi256: "\u{1B}[\(background ? 48 : 38);5;\(colour.ansi256)m"
        case .ansi8: "\u{1B}[\(Int(background ? 40 : 30) + Int(colour.ansi8))m"
        case .none: ""
        }
    }

    /// `text` wrapped in `role`'s colour from `theme`, reset afterwards ("" escapes for `.none`).
    public func paint(_ text: String, _ role: ThemeRole, in theme: Theme) -> String {
        self == .none ? text : sgr(theme[role]) + text + "\u{1B}[0m"
    }
}
