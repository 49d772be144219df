import MidnightStatus
import SpomTheme
import SpomTUI

/// How the node's Prometheus figures read on screen: uptime, bandwidth, transaction pool. A figure
/// that is unknown says why ("n/a: metrics unreachable …") instead of showing 0 (v1 showed "0s",
/// "0B / 0B" and "0 ready", which looked like a dead node).
enum NodeFigures {
    /// "4d 17h", "3h 05m", "12m", "42s" (v1's format).
    static func uptime(_ seconds: Double) -> String {
        let s = Int(max(0, seconds))
        let days = s / 86_400, hours = s % 86_400 / 3600, minutes = s % 3600 / 60
        if days > 0 { return "\(days)d \(hours)h" }
        if hours > 0 { return "\(hours)h " + (minutes < 10 ? "0" : "") + "\(minutes)m" }
        if minutes > 0 { return "\(minutes)m" }
        return "\(s)s"
    }

    /// "↓52KB/s ↑47KB/s  (total ↓44.6GB ↑107.8GB)"; compact drops the totals once rates are known.
    static func bandwidth(_ part: DashboardPart<NetworkInfo>, compact: Bool) -> StyledLine {
        let network = part.value
        guard let m = network?.details.metrics else { return unknown(part) }
        guard let received = m.bytesReceived, let sent = m.bytesSent else {
            return StyledLine("n/a: the node reports no substrate_sub_libp2p_network_bytes_total", .role(.muted))
        }
        var line = StyledLine()
        if let rx = network?.receivedPerSecond, let tx = network?.sentPerSecond {
            line.append("↓" + SystemInfo.bytes(rx) + "/s", .role(.success))
            line.append(" ↑" + SystemInfo.bytes(tx) + "/s", .role(.muted))
            if compact { return line }
            line.append("  total ", .role(.muted))
        }
        line.append("↓" + SystemInfo.bytes(received), .role(.success))
        line.append(" ↑" + SystemInfo.bytes(sent), .role(.muted))
        if network?.receivedPerSecond == nil { line.append(" since start", .role(.muted)) }
        return line
    }

    /// "3 ready".
    static func txPool(_ part: DashboardPart<NetworkInfo>) -> StyledLine {
        guard let m = part.value?.details.metrics else { return unknown(part) }
        guard let ready = m.readyTransactions else {
            return StyledLine("n/a: the node reports no substrate_ready_transactions_number", .role(.muted))
        }
        return StyledLine("\(ready) ready", .role(.text))
    }

    /// "n/a: <why>" for a figure from the node's Prometheus endpoint.
    static func unknown(_ part: DashboardPart<NetworkInfo>) -> StyledLine {
        let why = part.value?.details.metricsProblem ?? part.error ?? "node metrics not read yet"
        return StyledLine("n/a: " + why, .role(.warning))
    }

    /// The node's version without the git hash ("0.18.0-abc123" -> "0.18.0"), as v1's status bar.
    static func shortVersion(_ version: String) -> String {
        String(version.split(separator: "-", maxSplits: 1).first ?? Substring(version))
    }
}
