/// BLAKE2b (RFC 7693), the hash Substrate uses for block hashes (`blake2b-256` of the
/// SCALE-encoded header).
///
/// The compression function works on sixteen local `UInt64` words and reads the message straight
/// from the caller's buffer: no allocation per block or round, so it stays fast in debug builds
/// too (the simulated node hashes every block of its history at start-up).
public enum Blake2b {
    /// The 32-byte BLAKE2b digest of `input` (no key).
    @inlinable
    public static func hash256(_ input: [UInt8]) -> [UInt8] {
        input.withUnsafeBytes { hash($0, outputLength: 32) }
    }

    /// The 32-byte BLAKE2b digest of the bytes in `input` (no key), without copying them.
    @inlinable
    public static func hash256(_ input: UnsafeRawBufferPointer) -> [UInt8] {
        hash(input, outputLength: 32)
    }

    /// The BLAKE2b digest of `input` with `outputLength` bytes (1...64), unkeyed.
    @inlinable
    public static func hash(_ input: [UInt8], outputLength: Int) -> [UInt8] {
        input.withUnsafeBytes { hash($0, outputLength: outputLength) }
    }

    /// The BLAKE2b digest of the bytes in `input` with `outputLength` bytes (1...64), unkeyed.
    public static func hash(_ input: UnsafeRawBufferPointer, outputLength: Int) -> [UInt8] {
        precondition((1...64).contains(outputLength), "BLAKE2b output length must be 1...64")
        var state = State(outputLength: outputLength)
        let count = input.count
        var offset = 0
        // Every full block except the last one (the last block is compressed with the final flag,
        // even when it is full).
        while count - offset > 128, let base = input.baseAddress {
            state.counter &+= 128
            state.compress(UnsafeRawPointer(base + offset), last: false)
            offset += 128
        }
        // The last (possibly partial or empty) block, zero-padded in a stack buffer.
        let tail = count - offset
        withUnsafeTemporaryAllocation(byteCount: 128, alignment: 8) { block in
            block.initializeMemory(as: UInt8.self, repeating: 0)
            if tail > 0, let base = input.baseAddress {
                block.baseAddress.unsafelyUnwrapped.copyMemory(from: base + offset, byteCount: tail)
            }
            state.counter &+= UInt64(tail)
            state.compress(UnsafeRawPointer(block.baseAddress.unsafelyUnwrapped), last: true)
        }
        return [UInt8](unsafeUninitializedCapacity: outputLength) { out, initialized in
            for i in 0..<outputLength {
                out[i] = UInt8(truncatingIfNeeded: state.word(i &>> 3) &>> UInt64((i & 7) &<< 3))
            }
            initialized = outputLength
        }
    }

    /// The chaining value and byte counter (inputs are far below 2^64 bytes, so the high counter
    /// word is always zero).
    struct State {
        var h0: UInt64 = 0x6a09_e667_f3bc_c908
        var h1: UInt64 = 0xbb67_ae85_84ca_a73b
        var h2: UInt64 = 0x3c6e_f372_fe94_f82b
        var h3: UInt64 = 0xa54f_f53a_5f1d_36f1
        var h4: UInt64 = 0x510e_527f_ade6_82d1
        var h5: UInt64 = 0x9b05_688c_2b3e_6c1f
        var h6: UInt64 = 0x1f83_d9ab_fb41_bd6b
        var h7: UInt64 = 0x5be0_cd19_137e_2179
        var counter: UInt64 = 0

        init(outputLength: Int) {
            h0 ^= 0x0101_0000 ^ UInt64(outputLength)
        }

        /// Chaining word `index` (0...7).
        func word(_ index: Int) -> UInt64 {
            switch index {
            case 0: h0
            case 1: h1
            case 2: h2
            case 3: h3
            case 4: h4
            case 5: h5
            case 6: h6
            default: h7
            }
        }

        /// Compresses the 128 bytes at `block` (read little-endian, no alignment needed).
        mutating func compress(_ block: UnsafeRawPointer, last: Bool) {
            @inline(__always) func word(_ i: Int) -> UInt64 {
                UInt64(littleEndian: block.loadUnaligned(fromByteOffset: i &* 8, as: UInt64.self))
            }
            let m0 = word(0), m1 = word(1), m2 = word(2), m3 = word(3)
            let m4 = word(4), m5 = word(5), m6 = word(6), m7 = word(7)
            let m8 = word(8), m9 = word(9), m10 = word(10), m11 = word(11)
            let m12 = word(12), m13 = word(13), m14 = word(14), m15 = word(15)

            var v0 = h0, v1 = h1, v2 = h2, v3 = h3, v4 = h4, v5 = h5, v6 = h6, v7 = h7
            var v8: UInt64 = 0x6a09_e667_f3bc_c908
            var v9: UInt64 = 0xbb67_ae85_84ca_a73b
            var v10: UInt64 = 0x3c6e_f372_fe94_f82b
            var v11: UInt64 = 0xa54f_f53a_5f1d_36f1
            var v12: UInt64 = 0x510e_527f_ade6_82d1 ^ counter
            var v13: UInt64 = 0x9b05_688c_2b3e_6c1f
            var v14: UInt64 = last ? ~0x1f83_d9ab_fb41_bd6b : 0x1f83_d9ab_fb41_bd6b
            var v15: UInt64 = 0x5be0_cd19_137e_2179

            // The ten message schedules (sigma); rounds 10 and 11 repeat rounds 0 and 1.
            for round in 0..<12 {
                let s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11, s12, s13, s14, s15: UInt64
                switch round {
                case 0, 10:
                    (s0, s1, s2, s3, s4, s5, s6, s7) = (m0, m1, m2, m3, m4, m5, m6, m7)
                    (s8, s9, s10, s11, s12, s13, s14, s15) = (m8, m9, m10, m11, m12, m13, m14, m15)
                case 1, 11:
                    (s0, s1, s2, s3, s4, s5, s6, s7) = (m14, m10, m4, m8, m9, m15, m13, m6)
                    (s8, s9, s10, s11, s12, s13, s14, s15) = (m1, m12, m0, m2, m11, m7, m5, m3)
                case 2:
                    (s0, s1, s2, s3, s4, s5, s6, s7) = (m11, m8, m12, m0, m5, m2, m15, m13)
                    (s8, s9, s10, s11, s12, s13, s14, s15) = (m10, m14, m3, m6, m7, m1, m9, m4)
                case 3:
                    (s0, s1, s2, s3, s4, s5, s6, s7) = (m7, m9, m3, m1, m13, m12, m11, m14)
                    (s8, s9, s10, s11, s12, s13, s14, s15) = (m2, m6, m5, m10, m4, m0, m15, m8)
                case 4:
                    (s0, s1, s2, s3, s4, s5, s6, s7) = (m9, m0, m5, m7, m2, m4, m10, m15)
                    (s8, s9, s10, s11, s12, s13, s14, s15) = (m14, m1, m11, m12, m6, m8, m3, m13)
                case 5:
                    (s0, s1, s2, s3, s4, s5, s6, s7) = (m2, m12, m6, m10, m0, m11, m8, m3)
                    (s8, s9, s10, s11, s12, s13, s14, s15) = (m4, m13, m7, m5, m15, m14, m1, m9)
                case 6:
                    (s0, s1, s2, s3, s4, s5, s6, s7) = (m12, m5, m1, m15, m14, m13, m4, m10)
                    (s8, s9, s10, s11, s12, s13, s14, s15) = (m0, m7, m6, m3, m9, m2, m8, m11)
                case 7:
                    (s0, s1, s2, s3, s4, s5, s6, s7) = (m13, m11, m7, m14, m12, m1, m3, m9)
                    (s8, s9, s10, s11, s12, s13, s14, s15) = (m5, m0, m15, m4, m8, m6, m2, m10)
                case 8:
                    (s0, s1, s2, s3, s4, s5, s6, s7) = (m6, m15, m14, m9, m11, m3, m0, m8)
                    (s8, s9, s10, s11, s12, s13, s14, s15) = (m12, m2, m13, m7, m1, m4, m10, m5)
                default:
                    (s0, s1, s2, s3, s4, s5, s6, s7) = (m10, m2, m8, m4, m7, m6, m1, m5)
                    (s8, s9, s10, s11, s12, s13, s14, s15) = (m15, m11, m9, m14, m3, m12, m13, m0)
                }
                Self.g(&v0, &v4, &v8, &v12, s0, s1)
                Self.g(&v1, &v5, &v9, &v13, s2, s3)
                Self.g(&v2, &v6, &v10, &v14, s4, s5)
                Self.g(&v3, &v7, &v11, &v15, s6, s7)
                Self.g(&v0, &v5, &v10, &v15, s8, s9)
                Self.g(&v1, &v6, &v11, &v12, s10, s11)
                Self.g(&v2, &v7, &v8, &v13, s12, s13)
                Self.g(&v3, &v4, &v9, &v14, s14, s15)
            }
            h0 ^= v0 ^ v8
            h1 ^= v1 ^ v9
            h2 ^= v2 ^ v10
            h3 ^= v3 ^ v11
            h4 ^= v4 ^ v12
            h5 ^= v5 ^ v13
            h6 ^= v6 ^ v14
            h7 ^= v7 ^ v15
        }

        /// The mixing function G.
        @inline(__always)
        static func g(
            _ a: inout UInt64, _ b: inout UInt64, _ c: inout UInt64, _ d: inout UInt64, _ x: UInt64, _ y: UInt64
        ) {
            a = a &+ b &+ x
            d ^= a
            d = (d &>> 32) | (d &<< 32)
            c = c &+ d
            b ^= c
            b = (b &>> 24) | (b &<< 40)
            a = a &+ b &+ y
            d ^= a
            d = (d &>> 16) | (d &<< 48)
            c = c &+ d
            b ^= c
            b = (b &>> 63) | (b &<< 1)
        }
    }
}
