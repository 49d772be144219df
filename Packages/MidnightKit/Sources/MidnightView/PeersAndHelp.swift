import MidnightStatus
import SpomTheme
import SpomTUI

/// The Peers view: counts from the node status (RPC and the node's Prometheus endpoint).
enum PeersViewRenderer {
    static func render(_ c: RenderContext, into grid: inout CellGrid, area: Rect) {
        let part = c.snapshot.status
        let inner = c.panel("Peers", part).render(into: &grid, area: area)
        guard c.snapshot.statusConfigured else {
            lines([StyledLine("Peers unknown: no node configured (the dashboard is reading the database only).", .role(.muted))], into: &grid, area: inner)
            return
        }
        guard let node = part.value?.node else { lines(c.unavailable(part), into: &grid, area: inner); return }
        var out: [StyledLine] = []
        if !node.reachable { out.append(StyledLine("✗ node unreachable: " + (part.error ?? node.url), .role(.error))) }
        func count(_ label: String, _ value: Int?, _ unknown: String) -> StyledLine {
            StyledLine(Span(label.padding(toLength: 12, withPad: " ", startingAt: 0), role: .muted),
                       value.map { Span("\($0)", role: .text, .bold) } ?? Span("unknown (" + unknown + ")", role: .warning))
        }
        out.append(count("Connected:", node.peers, "system_health did not answer"))
        out.append(count("Inbound:", node.inboundPeers, "node Prometheus endpoint not configured or unreachable"))
        out.append(count("Outbound:", node.outboundPeers, "node Prometheus endpoint not configured or unreachable"))
        out.append(StyledLine(""))
        out.append(StyledLine("Inbound/outbound come from the node's Prometheus metrics; RPC alone cannot tell them apart.", .role(.muted)))
        lines(out, into: &grid, area: inner)
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
            key("Enter", "details of the selected block or validator"), key("Esc", "close the popup (never quits)"),
            key("f", "Validators: ours only / all"), key("t", "theme: Midnight ⟷ Midday"),
            key("y", "copy the selected hash or key (OSC 52 clipboard)"), key("q / Ctrl+C", "quit"),
            StyledLine("Symbols", .role(.title, .bold)),
            key("★", "our validator"), key("✓", "finalized / in sync / elected"), key("● Ns ago", "age of the panel's data"),
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
