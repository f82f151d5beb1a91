/// Internal 256-bit unsigned integer helpers for x402 amounts, timestamps and nonces
/// (decimal strings on the wire, 32-byte big-endian words in EIP-712).
enum X402U256 {
    /// 2^256 - 1 in decimal (78 digits).
    static let maxDecimal = "115792089237316195423570985008687907853269984665640564039457584007913129639935"

    /// Parses ASCII decimal digits (no sign, no spaces; leading zeros allowed unless
    /// `canonical`) into a 32-byte big-endian word; `nil` if malformed or >= 2^256.
    static func word(decimal s: String, canonical: Bool = false) -> [UInt8]? {
        let u = s.utf8
        guard !u.isEmpty, u.count <= 100 else { return nil }
        if canonical, u.count > 1, u.first == UInt8(ascii: "0") { return nil }
        // limbs[0] is the least significant 64 bits.
        var limbs: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        for c in u {
            guard c >= 0x30, c <= 0x39 else { return nil }
            var carry = UInt64(c - 0x30)
            func step(_ x: inout UInt64) {
                let (hi, lo) = x.multipliedFullWidth(by: 10)
                let (sum, o) = lo.addingReportingOverflow(carry)
                x = sum
                carry = hi &+ (o ? 1 : 0)
            }
            step(&limbs.0); step(&limbs.1); step(&limbs.2); step(&limbs.3)
            if carry != 0 { return nil }
        }
        var out = [UInt8](repeating: 0, count: 32)
        let ls = [limbs.3, limbs.2, limbs.1, limbs.0]
        for (i, l) in ls.enumerated() {
            for k in 0..<8 { out[i * 8 + k] = UInt8(truncatingIfNeeded: l >> (56 - 8 * UInt64(k))) }
        }
        return out
    }

    /// A 32-byte big-endian word holding `v`.
    static func word(_ v: UInt64) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        for k in 0..<8 { out[24 + k] = UInt8(truncatingIfNeeded: v >> (56 - 8 * UInt64(k))) }
        return out
    }

    /// The decimal text of a big-endian byte string of at most 32 bytes.
    static func decimal(bigEndian bytes: [UInt8]) -> String {
        var limbs = [UInt64](repeating: 0, count: 4)  // most significant first
        let padded = [UInt8](repeating: 0, count: max(0, 32 - bytes.count)) + bytes.suffix(32)
        for i in 0..<4 {
            var l: UInt64 = 0
            for k in 0..<8 { l = (l << 8) | UInt64(padded[i * 8 + k]) }
            limbs[i] = l
        }
        var digits: [UInt8] = []
        while limbs.contains(where: { $0 != 0 }) {
            var rem: UInt64 = 0
            for i in 0..<4 {
                let (q, r) = UInt64(10).dividingFullWidth((high: rem, low: limbs[i]))
                limbs[i] = q
                rem = r
            }
            digits.append(UInt8(truncatingIfNeeded: rem) + 0x30)
        }
        if digits.isEmpty { return "0" }
        return String(decoding: digits.reversed(), as: UTF8.self)
    }

    /// Whether `s` is a canonical decimal (no leading zeros) below 2^256.
    static func isCanonicalDecimal(_ s: String) -> Bool { word(decimal: s, canonical: true) != nil }

    /// Compares two 32-byte big-endian words.
    static func compare(_ a: [UInt8], _ b: [UInt8]) -> Int {
        for i in 0..<min(a.count, b.count) where a[i] != b[i] { return a[i] < b[i] ? -1 : 1 }
        return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
    }

    /// The value of a word if it fits in 64 bits.
    static func uint64(_ w: [UInt8]) -> UInt64? {
        guard w.count == 32, w[0..<24].allSatisfy({ $0 == 0 }) else { return nil }
        var v: UInt64 = 0
        for k in 24..<32 { v = (v << 8) | UInt64(w[k]) }
        return v
    }
}
