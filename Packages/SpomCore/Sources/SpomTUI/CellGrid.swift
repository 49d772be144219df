import SpomTheme

/// One terminal cell: a grapheme cluster, the columns it spans and its style.
///
/// A wide character (2 columns) occupies its cell plus the cell to its right, which holds a
/// *continuation* (``width`` 0, character `""`-like placeholder) that the backend skips.
///
/// Stored packed (a scalar or interned grapheme, and a ``PackedStyle``) so a cell holds no
/// references: grids are cleared, copied and compared as plain bytes.
public struct Cell: Hashable, Sendable {
    /// The packed character (see ``PackedGlyph``).
    var glyph: UInt32
    /// 1 for an ordinary cell, 2 for the left half of a wide character, 0 for the right half.
    public var width: UInt8
    /// The packed style.
    var packedStyle: PackedStyle

    /// The grapheme shown in this cell (a space when blank).
    public var character: Character {
        get { PackedGlyph.unpack(glyph) }
        set { glyph = PackedGlyph.pack(newValue) }
    }

    /// Colours and attributes.
    public var style: CellStyle {
        get { packedStyle.style }
        set { packedStyle = PackedStyle(newValue) }
    }

    /// Creates a cell.
    public init(character: Character = " ", width: UInt8 = 1, style: CellStyle = .screen) {
        self.glyph = PackedGlyph.pack(character)
        self.width = width
        self.packedStyle = PackedStyle(style)
    }

    /// Creates a cell from packed parts.
    init(glyph: UInt32, width: UInt8, packedStyle: PackedStyle) {
        self.glyph = glyph
        self.width = width
        self.packedStyle = packedStyle
    }

    /// True for the right half of a wide character.
    public var isContinuation: Bool { width == 0 }
}

/// An in-memory screen: a contiguous row-major array of ``Cell``s that widgets draw into and the
/// terminal backend flushes. Everything that draws is testable without a terminal: render into a
/// grid, then assert on ``textRows`` and ``style(atColumn:row:)``.
public struct CellGrid: Hashable, Sendable {
    /// Columns.
    public private(set) var width: Int
    /// Rows.
    public private(set) var height: Int
    /// The cells, row-major (`cells[row * width + column]`).
    public private(set) var cells: [Cell]

    /// Creates a grid filled with blank cells of `style`.
    public init(width: Int, height: Int, style: CellStyle = .screen) {
        self.width = max(0, width)
        self.height = max(0, height)
        self.cells = Array(repeating: Cell(style: style), count: self.width * self.height)
    }

    /// Creates a grid the size of a terminal.
    public init(size: TerminalSize, style: CellStyle = .screen) {
        self.init(width: size.columns, height: size.rows, style: style)
    }

    /// The whole grid as a rectangle.
    public var bounds: Rect { Rect(width: width, height: height) }
    /// The grid's size.
    public var size: TerminalSize { TerminalSize(columns: width, rows: height) }

    /// Changes the size, blanking every cell.
    public mutating func resize(to size: TerminalSize, style: CellStyle = .screen) {
        width = size.columns
        height = size.rows
        cells = Array(repeating: Cell(style: style), count: width * height)
    }

    /// Blanks every cell with `style` (keeps the storage: no allocation).
    public mutating func clear(style: CellStyle = .screen) {
        let blank = Cell(style: style)
        cells.withUnsafeMutableBufferPointer { buffer in
            for index in buffer.indices { buffer[index] = blank }
        }
    }

    /// The cell at a position, or nil outside the grid.
    public func cell(atColumn column: Int, row: Int) -> Cell? {
        guard column >= 0, column < width, row >= 0, row < height else { return nil }
        return cells[row * width + column]
    }

    /// The style at a position, or nil outside the grid.
    public func style(atColumn column: Int, row: Int) -> CellStyle? {
        cell(atColumn: column, row: row)?.style
    }

    /// Fills a rectangle (clipped to the grid) with one character and a style, replacing what
    /// was there (no inheritance). Use it to clear a popup's area or paint a bar background.
    public mutating func fill(_ rect: Rect, character: Character = " ", style: CellStyle) {
        let area = rect.intersection(bounds)
        guard !area.isEmpty else { return }
        let resolved = CellStyle(
            foreground: style.foreground == .inherit ? .role(.text) : style.foreground,
            background: style.background == .inherit ? .role(.background) : style.background,
            attributes: style.attributes
        )
        let blank = Cell(character: DisplayWidth.of(character) == 1 ? character : " ", width: 1, style: resolved)
        for row in area.y..<area.maxY {
            repairWideCharacter(column: area.x, row: row)
            repairWideCharacter(column: area.maxX - 1, row: row)
            let start = row * width
            for column in area.x..<area.maxX { cells[start + column] = blank }
        }
    }

    /// Changes the style of every cell in `rect` without touching the characters.
    public mutating func restyle(_ rect: Rect, _ change: (inout CellStyle) -> Void) {
        let area = rect.intersection(bounds)
        guard !area.isEmpty else { return }
        for row in area.y..<area.maxY {
            let start = row * width
            for column in area.x..<area.maxX { change(&cells[start + column].style) }
        }
    }

    /// Writes one grapheme at (`column`, `row`) if it fits inside `clip` (and the grid).
    /// Returns the column after it (unchanged when nothing could be written). A wide character
    /// that would straddle the clip's right edge is replaced by a space.
    @discardableResult
    public mutating func put(_ character: Character, column: Int, row: Int, style: CellStyle, clip: Rect? = nil) -> Int {
        let area = clip.map { $0.intersection(bounds) } ?? bounds
        guard row >= area.y, row < area.maxY, column >= area.x, column < area.maxX else { return column }
        return putInside(character, column: column, row: row, style: style, maxX: area.maxX)
    }

    /// `put` for a position already known to be inside the grid and the clip (`maxX` is the
    /// clip's right edge).
    private mutating func putInside(_ character: Character, column: Int, row: Int, style: CellStyle, maxX: Int) -> Int {
        var glyph = character
        var glyphWidth: Int
        if let ascii = character.asciiValue {
            glyphWidth = 1
            if ascii < 0x20 || ascii == 0x7F { glyph = "\u{FFFD}" }
        } else {
            glyphWidth = DisplayWidth.of(character)
            if glyphWidth == 0 { return column }
            if glyphWidth == 1, let first = character.unicodeScalars.first, first.value >= 0x80, first.value < 0xA0 {
                glyph = "\u{FFFD}"
            }
            if glyphWidth == 2 && column + 1 >= maxX {
                glyph = " "
                glyphWidth = 1
            }
        }
        let index = row * width + column
        if cells[index].width != 1 { repairWideCharacter(column: column, row: row) }
        if glyphWidth == 2 && cells[index + 1].width != 1 { repairWideCharacter(column: column + 1, row: row) }
        let packed = PackedStyle(style)
        let finalStyle = packed.inherits ? packed.applied(over: cells[index].packedStyle) : packed
        cells[index] = Cell(glyph: PackedGlyph.pack(glyph), width: UInt8(glyphWidth), packedStyle: finalStyle)
        if glyphWidth == 2 {
            cells[index + 1] = Cell(glyph: PackedGlyph.space, width: 0, packedStyle: finalStyle)
        }
        return column + glyphWidth
    }

    /// Draws `character` (one column wide, such as a box-drawing line) on every cell of `rect`
    /// (clipped to the grid), packing the glyph and style once instead of once per cell as
    /// ``put(_:column:row:style:clip:)`` does. Panel borders use it. A character that is not one
    /// column wide is drawn cell by cell with `put`.
    public mutating func repeatCharacter(_ character: Character, in rect: Rect, style: CellStyle) {
        let area = rect.intersection(bounds)
        guard !area.isEmpty else { return }
        let plain: Bool
        if let ascii = character.asciiValue {
            plain = ascii >= 0x20 && ascii != 0x7F
        } else if DisplayWidth.of(character) == 1, let first = character.unicodeScalars.first {
            plain = !(0x80..<0xA0).contains(first.value)
        } else {
            plain = false
        }
        guard plain else {
            for row in area.y..<area.maxY {
                for column in area.x..<area.maxX { put(character, column: column, row: row, style: style) }
            }
            return
        }
        let glyph = PackedGlyph.pack(character)
        let packed = PackedStyle(style)
        let inherits = packed.inherits
        for row in area.y..<area.maxY {
            for column in area.x..<area.maxX {
                let index = row * width + column
                if cells[index].width != 1 { repairWideCharacter(column: column, row: row) }
                cells[index] = Cell(glyph: glyph, width: 1, packedStyle: inherits ? packed.applied(over: cells[index].packedStyle) : packed)
            }
        }
    }

    /// Writes `text` starting at (`column`, `row`), clipped to `clip`. Returns the column after
    /// the last character written.
    @discardableResult
    public mutating func write<S: StringProtocol>(_ text: S, column: Int, row: Int, style: CellStyle = .text, clip: Rect? = nil) -> Int {
        let area = clip.map { $0.intersection(bounds) } ?? bounds
        guard row >= area.y, row < area.maxY else { return column }
        var x = column
        if x >= area.x, text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) {
            // Printable ASCII: one cell per byte, no grapheme breaking; the style is packed once.
            let packed = PackedStyle(style)
            let inherits = packed.inherits
            for byte in text.utf8 {
                if x >= area.maxX { break }
                let index = row * width + x
                if cells[index].width != 1 { repairWideCharacter(column: x, row: row) }
                cells[index] = Cell(glyph: UInt32(byte), width: 1,
                                    packedStyle: inherits ? packed.applied(over: cells[index].packedStyle) : packed)
                x += 1
            }
            return x
        }
        for character in text {
            if x >= area.maxX { break }
            if x < area.x {
                x += DisplayWidth.of(character)
                continue
            }
            x = putInside(character, column: x, row: row, style: style, maxX: area.maxX)
        }
        return x
    }

    /// Writes a styled line starting at (`column`, `row`), clipped to `clip`. Returns the column
    /// after the last character written.
    @discardableResult
    public mutating func write(_ line: StyledLine, column: Int, row: Int, clip: Rect? = nil) -> Int {
        var x = column
        for span in line.spans {
            x = write(span.text, column: x, row: row, style: span.style, clip: clip)
        }
        return x
    }

    /// The text of one row, wide characters once each (continuations skipped). Empty outside.
    public func text(row: Int) -> String {
        guard row >= 0, row < height else { return "" }
        var out = ""
        out.reserveCapacity(width)
        let start = row * width
        for column in 0..<width where cells[start + column].width != 0 {
            out.append(cells[start + column].character)
        }
        return out
    }

    /// The text of every row (see ``text(row:)``).
    public var textRows: [String] { (0..<height).map { text(row: $0) } }

    /// The text inside a rectangle, one string per row.
    public func text(in rect: Rect) -> [String] {
        let area = rect.intersection(bounds)
        guard !area.isEmpty else { return [] }
        return (area.y..<area.maxY).map { row in
            var out = ""
            for column in area.x..<area.maxX {
                let cell = cells[row * width + column]
                if cell.width != 0 { out.append(cell.character) }
            }
            return out
        }
    }

    /// When (`column`, `row`) holds half of a wide character, blanks the other half so that no
    /// orphan half survives an overwrite.
    private mutating func repairWideCharacter(column: Int, row: Int) {
        guard column >= 0, column < width, row >= 0, row < height else { return }
        let index = row * width + column
        let cell = cells[index]
        if cell.width == 0, column > 0 {
            cells[index - 1].glyph = PackedGlyph.space
            cells[index - 1].width = 1
            cells[index].width = 1
            cells[index].glyph = PackedGlyph.space
        } else if cell.width == 2, column + 1 < width {
            cells[index + 1].glyph = PackedGlyph.space
            cells[index + 1].width = 1
            cells[index].width = 1
            cells[index].glyph = PackedGlyph.space
        }
    }
}
