/// Arithmetic in GF(2^255 - 19) with five 51-bit limbs, just enough to decide whether 32 bytes
/// decompress to a point of the Ed25519 curve (Solana's `bytes_are_curve_point`).
///
/// The values handled here are public (hash outputs, addresses), so nothing needs to be
/// constant time. Every operation uses wrapping operators on bounds that are checked by the
/// comments next to them, so no input can make the arithmetic trap.
struct Field25519: Sendable {
    var l0: UInt64, l1: UInt64, l2: UInt64, l3: UInt64, l4: UInt64

    static let mask51: UInt64 = (1 << 51) - 1
    static let zero = Field25519(l0: 0, l1: 0, l2: 0, l3: 0, l4: 0)
    static let one = Field25519(l0: 1, l1: 0, l2: 0, l3: 0, l4: 0)
    /// Edwards d = -121665/121666 mod p (curve25519-dalek `EDWARDS_D`).
    static let edwardsD = Field25519(
        l0: 929_955_233_495_203, l1: 466_365_720_129_213, l2: 1_662_059_464_998_953,
        l3: 2_033_849_074_728_123, l4: 1_442_794_654_840_575)

    /// Loads 32 little-endian bytes, ignoring the top bit (bit 255) as `FieldElement::from_bytes`
    /// does. The value is not reduced: y in [p, 2^255) is accepted and taken mod p by the
    /// arithmetic. Returns nil unless exactly 32 bytes are given.
    init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 32 else { return nil }
        var b = [UInt8](repeating: 0, count: 32)
        var i = 0
        for x in bytes where i < 32 {
            b[i] = x
            i += 1
        }
        func load64(_ offset: Int) -> UInt64 {
            var v: UInt64 = 0
            for k in 0..<8 { v |= UInt64(b[offset + k]) << (8 * UInt64(k)) }
            return v
        }
        let m = Field25519.mask51
        l0 = load64(0) & m
        l1 = (load64(6) >> 3) & m
        l2 = (load64(12) >> 6) & m
        l3 = (load64(19) >> 1) & m
        l4 = (load64(24) >> 12) & m
    }

    init(l0: UInt64, l1: UInt64, l2: UInt64, l3: UInt64, l4: UInt64) {
        self.l0 = l0
        self.l1 = l1
        self.l2 = l2
        self.l3 = l3
        self.l4 = l4
    }

    /// A 128-bit accumulator as two words (`multipliedFullWidth` compiles to one `mul`).
    struct Wide {
        var hi: UInt64 = 0
        var lo: UInt64 = 0

        @inline(__always) mutating func add(_ a: UInt64, _ b: UInt64) {
            let (h, l) = a.multipliedFullWidth(by: b)
            let (sum, carry) = lo.addingReportingOverflow(l)
            lo = sum
            hi = hi &+ h &+ (carry ? 1 : 0)
        }

        @inline(__always) mutating func add(_ x: UInt64) {
            let (sum, carry) = lo.addingReportingOverflow(x)
            lo = sum
            hi = hi &+ (carry ? 1 : 0)
        }

        /// The bits above bit 51 (the value is below 2^115, so they fit in 64 bits).
        @inline(__always) var shifted51: UInt64 { (lo >> 51) | (hi << 13) }
        @inline(__always) var low51: UInt64 { lo & Field25519.mask51 }
    }

    /// Carries five wide sums (each below 2^113) into limbs below 2^51 + 2^18.
    @inline(__always)
    static func reduce(_ r0: Wide, _ r1: Wide, _ r2: Wide, _ r3: Wide, _ r4: Wide) -> Field25519 {
        var r1 = r1, r2 = r2, r3 = r3, r4 = r4
        r1.add(r0.shifted51)
        r2.add(r1.shifted51)
        r3.add(r2.shifted51)
        r4.add(r3.shifted51)
        // r4 < 2^113, so r4 >> 51 < 2^62 and 19 times it needs a wide add.
        var t0 = Wide(hi: 0, lo: r0.low51)
        t0.add(r4.shifted51, 19)
        return Field25519(
            l0: t0.low51, l1: r1.low51 &+ t0.shifted51, l2: r2.low51, l3: r3.low51, l4: r4.low51)
    }

    /// Limbs below 2^52 in (every value this file produces), limbs below 2^51 + 2^18 out.
    @inline(__always)
    static func * (a: Field25519, b: Field25519) -> Field25519 {
        // b_i * 19 < 2^57; every product < 2^109; every sum of five < 2^112, far below the
        // 2^115 that `shifted51` can carry.
        let b1_19 = b.l1 &* 19, b2_19 = b.l2 &* 19, b3_19 = b.l3 &* 19, b4_19 = b.l4 &* 19
        var r0 = Wide(), r1 = Wide(), r2 = Wide(), r3 = Wide(), r4 = Wide()
        r0.add(a.l0, b.l0); r0.add(a.l1, b4_19); r0.add(a.l2, b3_19); r0.add(a.l3, b2_19); r0.add(a.l4, b1_19)
        r1.add(a.l0, b.l1); r1.add(a.l1, b.l0); r1.add(a.l2, b4_19); r1.add(a.l3, b3_19); r1.add(a.l4, b2_19)
        r2.add(a.l0, b.l2); r2.add(a.l1, b.l1); r2.add(a.l2, b.l0); r2.add(a.l3, b4_19); r2.add(a.l4, b3_19)
        r3.add(a.l0, b.l3); r3.add(a.l1, b.l2); r3.add(a.l2, b.l1); r3.add(a.l3, b.l0); r3.add(a.l4, b4_19)
        r4.add(a.l0, b.l4); r4.add(a.l1, b.l3); r4.add(a.l2, b.l2); r4.add(a.l3, b.l1); r4.add(a.l4, b.l0)
        return reduce(r0, r1, r2, r3, r4)
    }

    /// self * self with 15 products instead of 25 (same bounds as `*`).
    @inline(__always)
    func squared() -> Field25519 {
        let d0 = l0 &* 2, d1 = l1 &* 2
        let l3_19 = l3 &* 19, l4_19 = l4 &* 19, l3_38 = l3 &* 38, l4_38 = l4 &* 38
        var r0 = Wide(), r1 = Wide(), r2 = Wide(), r3 = Wide(), r4 = Wide()
        r0.add(l0, l0); r0.add(l1, l4_38); r0.add(l2, l3_38)
        r1.add(d0, l1); r1.add(l2, l4_38); r1.add(l3, l3_19)
        r2.add(d0, l2); r2.add(l1, l1); r2.add(l3, l4_38)
        r3.add(d0, l3); r3.add(d1, l2); r3.add(l4, l4_19)
        r4.add(d0, l4); r4.add(d1, l3); r4.add(l2, l2)
        return Field25519.reduce(r0, r1, r2, r3, r4)
    }

    /// a + b, for limbs below 2^52; the result is carried back below 2^51 + 2^13.
    static func + (a: Field25519, b: Field25519) -> Field25519 {
        Field25519(l0: a.l0 &+ b.l0, l1: a.l1 &+ b.l1, l2: a.l2 &+ b.l2, l3: a.l3 &+ b.l3, l4: a.l4 &+ b.l4)
            .carried()
    }

    /// a - b computed as a + 2p - b, for limbs of b below 2^52 - 38.
    static func - (a: Field25519, b: Field25519) -> Field25519 {
        Field25519(
            l0: (a.l0 &+ 0xF_FFFF_FFFF_FFDA) &- b.l0, l1: (a.l1 &+ 0xF_FFFF_FFFF_FFFE) &- b.l1,
            l2: (a.l2 &+ 0xF_FFFF_FFFF_FFFE) &- b.l2, l3: (a.l3 &+ 0xF_FFFF_FFFF_FFFE) &- b.l3,
            l4: (a.l4 &+ 0xF_FFFF_FFFF_FFFE) &- b.l4
        ).carried()
    }

    /// One carry pass: limbs below 2^63 in, limbs below 2^51 + 2^17 out.
    func carried() -> Field25519 {
        let m = Field25519.mask51
        var a = self
        a.l1 = a.l1 &+ (a.l0 >> 51)
        a.l0 &= m
        a.l2 = a.l2 &+ (a.l1 >> 51)
        a.l1 &= m
        a.l3 = a.l3 &+ (a.l2 >> 51)
        a.l2 &= m
        a.l4 = a.l4 &+ (a.l3 >> 51)
        a.l3 &= m
        a.l0 = a.l0 &+ (a.l4 >> 51) &* 19
        a.l4 &= m
        a.l1 = a.l1 &+ (a.l0 >> 51)
        a.l0 &= m
        return a
    }

    func squared(times n: Int) -> Field25519 {
        var r = self
        for _ in 0..<n { r = r.squared() }
        return r
    }

    /// The unique representative in [0, p), as limbs.
    func canonical() -> Field25519 {
        let m = Field25519.mask51
        var a = carried().carried()  // every limb < 2^51, value < 2^255 < 2p
        // q = 1 exactly when a >= p (adding 19 carries out of bit 255).
        var q = (a.l0 &+ 19) >> 51
        q = (a.l1 &+ q) >> 51
        q = (a.l2 &+ q) >> 51
        q = (a.l3 &+ q) >> 51
        q = (a.l4 &+ q) >> 51
        a.l0 = a.l0 &+ 19 &* q
        a.l1 = a.l1 &+ (a.l0 >> 51)
        a.l0 &= m
        a.l2 = a.l2 &+ (a.l1 >> 51)
        a.l1 &= m
        a.l3 = a.l3 &+ (a.l2 >> 51)
        a.l2 &= m
        a.l4 = a.l4 &+ (a.l3 >> 51)
        a.l3 &= m
        a.l4 &= m  // drops 2^255, i.e. subtracts p together with the +19 above
        return a
    }

    func isEqual(to other: Field25519) -> Bool {
        let a = canonical(), b = other.canonical()
        return a.l0 == b.l0 && a.l1 == b.l1 && a.l2 == b.l2 && a.l3 == b.l3 && a.l4 == b.l4
    }

    /// Euler's criterion: z^((p-1)/2) = z^(2^254 - 10), which is 0, 1 or p-1.
    ///
    /// Addition chain: z^(2^250 - 1) as in ref10's pow22523, then 4 squarings give
    /// z^(2^254 - 16), times z^6.
    func legendreSymbolPower() -> Field25519 {
        let z = self
        let z2 = z.squared()
        let z8 = z2.squared(times: 2)
        let z9 = z * z8
        let z11 = z2 * z9
        let z22 = z11.squared()
        let z5_0 = z9 * z22  // z^(2^5 - 1) = z^31
        let z10_0 = z5_0.squared(times: 5) * z5_0
        let z20_0 = z10_0.squared(times: 10) * z10_0
        let z40_0 = z20_0.squared(times: 20) * z20_0
        let z50_0 = z40_0.squared(times: 10) * z10_0
        let z100_0 = z50_0.squared(times: 50) * z50_0
        let z200_0 = z100_0.squared(times: 100) * z100_0
        let z250_0 = z200_0.squared(times: 50) * z50_0  // z^(2^250 - 1)
        let z6 = z2.squared() * z2
        return z250_0.squared(times: 4) * z6
    }
}

/// Ed25519 curve membership with the exact semantics of curve25519-dalek's
/// `CompressedEdwardsY::decompress().is_some()`, which Solana uses for program-derived addresses.
enum Curve25519 {
    /// True when the 32 bytes decode to a curve point: y is the low 255 bits (taken mod p,
    /// so y >= p is accepted), the sign bit is ignored, and x^2 = (y^2 - 1) / (d*y^2 + 1) must
    /// be a square (0 included). d*y^2 + 1 is never 0 because -1/d is not a square.
    ///
    /// Not libsodium's `crypto_core_ed25519_is_valid_point`, which also rejects points outside
    /// the prime-order subgroup and non-canonical encodings.
    static func isOnCurve(_ bytes: some Collection<UInt8>) -> Bool {
        guard let y = Field25519(bytes: bytes) else { return false }
        let yy = y.squared()
        let u = yy - .one
        let v = Field25519.edwardsD * yy + .one
        // u/v is a square exactly when u*v is (v != 0): u*v = (u/v) * v^2.
        let w = u * v
        let chi = w.legendreSymbolPower()
        return chi.isEqual(to: .one) || w.isEqual(to: .zero)
    }
}
