import MidnightStore
import SpomTheme
import SpomTUI

/// The Blocks, Validators and Performance views: tables whose selection is anchored to row ids.
enum TableViews {
    static func blocks(_ c: RenderContext, state: inout TableState, into grid: inout CellGrid, area: Rect) {
        let part = c.snapshot.blocks
        let total = c.snapshot.stats.value?.totalBlocks
        let title = "Blocks" + (total.map { " (\($0) stored, newest \(part.value?.count ?? 0))" } ?? "")
        let inner = c.panel(title, part).render(into: &grid, area: area)
        guard let blocks = part.value else { lines(c.unavailable(part), into: &grid, area: inner); return }
        let rows = blocks.map { b in
            TableRow(id: String(b.number), cells: [
                StyledLine("#\(b.number)", .role(.primary)), StyledLine("\(b.slot)"), StyledLine("\(b.sidechainEpoch)", .role(.secondary)),
                StyledLine("\(b.extrinsicsCount)"), StyledLine(b.finalized ? "✓" : " ", .role(.success)),
                StyledLine(b.author.map { c.key($0) } ?? "unattributed", b.author == nil ? .role(.muted) : .text),
            ])
        }
        Table(columns: [
            TableColumn("Block", width: .fixed(10)), TableColumn("Slot", width: .fixed(11), alignment: .right),
            TableColumn("Epoch", width: .fixed(6), alignment: .right), TableColumn("Extr", width: .fixed(4), alignment: .right),
            TableColumn("Fin", width: .fixed(3)), TableColumn("Author", width: .fill(1)),
        ], rows: rows, emptyMessage: StyledLine("no blocks stored yet", .role(.muted))).render(into: &grid, area: inner, state: &state)
    }

    static func validators(_ c: RenderContext, oursOnly: Bool, state: inout TableState, into grid: inout CellGrid, area: Rect) {
        let part = c.snapshot.validators
        let all = part.value ?? []
        let shown = oursOnly ? all.filter(\.isOurs) : all
        let epoch = shown.first?.epoch.map { ", epoch \($0)" } ?? ""
        let inner = c.panel("Validators (\(shown.count)\(oursOnly ? " ours only" : "")\(epoch))  f: \(oursOnly ? "show all" : "ours only")", part)
            .render(into: &grid, area: area)
        guard part.value != nil else { lines(c.unavailable(part), into: &grid, area: inner); return }
        let rows = shown.map { v in
            TableRow(id: v.sidechainKey, cells: [
                StyledLine(v.isOurs ? "★" : " ", .role(.warning)), StyledLine(c.key(v.sidechainKey), .role(.secondary)),
                StyledLine(v.isPermissioned ? "permissioned" : (v.registrationStatus ?? "unknown"), .role(.muted)),
                StyledLine("\(v.epochSeats)", v.epochSeats > 0 ? .role(.success) : .role(.muted)),
                StyledLine("\(v.epochBlocks)"), StyledLine("\(v.blocksTotal)"),
            ])
        }
        Table(columns: [
            TableColumn("", width: .fixed(1)), TableColumn("Sidechain key", width: .fill(1)),
            TableColumn("Status", width: .fixed(12)), TableColumn("Seats", width: .fixed(5), alignment: .right),
            TableColumn("Epoch", width: .fixed(5), alignment: .right), TableColumn("Total", width: .fixed(7), alignment: .right),
        ], rows: rows, emptyMessage: StyledLine(oursOnly ? "no validator marked as ours (f shows all)" : "no validators yet", .role(.muted)))
            .render(into: &grid, area: inner, state: &state)
    }

    static func performance(_ c: RenderContext, state: inout TableState, into grid: inout CellGrid, area: Rect) {
        let part = c.snapshot.ours
        let inner = c.panel("Performance (our validator, per epoch)", part).render(into: &grid, area: area)
        guard let ours = part.value else { lines(c.unavailable(part), into: &grid, area: inner); return }
        guard let first = ours.first else {
            lines([StyledLine("No validator marked as ours", .role(.warning)),
                   StyledLine(Span("Run: ", role: .muted), Span("mvm keys --keystore <path> verify", role: .secondary))], into: &grid, area: inner)
            return
        }
        let epochs = first.epochs
        let header = StyledLine(Span("★ ", role: .warning), Span(c.key(first.validator.sidechainKey), role: .secondary),
                                Span("  expected = seats / committee × chain blocks", role: .muted))
        grid.write(header.truncated(to: inner.width), column: inner.x, row: inner.y, clip: inner)
        if inner.height > 1 {
            let chronological = epochs.reversed().map { Double($0.blocksProduced) }
            var spark = StyledLine(Span("Blocks per epoch: ", role: .muted))
            spark.append(Sparkline(values: Array(chronological)).text(width: min(max(1, inner.width - 20), chronological.count)), .role(.primary))
            grid.write(spark.truncated(to: inner.width), column: inner.x, row: inner.y + 1, clip: inner)
        }
        let rows = epochs.map { e in
            let expected = ExpectedBlocksFormula.expected(seats: e.seats, committeeSize: e.committeeSize, chainBlocks: e.chainBlocks)
            let ratio = expected > 0 ? Double(e.blocksProduced) / expected : nil
            let role: ThemeRole = ratio.map { $0 >= 0.9 ? .success : ($0 >= 0.7 ? .warning : .error) } ?? .muted
            return TableRow(id: String(e.sidechainEpoch), cells: [
                StyledLine("\(e.sidechainEpoch)", .role(.secondary)), StyledLine("\(e.seats)/\(e.committeeSize)"),
                StyledLine("\(e.chainBlocks)"), StyledLine(expected.fixed(1)), StyledLine("\(e.blocksProduced)", .role(.primary)),
                StyledLine(ratio.map { ($0 * 100).fixed(0) + "%" } ?? "-", .role(role)),
            ])
        }
        Table(columns: [
            TableColumn("Epoch", width: .fixed(7), alignment: .right), TableColumn("Seats", width: .fixed(10), alignment: .right),
            TableColumn("Chain", width: .fixed(7), alignment: .right), TableColumn("Expected", width: .fixed(9), alignment: .right),
            TableColumn("Produced", width: .fixed(9), alignment: .right), TableColumn("Ratio", width: .fixed(6), alignment: .right),
        ], rows: rows, emptyMessage: StyledLine("no epoch history yet", .role(.muted)))
            .render(into: &grid, area: inner.inset(top: 3), state: &state)
    }
}
