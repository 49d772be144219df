import SpomTheme
import SpomTUI
import Testing

/// Cells are stored packed (scalar or interned grapheme, interned role, packed RGB); what goes in
/// must come out unchanged through the public properties.
@Suite struct CellPackingTests {
    @Test func charactersAndStylesRoundTrip() {
        let heart: Character = "❤️"  // two scalars (U+2764 U+FE0F)
        let accented: Character = "e\u{301}"  // a letter and a combining mark
        let styles: [CellStyle] = [
            .screen, .text, .role(.warning, .bold), .rgb(RGB(1, 2, 3), [.underline, .dim]),
            CellStyle(foreground: .terminalDefault, background: .role("a-role-named-by-a-long-string"), attributes: .reverse),
        ]
        for character in [" ", "a", "区", heart, accented, "\u{FFFD}"] as [Character] {
            for style in styles {
                let cell = Cell(character: character, width: 1, style: style)
                #expect(cell.character == character)
                #expect(cell.style == style)
                #expect(cell == Cell(character: character, width: 1, style: style))
            }
        }
        #expect(Cell(character: "a", style: .role(.warning)) != Cell(character: "a", style: .role(.error)))
        #expect(Cell(character: heart) != Cell(character: "\u{2764}"))
    }

    @Test func gridKeepsGraphemesStylesAndInheritance() {
        var grid = CellGrid(width: 10, height: 2)
        grid.fill(Rect(width: 10, height: 2), style: CellStyle(foreground: .role(.muted), background: .rgb(RGB(9, 8, 7))))
        grid.write("a❤️é", column: 0, row: 0, style: .role(.primary))  // inherits the background
        #expect(grid.text(row: 0).hasPrefix("a❤️é"))
        #expect(grid.style(atColumn: 0, row: 0) == CellStyle(foreground: .role(.primary), background: .rgb(RGB(9, 8, 7))))
        grid.restyle(Rect(x: 0, y: 0, width: 1, height: 1)) { $0.attributes.insert(.bold) }
        #expect(grid.style(atColumn: 0, row: 0)?.attributes == .bold)
        #expect(grid.cell(atColumn: 0, row: 0)?.character == "a")
        grid.clear()
        #expect(grid.style(atColumn: 0, row: 0) == .screen)
        #expect(grid.text(row: 0) == String(repeating: " ", count: 10))
    }
}

@Test func repeatCharacterFillsLikePutAndRepairsWideCharacters() {
    var byPut = CellGrid(width: 8, height: 3)
    var byRepeat = CellGrid(width: 8, height: 3)
    for grid in [0, 1] {
        var g = grid == 0 ? byPut : byRepeat
        g.write("区块区块", column: 0, row: 1)  // wide characters to be cut in half
        g.fill(Rect(x: 0, y: 2, width: 8, height: 1), style: CellStyle(foreground: .role(.muted), background: .rgb(RGB(1, 1, 1))))
        if grid == 0 { byPut = g } else { byRepeat = g }
    }
    for row in 0..<3 {
        for column in 1..<6 { byPut.put("─", column: column, row: row, style: .role(.border)) }
    }
    byRepeat.repeatCharacter("─", in: Rect(x: 1, y: 0, width: 5, height: 3), style: .role(.border))
    #expect(byRepeat == byPut)
    #expect(byRepeat.text(row: 1) == " ─────块", "the halves of 区 at 0-1 and 4-5 are blanked, 块 at 6-7 stays")
    #expect(byRepeat.style(atColumn: 3, row: 2) == CellStyle(foreground: .role(.border), background: .rgb(RGB(1, 1, 1))))
    // A wide or control character falls back to put, cell by cell (no half glyphs, U+FFFD for controls).
    var wide = CellGrid(width: 4, height: 1)
    var wideByPut = wide
    wide.repeatCharacter("区", in: Rect(width: 4, height: 1), style: .text)
    for column in 0..<4 { wideByPut.put("区", column: column, row: 0, style: .text) }
    #expect(wide == wideByPut)
    wide.repeatCharacter("\u{7}", in: Rect(width: 1, height: 1), style: .text)
    #expect(wide.cell(atColumn: 0, row: 0)?.character == "\u{FFFD}")
}
