import SpomTheme

/// How much of a split one part takes.
public enum Constraint: Hashable, Sendable {
    /// Exactly this many cells (less only when the space runs out).
    case fixed(Int)
    /// This percentage (0-100) of the whole length being split.
    case percent(Int)
    /// A share of what is left after fixed and percentage parts, in proportion to the weight.
    case fill(Int = 1)
}

/// Direction of a split.
public enum Axis: Sendable, Hashable {
    /// Parts stacked top to bottom (split the height).
    case vertical
    /// Parts side by side left to right (split the width).
    case horizontal
}

/// Splits rectangles into rows and columns.
public enum Layout {
    /// The lengths that `constraints` give out of `total` cells with `spacing` cells between
    /// parts. Fixed parts are served first, then percentages, then fill parts share the rest by
    /// weight (the rounding remainder goes to the earliest fill parts). When space runs out the
    /// later parts shrink first; the lengths never sum to more than `total`.
    public static func lengths(_ constraints: [Constraint], total: Int, spacing: Int = 0) -> [Int] {
        guard !constraints.isEmpty else { return [] }
        let gaps = max(0, spacing) * (constraints.count - 1)
        var remaining = max(0, total - gaps)
        var lengths = Array(repeating: 0, count: constraints.count)
        for (index, constraint) in constraints.enumerated() {
            switch constraint {
            case .fixed(let n):
                lengths[index] = min(max(0, n), remaining)
                remaining -= lengths[index]
            case .percent, .fill:
                break
            }
        }
        let base = max(0, total - gaps)
        for (index, constraint) in constraints.enumerated() {
            if case .percent(let p) = constraint {
                lengths[index] = min(base * min(max(0, p), 100) / 100, remaining)
                remaining -= lengths[index]
            }
        }
        let weights = constraints.map { constraint -> Int in
            if case .fill(let w) = constraint { return max(0, w) }
            return 0
        }
        let totalWeight = weights.reduce(0, +)
        if totalWeight > 0 {
            let share = remaining
            var given = 0
            for index in constraints.indices where weights[index] > 0 {
                lengths[index] = share * weights[index] / totalWeight
                given += lengths[index]
            }
            var extra = share - given
            for index in constraints.indices where weights[index] > 0 && extra > 0 {
                lengths[index] += 1
                extra -= 1
            }
        }
        return lengths
    }

    /// Splits `rect` along `axis` into one rectangle per constraint, separated by `spacing`.
    public static func split(_ rect: Rect, _ axis: Axis, _ constraints: [Constraint], spacing: Int = 0) -> [Rect] {
        let total = axis == .vertical ? rect.height : rect.width
        let sizes = lengths(constraints, total: total, spacing: spacing)
        var offset = 0
        var out: [Rect] = []
        out.reserveCapacity(sizes.count)
        for size in sizes {
            switch axis {
            case .vertical: out.append(Rect(x: rect.x, y: rect.y + offset, width: rect.width, height: size))
            case .horizontal: out.append(Rect(x: rect.x + offset, y: rect.y, width: size, height: rect.height))
            }
            offset += size + max(0, spacing)
        }
        return out
    }

    /// Splits `rect` into rows (top to bottom).
    public static func rows(_ rect: Rect, _ constraints: [Constraint], spacing: Int = 0) -> [Rect] {
        split(rect, .vertical, constraints, spacing: spacing)
    }

    /// Splits `rect` into columns (left to right).
    public static func columns(_ rect: Rect, _ constraints: [Constraint], spacing: Int = 0) -> [Rect] {
        split(rect, .horizontal, constraints, spacing: spacing)
    }
}

/// A coarse width class that views switch layouts on.
public enum SizeClass: Int, Comparable, Sendable, CaseIterable {
    /// Narrow terminals (default: fewer than 100 columns; an 80x24 terminal is compact).
    case compact
    /// Ordinary terminals (default: 100 to 159 columns).
    case regular
    /// Wide terminals (default: 160 columns or more).
    case wide

    /// Column thresholds at which the classes start.
    public struct Thresholds: Hashable, Sendable {
        /// First width that is `regular`.
        public var regular: Int
        /// First width that is `wide`.
        public var wide: Int
        /// Creates thresholds.
        public init(regular: Int, wide: Int) {
            self.regular = regular
            self.wide = max(regular, wide)
        }
        /// compact < 100 <= regular < 160 <= wide.
        public static let standard = Thresholds(regular: 100, wide: 160)
        /// The predecessor's two classes: Medium below 120 columns, Large from 120 (a full 66-character
        /// key fits in a Blocks row); mapped to compact / regular, with wide from 160.
        public static let v1 = Thresholds(regular: 120, wide: 160)
    }

    /// The class of a terminal `columns` wide.
    public init(columns: Int, thresholds: Thresholds = .standard) {
        if columns >= thresholds.wide {
            self = .wide
        } else if columns >= thresholds.regular {
            self = .regular
        } else {
            self = .compact
        }
    }

    /// Orders compact < regular < wide.
    public static func < (lhs: SizeClass, rhs: SizeClass) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// The smallest terminal a screen can be drawn in, and the notice shown below it.
public struct MinimumSize: Hashable, Sendable {
    /// Minimum columns.
    public var columns: Int
    /// Minimum rows.
    public var rows: Int

    /// Creates a minimum size.
    public init(columns: Int, rows: Int) {
        self.columns = columns
        self.rows = rows
    }

    /// 80x24, the classic terminal.
    public static let classic = MinimumSize(columns: 80, rows: 24)

    /// True when `size` is at least the minimum in both directions.
    public func isSatisfied(by size: TerminalSize) -> Bool {
        size.columns >= columns && size.rows >= rows
    }

    /// The notice's lines for a terminal of `size`.
    public func message(for size: TerminalSize) -> [String] {
        [
            "Terminal too small",
            "\(size.columns)x\(size.rows), need at least \(columns)x\(rows)",
            "Resize the window, or press q to quit",
        ]
    }

    /// Clears `grid` and draws the notice centred (each line truncated to the width). Returns
    /// true when it drew (the size was too small), false when the size is fine and nothing was
    /// drawn.
    @discardableResult
    public func renderNoticeIfTooSmall(into grid: inout CellGrid) -> Bool {
        let size = grid.size
        guard !isSatisfied(by: size) else { return false }
        grid.clear()
        let lines = message(for: size)
        let top = max(0, (size.rows - lines.count) / 2)
        let styles: [CellStyle] = [.role(.warning, .bold), .role(.text), .role(.muted)]
        for (index, line) in lines.enumerated() where top + index < size.rows {
            let text = TextLayout.truncate(line, to: size.columns)
            let x = max(0, (size.columns - DisplayWidth.of(text)) / 2)
            grid.write(text, column: x, row: top + index, style: styles[index])
        }
        return true
    }
}
