import MidnightStatus
import MidnightStore
import SpomTheme
import SpomTUI

/// The Dashboard view: Node, Sync, Epoch and Our Validator panels over Recent Blocks.
///
/// Layouts: below 160 columns two panels a row, the node_exporter figures on the Node panel's
/// last line; from 160 columns Node | Sync | System on top, Epoch | Our Validator (twice as wide)
/// in the middle, and Recent Blocks with hash and full author. Taller terminals give the top
/// and middle rows more lines (Recent Blocks takes the rest).
enum DashboardViewRenderer {
    /// Width from which the three-column layout is used.
    static let wideColumns = 160

    static func render(_ c: RenderContext, into grid: inout CellGrid, area: Rect) {
        let wide = area.width >= wideColumns
        let topHeight = area.height >= 36 ? 9 : (area.height >= 30 ? 8 : 7)
        let middleHeight = area.height >= 34 ? 11 : 9
        let rows = Layout.rows(area, [.fixed(topHeight), .fixed(middleHeight), .fill(1)])
        if wide {
            let top = Layout.columns(rows[0], [.fill(1), .fill(1), .fill(1)])
            let middle = Layout.columns(rows[1], [.fill(1), .fill(2)])
            node(c, into: &grid, area: top[0], systemLine: false)
            sync(c, into: &grid, area: top[1])
            system(c, into: &grid, area: top[2])
            epoch(c, into: &grid, area: middle[0])
            ours(c, into: &grid, area: middle[1])
        } else {
            let top = Layout.columns(rows[0], [.fill(1), .fill(1)])
            let middle = Layout.columns(rows[1], [.fill(1), .fill(1)])
            node(c, into: &grid, area: top[0], systemLine: true)
            sync(c, into: &grid, area: top[1])
            epoch(c, into: &grid, area: middle[0])
            ours(c, into: &grid, area: middle[1])
        }
        recentBlocks(c, into: &grid, area: rows[2], wide: wide)
    }

    static func list(_ pairs: [LabelValue], into grid: inout CellGrid, area: Rect) {
        _ = LabelValueList(rows: pairs.map { [$0] }, labelWidth: 12).render(into: &grid, area: area)
    }

    static func node(_ c: RenderContext, into grid: inout CellGrid, area: Rect, systemLine: Bool) {
        let part = c.snapshot.status
        var inner = c.panel("Node", part).render(into: &grid, area: area)
        if systemLine, inner.height >= 2 {
            // The last line is the host's (node_exporter), wrapped over two lines when there is room.
            let rows = inner.height >= 6 ? 2 : 1
            let systemArea = Rect(x: inner.x, y: inner.maxY - rows, width: inner.width, height: rows)
            // Figures line up with the labels above; a message gets the whole width.
            let hasFigures = c.snapshot.system.value != nil
            var line = StyledLine(Span(hasFigures ? "System:".padding(toLength: 12, withPad: " ", startingAt: 0) : "System: ", role: .muted))
            line.append(contentsOf: systemSummary(c))
            var wrapped: [StyledLine] = rows > 1 ? line.wrapped(to: max(1, inner.width)) : [line]
            if wrapped.count > rows {
                // What does not fit goes on the last line (truncated there).
                var last = StyledLine()
                for piece in wrapped[(rows - 1)...] { last.append(contentsOf: piece) }
                wrapped = Array(wrapped.prefix(rows - 1)) + [last]
            }
            lines(wrapped, into: &grid, area: systemArea)
            inner = inner.inset(bottom: rows)
        }
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
        let network = c.snapshot.network.value
        let metrics = network?.details.metrics
        var health = report.healthy ? StyledLine("● healthy", .role(.success))
            : StyledLine("⚠ " + (report.problems.first ?? "unhealthy"), .role(.warning))
        if report.healthy, let uptime = metrics?.uptimeSeconds(nowMs: c.nowMs) {
            health.append("  up " + NodeFigures.uptime(uptime), .role(.muted))
        }
        pairs.append(LabelValue("Status:", health))
        if let percent = node.syncPercent, node.isSyncing == true {
            pairs.append(LabelValue("Syncing:", percent.fixed(1) + "%", role: .warning))
        }
        var blocks = StyledLine(Span(node.bestBlock.map { "#\($0)" } ?? "unknown", role: .primary))
        if let fin = node.finalizedBlock {
            blocks.append("  fin ", .role(.muted))
            blocks.append("#\(fin)" + (node.bestBlock.map { $0 > fin ? " (-\($0 - fin))" : "" } ?? ""))
        }
        pairs.append(LabelValue("Best:", blocks))
        pairs.append(LabelValue("Peers:", peers(node)))
        pairs.append(LabelValue("Bandwidth:", NodeFigures.bandwidth(c.snapshot.network, compact: inner.width < 56)))
        pairs.append(LabelValue("Tx pool:", NodeFigures.txPool(c.snapshot.network)))
        if !report.healthy, let uptime = metrics?.uptimeSeconds(nowMs: c.nowMs) {
            pairs.append(LabelValue("Uptime:", NodeFigures.uptime(uptime)))
        }
        pairs.append(LabelValue("Version:", node.version ?? "unknown"))
        if let chain = node.chain { pairs.append(LabelValue("Chain:", chain, role: .secondary)) }
        list(pairs, into: &grid, area: inner)
    }

    /// "8  ↓3 in / ↑5 out" (directions from the node's Prometheus endpoint when known).
    static func peers(_ node: StatusReport.Node) -> StyledLine {
        guard let peers = node.peers else { return StyledLine("unknown", .role(.warning)) }
        var line = StyledLine(Span("\(peers)", role: peers == 0 ? .error : .text, .bold))
        if let inbound = node.inboundPeers, let outbound = node.outboundPeers {
            line.append("  ↓\(inbound) in", .role(.success))
            line.append(" / ", .role(.muted))
            line.append("↑\(outbound) out", .role(.muted))
        }
        return line
    }

    /// The node_exporter figures in one line ("Mem 2.3GB/15.2GB ↑  Disk 79.0GB/155.0GB  Load 0.10"),
    /// or why there are none.
    static func systemSummary(_ c: RenderContext) -> StyledLine {
        let part = c.snapshot.system
        guard let url = c.snapshot.systemURL else {
            return StyledLine("○ node_exporter not configured", .role(.muted))
        }
        guard let info = part.value else {
            if let error = part.error { return StyledLine("✗ " + error, .role(.error)) }
            return StyledLine("◌ asking node_exporter at \(url)…", .role(.warning))
        }
        let m = info.metrics
        var line = StyledLine()
        if let total = m.memoryTotalBytes, let available = m.memoryAvailableBytes {
            let used = m.memoryUsedFraction ?? 0
            line.append("Mem ", .role(.muted))
            line.append(SystemInfo.bytes(total - available) + "/" + SystemInfo.bytes(total), .role(used > 0.9 ? .error : used > 0.8 ? .warning : .text))
            let trend = info.memoryTrend
            line.append(trend.glyph, .role(trend == .rising ? .warning : trend == .falling ? .success : .muted))
            line.append("  ")
        }
        if let size = m.diskSizeBytes, let available = m.diskAvailableBytes {
            line.append("Disk ", .role(.muted))
            line.append(SystemInfo.bytes(size - available) + "/" + SystemInfo.bytes(size) + "  ", .role((m.diskUsedFraction ?? 0) > 0.9 ? .error : .text))
        }
        if let load = m.load1 {
            line.append("Load ", .role(.muted))
            line.append(load.fixed(2))
        }
        if line.isEmpty { line.append("node_exporter at \(url) has no memory, disk or load series", .role(.warning)) }
        if part.error != nil { line.append("  ⚠ stale " + AgeBadge.describe(age: part.age(nowMs: c.nowMs) ?? 0), .role(.warning)) }
        return line
    }

    /// The System panel of the wide layout: memory and disk with bars, load, where from.
    static func system(_ c: RenderContext, into grid: inout CellGrid, area: Rect) {
        let part = c.snapshot.system
        let configured = c.snapshot.systemURL != nil
        let panel = configured ? c.panel("System", part)
            : Panel(title: StyledLine("System", .role(.primary, .bold)), trailingTitle: StyledLine("○ off", .role(.muted)))
        let inner = panel.render(into: &grid, area: area)
        guard let url = c.snapshot.systemURL else {
            lines(StyledLine("○ node_exporter not configured: set rpc.node_exporter_url (or MVM_NODE_EXPORTER_URL) to see memory, disk and load", .role(.muted))
                    .wrapped(to: max(1, inner.width)), into: &grid, area: inner)
            return
        }
        guard let info = part.value else {
            let text = part.error.map { StyledLine("✗ " + $0, .role(.error)) } ?? StyledLine("◌ asking node_exporter at \(url)…", .role(.warning))
            lines(text.wrapped(to: max(1, inner.width)), into: &grid, area: inner)
            return
        }
        let m = info.metrics
        var row = inner.y
        func bar(_ label: String, used: Double?, text: String, trend: SystemInfo.Trend? = nil) {
            guard row < inner.maxY else { return }
            let r = Rect(x: inner.x, y: row, width: inner.width, height: 1)
            grid.write(label, column: r.x, row: r.y, style: .role(.muted), clip: r)
            var value = StyledLine(text, .role((used ?? 0) > 0.9 ? .error : (used ?? 0) > 0.8 ? .warning : .text))
            if let trend { value.append(" " + trend.glyph, .role(trend == .rising ? .warning : trend == .falling ? .success : .muted)) }
            let valueWidth = min(value.width + 1, max(0, r.width - 8))
            grid.write(value.truncated(to: valueWidth), column: r.x + 8, row: r.y, clip: r)
            if let used, r.width - 8 - valueWidth >= 6 {
                ProgressBar(fraction: used, filledStyle: .role(used > 0.9 ? .error : used > 0.8 ? .warning : .primary))
                    .render(into: &grid, area: r.inset(left: 8 + valueWidth + 1))
            }
            row += 1
        }
        if let total = m.memoryTotalBytes, let available = m.memoryAvailableBytes {
            bar("Memory", used: m.memoryUsedFraction, text: SystemInfo.bytes(total - available) + " / " + SystemInfo.bytes(total), trend: info.memoryTrend)
        }
        if let size = m.diskSizeBytes, let available = m.diskAvailableBytes {
            bar("Disk /", used: m.diskUsedFraction, text: SystemInfo.bytes(size - available) + " / " + SystemInfo.bytes(size))
        }
        var extra: [StyledLine] = []
        if let load = m.load1 { extra.append(StyledLine(Span("Load    ", role: .muted), Span(load.fixed(2) + " (1 min)"))) }
        if let used = m.memoryUsedFraction, used > 0.85 {
            extra.append(StyledLine("⚠ Memory \(Int((used * 100).rounded()))% used: the node may be killed if this continues", .role(.warning)))
        }
        if let error = part.error { extra.append(StyledLine("⚠ " + error, .role(.warning))) }
        extra.append(StyledLine("from " + url, .role(.muted)))
        lines(extra, into: &grid, area: Rect(x: inner.x, y: row, width: inner.width, height: max(0, inner.maxY - row)))
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
            out.append(StyledLine("Registered, no seats: " + (d ?? "the D-parameter") + " this epoch; registered seats are drawn by stake", .role(.muted)))
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

    static func recentBlocks(_ c: RenderContext, into grid: inout CellGrid, area: Rect, wide: Bool) {
        let part = c.snapshot.blocks
        let inner = c.panel("Recent Blocks", part).render(into: &grid, area: area)
        guard let blocks = part.value else { lines(c.unavailable(part), into: &grid, area: inner); return }
        if blocks.isEmpty { lines([StyledLine("no blocks stored yet", .role(.muted))], into: &grid, area: inner); return }
        // Only the rows that fit are drawn, so only they set the column widths (200 are loaded).
        let shown = blocks.prefix(max(0, inner.height))
        let numberWidth = max(8, (blocks.first.map { "#\($0.number)".count } ?? 0) + 2)
        let slotWidth = shown.map { String($0.slot).count }.max() ?? 0
        let epochWidth = shown.map { String($0.sidechainEpoch).count }.max() ?? 0
        func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
            TextLayout.pad(text, to: width, alignment: right ? .right : .left)
        }
        var out: [StyledLine] = []
        if wide {
            // Column headings, then hash and full author.
            out.append(StyledLine(pad("Block", numberWidth) + pad("Slot", slotWidth + 5, right: true) + "  " + pad("Epoch", epochWidth + 6, right: true)
                                  + "  Fin  Extr  " + pad("Hash", 24) + "Author", .role(.muted)))
        }
        for b in blocks.prefix(max(0, inner.height - out.count)) {
            var line = StyledLine(Span(pad("#\(b.number)", numberWidth), role: .primary),
                                  Span("slot " + pad("\(b.slot)", slotWidth, right: true) + "  ", role: .muted),
                                  Span("epoch " + pad("\(b.sidechainEpoch)", epochWidth, right: true) + "  ", role: .secondary),
                                  Span(b.finalized ? " ✓   " : "     ", role: .success))
            if wide {
                line.append(pad("\(b.extrinsicsCount)", 4, right: true) + "  ")
                line.append(pad(TextLayout.abbreviate(b.hash, head: 12, tail: 8), 24), .role(.secondary))
            }
            line.append(b.author.map { c.key($0) } ?? "unattributed", b.author == nil ? .role(.muted) : .text)
            out.append(line)
        }
        lines(out, into: &grid, area: inner)
    }
}
