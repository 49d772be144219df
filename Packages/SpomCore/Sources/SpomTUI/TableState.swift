import SpomTheme

/// Selection and scroll position of a ``Table``, anchored to row identity.
///
/// The selection follows the *row id*, not the index: when a refresh inserts rows above the
/// selected one, ``reconcile(rowIDs:)`` finds it again and shifts the scroll offset by the same
/// amount, so the highlighted row stays on the same block and on the same screen line. When the
/// selected row disappears the selection stays at the same index (clamped).
public struct TableState: Hashable, Sendable {
    /// Index of the selected row, nil when the table is empty or nothing is selected.
    public private(set) var selectedIndex: Int?
    /// Identity of the selected row.
    public private(set) var selectedID: String?
    /// Index of the first visible row.
    public private(set) var offset: Int
    /// Rows visible at the last render (used for paging; 10 before the first render).
    public private(set) var visibleRows: Int
    private var rowIDs: [String]

    /// Creates a state with the first row selected (once rows exist).
    public init() {
        selectedIndex = nil
        selectedID = nil
        offset = 0
        visibleRows = 10
        rowIDs = []
    }

    /// Adopts a new list of row ids (after a data refresh), keeping the selection on the same id.
    public mutating func reconcile(rowIDs newIDs: [String]) {
        defer { rowIDs = newIDs }
        guard !newIDs.isEmpty else {
            selectedIndex = nil
            selectedID = nil
            offset = 0
            return
        }
        if let id = selectedID, let oldIndex = selectedIndex, let newIndex = newIDs.firstIndex(of: id) {
            if newIndex != oldIndex {
                offset += newIndex - oldIndex  // keep the row on the same screen line
            }
            selectedIndex = newIndex
        } else if let oldIndex = selectedIndex {
            let index = min(oldIndex, newIDs.count - 1)
            selectedIndex = index
            selectedID = newIDs[index]
        } else {
            selectedIndex = 0
            selectedID = newIDs[0]
        }
        clampOffset(count: newIDs.count)
    }

    /// Selects the row with `id` if present. Returns whether it was found.
    @discardableResult
    public mutating func select(id: String) -> Bool {
        guard let index = rowIDs.firstIndex(of: id) else { return false }
        select(index: index)
        return true
    }

    /// Selects the row at `index` (clamped).
    public mutating func select(index: Int) {
        guard !rowIDs.isEmpty else { return }
        let clamped = min(max(0, index), rowIDs.count - 1)
        selectedIndex = clamped
        selectedID = rowIDs[clamped]
        clampOffset(count: rowIDs.count)
    }

    /// Applies a scroll command to the selection.
    public mutating func apply(_ command: ScrollCommand) {
        guard !rowIDs.isEmpty else { return }
        let current = selectedIndex ?? 0
        switch command {
        case .by(let delta): select(index: current + delta)
        case .pages(let pages): select(index: current + pages * max(1, visibleRows))
        case .top: select(index: 0)
        case .bottom: select(index: rowIDs.count - 1)
        }
    }

    /// Handles the shared navigation keys (see ``ScrollCommand/init(key:jump:)``). Returns true
    /// when the key was a navigation key.
    @discardableResult
    public mutating func handle(_ key: Key) -> Bool {
        guard let command = ScrollCommand(key: key) else { return false }
        apply(command)
        return true
    }

    /// Records the viewport height and scrolls just enough to keep the selection visible.
    public mutating func layout(visibleRows rows: Int) {
        visibleRows = max(1, rows)
        clampOffset(count: rowIDs.count)
    }

    private mutating func clampOffset(count: Int) {
        if let selected = selectedIndex {
            if selected < offset { offset = selected }
            if selected >= offset + visibleRows { offset = selected - visibleRows + 1 }
        }
        offset = min(offset, max(0, count - visibleRows))
        offset = max(0, offset)
    }
}
