import SpomTheme

/// A cell style resolved to terminal colour numbers: `-1` is the terminal's default colour.
public struct ResolvedStyle: Hashable, Sendable {
    /// Foreground colour number (-1 default).
    public var foreground: Int
    /// Background colour number (-1 default).
    public var background: Int
    /// Attributes to set (may include `reverse` added by a fallback).
    public var attributes: TextAttributes

    /// Creates a resolved style.
    public init(foreground: Int, background: Int, attributes: TextAttributes) {
        self.foreground = foreground
        self.background = background
        self.attributes = attributes
    }
}

/// Maps ``CellStyle``s to terminal colour numbers for a theme and a colour depth. Pure (no
/// terminal calls), so the fallbacks are testable; the backend applies the palette-slot
/// definitions it asks for.
///
/// - True colour on a direct-colour terminal: the packed `0xRRGGBB` number.
/// - True colour on a terminal that can redefine its palette: each distinct RGB gets a slot
///   from 16 upward (``pendingSlotDefinitions`` lists the slots to define with `init_color`);
///   when the slots run out, the 256-colour approximation.
/// - 256 / 16 / 8 colours: the nearest palette colour (``ColorApproximation``).
/// - At 16 colours and below the selection highlight becomes reverse video, because pastel
///   highlight backgrounds collapse onto the screen background there; monochrome turns every
///   coloured background into reverse video.
public struct ColorMapper: Sendable {
    /// The depth in use.
    public let depth: TerminalColorDepth
    /// True when the terminal takes packed RGB colour numbers (COLORS >= 2^24).
    public let directColor: Bool
    /// The theme roles resolve through.
    public private(set) var theme: Theme
    /// Whether the `background` role is painted (see ``BackgroundPolicy``).
    public private(set) var paintsBackground: Bool
    private var slots: [RGB: Int] = [:]
    private var nextSlot: Int
    private let slotLimit: Int
    /// Palette slots that must be (re)defined before drawing: index and colour.
    public private(set) var pendingSlotDefinitions: [(index: Int, color: RGB)] = []

    /// Creates a mapper. `terminalColors` is what the terminal reports (`COLORS`).
    public init(depth: TerminalColorDepth, theme: Theme, paintsBackground: Bool, terminalColors: Int) {
        self.depth = depth
        self.theme = theme
        self.paintsBackground = paintsBackground
        self.directColor = terminalColors >= 1 << 24
        self.nextSlot = 16
        self.slotLimit = min(terminalColors, 256)
    }

    /// Switches theme, forgetting every slot (they are handed out again as needed).
    public mutating func setTheme(_ newTheme: Theme, paintsBackground newPaints: Bool) {
        theme = newTheme
        paintsBackground = newPaints
        slots = [:]
        nextSlot = 16
        pendingSlotDefinitions = []
    }

    /// Takes the slot definitions the backend still has to apply.
    public mutating func takePendingSlotDefinitions() -> [(index: Int, color: RGB)] {
        defer { pendingSlotDefinitions = [] }
        return pendingSlotDefinitions
    }

    /// The terminal colour number for an RGB value at this depth.
    public mutating func number(for color: RGB) -> Int {
        switch depth {
        case .monochrome: return -1
        case .ansi8: return Int(ColorApproximation.ansi8(color))
        case .ansi16: return Int(ColorApproximation.ansi16(color))
        case .palette256: return Int(ColorApproximation.xterm256(color))
        case .trueColor:
            if directColor { return Int(color.red) << 16 | Int(color.green) << 8 | Int(color.blue) }
            if let slot = slots[color] { return slot }
            guard nextSlot < slotLimit else { return Int(ColorApproximation.xterm256(color)) }
            let slot = nextSlot
            nextSlot += 1
            slots[color] = slot
            pendingSlotDefinitions.append((slot, color))
            return slot
        }
    }

    /// Resolves a cell style.
    public mutating func resolve(_ style: CellStyle) -> ResolvedStyle {
        var attributes = style.attributes
        let foregroundRGB = theme.resolve(style.foreground, paintsBackground: paintsBackground)
        var backgroundRGB = theme.resolve(style.background, paintsBackground: paintsBackground)
        if depth <= .ansi16, style.background == .role(.highlight) {
            attributes.insert(.reverse)
            backgroundRGB = theme.resolve(.role(.background), paintsBackground: paintsBackground)
        }
        if depth == .monochrome {
            if backgroundRGB != nil && style.background != .role(.background) { attributes.insert(.reverse) }
            return ResolvedStyle(foreground: -1, background: -1, attributes: attributes)
        }
        var foreground = foregroundRGB.map { number(for: $0) } ?? -1
        let background = backgroundRGB.map { number(for: $0) } ?? -1
        if foreground == background && foreground != -1 && depth <= .ansi16 {
            // The approximation merged text and background: fall back to the default foreground.
            foreground = -1
        }
        return ResolvedStyle(foreground: foreground, background: background, attributes: attributes)
    }
}
