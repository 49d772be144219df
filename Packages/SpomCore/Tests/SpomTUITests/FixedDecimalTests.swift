import Foundation
import SpomTUI
import Testing

@Suite struct FixedDecimalTests {
    @Test func printsLikePrintf() {
        let values: [Double] = [
            0, -0.0, 1, -1, 0.5, 1.5, 2.5, 0.125, 0.375, 2.675, 1.005, 0.05, 0.95, 9.95, 99.95, 99.999,
            -0.01, -0.04, 12.3456, 1234567.891, 1e-9, 123456789012.5, 4.35, 0.045, 100, 65.5, 0.1 + 0.2,
        ]
        for value in values {
            for digits in 0...3 {
                #expect(FixedDecimal.format(value, digits: digits) == String(format: "%.\(digits)f", value),
                        "\(value) with \(digits) digits")
            }
        }
    }

    /// Random values of the sizes a dashboard shows (percentages, rates, byte counts), every digit
    /// count it uses: the same text as `printf`.
    @Test func agreesWithPrintfOnRandomValues() {
        var generator = SystemRandomNumberGenerator()
        var mismatches: [String] = []
        for _ in 0..<20_000 {
            let magnitude = Double.random(in: -3...12, using: &generator)
            let value = (Bool.random(using: &generator) ? 1 : -1) * Double.random(in: 0..<1, using: &generator) * pow(10, magnitude)
            for digits in 0...2 {
                let ours = FixedDecimal.format(value, digits: digits)
                let printf = String(format: "%.\(digits)f", value)
                if ours != printf { mismatches.append("\(value) %.\(digits)f: \(ours) vs \(printf)") }
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
    }

    @Test func specialValuesAndClampedDigits() {
        #expect(FixedDecimal.format(.nan, digits: 1) == "nan")
        #expect(FixedDecimal.format(.infinity, digits: 1) == "inf")
        #expect(FixedDecimal.format(-.infinity, digits: 2) == "-inf")
        #expect(FixedDecimal.format(3.14159, digits: -2) == "3")
        #expect(FixedDecimal.format(1.5, digits: 20) == "1.500000000")
        #expect(FixedDecimal.format(1e20, digits: 1) == "1e+20")
    }
}
