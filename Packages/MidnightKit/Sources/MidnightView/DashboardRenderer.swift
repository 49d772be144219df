import Foundation
import MidnightStatus
import MidnightStore
import SpomTheme
import SpomTUI

/// Draws the dashboard's views into a ``CellGrid``. Pure: same snapshot and state, same grid
/// (the only state it touches is each table's scroll layout).
public enum DashboardRenderer {
    /// The smallest terminal the dashboard draws in.
    public static let minimumSize = MinimumSize.classic

    /// Draws `view` (tab bar, content, status bar, popup) or the "terminal too small" notice.
    public static func render(view: DashboardView, snapshot: DashboardSnapshot, state: inout DashboardState,
                              into grid: inout CellGrid) {
        grid.clear()
        if minimumSize.renderNoticeIfTooSmall(into: &grid) { return }
        let rows = Layout.rows(grid.bounds, [.fixed(1), .fill(1), .fixed(1)])
        TabBar(leading: StyledLine(" MVM ", .role(.title, .bold)),
               tabs: DashboardView.allCases.map { Tab(key: $0.key, title: $0.title) },
               selected: view.rawValue - 1).render(into: &grid, area: rows[0])
        let context = RenderContext(snapshot: snapshot, nowMs: state.nowMs, staleAfter: state.staleAfterSeconds,
                                    wide: grid.width >= 120)
        switch view {
        case .dashboard: DashboardViewRenderer.render(context, into: &grid, area: rows[1])
        case .blocks: TableViews.blocks(context, state: &state.blocks, into: &grid, area: rows[1])
        case .validators: TableViews.validators(context, oursOnly: state.oursOnly, state: &state.validators, into: &grid, area: rows[1])
        case .performance: TableViews.performance(context, state: &state.performance, into: &grid, area: rows[1])
        case .peers: PeersViewRenderer.render(context, state: &state.peers, into: &grid, area: rows[1])
        case .help: HelpViewRenderer.render(into: &grid, area: rows[1], state: &state.help)
        }
        statusBar(context, state: state).render(into: &grid, area: rows[2])
        if let popup = state.popup {
            PopupRenderer.render(popup, context, epochHistory: &state.epochHistory, into: &grid)
        }
    }

    static func statusBar(_ context: RenderContext, state: DashboardState) -> StatusBar {
        var left = StyledLine()
        if let notice = state.notice {
            left.append(notice, .role(.success))
        } else if state.popup != nil {
            left.append(contentsOf: keyHint("Esc", "close  ")); left.append(contentsOf: keyHint("y", "copy"))
            if case .epochHistory? = state.popup { left.append(contentsOf: keyHint("  j/k", "scroll")) }
        } else {
            let gap = context.wide ? "  " : " "
            left.append(contentsOf: keyHint("1-5", "views" + gap)); left.append(contentsOf: keyHint("Enter", "detail" + gap))
            left.append(contentsOf: keyHint("f", (state.oursOnly ? "all" : "ours") + gap)); left.append(contentsOf: keyHint("y", "copy" + gap))
            left.append(contentsOf: keyHint("?", "help" + gap)); left.append(contentsOf: keyHint("q", "quit"))
        }
        var right = StyledLine()
        if context.wide, let version = context.snapshot.status.value?.node.version, context.snapshot.status.value?.node.reachable == true {
            // v1 showed the node's version here; the Node panel may not have room for it at 80x24.
            right.append("Node ", .role(.muted)); right.append("v" + NodeFigures.shortVersion(version) + "  ")
        }
        let db = context.snapshot.blocks
        if db.value == nil, let error = db.error {
            right.append("DB: " + error, .role(.error))
        } else {
            right.append("DB ", .role(.muted)); right.append(contentsOf: context.badge(db).line)
        }
        right.append("  " + (state.lightTheme ? "☀ " : "☽ ") + state.themeName + " ", .role(.secondary))
        return StatusBar(left: left, right: right, fill: .role(.text).on(.role(.border)))
    }

    static func keyHint(_ key: String, _ text: String) -> StyledLine {
        StyledLine(Span(key, role: .primary, .bold), Span(" " + text, role: .muted))
    }
}

/// What every view renderer needs: data, the clock and the size class.
struct RenderContext {
    let snapshot: DashboardSnapshot
    let nowMs: UInt64
    let staleAfter: Double
    let wide: Bool

    func badge<V>(_ part: DashboardPart<V>) -> AgeBadge {
        AgeBadge(age: part.age(nowMs: nowMs), staleAfter: staleAfter)
    }

    /// Full key when wide, else first 12 + "..." + last 8.
    func key(_ key: String) -> String {
        wide || key.count <= 22 ? key : TextLayout.abbreviate(key, head: 12, tail: 8)
    }

    /// A panel titled `title` whose trailing title is the part's age (or its error).
    func panel<V>(_ title: String, _ part: DashboardPart<V>) -> Panel {
        Panel(title: StyledLine(title, .role(.primary, .bold)), trailingTitle: trailing(part))
    }

    func trailing<V>(_ part: DashboardPart<V>) -> StyledLine {
        if part.error != nil, part.fetchedAtMs != nil {
            return StyledLine(Span("⚠ failed, data ", role: .error), Span(AgeBadge.describe(age: part.age(nowMs: nowMs) ?? 0), role: .warning))
        }
        if part.error != nil { return StyledLine("✗ unavailable", .role(.error, .bold)) }
        return badge(part).line
    }

    /// Lines explaining why a part has no data (or an empty-state message).
    func unavailable<V>(_ part: DashboardPart<V>) -> [StyledLine] {
        if let error = part.error {
            return [StyledLine("✗ " + error, .role(.error))]
        }
        return [StyledLine("◌ loading…", .role(.warning))]
    }
}

extension Double {
    /// `"%.<digits>f"` without Foundation's formatting (``FixedDecimal``).
    func fixed(_ digits: Int) -> String { FixedDecimal.format(self, digits: digits) }
}

func lines(_ lines: [StyledLine], into grid: inout CellGrid, area: Rect) {
    for (index, line) in lines.enumerated() where index < area.height {
        grid.write(line.truncated(to: area.width), column: area.x, row: area.y + index, clip: area)
    }
}
