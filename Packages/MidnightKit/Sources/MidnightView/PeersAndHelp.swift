import MidnightStatus
import SpomTheme
import SpomTUI

/// The Peers view: health and counts over the per-peer table. Counts come from the node
/// (`system_health`, and inbound/outbound from its Prometheus endpoint, which RPC cannot tell
/// apart); the table from `system_peers`, which needs unsafe RPC: when the node refuses it the
/// counts stay and the table says how to enable it.
enum PeersViewRenderer {
    /// Rows of the health panel (inside its border).
    static let headerLines = 4

    static func render(_ c: RenderContext, state: inout TableState, into grid: inout CellGrid, area: Rect) {
        let part = c.snapshot.status
        guard c.snapshot.statusConfigured else {
            let inner = c.panel("Peers", part).render(into: &grid, area: area)
            lines([StyledLine("Peers unknown: no node configured (the dashboard is reading the database only).", .role(.muted))], into: &grid, area: inner)
            return
        }
        let rows = Layout.rows(area, [.fixed(headerLines + 2), .fill(1)])
        let inner = c.panel("Peers", part).render(into: &grid, area: rows[0])
        guard let node = part.value?.node else {
            lines(c.unavailable(part), into: &grid, area: inner)
            table(c, state: &state, into: &grid, area: rows[1])
            return
        }
        if !node.reachable {
            lines([StyledLine("✗ node unreachable: " + (part.error ?? node.url), .role(.error))], into: &grid, area: inner)
            table(c, state: &state, into: &grid, area: rows[1])
            return
        }
        func count(_ label: String, _ value: Int?, _ unknown: String) -> StyledLine {
            StyledLine(Span(label.padding(toLength: 12, withPad: " ", startingAt: 0), role: .muted),
                       value.map { Span("\($0)", role: .text, .bold) } ?? Span("unknown (" + unknown + ")", role: .warning))
        }
        let network = c.snapshot.network.value
        let peers = network?.details.peers
        let unknownDirection = "node Prometheus endpoint not configured or unreachable"
        var first = count("Connected:", node.peers, "system_health did not answer")
        first.append("   ")
        first.append(contentsOf: health(node.peers))
        if let peers, let tip = node.bestBlock {
            let synced = peers.filter { tip <= $0.bestNumber || tip - $0.bestNumber < 10 }.count
            first.append("   Synced ", .role(.muted))
            first.append("\(synced)/\(peers.count)", .role(synced == peers.count ? .success : .warning))
        }
        var second = count("Inbound:", node.inboundPeers, unknownDirection)
        if node.inboundPeers != nil {
            second.append("   ")
            second.append(contentsOf: count("Outbound:", node.outboundPeers, unknownDirection))
        }
        var third = StyledLine(Span("Bandwidth:  ", role: .muted))
        third.append(contentsOf: NodeFigures.bandwidth(c.snapshot.network, compact: false))
        if let m = network?.details.metrics, m.discoveredPeers != nil || m.pendingConnections != nil {
            third.append("   Discovered ", .role(.muted)); third.append(m.discoveredPeers.map(String.init) ?? "?")
            third.append("  pending ", .role(.muted)); third.append(m.pendingConnections.map(String.init) ?? "?")
        }
        var out = [first, second, third]
        if node.inboundPeers == nil {
            out.insert(count("Outbound:", node.outboundPeers, unknownDirection), at: 2)
        }
        if let advice = advice(node) { out.append(advice) }
        lines(out, into: &grid, area: inner)
        table(c, state: &state, into: &grid, area: rows[1])
    }

    /// v1's peer health words (0 critical, < 3 warning, < 8 caution).
    static func health(_ peers: Int?) -> StyledLine {
        guard let peers else { return StyledLine() }
        switch peers {
        case 0: return StyledLine("CRITICAL: no peers", .role(.error, .bold))
        case 1..<3: return StyledLine("WARNING: very few peers (isolation risk)", .role(.error))
        case 3..<8: return StyledLine("CAUTION: low peer count", .role(.warning))
        default: return StyledLine("Healthy", .role(.success))
        }
    }

    /// One line of advice, most urgent first.
    static func advice(_ node: StatusReport.Node) -> StyledLine? {
        guard let peers = node.peers, peers > 0 else { return nil }
        if node.inboundPeers == 0 { return StyledLine("⚠ No inbound peers: check the firewall / port forwarding of the p2p port (30333)", .role(.warning)) }
        if node.outboundPeers == 0 { return StyledLine("⚠ No outbound peers: check internet connectivity and bootnodes", .role(.warning)) }
        if peers < 8 { return StyledLine("⚠ Few peers: opening the p2p port (30333) brings more", .role(.warning)) }
        return nil
    }

    /// The per-peer table (`system_peers`), best block first; selection anchored to the peer id.
    static func table(_ c: RenderContext, state: inout TableState, into grid: inout CellGrid, area: Rect) {
        let part = c.snapshot.network
        let peers = part.value?.sortedPeers ?? []
        let listed = part.value?.details.peers != nil
        let title = listed ? "Connected peers (\(peers.count), system_peers)" : "Connected peers"
        let inner = c.panel(title, part).render(into: &grid, area: area)
        guard let info = part.value else { lines(c.unavailable(part), into: &grid, area: inner); return }
        guard info.details.peers != nil else {
            let why = info.details.peersProblem ?? "system_peers not asked"
            lines(StyledLine("Per-peer list unavailable: " + why + ". The counts above still come from system_health and the node's metrics.", .role(.warning))
                    .wrapped(to: max(1, inner.width)), into: &grid, area: inner)
            return
        }
        let tip = c.snapshot.status.value?.node.bestBlock
        let showHash = inner.width >= 110
        let rows = peers.map { p in
            let behind = tip.map { $0 > p.bestNumber ? $0 - p.bestNumber : 0 }
            let glyph: StyledLine = switch behind {
            case 0?: StyledLine("✓", .role(.success))
            case let b? where b < 10: StyledLine("~", .role(.warning))
            case nil: StyledLine("?", .role(.muted))
            default: StyledLine("○", .role(.muted))
            }
            var cells = [glyph, StyledLine(c.key(p.peerId), .role(.secondary)), StyledLine(p.roles ?? "-", .role(.muted)),
                         StyledLine("#\(p.bestNumber)", .role(.primary)),
                         StyledLine(behind.map { $0 == 0 ? "-" : "\($0)" } ?? "?", (behind ?? 0) >= 10 ? .role(.warning) : .role(.text))]
            if showHash { cells.append(StyledLine(p.bestHash.map { TextLayout.abbreviate($0, head: 12, tail: 8) } ?? "-", .role(.muted))) }
            return TableRow(id: p.peerId, cells: cells)
        }
        var columns = [
            TableColumn("", width: .fixed(1)), TableColumn("Peer ID", width: .fill(1)), TableColumn("Roles", width: .fixed(9)),
            TableColumn("Best", width: .fixed(10), alignment: .right), TableColumn("Behind", width: .fixed(6), alignment: .right),
        ]
        if showHash { columns.append(TableColumn("Best hash", width: .fixed(23))) }
        Table(columns: columns, rows: rows, emptyMessage: StyledLine("system_peers lists no peers", .role(.warning)))
            .render(into: &grid, area: inner, state: &state)
    }
}

/// The Help view: keys and symbols.
enum HelpViewRenderer {
    static let text: [StyledLine] = {
        func key(_ k: String, _ d: String) -> StyledLine {
            StyledLine(Span("  " + k.padding(toLength: 14, withPad: " ", startingAt: 0), role: .primary), Span(d))
        }
        return [
            StyledLine("Views", .role(.title, .bold)),
            key("1-5", "Dashboard, Blocks, Validators, Performance, Peers"),
            key("? / h / F1", "this help"), key("Tab / Shift+Tab", "next / previous view"),
            StyledLine("Moving", .role(.title, .bold)),
            key("j / k / ↓ / ↑", "selection down / up"), key("J / K", "down / up 10"), key("PgDn / PgUp", "a page"),
            key("g / G", "first / last row"),
            StyledLine("Actions", .role(.title, .bold)),
            key("Enter", "details: block, validator, peer; epoch history (Dashboard, Performance)"), key("Esc", "close the popup (never quits)"),
            key("f", "Validators: ours only / all"), key("t", "theme: Midnight ⟷ Midday"),
            key("y", "copy the selected hash, key or peer id (OSC 52 clipboard)"), key("q / Ctrl+C", "quit"),
            StyledLine("Symbols", .role(.title, .bold)),
            key("★", "our validator"), key("↓ / ↑", "inbound / outbound (peers, bandwidth)"),
            key("✓ ~ ○", "peer at our best block / under 10 behind / further behind"), key("✓", "finalized / in sync / elected"), key("● Ns ago", "age of the panel's data"),
            key("⚠ stale", "data older than the stale limit (last fetch failed or slow)"), key("✗", "unavailable, with the reason"),
            StyledLine("Expected blocks", .role(.title, .bold)),
            StyledLine("  seats / committee size × blocks the chain produced in the epoch (everywhere)."),
        ]
    }()

    static func render(into grid: inout CellGrid, area: Rect, state: inout ScrollState) {
        let inner = Panel("Help").render(into: &grid, area: area)
        TextView(lines: text).render(into: &grid, area: inner, state: &state)
    }
}
