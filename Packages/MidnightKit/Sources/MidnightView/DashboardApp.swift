import MidnightStore
import SpomTUI

/// Something the run loop must do after a key.
public enum DashboardEffect: Sendable, Hashable {
    /// Leave the dashboard.
    case quit
    /// Copy this text to the clipboard (OSC 52).
    case copy(String)
    /// Switch to the light (true) or dark (false) theme.
    case setLightTheme(Bool)
}

/// The dashboard as a pure state machine: keys and snapshots in, state and effects out, and a
/// frame drawn into a ``CellGrid``. No terminal, no clock, no I/O, so it is unit-tested directly.
public struct DashboardApp: Sendable {
    /// The UI state.
    public private(set) var state: DashboardState
    /// The latest data.
    public private(set) var snapshot: DashboardSnapshot

    /// Creates the app with an empty snapshot.
    public init(state: DashboardState = DashboardState(), snapshot: DashboardSnapshot = DashboardSnapshot()) {
        self.state = state
        self.snapshot = snapshot
        reconcileTables()
    }

    /// Adopts a new snapshot, keeping each selection on the same block / validator.
    public mutating func update(snapshot: DashboardSnapshot) {
        self.snapshot = snapshot
        reconcileTables()
    }

    /// Sets the clock used for data ages.
    public mutating func setNow(ms: UInt64) { state.nowMs = ms }

    /// Draws the current frame.
    public mutating func render(into grid: inout CellGrid) {
        DashboardRenderer.render(view: state.view, snapshot: snapshot, state: &state, into: &grid)
    }

    /// Handles one key; returns what the run loop must do.
    @discardableResult
    public mutating func handle(_ key: Key) -> [DashboardEffect] {
        state.notice = nil
        if key == .controlC {
            state.shouldQuit = true
            return [.quit]
        }
        if state.popup != nil {
            // Esc, q and Enter close the popup; nothing in a popup quits.
            switch key {
            case .escape, .character("q"), .enter: state.popup = nil
            case .character("y"): return copySelection()
            default:
                // The epoch history scrolls; the other popups show one record.
                if case .epochHistory? = state.popup { _ = state.epochHistory.handle(key) }
            }
            return []
        }
        switch key {
        case .character("q"), .character("Q"):
            state.shouldQuit = true
            return [.quit]
        case .escape:
            // Esc never quits; in Help it goes back to the dashboard.
            if state.view == .help { state.view = .dashboard }
            return []
        case .character(let c) where ("1"..."5").contains(c):
            if let n = c.wholeNumberValue, let view = DashboardView(rawValue: n) { state.view = view }
        case .character("?"), .character("h"), .function(1):
            state.view = .help
        case .tab:
            state.view = DashboardView(rawValue: state.view.rawValue % DashboardView.allCases.count + 1) ?? .dashboard
        case .backTab:
            let count = DashboardView.allCases.count
            state.view = DashboardView(rawValue: (state.view.rawValue + count - 2) % count + 1) ?? .dashboard
        case .character("f"), .character("F"):
            state.oursOnly.toggle()
            reconcileTables()
        case .character("t"), .character("T"):
            state.lightTheme.toggle()
            return [.setLightTheme(state.lightTheme)]
        case .character("y"):
            return copySelection()
        case .enter:
            openPopup()
        default:
            _ = navigate(key)
        }
        return []
    }

    private mutating func navigate(_ key: Key) -> Bool {
        switch state.view {
        case .blocks: return state.blocks.handle(key)
        case .validators: return state.validators.handle(key)
        case .performance: return state.performance.handle(key)
        case .peers: return state.peers.handle(key)
        case .help: return state.help.handle(key)
        case .dashboard: return false
        }
    }

    private mutating func openPopup() {
        switch state.view {
        case .blocks:
            if let id = state.blocks.selectedID, let number = UInt64(id) { state.popup = .block(number: number) }
        case .validators:
            if let key = state.validators.selectedID { state.popup = .validator(key: key) }
        case .peers:
            if let id = state.peers.selectedID { state.popup = .peer(id: id) }
        case .performance, .dashboard:
            // Our validator's epoch history, with the epoch selected in Performance (else the newest).
            guard let ours = snapshot.ours.value?.first else { return }
            state.epochHistory = TableState()
            state.epochHistory.reconcile(rowIDs: ours.epochs.map { String($0.sidechainEpoch) })
            if state.view == .performance, let epoch = state.performance.selectedID { _ = state.epochHistory.select(id: epoch) }
            state.popup = .epochHistory(key: ours.validator.sidechainKey)
        case .help: break
        }
    }

    /// The hash or key under the selection (or in the open popup).
    public var selectedCopyText: String? {
        switch state.popup {
        case .block(let number): return snapshot.blocks.value?.first { $0.number == number }?.hash
        case .validator(let key), .epochHistory(let key): return key
        case .peer(let id): return id
        case nil: break
        }
        switch state.view {
        case .blocks:
            guard let id = state.blocks.selectedID, let number = UInt64(id) else { return nil }
            return snapshot.blocks.value?.first { $0.number == number }?.hash
        case .validators: return state.validators.selectedID
        case .peers: return state.peers.selectedID
        case .dashboard, .performance: return snapshot.ours.value?.first?.validator.sidechainKey
        case .help: return nil
        }
    }

    private mutating func copySelection() -> [DashboardEffect] {
        guard let text = selectedCopyText else {
            state.notice = "nothing selected to copy"
            return []
        }
        state.notice = "copied \(TextLayout.abbreviate(text, head: 10, tail: 6))"
        return [.copy(text)]
    }

    /// Validators shown in the Validators view (after the ours-only filter).
    public var visibleValidators: [ValidatorEntity] {
        let all = snapshot.validators.value ?? []
        return state.oursOnly ? all.filter(\.isOurs) : all
    }

    private mutating func reconcileTables() {
        state.blocks.reconcile(rowIDs: (snapshot.blocks.value ?? []).map { String($0.number) })
        state.validators.reconcile(rowIDs: visibleValidators.map(\.sidechainKey))
        let epochIDs = (snapshot.ours.value?.first?.epochs ?? []).map { String($0.sidechainEpoch) }
        state.performance.reconcile(rowIDs: epochIDs)
        state.epochHistory.reconcile(rowIDs: epochIDs)
        state.peers.reconcile(rowIDs: (snapshot.network.value?.sortedPeers ?? []).map(\.peerId))
    }
}
