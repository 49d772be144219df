import SpomTUI

/// The dashboard's views, numbered by their keys.
public enum DashboardView: Int, Sendable, CaseIterable, Hashable {
    /// Node, sync, epoch and our validator at a glance.
    case dashboard = 1
    /// Recent blocks.
    case blocks
    /// Every validator.
    case validators
    /// Our validator, epoch by epoch.
    case performance
    /// Peer health, counts and the per-peer list.
    case peers
    /// Keys and symbols.
    case help

    /// The tab title.
    public var title: String {
        switch self {
        case .dashboard: "Dashboard"
        case .blocks: "Blocks"
        case .validators: "Validators"
        case .performance: "Performance"
        case .peers: "Peers"
        case .help: "Help"
        }
    }

    /// The key that selects the view.
    public var key: String { self == .help ? "?" : String(rawValue) }
}

/// A detail popup over the current view.
public enum DashboardPopup: Sendable, Hashable {
    /// The block with this number.
    case block(number: UInt64)
    /// The validator with this sidechain key.
    case validator(key: String)
    /// The connected peer with this peer id.
    case peer(id: String)
    /// Epoch by epoch history (seats, expected, produced, ratio) of our validator with this key.
    case epochHistory(key: String)
}

/// The dashboard's UI state: which view, selections (anchored to row ids), popup, filter, theme.
public struct DashboardState: Sendable {
    /// The view shown.
    public var view: DashboardView = .dashboard
    /// The open popup, if any.
    public var popup: DashboardPopup?
    /// Validators view: ours only.
    public var oursOnly = false
    /// Whether the light theme (Midday) is active.
    public var lightTheme = false
    /// Blocks table selection (row id = block number).
    public var blocks = TableState()
    /// Validators table selection (row id = sidechain key).
    public var validators = TableState()
    /// Performance table selection (row id = epoch).
    public var performance = TableState()
    /// Peers table selection (row id = peer id).
    public var peers = TableState()
    /// Epoch-history popup selection (row id = epoch).
    public var epochHistory = TableState()
    /// Help text scroll position.
    public var help = ScrollState()
    /// Set once the user asked to quit.
    public var shouldQuit = false
    /// A one-line notice for the status bar (for example "copied 0x12…").
    public var notice: String?
    /// The wall clock used to compute data ages, Unix ms.
    public var nowMs: UInt64 = 0
    /// Data older than this (seconds) is marked stale.
    public var staleAfterSeconds: Double = 30

    /// Creates the initial state.
    public init(lightTheme: Bool = false, staleAfterSeconds: Double = 30) {
        self.lightTheme = lightTheme
        self.staleAfterSeconds = staleAfterSeconds
    }

    /// The theme name shown in the status bar.
    public var themeName: String { lightTheme ? "Midday" : "Midnight" }
}
