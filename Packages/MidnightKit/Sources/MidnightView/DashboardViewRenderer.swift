import MidnightStatus
import MidnightStore
import SpomTheme
import SpomTUI

/// The Dashboard view: Node, Sync, Epoch and Our Validator panels over Recent Blocks.
enum DashboardViewRenderer {
    static func render(_ c: RenderContext, into grid: inout CellGrid, area: Rect) {
        let rows = Layout.rows(area, [.fixed(7), .fixed(9), .fill(1)])
        let top = Layout.columns(rows[0], [.fill(1), .fill(1)])
        let middle = Layout.columns(rows[1], [.fill(1), .fill(1)])
        node(c, into: &grid, area: top[0])
        sync(c, into: &grid, area: top[1])
        epoch(c, into: &grid, area: middle[0])
        ours(c, into: &grid, area: middle[1])
        recentBlocks(c, into: &grid, area: rows[2])
    }

    static func list(_ pairs: [LabelValue], into grid: inout CellGrid, area: Rect) {
        _ = LabelValueList(rows: pairs.map { [$0] }, labelWidth: 12).render(into: &grid, area: area)
    }

    static func node(_ c: RenderContext, into grid: inout CellGrid, area: Rect) {
        let part = c.snapshot.status
        let inner = c.panel("Node", part).render(into: &grid, area: area)
        guard c.snapshot.statusConfigured else {
            lines([StyledLine("○ no node configured", .role(.muted)), StyledLine("showing the database only", .role(.muted))], into: &grid, area: inner)
            return
        }
        guard let report = part.value else { lines(c.unavailable(part), into: &grid, area: inner); return }
        let node = report.node
        guard node.reachable else {
            // Say why, in full (wrapped), instead of stale node figures.
            let reason = StyledLine("✗ " + (part.error ?? "node unreachable at \(node.url)"), .role(.error))
            lines(reason.wrapped(to: max(1, inner.width)), into: &grid, area: inner)
            return
        }
        var pairs: [LabelValue] = []
        let health = report.healthy ? LabelValue("Status:", "● healthy", role: .success)
            : LabelValue("Status:", "⚠ " + (report.problems.first ?? "unhealthy"), role: .warning)
        pairs.append(health)
        pairs.append(LabelValue("Version:", node.version ?? "unknown"))
        pairs.append(LabelValue("Best:", node.bestBlock.map { "#\($0)" } ?? "unknown"))
        let finalized = node.finalizedBlock.map { fin in "#\(fin)" + (node.bestBlock.map { $0 > fin ? " (-\($0 - fin))" : "" } ?? "") }
        pairs.append(LabelValue("Finalized:", finalized ?? "unknown"))
        pairs.append(LabelValue("Peers:", node.peers.map(String.init) ?? "unknown"))
        list(pairs, into: &grid, area: inner)
    }

    static func sync(_ c: RenderContext, into grid: inout CellGrid, area: Rect) {
        let part = c.snapshot.sync
        let inner = c.panel("Sync", part).render(into: &grid, area: area)
        guard let sync = part.value else { lines(c.unavailable(part), into: &grid, area: inner); return }
        var pairs: [LabelValue] = []
        pairs.append(LabelValue("DB block:", sync.lastSyncedBlock.map { "#\($0)" } ?? "none"))
        pairs.append(LabelValue("Chain tip:", sync.chainTipBlock.map { "#\($0)" } ?? "unknown"))
        if let behind = sync.blocksBehind {
            pairs.append(LabelValue("Behind:", behind == 0 ? "✓ in sync" : "\(behind) blocks", role: behind <= 2 ? .success : .warning))
        } else {
            pairs.append(LabelValue("Behind:", "unknown", role: .muted))
        }
        pairs.append(LabelValue("Rate:", sync.blocksPerSecond.fixed(1) + " blk/s"))
        pairs.append(LabelValue("Last error:", sync.lastError ?? "none", role: sync.lastError == nil ? .muted : .error))
        list(pairs, into: &grid, area: inner)
    }

    static func epoch(_ c: RenderContext, into grid: inout CellGrid, area: Rect) {
        let part = c.snapshot.epochs
        let inner = c.panel("Epoch", part).render(into: &grid, area: area)
        guard let info = part.value else { lines(c.unavailable(part), into: &grid, area: inner); return }
        let live = c.snapshot.status.value?.epochs
        guard let current = info.current else {
            lines([StyledLine("no epochs stored yet", .role(.muted))], into: &grid, area: inner)
            return
        }
        var pairs: [LabelValue] = []
        pairs.append(LabelValue("Sidechain:", "epoch \(current.sidechainEpoch)", role: .secondary))
        pairs.append(LabelValue("Mainchain:", current.mainchainEpoch.map { "epoch \($0)" } ?? (live.map { "epoch \($0.mainchainEpoch)" } ?? "unknown")))
        pairs.append(LabelValue("Blocks:", "\(current.blocksProduced) produced" + (current.slotsInEpoch.map { " / \($0) slots" } ?? "")))
        pairs.append(LabelValue("Committee:", current.committeeSize.map { "\($0) seats" } ?? "not stored yet", role: current.committeeSize == nil ? .warning : .text))
        pairs.append(LabelValue("Unattrib.:", "\(current.unattributedBlocks)", role: current.unattributedBlocks > 0 ? .warning : .muted))
        let used = LabelValueList(rows: pairs.map { [$0] }, labelWidth: 12).render(into: &grid, area: inner)
        let progress = live?.sidechainProgress ?? current.progress
        if let progress, used < inner.height {
            let row = Rect(x: inner.x, y: inner.y + used, width: inner.width, height: 1)
            grid.write("Progress:", column: row.x, row: row.y, style: .role(.muted), clip: row)
            ProgressBar(fraction: progress).render(into: &grid, area: row.inset(left: 12))
        }
    }

    static func ours(_ c: RenderContext, into grid: inout CellGrid, area: Rect) {
        let part = c.snapshot.ours
        let inner = c.panel("Our Validator", part).render(into: &grid, area: area)
        guard let ours = part.value else { lines(c.unavailable(part), into: &grid, area: inner); return }
        guard let first = ours.first else {
            lines([StyledLine("No validator marked as ours", .role(.warning)),
                   StyledLine(Span("Run: ", role: .muted), Span("mvm keys --keystore <path> verify", role: .secondary))],
                  into: &grid, area: inner)
            return
        }
        var out: [StyledLine] = []
        let v = first.validator
        out.append(StyledLine(Span("★ ", role: .warning), Span(TextLayout.abbreviate(v.sidechainKey, head: 12, tail: 8), role: .secondary),
                              Span(v.label.map { " (\($0))" } ?? "", role: .muted)))
        let registration = c.snapshot.status.value?.validator?.registrationLabel ?? v.registrationStatus ?? "unknown"
        out.append(StyledLine(Span("Registration: ", role: .muted), Span(registration)))
        let chainBlocks = c.snapshot.epochs.value?.current?.blocksProduced ?? 0
        // Not in this epoch's committee: the validator row carries no size; use the epoch's.
        let size = v.epochCommitteeSize > 0 ? v.epochCommitteeSize : (c.snapshot.epochs.value?.current?.committeeSize ?? 0)
        let expected = ExpectedBlocksFormula.expected(seats: v.epochSeats, committeeSize: size, chainBlocks: chainBlocks)
        if size == 0 {
            out.append(StyledLine("? committee not stored yet", .role(.warning)))
        } else if v.epochSeats == 0 {
            out.append(StyledLine("✗ 0 of \(size) seats this epoch", .role(.warning)))
        } else {
            out.append(StyledLine("✓ \(v.epochSeats) of \(size) seats", .role(.success)))
        }
        out.append(StyledLine(Span("Produced: ", role: .muted), Span("\(v.epochBlocks)", role: .primary, .bold),
                              Span("  expected ", role: .muted), Span("~" + expected.fixed(1)),
                              Span("  (\(ExpectedBlocksFormula.explain(seats: v.epochSeats, committeeSize: size, chainBlocks: chainBlocks)))", role: .muted)))
        if v.epochSeats == 0, size > 0, isRegistered(registration) {
            let d = c.snapshot.status.value?.validator?.dParameter
            out.append(StyledLine("Registered, no seats: the D-parameter" + (d.map { " (\($0))" } ?? "") + " sets how many seats registered candidates share; seats are drawn by stake each epoch", .role(.muted)))
        }
        let counts = c.snapshot.epochs.value?.ourCounts ?? []
        if !counts.isEmpty {
            let blocks = counts.reduce(0) { $0 + $1.blocks }, seats = counts.reduce(0) { $0 + $1.seats }
            var line = StyledLine(Span("\(counts.count) epochs: ", role: .muted))
            line.append(Sparkline(values: counts.map { Double($0.blocks) }).text(width: min(24, counts.count)), .role(.primary))
            line.append(" (\(blocks) blk / \(seats) seats)", .role(.muted))
            out.append(line)
        }
        out.append(StyledLine(Span("All time: ", role: .muted), Span("\(v.blocksTotal) blocks, " + v.sharePercent.fixed(3) + "%")))
        if ours.count > 1 { out.append(StyledLine("+\(ours.count - 1) more (see Validators, f)", .role(.muted))) }
        var row = inner.y
        for line in out {
            for piece in line.wrapped(to: max(1, inner.width)) where row < inner.maxY {
                grid.write(piece, column: inner.x, row: row, clip: inner)
                row += 1
            }
        }
    }

    static func isRegistered(_ status: String) -> Bool {
        let s = status.lowercased()
        return s.contains("registered") && !s.contains("not") && !s.contains("invalid")
    }

    static func recentBlocks(_ c: RenderContext, into grid: inout CellGrid, area: Rect) {
        let part = c.snapshot.blocks
        let inner = c.panel("Recent Blocks", part).render(into: &grid, area: area)
        guard let blocks = part.value else { lines(c.unavailable(part), into: &grid, area: inner); return }
        if blocks.isEmpty { lines([StyledLine("no blocks stored yet", .role(.muted))], into: &grid, area: inner); return }
        let out = blocks.prefix(inner.height).map { b in
            StyledLine(Span("#\(b.number)".padding(toLength: 10, withPad: " ", startingAt: 0), role: .primary),
                       Span("slot \(b.slot)  ", role: .muted), Span("epoch \(b.sidechainEpoch)  ", role: .secondary),
                       Span(b.finalized ? "✓ " : "  ", role: .success),
                       Span(b.author.map { c.key($0) } ?? "unattributed", role: b.author == nil ? .muted : .text))
        }
        lines(Array(out), into: &grid, area: inner)
    }
}
