/// Fixed-point decimal text for numbers on screen: `FixedDecimal.format(2.345, digits: 1)` is
/// `"2.3"`, as C's `"%.1f"` would print it.
///
/// Dashboards print numbers on every frame; `String(format:)` goes through Foundation's string
/// formatting, which keeps megabytes of Foundation's code resident in a process that otherwise
/// barely uses it. This is plain integer arithmetic.
public enum FixedDecimal {
    private static let powersOfTen: [UInt64] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000]

    /// `value` with `digits` digits after the point (0...9; clamped), rounded to the nearest, ties to
    /// even, like `printf`. A negative value keeps its sign even when it rounds to zero (`"-0.0"`,
    /// as `printf` prints it); NaN and infinities print as `nan`, `inf` and `-inf`.
    public static func format(_ value: Double, digits: Int) -> String {
        let digits = min(max(digits, 0), powersOfTen.count - 1)
        guard value.isFinite else { return value.isNaN ? "nan" : (value < 0 ? "-inf" : "inf") }
        let sign = value.sign == .minus ? "-" : ""
        let power = powersOfTen[digits]
        let x = value.magnitude, scale = Double(power)
        let product = x * scale
        // The product's rounding error, exactly (a fused multiply-add): 0.95 × 10 rounds to 9.5, a
        // tie, but 0.95 is stored as 0.94999…, so printf rounds it down.
        let error = (-product).addingProduct(x, scale)
        var scaled = product.rounded(.toNearestOrEven)
        if product - product.rounded(.down) == 0.5, error != 0 {
            scaled = error > 0 ? product.rounded(.up) : product.rounded(.down)
        }
        // Beyond 2^63 the value has no fractional digits left to show.
        guard scaled < 9.2e18 else { return sign + value.magnitude.description }
        let units = UInt64(scaled)
        var text = sign + String(units / power)
        if digits > 0 {
            let fraction = String(units % power)
            text += "." + String(repeating: "0", count: digits - fraction.count) + fraction
        }
        return text
    }
}
