import Foundation
import MidnightStore
import SpomTheme
import SpomTUI

/// Detail popups for the selected block or validator.
enum PopupRenderer {
    static func render(_ popup: DashboardPopup, _ c: RenderContext, epochHistory: inout TableState, into grid: inout CellGrid) {
        let title: String
        var pairs: [LabelValue] = []
        switch popup {
        case .epochHistory(let key):
            EpochHistoryPopup.render(key: key, c, state: &epochHistory, into: &grid)
            return
        case .peer(let id):
            title = " Peer "
            if let p = c.snapshot.network.value?.details.peers?.first(where: { $0.peerId == id }) {
                let tip = c.snapshot.status.value?.node.bestBlock
                let behind = tip.map { $0 > p.bestNumber ? $0 - p.bestNumber : 0 }
                let sync: LabelValue = switch behind {
                case 0?: LabelValue("Sync:", "✓ at our best block", role: .success)
                case let b? where b < 10: LabelValue("Sync:", "~ nearly synced (\(b) blocks behind)", role: .warning)
                case let b?: LabelValue("Sync:", "○ behind (\(b) blocks)", role: .muted)
                case nil: LabelValue("Sync:", "unknown (our best block is unknown)", role: .muted)
                }
                pairs = [
                    LabelValue("Peer ID:", p.peerId, role: .secondary), LabelValue("Roles:", p.roles ?? "not reported"),
                    LabelValue("Best block:", "#\(p.bestNumber)", role: .primary), LabelValue("Best hash:", p.bestHash ?? "not reported"),
                    sync,
                    LabelValue("Direction:", "not reported per peer by system_peers; see the counts (node metrics)", role: .muted),
                ]
            } else {
                pairs = [LabelValue("", "peer no longer connected", role: .muted)]
            }
        case .block(let number):
            title = " Block #\(number) "
            if let b = c.snapshot.blocks.value?.first(where: { $0.number == number }) {
                pairs = [
                    LabelValue("Number:", "#\(b.number)", role: .primary), LabelValue("Hash:", b.hash, role: .secondary),
                    LabelValue("Parent:", b.parentHash), LabelValue("Slot:", "\(b.slot)"),
                    LabelValue("Sidechain ep.:", "\(b.sidechainEpoch)"), LabelValue("Mainchain ep.:", "\(b.mainchainEpoch)"),
                    LabelValue("Timestamp:", timestamp(b.timestampMs)), LabelValue("Extrinsics:", "\(b.extrinsicsCount)"),
                    LabelValue("Author:", b.author ?? "unattributed" + (b.unattributedReason.map { " (\($0))" } ?? ""),
                               role: b.author == nil ? .warning : .text),
                    LabelValue("AURA key:", b.authorAuraKey ?? "unknown"),
                    LabelValue("Finalized:", b.finalized ? "✓ yes" : "not yet", role: b.finalized ? .success : .warning),
                ]
            } else {
                pairs = [LabelValue("", "block no longer in the loaded range", role: .muted)]
            }
        case .validator(let key):
            let v = c.snapshot.validators.value?.first { $0.sidechainKey == key }
            title = (v?.isOurs == true ? " ★ " : " ") + "Validator "
            if let v {
                let chainBlocks = c.snapshot.epochs.value?.current?.blocksProduced ?? 0
                let expected = ExpectedBlocksFormula.expected(seats: v.epochSeats, committeeSize: v.epochCommitteeSize, chainBlocks: chainBlocks)
                pairs = [
                    LabelValue("Sidechain key:", v.sidechainKey, role: .secondary), LabelValue("AURA key:", v.auraKey ?? "unknown"),
                    LabelValue("GRANDPA key:", v.grandpaKey ?? "unknown"), LabelValue("Label:", v.label ?? "-"),
                    LabelValue("Registration:", v.isPermissioned ? "permissioned" : (v.registrationStatus ?? "unknown")),
                    LabelValue("Epoch:", v.epoch.map(String.init) ?? "unknown"),
                    LabelValue("Seats:", "\(v.epochSeats) / \(v.epochCommitteeSize)"),
                    LabelValue("Blocks:", "\(v.epochBlocks) produced / ~\(expected.fixed(1)) expected"),
                    LabelValue("Formula:", ExpectedBlocksFormula.explain(seats: v.epochSeats, committeeSize: v.epochCommitteeSize, chainBlocks: chainBlocks), role: .muted),
                    LabelValue("All time:", "\(v.blocksTotal) blocks (rank #\(v.rank), \(v.sharePercent.fixed(3))%)"),
                    LabelValue("Seen epochs:", "\(v.firstSeenEpoch.map(String.init) ?? "?") – \(v.lastSeenEpoch.map(String.init) ?? "?")"),
                ]
            } else {
                pairs = [LabelValue("", "validator no longer in the loaded list", role: .muted)]
            }
        }
        let popup = Popup(title: StyledLine(title, .role(.title, .bold)),
                          footer: StyledLine(Span("Esc", role: .primary), Span(" close  ", role: .muted), Span("y", role: .primary), Span(" copy", role: .muted)),
                          width: .percent(90, minimum: 86), height: .percent(70, minimum: 16))
        let inner = popup.render(into: &grid, screen: grid.bounds)
        _ = LabelValueList(rows: pairs.map { [$0] }, labelWidth: 15).render(into: &grid, area: inner)
    }

    static func timestamp(_ ms: UInt64) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss 'UTC'"
        return formatter.string(from: Date(timeIntervalSince1970: Double(ms) / 1000))
    }
}
