import MidnightChain

/// How the dashboard shows the one expected-blocks formula (``ExpectedBlocks`` in MidnightChain,
/// shared with the store, `mvm status`, the API and metrics): seats / committee size × the blocks
/// the chain produced in the epoch (so far).
enum ExpectedBlocksFormula {
    /// seats / committeeSize × chainBlocks; 0 when nothing is expected.
    static func expected(seats: Int, committeeSize: Int, chainBlocks: Int) -> Double {
        ExpectedBlocks.expected(seats: seats, committeeSize: committeeSize, chainBlocks: chainBlocks)
    }

    /// The formula spelled out with its numbers, e.g. "3/300 seats × 1200 blocks".
    static func explain(seats: Int, committeeSize: Int, chainBlocks: Int) -> String {
        "\(seats)/\(committeeSize) seats × \(chainBlocks) blocks"
    }
}
