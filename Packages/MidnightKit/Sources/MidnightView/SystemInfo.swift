import Foundation
import MidnightStatus
import SpomTUI

/// Host figures from node_exporter for the System panel, with the memory trend.
public struct SystemInfo: Sendable, Equatable {
    /// The latest scrape.
    public var metrics: SystemMetricsSummary
    /// Memory in use (fraction 0...1) at the last scrapes, oldest first (at most ``historyLimit``).
    public var memoryHistory: [Double]

    /// Samples kept for the trend (v1: 10, one per refresh).
    public static let historyLimit = 10

    /// Creates the info.
    public init(metrics: SystemMetricsSummary, memoryHistory: [Double] = []) {
        self.metrics = metrics
        self.memoryHistory = memoryHistory
    }

    /// Which way memory use is heading.
    public enum Trend: Sendable, Hashable {
        /// Rising by more than 1 % of the latest value per sample.
        case rising
        /// Falling by more than 1 % of the latest value per sample.
        case falling
        /// Neither (or fewer than 3 samples).
        case stable

        /// The glyph shown after the memory figure.
        public var glyph: String {
            switch self {
            case .rising: "↑"
            case .falling: "↓"
            case .stable: "─"
            }
        }
    }

    /// The least-squares slope of ``memoryHistory`` compared with 1 % of the latest sample.
    public var memoryTrend: Trend {
        let ys = memoryHistory
        guard ys.count >= 3, let latest = ys.last, latest > 0 else { return .stable }
        let n = Double(ys.count)
        let meanX = (n - 1) / 2
        let meanY = ys.reduce(0, +) / n
        var num = 0.0, den = 0.0
        for (i, y) in ys.enumerated() {
            let dx = Double(i) - meanX
            num += dx * (y - meanY)
            den += dx * dx
        }
        guard den > 0 else { return .stable }
        let slope = num / den
        if slope > latest * 0.01 { return .rising }
        if slope < -latest * 0.01 { return .falling }
        return .stable
    }

    /// Appends a memory sample, keeping the last ``historyLimit``.
    public mutating func record(memoryUsed fraction: Double?) {
        guard let fraction, fraction.isFinite else { return }
        memoryHistory.append(fraction)
        if memoryHistory.count > Self.historyLimit { memoryHistory.removeFirst(memoryHistory.count - Self.historyLimit) }
    }

    /// Bytes in v1's units: binary multiples with decimal labels ("2.3GB", "512MB", "12KB", "80B"),
    /// plus TB (which v1 lacked).
    public static func bytes(_ value: Double) -> String {
        let kib = 1024.0, mib = kib * 1024, gib = mib * 1024, tib = gib * 1024
        switch value {
        case tib...: return FixedDecimal.format(value / tib, digits: 1) + "TB"
        case gib...: return FixedDecimal.format(value / gib, digits: 1) + "GB"
        case mib...: return FixedDecimal.format(value / mib, digits: 1) + "MB"
        case kib...: return FixedDecimal.format(value / kib, digits: 0) + "KB"
        default: return FixedDecimal.format(max(0, value), digits: 0) + "B"
        }
    }
}
