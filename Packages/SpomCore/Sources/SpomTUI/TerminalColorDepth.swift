import SpomTheme

/// How many colours the terminal backend may use. Finer than SpomTheme's `ColourDepth` (it
/// knows 16 colours and palette redefinition) because it also asks terminfo what the terminal
/// can do; convert a configured `ColourDepth` with ``init(_:)``.
public enum TerminalColorDepth: Int, Comparable, Sendable, CaseIterable, CustomStringConvertible {
    /// No colour: attributes only (NO_COLOR, or a terminal without colours).
    case monochrome
    /// The 8 basic ANSI colours.
    case ansi8
    /// The 16 ANSI colours (8 plus bright variants).
    case ansi16
    /// The xterm 256-colour palette (6x6x6 cube plus 24 greys).
    case palette256
    /// Exact 24-bit colours (direct-colour terminfo, or palette slots redefined with init_color).
    case trueColor

    /// The depth matching a SpomTheme `ColourDepth` (from configuration or `--colour`).
    public init(_ depth: ColourDepth) {
        switch depth {
        case .trueColour: self = .trueColor
        case .ansi256: self = .palette256
        case .ansi8: self = .ansi8
        case .none: self = .monochrome
        }
    }

    /// Orders monochrome < ... < trueColor.
    public static func < (lhs: TerminalColorDepth, rhs: TerminalColorDepth) -> Bool { lhs.rawValue < rhs.rawValue }

    /// `"truecolor"`, `"256"`, `"16"`, `"8"`, `"none"`.
    public var description: String {
        switch self {
        case .monochrome: return "none"
        case .ansi8: return "8"
        case .ansi16: return "16"
        case .palette256: return "256"
        case .trueColor: return "truecolor"
        }
    }

    /// Parses a configuration value: "auto" gives nil; "truecolor"/"24bit", "256", "16", "8",
    /// "none"/"mono" give a depth. Unknown values give nil.
    public static func parse(_ text: String) -> TerminalColorDepth?? {
        switch text.lowercased() {
        case "auto", "": return .some(nil)
        case "truecolor", "24bit", "24-bit", "true": return .trueColor
        case "256": return .palette256
        case "16": return .ansi16
        case "8": return .ansi8
        case "none", "mono", "monochrome", "0": return .monochrome
        default: return nil
        }
    }

    /// The depth to use, from the environment and what the terminal reports.
    ///
    /// - `NO_COLOR` (non-empty) gives monochrome.
    /// - True colour needs `COLORTERM` = `truecolor`/`24bit` and either a direct-colour terminal
    ///   (`colors` >= 2^24) or one that can redefine palette entries (`canChangeColor` with at
    ///   least 256 colours).
    /// - Otherwise 256, 16 or 8 colours by what `colors` reports, capped by `preferred` when given.
    public static func detect(environment: [String: String], colors: Int, canChangeColor: Bool, preferred: TerminalColorDepth? = nil) -> TerminalColorDepth {
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty, preferred == nil { return .monochrome }
        let supported: TerminalColorDepth
        let colorTerm = environment["COLORTERM"]?.lowercased() ?? ""
        let wantsTrueColor = colorTerm == "truecolor" || colorTerm == "24bit"
        if colors >= 1 << 24 || (wantsTrueColor && canChangeColor && colors >= 256) {
            supported = .trueColor
        } else if colors >= 256 {
            supported = .palette256
        } else if colors >= 16 {
            supported = .ansi16
        } else if colors >= 8 {
            supported = .ansi8
        } else {
            supported = .monochrome
        }
        if let preferred { return min(preferred, supported) }
        return supported
    }
}

/// Maps 24-bit colours to the nearest colour of smaller palettes.
public enum ColorApproximation {
    /// The six channel levels of the xterm 6x6x6 cube.
    public static let cubeLevels: [Int] = [0, 95, 135, 175, 215, 255]

    /// The RGB value of an xterm-256 palette index.
    public static func rgb(ofXterm256 index: UInt8) -> RGB {
        let i = Int(index)
        if i < 16 { return ansi16Colors[i] }
        if i >= 232 {
            let level = UInt8(8 + (i - 232) * 10)
            return RGB(level, level, level)
        }
        let c = i - 16
        return RGB(UInt8(cubeLevels[c / 36]), UInt8(cubeLevels[(c / 6) % 6]), UInt8(cubeLevels[c % 6]))
    }

    /// The nearest xterm-256 index (16...255): SpomTheme's `RGB.ansi256` (nearest cube colour
    /// or grey), so the dashboard and the CLI agree.
    public static func xterm256(_ color: RGB) -> UInt8 {
        color.ansi256
    }

    /// xterm's default 16 colours.
    public static let ansi16Colors: [RGB] = [
        RGB(0, 0, 0), RGB(205, 0, 0), RGB(0, 205, 0), RGB(205, 205, 0),
        RGB(0, 0, 238), RGB(205, 0, 205), RGB(0, 205, 205), RGB(229, 229, 229),
        RGB(127, 127, 127), RGB(255, 0, 0), RGB(0, 255, 0), RGB(255, 255, 0),
        RGB(92, 92, 255), RGB(255, 0, 255), RGB(0, 255, 255), RGB(255, 255, 255),
    ]

    /// The nearest of the 8 basic colours (0 black, 1 red, 2 green, 3 yellow, 4 blue, 5 magenta,
    /// 6 cyan, 7 white), chosen by hue so that tinted pastels keep their meaning (mint stays
    /// green, violet stays blue) and near-greys become black or white by lightness.
    public static func ansi8(_ color: RGB) -> UInt8 {
        let (hue, chroma, lightness) = hcl(color)
        if chroma < 0.2 { return lightness < 0.5 ? 0 : 7 }
        return hueColor(hue)
    }

    /// The nearest of the 16 ANSI colours: the hue's basic colour, bright when light; near-greys
    /// by lightness (black, bright black, white, bright white).
    public static func ansi16(_ color: RGB) -> UInt8 {
        let (hue, chroma, lightness) = hcl(color)
        if chroma < 0.2 {
            switch lightness {
            case ..<0.2: return 0
            case ..<0.5: return 8
            case ..<0.85: return 7
            default: return 15
            }
        }
        let base = hueColor(hue)
        return lightness > 0.6 ? base + 8 : base
    }

    /// Squared distance, weighted for perception (red 2, green 4, blue 3).
    public static func distance(_ a: RGB, _ b: RGB) -> Int {
        let dr = Int(a.red) - Int(b.red), dg = Int(a.green) - Int(b.green), db = Int(a.blue) - Int(b.blue)
        return 2 * dr * dr + 4 * dg * dg + 3 * db * db
    }

    private static func hueColor(_ hue: Double) -> UInt8 {
        // Sectors centred on red 0, yellow 60, green 120, cyan 180, blue 240, magenta 300.
        let sector = Int(((hue + 30).truncatingRemainder(dividingBy: 360)) / 60)
        return [1, 3, 2, 6, 4, 5][max(0, min(5, sector))]
    }

    /// Hue in degrees, chroma 0...1, lightness 0...1 (HSL).
    private static func hcl(_ color: RGB) -> (Double, Double, Double) {
        let r = Double(color.red) / 255, g = Double(color.green) / 255, b = Double(color.blue) / 255
        let maxV = max(r, g, b), minV = min(r, g, b)
        let chroma = maxV - minV
        let lightness = (maxV + minV) / 2
        var hue = 0.0
        if chroma > 0 {
            if maxV == r {
                hue = 60 * ((g - b) / chroma).truncatingRemainder(dividingBy: 6)
            } else if maxV == g {
                hue = 60 * ((b - r) / chroma + 2)
            } else {
                hue = 60 * ((r - g) / chroma + 4)
            }
        }
        if hue < 0 { hue += 360 }
        return (hue, chroma, lightness)
    }

    /// The terminal colour number for `color` at `depth`: the packed 0xRRGGBB value for
    /// direct-colour true colour, a palette index otherwise; nil for monochrome.
    public static func colorNumber(_ color: RGB, depth: TerminalColorDepth) -> Int? {
        switch depth {
        case .monochrome: return nil
        case .ansi8: return Int(ansi8(color))
        case .ansi16: return Int(ansi16(color))
        case .palette256: return Int(xterm256(color))
        case .trueColor: return Int(color.red) << 16 | Int(color.green) << 8 | Int(color.blue)
        }
    }
}
