import SpomTUI
import SpomTheme
import Testing

@Suite("CellGrid")
struct GridTests {
    @Test func writesTextAndClipsToTheRegion() {
        var grid = CellGrid(width: 10, height: 2)
        let end = grid.write("hello world", column: 2, row: 0, clip: Rect(x: 2, y: 0, width: 5, height: 1))
        #expect(end == 7)
        #expect(grid.text(row: 0) == "  hello   ")
        #expect(grid.text(row: 1) == "          ")
    }

    @Test func wideCharactersTakeTwoColumnsAndBoxDrawingOne() {
        var grid = CellGrid(width: 10, height: 1)
        let end = grid.write("区块─│", column: 0, row: 0)
        #expect(end == 6)
        #expect(grid.cell(atColumn: 0, row: 0)?.width == 2)
        #expect(grid.cell(atColumn: 1, row: 0)?.isContinuation == true)
        #expect(grid.cell(atColumn: 4, row: 0)?.character == "─")
        #expect(grid.cell(atColumn: 4, row: 0)?.width == 1)
        #expect(grid.text(row: 0) == "区块─│    ")
        #expect(DisplayWidth.of("区块 #42") == 8)
        #expect(DisplayWidth.of("╭─╮▁█✓★") == 7)
        #expect(DisplayWidth.of("🚀") == 2)
        #expect(DisplayWidth.of("e\u{301}") == 1)
    }

    @Test func wideCharacterAtTheEdgeBecomesASpace() {
        var grid = CellGrid(width: 5, height: 1)
        grid.write("abcd区", column: 0, row: 0)
        #expect(grid.text(row: 0) == "abcd ")
        #expect(grid.cells.allSatisfy { $0.width == 1 })
    }

    @Test func overwritingHalfAWideCharacterBlanksTheOtherHalf() {
        var grid = CellGrid(width: 6, height: 1)
        grid.write("区块", column: 0, row: 0)
        grid.write("x", column: 1, row: 0)  // right half of 区
        #expect(grid.text(row: 0) == " x块  ")
        grid.write("y", column: 2, row: 0)  // left half of 块
        #expect(grid.text(row: 0) == " xy   ")
        #expect(grid.cells.allSatisfy { $0.width == 1 })
    }

    @Test func controlCharactersAreReplaced() {
        var grid = CellGrid(width: 4, height: 1)
        grid.write("a\u{7}b", column: 0, row: 0)
        #expect(grid.text(row: 0) == "a\u{FFFD}b ")
    }

    @Test func inheritedBackgroundKeepsWhatIsUnderneath() {
        var grid = CellGrid(width: 4, height: 1)
        grid.fill(grid.bounds, style: CellStyle(foreground: .role(.text), background: .role(.highlight)))
        grid.write("ab", column: 0, row: 0, style: .role(.error, .bold))
        let style = grid.style(atColumn: 0, row: 0)
        #expect(style?.foreground == .role(.error))
        #expect(style?.background == .role(.highlight))
        #expect(style?.attributes == [.bold])
        grid.write("c", column: 2, row: 0, style: CellStyle(foreground: .rgb(RGB(1, 2, 3)), background: .terminalDefault))
        #expect(grid.style(atColumn: 2, row: 0)?.background == .terminalDefault)
        #expect(grid.style(atColumn: 2, row: 0)?.foreground == .rgb(RGB(1, 2, 3)))
    }

    @Test func clearKeepsSizeAndBlanksCells() {
        var grid = CellGrid(width: 3, height: 2)
        grid.write("xyz", column: 0, row: 1)
        grid.clear()
        #expect(grid.textRows == ["   ", "   "])
        grid.resize(to: TerminalSize(columns: 5, rows: 1))
        #expect(grid.textRows == ["     "])
    }

    @Test func styledLineTruncatesAndWraps() {
        let line = StyledLine(Span("Blocks ", role: .primary), Span("(1234 total)", role: .muted))
        let cut = line.truncated(to: 10)
        #expect(cut.plainText == "Blocks (1…")
        #expect(cut.width == 10)
        #expect(cut.spans.last?.style == .role(.muted))
        let wrapped = StyledLine("the quick brown fox jumps").wrapped(to: 10)
        #expect(wrapped.map(\.plainText) == ["the quick", "brown fox", "jumps"])
        let long = StyledLine("0123456789abcdef").wrapped(to: 6)
        #expect(long.map(\.plainText) == ["012345", "6789ab", "cdef"])
        let wide = StyledLine("区块区块区").wrapped(to: 5)
        #expect(wide.map(\.plainText) == ["区块", "区块", "区"])
    }

    @Test func textLayoutHelpers() {
        #expect(TextLayout.truncate("Dashboard", to: 5) == "Dash…")
        #expect(TextLayout.truncate("Dash", to: 5) == "Dash")
        #expect(TextLayout.truncate("区块区块", to: 5) == "区块…")
        #expect(TextLayout.truncateMiddle("0x037764d2d8aa809f4700", to: 11) == "0x037…f4700")
        #expect(TextLayout.abbreviate(String(repeating: "a", count: 12) + String(repeating: "b", count: 20) + "12345678", head: 12, tail: 8)
            == "aaaaaaaaaaaa...12345678")
        #expect(TextLayout.abbreviate("short", head: 12, tail: 8) == "short")
        #expect(TextLayout.pad("7", to: 4, alignment: .right) == "   7")
        #expect(TextLayout.pad("ab", to: 5, alignment: .center) == " ab  ")
        #expect(TextLayout.pad("abcdefgh", to: 5) == "abcd…")
    }
}
