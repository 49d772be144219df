import SpomTUI
import Testing

@Suite("Layout")
struct LayoutTests {
    @Test func fixedPercentAndFillShareTheLength() {
        #expect(Layout.lengths([.fixed(3), .fill(), .fixed(3)], total: 24) == [3, 18, 3])
        #expect(Layout.lengths([.percent(50), .fill()], total: 81) == [40, 41])
        #expect(Layout.lengths([.fill(1), .fill(2)], total: 10) == [4, 6])
        #expect(Layout.lengths([.fill(), .fill(), .fill()], total: 10) == [4, 3, 3])
        #expect(Layout.lengths([.fixed(5), .fixed(5)], total: 12, spacing: 2) == [5, 5])
    }

    @Test func runningOutOfSpaceShrinksTheLaterParts() {
        #expect(Layout.lengths([.fixed(10), .fixed(10), .fill()], total: 15) == [10, 5, 0])
        #expect(Layout.lengths([.fixed(3), .fill()], total: 0) == [0, 0])
    }

    @Test func splitProducesAdjacentRectangles() {
        let rects = Layout.rows(Rect(x: 2, y: 1, width: 80, height: 24), [.fixed(3), .fill(), .fixed(3)])
        #expect(rects == [
            Rect(x: 2, y: 1, width: 80, height: 3),
            Rect(x: 2, y: 4, width: 80, height: 18),
            Rect(x: 2, y: 22, width: 80, height: 3),
        ])
        let columns = Layout.columns(Rect(width: 20, height: 2), [.fixed(5), .fill()], spacing: 1)
        #expect(columns == [Rect(x: 0, y: 0, width: 5, height: 2), Rect(x: 6, y: 0, width: 14, height: 2)])
    }

    @Test func sizeClasses() {
        #expect(SizeClass(columns: 80) == .compact)
        #expect(SizeClass(columns: 99) == .compact)
        #expect(SizeClass(columns: 100) == .regular)
        #expect(SizeClass(columns: 159) == .regular)
        #expect(SizeClass(columns: 160) == .wide)
        #expect(SizeClass(columns: 119, thresholds: .v1) == .compact)
        #expect(SizeClass(columns: 120, thresholds: .v1) == .regular)
        #expect(SizeClass.compact < SizeClass.wide)
    }

    @Test func tooSmallNoticeIsDrawnOnlyWhenTooSmall() {
        var small = CellGrid(width: 60, height: 20)
        small.write("old content", column: 0, row: 0)
        #expect(MinimumSize.classic.renderNoticeIfTooSmall(into: &small))
        let rows = small.textRows
        #expect(!rows.joined().contains("old content"))
        #expect(rows.contains { $0.contains("Terminal too small") })
        #expect(rows.contains { $0.contains("60x20, need at least 80x24") })
        var fine = CellGrid(width: 80, height: 24)
        fine.write("kept", column: 0, row: 0)
        #expect(!MinimumSize.classic.renderNoticeIfTooSmall(into: &fine))
        #expect(fine.text(row: 0).hasPrefix("kept"))
        var tiny = CellGrid(width: 10, height: 2)
        #expect(MinimumSize.classic.renderNoticeIfTooSmall(into: &tiny))
        #expect(tiny.text(row: 0) == "Terminal …")
    }

    @Test func rectGeometry() {
        let r = Rect(x: 0, y: 0, width: 80, height: 24)
        #expect(r.centered(width: 40, height: 10) == Rect(x: 20, y: 7, width: 40, height: 10))
        #expect(r.inset(by: 1) == Rect(x: 1, y: 1, width: 78, height: 22))
        #expect(Rect(x: 5, y: 5, width: 10, height: 10).intersection(Rect(x: 12, y: 0, width: 10, height: 7)) == Rect(x: 12, y: 5, width: 3, height: 2))
        #expect(Rect(x: 0, y: 0, width: 2, height: 2).inset(by: 2).isEmpty)
    }
}
