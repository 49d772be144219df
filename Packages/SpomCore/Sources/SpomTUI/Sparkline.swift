import SpomTheme

/// A one-row bar chart of `▁▂▃▄▅▆▇█`, one value per column, each bar in its own style.
public struct Sparkline: Hashable, Sendable {
    /// The eight bar glyphs, lowest first.
    public static let levels: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// Values, oldest first. Negative and NaN values count as 0.
    public var values: [Double]
    /// The value drawn as a full bar; nil uses the largest value.
    public var maximum: Double?
    /// Style of every bar without its own entry in ``barStyles``.
    public var style: CellStyle
    /// Per-bar styles (index-aligned with ``values``), e.g. red for a shortfall.
    public var barStyles: [CellStyle]
    /// Glyph for a zero value (`▁` like v1; use `" "` to leave gaps).
    public var zeroGlyph: Character

    /// Creates a sparkline.
    public init(values: [Double], maximum: Double? = nil, style: CellStyle = .role(.primary),
                barStyles: [CellStyle] = [], zeroGlyph: Character = "▁") {
        self.values = values
        self.maximum = maximum
        self.style = style
        self.barStyles = barStyles
        self.zeroGlyph = zeroGlyph
    }

    /// The glyph for `value` against `maximum`: level `round(value / maximum * 7)`, except that
    /// any non-zero value is at least `▂` so it never looks like zero (v1 drew small counts as
    /// `▁`, the same as nothing).
    public static func glyph(for value: Double, maximum: Double, zeroGlyph: Character = "▁") -> Character {
        guard value.isFinite, value > 0 else { return zeroGlyph }
        guard maximum.isFinite, maximum > 0 else { return levels[levels.count - 1] }
        let ratio = min(1, value / maximum)
        let level = max(1, Int((ratio * 7).rounded()))
        return levels[level]
    }

    /// The bars as text for at most `width` columns (the newest values when there are more).
    public func text(width: Int) -> String {
        String(bars(width: width).map(\.glyph))
    }

    private func bars(width: Int) -> [(glyph: Character, style: CellStyle)] {
        guard width > 0 else { return [] }
        let start = max(0, values.count - width)
        let shown = values[start...]
        let top = maximum ?? shown.reduce(0) { max($0, $1.isFinite ? $1 : 0) }
        return shown.indices.map { index in
            let barStyle = index < barStyles.count ? barStyles[index] : style
            return (Self.glyph(for: values[index], maximum: top, zeroGlyph: zeroGlyph), barStyle)
        }
    }

    /// Draws the bars on the first row of `area`, left-aligned. Returns the columns used.
    @discardableResult
    public func render(into grid: inout CellGrid, area: Rect) -> Int {
        guard area.height > 0 else { return 0 }
        var x = area.x
        for bar in bars(width: area.width) {
            x = grid.put(bar.glyph, column: x, row: area.y, style: bar.style, clip: area)
        }
        return x - area.x
    }
}
