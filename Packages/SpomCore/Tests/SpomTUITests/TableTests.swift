import SpomTUI
import Testing

@Suite("Table")
struct TableTests {
    static let columns = [
        TableColumn("Block", width: .fixed(6)),
        TableColumn("Slot", width: .fixed(5), alignment: .right),
        TableColumn("Author", width: .fill(), truncation: .middle),
    ]

    static func rows(_ numbers: ClosedRange<Int>) -> [TableRow] {
        numbers.reversed().map { n in
            TableRow(id: "0xhash\(n)", cells: [StyledLine("#\(n)", .role(.secondary)), StyledLine("\(n * 10)"), StyledLine("0x0377640000000000000000809f\(n)")])
        }
    }

    @Test func rendersHeaderAlignedColumnsAndMiddleTruncation() {
        var grid = CellGrid(width: 30, height: 4)
        var state = TableState()
        let table = Table(columns: Self.columns, rows: Self.rows(1...3), showsScrollbar: false)
        table.render(into: &grid, area: grid.bounds, state: &state)
        #expect(grid.textRows == [
            "Block    Slot  Author         ",
            "#3         30  0x03776…00809f3",
            "#2         20  0x03776…00809f2",
            "#1         10  0x03776…00809f1",
        ].map { $0.padding(30) })
        #expect(state.selectedIndex == 0)
        #expect(grid.style(atColumn: 3, row: 1)?.background == .role(.highlight))
        #expect(grid.style(atColumn: 3, row: 1)?.attributes.contains(.bold) == true)
        #expect(grid.style(atColumn: 0, row: 1)?.foreground == .role(.secondary))
        #expect(grid.style(atColumn: 3, row: 2)?.background != .role(.highlight))
    }

    @Test func selectionScrollsTheViewportWithTheKeys() {
        var grid = CellGrid(width: 30, height: 6)  // header + 5 rows
        var state = TableState()
        let table = Table(columns: Self.columns, rows: Self.rows(1...40))
        table.render(into: &grid, area: grid.bounds, state: &state)
        #expect(state.visibleRows == 5)
        state.handle(.character("J"))
        #expect(state.selectedIndex == 10)
        grid.clear()
        table.render(into: &grid, area: grid.bounds, state: &state)
        #expect(state.offset == 6)  // selection on the bottom line
        #expect(grid.text(row: 5).hasPrefix("#30"))
        state.handle(.character("k"))
        table.render(into: &grid, area: grid.bounds, state: &state)
        #expect(state.offset == 6)  // moving inside the viewport does not scroll it (v1 pinned to the bottom edge)
        state.handle(.end)
        #expect(state.selectedIndex == 39)
        state.handle(.character("j"))
        #expect(state.selectedIndex == 39)
        state.handle(.pageUp)
        #expect(state.selectedIndex == 34)
        state.handle(.home)
        grid.clear()
        table.render(into: &grid, area: grid.bounds, state: &state)
        #expect(state.offset == 0)
        #expect(grid.text(row: 1).hasPrefix("#40"))
        #expect(grid.cell(atColumn: 29, row: 1)?.character == "┃")  // scrollbar thumb at the top
        #expect(grid.cell(atColumn: 29, row: 5)?.character == "│")
        let value1 = state.handle(.character("x"))
        #expect(!value1)
    }

    @Test func selectionStaysOnTheSameRowAcrossRefreshes() {
        var grid = CellGrid(width: 30, height: 6)
        var state = TableState()
        var table = Table(columns: Self.columns, rows: Self.rows(1...20))
        table.render(into: &grid, area: grid.bounds, state: &state)
        state.handle(.character("j"))
        state.handle(.character("j"))
        table.render(into: &grid, area: grid.bounds, state: &state)
        #expect(state.selectedID == "0xhash18")
        let screenLine = state.selectedIndex! - state.offset

        // Three new blocks arrive at the top.
        table.rows = Self.rows(1...23)
        grid.clear()
        table.render(into: &grid, area: grid.bounds, state: &state)
        #expect(state.selectedID == "0xhash18")
        #expect(state.selectedIndex == 5)
        #expect(state.selectedIndex! - state.offset == screenLine)  // same screen line too
        let highlighted = (1..<6).filter { grid.style(atColumn: 2, row: $0)?.background == .role(.highlight) }
        #expect(highlighted.count == 1)
        #expect(grid.text(row: highlighted[0] ).hasPrefix("#18"))

        // The selected block is pruned: the selection stays at the same position.
        table.rows = Self.rows(1...23).filter { $0.id != "0xhash18" }
        table.render(into: &grid, area: grid.bounds, state: &state)
        #expect(state.selectedIndex == 5)
        #expect(state.selectedID == "0xhash17")

        // Everything disappears, then comes back.
        table.rows = []
        grid.clear()
        table.render(into: &grid, area: grid.bounds, state: &state)
        #expect(state.selectedIndex == nil)
        #expect(grid.text(row: 1).hasPrefix("(no rows)"))
        table.rows = Self.rows(1...3)
        table.render(into: &grid, area: grid.bounds, state: &state)
        #expect(state.selectedID == "0xhash3")
    }

    @Test func selectionMarkerAndNoSelectionMode() {
        var grid = CellGrid(width: 20, height: 3)
        var state = TableState()
        Table(columns: [TableColumn("N", width: .fill())], rows: Self.rows(1...2), showsHeader: false, selectionMarker: "› ")
            .render(into: &grid, area: grid.bounds, state: &state)
        #expect(grid.text(row: 0).hasPrefix("› #2"))
        #expect(grid.text(row: 1).hasPrefix("  #1"))
        var plain = CellGrid(width: 20, height: 3)
        Table(columns: [TableColumn("N", width: .fill())], rows: Self.rows(1...2), showsSelection: false)
            .render(into: &plain, area: plain.bounds, state: &state)
        #expect((0..<20).allSatisfy { plain.style(atColumn: $0, row: 1)?.background != .role(.highlight) })
    }

    @Test func wideCharactersInCellsAreTruncatedByDisplayWidth() {
        var grid = CellGrid(width: 12, height: 2)
        var state = TableState()
        let table = Table(columns: [TableColumn("名前", width: .fixed(7)), TableColumn("n", width: .fill(), alignment: .right)],
                          rows: [TableRow(id: "a", cells: ["区块区块区块", "42"])], columnSpacing: 1)
        table.render(into: &grid, area: grid.bounds, state: &state)
        #expect(grid.text(row: 0) == "名前       n")
        #expect(grid.text(row: 1) == "区块区…   42")
    }
}

extension String {
    func padding(_ width: Int) -> String {
        self + String(repeating: " ", count: max(0, width - DisplayWidth.of(self)))
    }
}
