/// Internal helpers for x402 amounts, timestamps and nonces: decimal strings on the wire,
/// 32-byte big-endian words in EIP-712, on top of ``UInt256``.
enum X402U256 {
    /// Longest decimal text looked at (2^256 has 78 digits; leading zeros are allowed).
    static let maxDecimalLength = 100

    /// Parses ASCII decimal digits (no sign, no spaces; leading zeros allowed unless
    /// `canonical`) into a 32-byte big-endian word; `nil` if malformed or >= 2^256.
    static func word(decimal s: String, canonical: Bool = false) -> [UInt8]? {
        let u = s.utf8
        guard !u.isEmpty, u.count <= maxDecimalLength else { return nil }
        if canonical, u.count > 1, u.first == UInt8(ascii: "0") { return nil }
        return (try? UInt256(decimal: s))?.bigEndianBytes
    }

    /// A 32-byte big-endian word holding `v`.
    static func word(_ v: UInt64) -> [UInt8] { UInt256(v).bigEndianBytes }

    /// The decimal text of a big-endian byte string of at most 32 bytes.
    static func decimal(bigEndian bytes: [UInt8]) -> String {
        (try? UInt256(bigEndian: bytes))?.decimalString ?? "0"
    }

    /// Whether `s` is a canonical decimal (no leading zeros) below 2^256.
    static func isCanonicalDecimal(_ s: String) -> Bool { word(decimal: s, canonical: true) != nil }

    /// Compares two 32-byte big-endian words (-1, 0, 1).
    static func compare(_ a: [UInt8], _ b: [UInt8]) -> Int {
        for i in 0..<min(a.count, b.count) where a[i] != b[i] { return a[i] < b[i] ? -1 : 1 }
        return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
    }

    /// The value of a word if it fits in 64 bits.
    static func uint64(_ w: [UInt8]) -> UInt64? { (try? UInt256(bigEndian: w))?.uint64Value }

    /// `v + small` as a word, computed in 256 bits (saturating at 2^256 - 1).
    static func word(_ v: UInt64, plus small: UInt64) -> [UInt8] {
        (UInt256(v).adding(UInt256(small)) ?? UInt256.max).bigEndianBytes
    }
}
