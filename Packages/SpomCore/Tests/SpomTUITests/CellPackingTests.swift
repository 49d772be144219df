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
