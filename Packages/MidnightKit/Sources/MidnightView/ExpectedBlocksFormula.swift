/// The one expected-blocks formula every dashboard panel uses: seats / committee size × the
/// blocks the chain actually produced (in the epoch, so far). Same as the store's and
/// `mvm status`'s (docs/schema.md); kept local so the view needs no other module's helper.
public enum ExpectedBlocksFormula {
    /// seats / committeeSize × chainBlocks; 0 when the committee size is 0.
    public static func expected(seats: Int, committeeSize: Int, chainBlocks: Int) -> Double {
        guard committeeSize > 0 else { return 0 }
        return Double(seats) / Double(committeeSize) * Double(chainBlocks)
    }

    /// The formula spelled out with its numbers, e.g. "3/300 seats × 1200 blocks".
    public static func explain(seats: Int, committeeSize: Int, chainBlocks: Int) -> String {
        "\(seats)/\(committeeSize) seats × \(chainBlocks) blocks"
    }
}
