import MidnightStore
import SpomTheme
import SpomTUI

/// The epoch-history popup (Enter on the Dashboard or on a Performance row): our validator's
/// recent epochs with seats, the chain's blocks, expected and produced blocks and the ratio, and
/// a summary (epochs with seats, totals, best and worst epoch, average per seated epoch). The
/// table scrolls (j/k, J/K, PgDn/PgUp, g/G); the row selected in Performance is preselected.
enum EpochHistoryPopup {
    /// What the summary lines say about a history (newest first), computed once per frame.
    struct Summary {
        var epochs = 0
        var seated = 0
        var seats = 0
        var produced = 0
        var expected = 0.0
        var best: (epoch: UInt64, ratio: Double)?
        var worst: (epoch: UInt64, ratio: Double)?

        init(_ history: [ValidatorEpochEntity]) {
            epochs = history.count
            for e in history {
                produced += e.blocksProduced
                guard e.seats > 0 else { continue }
                seated += 1
                seats += e.seats
                let expected = ExpectedBlocksFormula.expected(seats: e.seats, committeeSize: e.committeeSize, chainBlocks: e.chainBlocks)
                self.expected += expected
                guard expected > 0 else { continue }
                let ratio = Double(e.blocksProduced) / expected
                if ratio > (best?.ratio ?? -1) { best = (e.sidechainEpoch, ratio) }
                if ratio < (worst?.ratio ?? .infinity) { worst = (e.sidechainEpoch, ratio) }
            }
        }
    }

    static func ratioRole(_ ratio: Double?) -> ThemeRole {
        ratio.map { $0 >= 0.9 ? .success : ($0 >= 0.7 ? .warning : .error) } ?? .muted
    }

    static func percent(_ ratio: Double) -> String { (ratio * 100).fixed(0) + "%" }

    static func render(key: String, _ c: RenderContext, state: inout TableState, into grid: inout CellGrid) {
        let info = c.snapshot.ours.value?.first { $0.validator.sidechainKey == key }
        let popup = Popup(title: StyledLine(" ★ Epoch history ", .role(.title, .bold)),
                          footer: StyledLine(Span("Esc", role: .primary), Span(" close  ", role: .muted), Span("j/k", role: .primary),
                                             Span(" scroll  ", role: .muted), Span("y", role: .primary), Span(" copy key", role: .muted)),
                          width: .percent(80, minimum: 76), height: .percent(80, minimum: 18))
        let inner = popup.render(into: &grid, screen: grid.bounds)
        guard let info else {
            lines([StyledLine("validator no longer marked as ours", .role(.muted))], into: &grid, area: inner)
            return
        }
        let history = info.epochs
        let summary = Summary(history)
        let current = c.snapshot.epochs.value?.current?.sidechainEpoch
        var out: [StyledLine] = []
        out.append(StyledLine(Span("★ ", role: .warning), Span(c.key(info.validator.sidechainKey), role: .secondary),
                              Span(info.validator.label.map { " (\($0))" } ?? "", role: .muted)))
        var totals = StyledLine(Span("\(summary.epochs) epochs stored, ", role: .muted), Span("\(summary.seated) with seats", role: summary.seated > 0 ? .success : .warning),
                                Span("  seats \(summary.seats)  produced ", role: .muted), Span("\(summary.produced)", role: .primary, .bold),
                                Span(" / expected ", role: .muted), Span("~" + summary.expected.fixed(1)))
        if summary.expected > 0 {
            let overall = Double(summary.produced) / summary.expected
            totals.append("  (" + percent(overall) + ")", .role(ratioRole(overall)))
        }
        out.append(totals)
        var extremes = StyledLine()
        if let best = summary.best, let worst = summary.worst {
            extremes.append("Best epoch ", .role(.muted)); extremes.append("\(best.epoch) (" + percent(best.ratio) + ")", .role(ratioRole(best.ratio)))
            extremes.append("  worst ", .role(.muted)); extremes.append("\(worst.epoch) (" + percent(worst.ratio) + ")", .role(ratioRole(worst.ratio)))
            extremes.append("  average ", .role(.muted))
            extremes.append((Double(summary.produced) / Double(max(1, summary.seated))).fixed(1) + " blocks per seated epoch")
        } else {
            extremes.append("No epoch with seats in the stored history", .role(.warning))
        }
        out.append(extremes)
        out.append(StyledLine("expected = seats / committee size × blocks the chain produced in the epoch (* = the current epoch, so far)", .role(.muted)))
        lines(out, into: &grid, area: inner)
        let rows = history.map { e in
            let expected = ExpectedBlocksFormula.expected(seats: e.seats, committeeSize: e.committeeSize, chainBlocks: e.chainBlocks)
            let ratio = expected > 0 ? Double(e.blocksProduced) / expected : nil
            return TableRow(id: String(e.sidechainEpoch), cells: [
                StyledLine("\(e.sidechainEpoch)" + (e.sidechainEpoch == current ? "*" : ""), .role(.secondary)),
                StyledLine("\(e.seats)/\(e.committeeSize)", e.seats > 0 ? .role(.success) : .role(.muted)),
                StyledLine("\(e.chainBlocks)"), StyledLine(expected.fixed(1)),
                StyledLine("\(e.blocksProduced)", .role(.primary)),
                StyledLine(ratio.map(percent) ?? "-", .role(ratioRole(ratio))),
            ])
        }
        Table(columns: [
            TableColumn("Epoch", width: .fixed(9), alignment: .right), TableColumn("Seats", width: .fixed(11), alignment: .right),
            TableColumn("Chain blk", width: .fixed(9), alignment: .right), TableColumn("Expected", width: .fixed(9), alignment: .right),
            TableColumn("Produced", width: .fixed(9), alignment: .right), TableColumn("Ratio", width: .fixed(6), alignment: .right),
        ], rows: rows, emptyMessage: StyledLine("no epoch history stored yet", .role(.muted)))
            .render(into: &grid, area: inner.inset(top: out.count + 1), state: &state)
    }
}
