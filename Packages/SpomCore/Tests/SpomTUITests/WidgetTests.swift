import SpomTUI
import Testing

@Suite("Widgets")
struct WidgetTests {
    @Test func panelDrawsRoundedBorderAndTitle() {
        var grid = CellGrid(width: 20, height: 4)
        let inner = Panel("Network Status").render(into: &grid, area: grid.bounds)
        #expect(inner == Rect(x: 1, y: 1, width: 18, height: 2))
        #expect(grid.textRows == [
            "╭ Network Status ──╮",
            "│                  │",
            "│                  │",
            "╰──────────────────╯",
        ])
        #expect(grid.style(atColumn: 2, row: 0)?.foreground == .role(.primary))
        #expect(grid.style(atColumn: 2, row: 0)?.attributes.contains(.bold) == true)
        #expect(grid.style(atColumn: 0, row: 1)?.foreground == .role(.border))
    }

    @Test func panelTruncatesALongTitleAndDrawsTrailingTitleAndSingleBorder() {
        var grid = CellGrid(width: 16, height: 3)
        let panel = Panel(title: "Nodes and more peers", trailingTitle: "5s", border: .single)
        panel.render(into: &grid, area: grid.bounds)
        #expect(grid.text(row: 0) == "┌ Nodes…── 5s ─┐")
        #expect(grid.text(row: 2) == "└──────────────┘")
    }

    @Test func labelValueRowsAlignAndTruncate() {
        var grid = CellGrid(width: 40, height: 3)
        let list = LabelValueList(rows: [
            [LabelValue("Block:", "#3473547", role: .secondary), LabelValue("Finalized:", "#3473545 (-2)")],
            [LabelValue("Identity:", "a-very-long-value-that-cannot-possibly-fit")],
        ], labelWidth: 11)
        #expect(list.render(into: &grid, area: grid.bounds) == 2)
        #expect(grid.text(row: 0) == "Block:     #3473547 Finalized: #3473545…")
        #expect(grid.text(row: 1) == "Identity:  a-very-long-value-that-canno…")
        #expect(grid.style(atColumn: 0, row: 0)?.foreground == .role(.muted))
        #expect(grid.style(atColumn: 11, row: 0)?.foreground == .role(.secondary))
    }

    @Test func progressBarUsesPartialBlocks() {
        #expect(ProgressBar(fraction: 0.5).bar(width: 4) == ("██", "  "))
        #expect(ProgressBar(fraction: 0.3).bar(width: 4) == ("█▎", "  "))  // 9.6 eighths -> 10 = 1 full + 2/8
        #expect(ProgressBar(fraction: 1.5).bar(width: 3) == ("███", ""))
        #expect(ProgressBar(fraction: .nan).bar(width: 3) == ("", "   "))
        #expect(ProgressBar(fraction: 0.326, glyphs: .line).bar(width: 10) == ("━━━", "░░░░░░░"))
        var grid = CellGrid(width: 16, height: 1)
        ProgressBar(fraction: 0.326, glyphs: .line, showsPercentage: true).render(into: &grid, area: grid.bounds)
        #expect(grid.text(row: 0) == "━━━░░░░░░  32.6%")
        #expect(grid.style(atColumn: 0, row: 0)?.foreground == .role(.primary))
        #expect(grid.style(atColumn: 5, row: 0)?.foreground == .role(.muted))
    }

    @Test func sparklineGlyphsAndPerBarColours() {
        #expect(Sparkline.glyph(for: 0, maximum: 10) == "▁")
        #expect(Sparkline.glyph(for: 10, maximum: 10) == "█")
        #expect(Sparkline.glyph(for: 5, maximum: 10) == "▅")  // round(3.5) = 4
        #expect(Sparkline.glyph(for: 0.1, maximum: 10) == "▂")  // non-zero never looks like zero
        #expect(Sparkline.glyph(for: 3, maximum: 0) == "█")
        let spark = Sparkline(values: [0, 1, 2, 4, 8], barStyles: [.role(.primary), .role(.error)])
        #expect(spark.text(width: 10) == "▁▂▃▅█")
        #expect(spark.text(width: 3) == "▃▅█")  // newest values when narrow, scaled to what is shown
        var grid = CellGrid(width: 6, height: 1)
        #expect(spark.render(into: &grid, area: grid.bounds) == 5)
        #expect(grid.style(atColumn: 1, row: 0)?.foreground == .role(.error))
        #expect(grid.style(atColumn: 2, row: 0)?.foreground == .role(.primary))
        #expect(Sparkline(values: [0, 2], zeroGlyph: " ").text(width: 2) == " █")
    }

    @Test func popupClearsItsAreaAndIsCentred() {
        var grid = CellGrid(width: 40, height: 12)
        for row in 0..<12 { grid.write(String(repeating: "#", count: 40), column: 0, row: row) }
        let popup = Popup(title: "Block #42", width: .fixed(20), height: .fixed(6))
        let inner = popup.render(into: &grid, screen: grid.bounds)
        #expect(popup.frame(in: grid.bounds) == Rect(x: 10, y: 3, width: 20, height: 6))
        #expect(inner == Rect(x: 11, y: 4, width: 18, height: 4))
        #expect(grid.text(row: 3) == String(repeating: "#", count: 10) + "╭ Block #42 ───────╮" + String(repeating: "#", count: 10))
        #expect(grid.text(row: 5) == String(repeating: "#", count: 10) + "│                  │" + String(repeating: "#", count: 10))
        #expect(grid.text(row: 8).contains("╰ Esc close ───────╯"))
        #expect(grid.text(row: 2) == String(repeating: "#", count: 40))
        #expect(grid.style(atColumn: 12, row: 5)?.background == .role(.background))
    }

    @Test func popupSizeIsCappedToTheScreen() {
        let popup = Popup("Wide", width: .percent(60, minimum: 90), height: .percent(65))
        #expect(popup.frame(in: Rect(width: 80, height: 24)) == Rect(x: 1, y: 4, width: 78, height: 15))
    }

    @Test func popupKeysEscClosesAndNeverQuits() {
        #expect(Popup.action(for: .escape) == .close)
        #expect(Popup.action(for: .character("q")) == .close)
        #expect(Popup.action(for: .character("j")) == .scroll(.by(1)))
        #expect(Popup.action(for: .pageDown) == .scroll(.pages(1)))
        #expect(Popup.action(for: .controlC) == .other)
        #expect(Popup.action(for: .character("y")) == .other)
    }

    @Test func statusBarRightAlignsAndDropsRightWhenNarrow() {
        var grid = CellGrid(width: 30, height: 1)
        StatusBar(left: StyledLine(Span("● ", role: .success), Span("4s ago")), right: "☽ Night").render(into: &grid, area: grid.bounds)
        #expect(grid.text(row: 0) == "● 4s ago               ☽ Night")
        var narrow = CellGrid(width: 14, height: 1)
        StatusBar(left: "a long status message", right: "☽ Night", minimumLeft: 10).render(into: &narrow, area: narrow.bounds)
        #expect(narrow.text(row: 0) == "a long status…")
    }

    @Test func tabBarDegradesInsteadOfCuttingTheActiveTab() {
        let tabs = [Tab(key: "1", title: "Dashboard"), Tab(key: "2", title: "Blocks"), Tab(key: "3", title: "Nodes")]
        let bar = TabBar(leading: StyledLine("Monitor", .role(.title, .bold)), tabs: tabs, selected: 1, trailing: "node-a")
        var wide = CellGrid(width: 70, height: 1)
        bar.render(into: &wide, area: wide.bounds)
        #expect(wide.text(row: 0).hasPrefix("Monitor │ [1] Dashboard  2 Blocks  [3] Nodes"))
        #expect(wide.text(row: 0).hasSuffix("node-a"))
        var medium = CellGrid(width: 50, height: 1)
        bar.render(into: &medium, area: medium.bounds)
        #expect(medium.text(row: 0).hasPrefix("[1] Dashboard  2 Blocks  [3] Nodes"))
        var narrow = CellGrid(width: 24, height: 1)
        bar.render(into: &narrow, area: narrow.bounds)
        #expect(narrow.text(row: 0).hasPrefix("1  2 Blocks  3"))
        #expect(narrow.text(row: 0).hasSuffix("node-a"))
        #expect(narrow.style(atColumn: 4, row: 0)?.attributes.contains(.reverse) == true)
    }

    @Test func textViewWrapsAndScrolls() {
        let view = TextView(lines: (1...30).map { StyledLine("item \($0) some words") })
        var state = ScrollState()
        var grid = CellGrid(width: 12, height: 5)
        view.render(into: &grid, area: grid.bounds, state: &state)
        #expect(grid.text(row: 0).hasPrefix("item 1 some"))
        #expect(grid.text(row: 1).hasPrefix("words "))
        #expect(state.contentHeight == 60)
        #expect(grid.cell(atColumn: 11, row: 0)?.character == "┃")  // scrollbar thumb at the top
        state.handle(.character("J"))
        grid.clear()
        view.render(into: &grid, area: grid.bounds, state: &state)
        #expect(grid.text(row: 0).hasPrefix("item 6 some"))
        state.handle(.end)
        view.render(into: &grid, area: grid.bounds, state: &state)
        #expect(state.offset == 55)
        #expect(grid.text(row: 4).hasPrefix("some words"))
        #expect(grid.cell(atColumn: 11, row: 4)?.character == "┃")
        state.handle(.character("j"))
        #expect(state.offset == 55)  // clamped at the end
        state.handle(.home)
        #expect(state.offset == 0)
    }

    @Test func ageBadgeMarksStaleData() {
        #expect(AgeBadge.describe(age: 12.7) == "12s ago")
        #expect(AgeBadge.describe(age: 185) == "3m 05s ago")
        #expect(AgeBadge.describe(age: 7800) == "2h 10m ago")
        #expect(AgeBadge.describe(age: 90_000 * 3) == "3d 3h ago")
        #expect(AgeBadge.describe(age: 0.2) == "just now")
        let fresh = AgeBadge(lastSuccess: 100, now: 104, staleAfter: 18)
        #expect(!fresh.isStale)
        #expect(fresh.text == "● 4s ago")
        let stale = AgeBadge(age: 125, staleAfter: 18)
        #expect(stale.isStale)
        #expect(stale.text == "⚠ stale 2m 05s ago")
        #expect(stale.line.spans.last?.style.foreground == .role(.warning))
        let never = AgeBadge(age: nil, staleAfter: 18)
        #expect(never.isStale)
        #expect(never.text == "○ no data")
    }
}
