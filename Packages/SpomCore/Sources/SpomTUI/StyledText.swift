import SpomTheme
/// A run of text in one style.
public struct Span: Hashable, Sendable {
    /// The text.
    public var text: String
    /// Its style.
    public var style: CellStyle

    /// Creates a span.
    public init(_ text: String, _ style: CellStyle = .text) {
        self.text = text
        self.style = style
    }

    /// Creates a span in a role's colour.
    public init(_ text: String, role: ThemeRole, _ attributes: TextAttributes = []) {
        self.init(text, .role(role, attributes))
    }

    /// Display width in columns.
    public var width: Int { DisplayWidth.of(text) }
}

/// One line of styled text: a sequence of spans.
public struct StyledLine: Hashable, Sendable, ExpressibleByStringLiteral {
    /// The spans, left to right.
    public var spans: [Span]

    /// Creates a line from spans.
    public init(_ spans: [Span] = []) { self.spans = spans }
    /// Creates a line from spans.
    public init(_ spans: Span...) { self.spans = spans }
    /// Creates a one-span line.
    public init(_ text: String, _ style: CellStyle = .text) { self.spans = [Span(text, style)] }
    /// A plain line.
    public init(stringLiteral value: String) { self.spans = [Span(value)] }

    /// The text without styles.
    public var plainText: String { spans.map(\.text).joined() }
    /// Display width in columns.
    public var width: Int { spans.reduce(0) { $0 + $1.width } }
    /// True when the line has no visible text.
    public var isEmpty: Bool { spans.allSatisfy { $0.text.isEmpty } }

    /// Appends a span.
    public mutating func append(_ span: Span) { spans.append(span) }
    /// Appends text in a style.
    public mutating func append(_ text: String, _ style: CellStyle = .text) { spans.append(Span(text, style)) }
    /// Appends another line's spans.
    public mutating func append(contentsOf line: StyledLine) { spans.append(contentsOf: line.spans) }

    /// The line cut to `width` columns; when it was longer the last visible column becomes
    /// `ellipsis` (in the style of the text it replaces).
    public func truncated(to width: Int, ellipsis: String = "…") -> StyledLine {
        guard width > 0 else { return StyledLine() }
        if self.width <= width { return self }
        let ellipsisWidth = DisplayWidth.of(ellipsis)
        let budget = max(0, width - ellipsisWidth)
        var out: [Span] = []
        var used = 0
        var lastStyle = spans.first?.style ?? .text
        outer: for span in spans {
            var text = ""
            for character in span.text {
                let w = DisplayWidth.of(character)
                if used + w > budget { if !text.isEmpty { out.append(Span(text, span.style)) }; lastStyle = span.style; break outer }
                text.append(character)
                used += w
            }
            if !text.isEmpty { out.append(Span(text, span.style)) }
            lastStyle = span.style
        }
        if ellipsisWidth <= width { out.append(Span(ellipsis, lastStyle)) }
        return StyledLine(out)
    }

    /// Wraps the line to `width` columns, breaking at spaces where possible and inside words
    /// that are longer than a line. Always returns at least one line.
    public func wrapped(to width: Int) -> [StyledLine] {
        guard width > 0 else { return [self] }
        if self.width <= width { return [self] }
        // Flatten into (character, style index, width) so breaks can cross span boundaries.
        var glyphs: [(character: Character, span: Int, width: Int)] = []
        for (index, span) in spans.enumerated() {
            for character in span.text { glyphs.append((character, index, DisplayWidth.of(character))) }
        }
        var lines: [StyledLine] = []
        var start = 0
        while start < glyphs.count {
            var used = 0
            var end = start
            var lastSpace: Int? = nil
            while end < glyphs.count, used + glyphs[end].width <= width {
                if glyphs[end].character == " " { lastSpace = end }
                used += glyphs[end].width
                end += 1
            }
            var next = end
            if end < glyphs.count {
                if glyphs[end].character == " " {
                    next = end + 1
                } else if let space = lastSpace, space > start {
                    end = space
                    next = space + 1
                } else if end == start {
                    end = start + 1  // a glyph wider than the line: emit it alone
                    next = end
                }
            }
            lines.append(Self.build(glyphs[start..<end], spans: spans))
            start = next
        }
        return lines.isEmpty ? [StyledLine()] : lines
    }

    private static func build(_ glyphs: ArraySlice<(character: Character, span: Int, width: Int)>, spans: [Span]) -> StyledLine {
        var out: [Span] = []
        var current = ""
        var currentSpan = -1
        for glyph in glyphs {
            if glyph.span != currentSpan {
                if !current.isEmpty { out.append(Span(current, spans[currentSpan].style)) }
                current = ""
                currentSpan = glyph.span
            }
            current.append(glyph.character)
        }
        if !current.isEmpty, currentSpan >= 0 { out.append(Span(current, spans[currentSpan].style)) }
        return StyledLine(out)
    }
}

/// Horizontal alignment inside a column.
public enum TextAlignment: Sendable, Hashable {
    /// Flush left.
    case left
    /// Flush right.
    case right
    /// Centred (extra space on the right).
    case center
}

/// Plain-text width helpers: truncation with an ellipsis, middle abbreviation, padding.
public enum TextLayout {
    /// `text` cut to at most `width` columns, ending in `ellipsis` when something was cut.
    public static func truncate(_ text: String, to width: Int, ellipsis: String = "…") -> String {
        guard width > 0 else { return "" }
        if DisplayWidth.of(text) <= width { return text }
        let ellipsisWidth = DisplayWidth.of(ellipsis)
        if ellipsisWidth > width { return String(repeating: ".", count: width) }
        var out = ""
        var used = 0
        for character in text {
            let w = DisplayWidth.of(character)
            if used + w > width - ellipsisWidth { break }
            out.append(character)
            used += w
        }
        return out + ellipsis
    }

    /// `text` shortened in the middle to fit `width` columns, keeping its start and end (useful
    /// for hashes and keys): `"0x0377…09f4700"`.
    public static func truncateMiddle(_ text: String, to width: Int, ellipsis: String = "…") -> String {
        guard width > 0 else { return "" }
        if DisplayWidth.of(text) <= width { return text }
        let ellipsisWidth = DisplayWidth.of(ellipsis)
        if ellipsisWidth >= width { return truncate(text, to: width, ellipsis: ellipsis) }
        let room = width - ellipsisWidth
        let tailRoom = room / 2
        let headRoom = room - tailRoom
        return prefix(text, columns: headRoom) + ellipsis + suffix(text, columns: tailRoom)
    }

    /// v1-style key abbreviation: when `text` is longer than `head + tail + separator`, keeps the
    /// first `head` and last `tail` characters around `separator` (e.g. 12 + "..." + 8).
    public static func abbreviate(_ text: String, head: Int, tail: Int, separator: String = "...") -> String {
        let count = text.count
        guard count > head + tail + separator.count else { return text }
        return String(text.prefix(head)) + separator + String(text.suffix(tail))
    }

    /// `text` padded with spaces (or truncated with an ellipsis) to exactly `width` columns.
    public static func pad(_ text: String, to width: Int, alignment: TextAlignment = .left, ellipsis: String = "…") -> String {
        guard width > 0 else { return "" }
        let fitted = truncate(text, to: width, ellipsis: ellipsis)
        let gap = width - DisplayWidth.of(fitted)
        switch alignment {
        case .left: return fitted + String(repeating: " ", count: gap)
        case .right: return String(repeating: " ", count: gap) + fitted
        case .center:
            let left = gap / 2
            return String(repeating: " ", count: left) + fitted + String(repeating: " ", count: gap - left)
        }
    }

    /// The longest prefix of `text` that fits in `columns`.
    public static func prefix(_ text: String, columns: Int) -> String {
        var out = ""
        var used = 0
        for character in text {
            let w = DisplayWidth.of(character)
            if used + w > columns { break }
            out.append(character)
            used += w
        }
        return out
    }

    /// The longest suffix of `text` that fits in `columns`.
    public static func suffix(_ text: String, columns: Int) -> String {
        var out: [Character] = []
        var used = 0
        for character in text.reversed() {
            let w = DisplayWidth.of(character)
            if used + w > columns { break }
            out.append(character)
            used += w
        }
        return String(out.reversed())
    }
}
