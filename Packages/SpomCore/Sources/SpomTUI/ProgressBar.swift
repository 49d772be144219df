import SpomTheme

/// The glyphs a progress bar is drawn with.
public enum ProgressBarGlyphs: Sendable, Hashable {
    /// Full blocks `█` with eighth-block partials `▏▎▍▌▋▊▉` and blank track (finest resolution).
    case blocks
    /// Heavy line `━` over a shaded track `░` (v1's look; whole cells only).
    case line
    /// `#` over `-`, for ASCII-only terminals.
    case ascii
}

/// A horizontal progress bar with an optional percentage label after it.
public struct ProgressBar: Hashable, Sendable {
    /// Progress 0...1 (clamped; NaN counts as 0).
    public var fraction: Double
    /// Glyph set.
    public var glyphs: ProgressBarGlyphs
    /// Style of the filled part.
    public var filledStyle: CellStyle
    /// Style of the empty track.
    public var emptyStyle: CellStyle
    /// When true, `" 32.6%"` follows the bar.
    public var showsPercentage: Bool
    /// Style of the percentage.
    public var labelStyle: CellStyle

    /// Creates a bar.
    public init(fraction: Double, glyphs: ProgressBarGlyphs = .blocks, filledStyle: CellStyle = .role(.primary),
                emptyStyle: CellStyle = .role(.muted), showsPercentage: Bool = false, labelStyle: CellStyle = .role(.text)) {
        self.fraction = fraction
        self.glyphs = glyphs
        self.filledStyle = filledStyle
        self.emptyStyle = emptyStyle
        self.showsPercentage = showsPercentage
        self.labelStyle = labelStyle
    }

    /// The clamped fraction.
    public var clampedFraction: Double {
        fraction.isNaN ? 0 : min(1, max(0, fraction))
    }

    /// The bar's text for `width` columns: the filled part and the empty part.
    public func bar(width: Int) -> (filled: String, empty: String) {
        guard width > 0 else { return ("", "") }
        switch glyphs {
        case .blocks:
            let eighths = Int((clampedFraction * Double(width * 8)).rounded())
            let full = eighths / 8, remainder = eighths % 8
            var filled = String(repeating: "█", count: full)
            let partials: [Character] = ["▏", "▎", "▍", "▌", "▋", "▊", "▉"]
            var used = full
            if remainder > 0 && full < width {
                filled.append(partials[remainder - 1])
                used += 1
            }
            return (filled, String(repeating: " ", count: width - used))
        case .line, .ascii:
            let full = Int((clampedFraction * Double(width)).rounded())
            let (on, off) = glyphs == .line ? ("━", "░") : ("#", "-")
            return (String(repeating: on, count: full), String(repeating: off, count: width - full))
        }
    }

    /// `"32.6%"` for the current fraction.
    public var percentageText: String {
        let tenths = Int((clampedFraction * 1000).rounded())
        return "\(tenths / 10).\(tenths % 10)%"
    }

    /// Draws the bar on the first row of `area`.
    public func render(into grid: inout CellGrid, area: Rect) {
        guard area.height > 0, area.width > 0 else { return }
        let label = showsPercentage ? " " + TextLayout.pad(percentageText, to: 6, alignment: .right) : ""
        let labelWidth = label.count <= area.width - 1 ? label.count : 0
        let (filled, empty) = bar(width: area.width - labelWidth)
        var x = grid.write(filled, column: area.x, row: area.y, style: filledStyle, clip: area)
        x = grid.write(empty, column: x, row: area.y, style: emptyStyle, clip: area)
        if labelWidth > 0 { grid.write(label, column: x, row: area.y, style: labelStyle, clip: area) }
    }
}
