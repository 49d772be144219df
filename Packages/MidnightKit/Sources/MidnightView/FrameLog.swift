import Foundation

/// Per-frame timings of the dashboard's draw loop, written to a file when the dashboard quits
/// (`MVM_VIEW_FRAME_LOG=<file>`, used by `Scripts/bench-view`). One line per frame:
/// `<why> <columns>x<rows> render_us=<n> present_us=<n>`, where render is the whole frame drawn
/// into the cell grid and present is the flush of the changed cells to the terminal.
struct FrameLog {
    /// Why a frame was drawn.
    enum Reason: String {
        /// A key was pressed (a view switch redraws almost every cell).
        case key
        /// New data arrived from the loader.
        case data
        /// The once-a-second tick that advances the "Ns ago" badges.
        case tick
        /// The terminal was resized (a full repaint).
        case resize
    }

    let path: String
    private var lines: [String] = []

    init?(path: String?) {
        guard let path, !path.isEmpty else { return nil }
        self.path = path
        lines.reserveCapacity(4096)
    }

    mutating func record(_ reason: Reason, columns: Int, rows: Int, renderNs: UInt64, presentNs: UInt64) {
        guard lines.count < 100_000 else { return }
        lines.append("\(reason.rawValue) \(columns)x\(rows) render_us=\(renderNs / 1000) present_us=\(presentNs / 1000)")
    }

    /// Writes the lines; failures are ignored (this is a measurement aid, not a feature).
    func write() {
        try? (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
    }
}
