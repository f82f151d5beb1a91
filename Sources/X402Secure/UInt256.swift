/// An unsigned 256-bit integer (EVM `uint256`), as four 64-bit limbs.
///
/// Every operation that can overflow is checked (returns `nil` or reports overflow);
/// nothing traps. Parsing accepts plain decimal or hexadecimal text and throws
/// ``X402SStatus/invalidNumber`` on malformed text or a value of 2^256 or more.
public struct UInt256: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Limbs, least significant first.
    @usableFromInline var w0: UInt64, w1: UInt64, w2: UInt64, w3: UInt64

    /// Zero.
    public static let zero = UInt256(0)
    /// One.
    public static let one = UInt256(1)
    /// 2^256 - 1.
    public static let max = UInt256(limbs: (.max, .max, .max, .max))

    /// Creates a value from a `UInt64`.
    @inlinable
    public init(_ v: UInt64) {
        w0 = v; w1 = 0; w2 = 0; w3 = 0
    }

    /// Creates a value from limbs, least significant first.
    public init(limbs: (UInt64, UInt64, UInt64, UInt64)) {
        w0 = limbs.0; w1 = limbs.1; w2 = limbs.2; w3 = limbs.3
    }

    /// The limbs, least significant first.
    public var limbs: (UInt64, UInt64, UInt64, UInt64) { (w0, w1, w2, w3) }

    /// `nil` for negative `v`.
    public init?(exactly v: Int) {
        guard v >= 0 else { return nil }
        self.init(UInt64(v))
    }

    /// The value as `UInt64` if it fits.
    public var uint64Value: UInt64? { (w1 | w2 | w3) == 0 ? w0 : nil }

    /// `true` for zero.
    public var isZero: Bool { (w0 | w1 | w2 | w3) == 0 }

    /// Number of significant bits (0 for zero).
    public var bitWidth: Int {
        if w3 != 0 { return 256 - w3.leadingZeroBitCount }
        if w2 != 0 { return 192 - w2.leadingZeroBitCount }
        if w1 != 0 { return 128 - w1.leadingZeroBitCount }
        return 64 - w0.leadingZeroBitCount
    }

    @inline(__always)
    func limb(_ i: Int) -> UInt64 {
        switch i {
        case 0: return w0
        case 1: return w1
        case 2: return w2
        default: return w3
        }
    }

    // MARK: Comparison

    /// Numeric order.
    public static func < (a: UInt256, b: UInt256) -> Bool {
        if a.w3 != b.w3 { return a.w3 < b.w3 }
        if a.w2 != b.w2 { return a.w2 < b.w2 }
        if a.w1 != b.w1 { return a.w1 < b.w1 }
        return a.w0 < b.w0
    }

    // MARK: Arithmetic (checked)

    /// `self + other` modulo 2^256, and whether it overflowed.
    public func addingReportingOverflow(_ o: UInt256) -> (partialValue: UInt256, overflow: Bool) {
        let (r0, c0) = w0.addingReportingOverflow(o.w0)
        var (r1, c1) = w1.addingReportingOverflow(o.w1)
        var c1b = false
        if c0 { (r1, c1b) = r1.addingReportingOverflow(1) }
        var (r2, c2) = w2.addingReportingOverflow(o.w2)
        var c2b = false
        if c1 || c1b { (r2, c2b) = r2.addingReportingOverflow(1) }
        var (r3, c3) = w3.addingReportingOverflow(o.w3)
        var c3b = false
        if c2 || c2b { (r3, c3b) = r3.addingReportingOverflow(1) }
        return (UInt256(limbs: (r0, r1, r2, r3)), c3 || c3b)
    }

    /// `self - other` modulo 2^256, and whether it borrowed (other > self).
    public func subtractingReportingOverflow(_ o: UInt256) -> (partialValue: UInt256, overflow: Bool) {
        let (r0, b0) = w0.subtractingReportingOverflow(o.w0)
        var (r1, b1) = w1.subtractingReportingOverflow(o.w1)
        var b1b = false
        if b0 { (r1, b1b) = r1.subtractingReportingOverflow(1) }
        var (r2, b2) = w2.subtractingReportingOverflow(o.w2)
        var b2b = false
        if b1 || b1b { (r2, b2b) = r2.subtractingReportingOverflow(1) }
        var (r3, b3) = w3.subtractingReportingOverflow(o.w3)
        var b3b = false
        if b2 || b2b { (r3, b3b) = r3.subtractingReportingOverflow(1) }
        return (UInt256(limbs: (r0, r1, r2, r3)), b3 || b3b)
    }

    /// `self * m` modulo 2^256, and whether it overflowed.
    public func multipliedReportingOverflow(byWord m: UInt64) -> (partialValue: UInt256, overflow: Bool) {
        let p0 = w0.multipliedFullWidth(by: m)
        let p1 = w1.multipliedFullWidth(by: m)
        let p2 = w2.multipliedFullWidth(by: m)
        let p3 = w3.multipliedFullWidth(by: m)
        let r0 = p0.low
        let (r1, c1) = p1.low.addingReportingOverflow(p0.high)
        let (r2a, c2a) = p2.low.addingReportingOverflow(p1.high)
        let (r2, c2b) = r2a.addingReportingOverflow(c1 ? 1 : 0)
        let (r3a, c3a) = p3.low.addingReportingOverflow(p2.high)
        let (r3, c3b) = r3a.addingReportingOverflow((c2a || c2b) ? 1 : 0)
        let overflow = p3.high != 0 || c3a || c3b
        return (UInt256(limbs: (r0, r1, r2, r3)), overflow)
    }

    /// `self * other` modulo 2^256, and whether it overflowed.
    public func multipliedReportingOverflow(by o: UInt256) -> (partialValue: UInt256, overflow: Bool) {
        // Schoolbook 4x4 limbs into 8 result limbs; overflow if any high limb is non-zero.
        var r: [UInt64] = [0, 0, 0, 0, 0, 0, 0, 0]
        for i in 0..<4 {
            let a = limb(i)
            if a == 0 { continue }
            var carry: UInt64 = 0
            for j in 0..<4 {
                let (hi, lo) = a.multipliedFullWidth(by: o.limb(j))
                let (s1, c1) = r[i + j].addingReportingOverflow(lo)
                let (s2, c2) = s1.addingReportingOverflow(carry)
                r[i + j] = s2
                // hi <= 2^64 - 2, so adding two carry bits cannot overflow.
                carry = hi &+ (c1 ? 1 : 0) &+ (c2 ? 1 : 0)
            }
            r[i + 4] = carry
        }
        let overflow = (r[4] | r[5] | r[6] | r[7]) != 0
        return (UInt256(limbs: (r[0], r[1], r[2], r[3])), overflow)
    }

    @inline(__always)
    mutating func setLimb(_ i: Int, _ v: UInt64) {
        switch i {
        case 0: w0 = v
        case 1: w1 = v
        case 2: w2 = v
        default: w3 = v
        }
    }

    /// `self + other`, or `nil` on overflow.
    public func adding(_ o: UInt256) -> UInt256? {
        let r = addingReportingOverflow(o)
        return r.overflow ? nil : r.partialValue
    }

    /// `self - other`, or `nil` if `other > self`.
    public func subtracting(_ o: UInt256) -> UInt256? {
        let r = subtractingReportingOverflow(o)
        return r.overflow ? nil : r.partialValue
    }

    /// `self * m`, or `nil` on overflow.
    public func multiplied(byWord m: UInt64) -> UInt256? {
        let r = multipliedReportingOverflow(byWord: m)
        return r.overflow ? nil : r.partialValue
    }

    /// `self * other`, or `nil` on overflow.
    public func multiplied(by o: UInt256) -> UInt256? {
        let r = multipliedReportingOverflow(by: o)
        return r.overflow ? nil : r.partialValue
    }

    /// Quotient and remainder of division by a non-zero `d`; `nil` when `d == 0`.
    public func quotientAndRemainder(dividingBy d: UInt64) -> (quotient: UInt256, remainder: UInt64)? {
        guard d != 0 else { return nil }
        var r: UInt64 = 0
        var q = UInt256.zero
        for i in stride(from: 3, through: 0, by: -1) {
            // r < d, so (r, limb) / d fits in 64 bits: no trap.
            let (qi, ri) = d.dividingFullWidth((high: r, low: limb(i)))
            q.setLimb(i, qi)
            r = ri
        }
        return (q, r)
    }

    /// 10^k for k in 0...77 (the powers of ten that fit); `nil` otherwise.
    public static func powerOfTen(_ k: Int) -> UInt256? {
        guard k >= 0, k <= 77 else { return nil }
        var v = UInt256.one
        var left = k
        while left > 0 {
            let step = Swift.min(left, 19)
            var p: UInt64 = 1
            for _ in 0..<step { p = p &* 10 }
            guard let nv = v.multiplied(byWord: p) else { return nil }
            v = nv
            left -= step
        }
        return v
    }

    // MARK: Bytes

    /// The 32-byte big-endian encoding (the EVM word).
    public var bigEndianBytes: [UInt8] {
        var out = [UInt8](repeatElement(0, count: 32))
        out.withUnsafeMutableBytes { writeBigEndian(into: $0.baseAddress) }
        return out
    }

    /// Writes the 32 big-endian bytes at `p` (which must have room for 32 bytes).
    @inline(__always)
    func writeBigEndian(into p: UnsafeMutableRawPointer?) {
        guard let p else { return }
        p.storeBytes(of: w3.bigEndian, toByteOffset: 0, as: UInt64.self)
        p.storeBytes(of: w2.bigEndian, toByteOffset: 8, as: UInt64.self)
        p.storeBytes(of: w1.bigEndian, toByteOffset: 16, as: UInt64.self)
        p.storeBytes(of: w0.bigEndian, toByteOffset: 24, as: UInt64.self)
    }

    /// Creates a value from up to 32 big-endian bytes (shorter input is left-padded with zeros).
    ///
    /// - Throws: ``X402SStatus/invalidLength`` for more than 32 bytes.
    public init(bigEndian bytes: [UInt8]) throws(X402SError) {
        guard bytes.count <= 32 else {
            throw X402SError(.invalidLength, "a uint256 has at most 32 bytes")
        }
        self = .zero
        var shift = 0
        for b in bytes.reversed() {
            let limbIndex = shift >> 6
            setLimb(limbIndex, limb(limbIndex) | (UInt64(b) << UInt64(shift & 63)))
            shift += 8
        }
    }

    // MARK: Text

    /// Parses decimal digits (`[0-9]+`, leading zeros allowed; no sign, spaces or `_`).
    ///
    /// - Throws: ``X402SStatus/invalidNumber`` for empty or non-digit text, or a value >= 2^256.
    public init(decimal text: String) throws(X402SError) {
        var t = text
        let r: UInt256.ParseResult = t.withUTF8 { UInt256.parseDecimal($0) }
        switch r {
        case .ok(let v): self = v
        case .invalid: throw X402SError(.invalidNumber, "not a decimal integer")
        case .overflow: throw X402SError(.invalidNumber, "decimal integer does not fit in 256 bits")
        }
    }

    /// Parses hexadecimal digits with an optional `0x`/`0X` prefix (either digit case,
    /// leading zeros allowed, at least one digit).
    ///
    /// - Throws: ``X402SStatus/invalidNumber`` for empty or non-hex text, or a value >= 2^256.
    public init(hex text: String) throws(X402SError) {
        var t = text
        let r: UInt256.ParseResult = t.withUTF8 { buf in
            var s = buf[...]
            if s.count >= 2, s[s.startIndex] == 0x30, s[s.startIndex + 1] | 0x20 == 0x78 { s = s.dropFirst(2) }
            return UInt256.parseHex(UnsafeBufferPointer(rebasing: s))
        }
        switch r {
        case .ok(let v): self = v
        case .invalid: throw X402SError(.invalidNumber, "not a hexadecimal integer")
        case .overflow: throw X402SError(.invalidNumber, "hexadecimal integer does not fit in 256 bits")
        }
    }

    /// Result of the internal byte parsers.
    enum ParseResult {
        case ok(UInt256)
        case invalid
        case overflow
    }

    /// Parses `[0-9]+` from `buf`.
    static func parseDecimal(_ buf: UnsafeBufferPointer<UInt8>) -> ParseResult {
        guard !buf.isEmpty else { return .invalid }
        var v = UInt256.zero
        var i = 0
        let n = buf.count
        while i < n {
            // Up to 19 digits per step: chunk < 10^19 < 2^64.
            var chunk: UInt64 = 0
            var mul: UInt64 = 1
            var k = 0
            while k < 19 && i < n {
                let c = buf[i]
                guard c >= 0x30 && c <= 0x39 else { return .invalid }
                chunk = chunk &* 10 &+ UInt64(c &- 0x30)
                mul = mul &* 10
                k += 1
                i += 1
            }
            if v.isZero {
                v = UInt256(chunk)
            } else {
                let (m, o1) = v.multipliedReportingOverflow(byWord: mul)
                let (s, o2) = m.addingReportingOverflow(UInt256(chunk))
                if o1 || o2 {
                    // Finish validating the rest so garbage is reported as invalid.
                    while i < n {
                        let c = buf[i]
                        guard c >= 0x30 && c <= 0x39 else { return .invalid }
                        i += 1
                    }
                    return .overflow
                }
                v = s
            }
        }
        return .ok(v)
    }

    /// Parses `[0-9a-fA-F]+` (no prefix) from `buf`.
    static func parseHex(_ buf: UnsafeBufferPointer<UInt8>) -> ParseResult {
        guard !buf.isEmpty else { return .invalid }
        var v = UInt256.zero
        var significant = 0
        for c in buf {
            let d: UInt64
            switch c {
            case 0x30...0x39: d = UInt64(c - 0x30)
            case 0x61...0x66: d = UInt64(c - 0x61 + 10)
            case 0x41...0x46: d = UInt64(c - 0x41 + 10)
            default: return .invalid
            }
            if significant == 0 && d == 0 { continue }
            significant += 1
            if significant > 64 { continue }  // keep validating; overflow reported below
            v = UInt256(limbs: (v.w0 << 4 | d, v.w1 << 4 | v.w0 >> 60, v.w2 << 4 | v.w1 >> 60, v.w3 << 4 | v.w2 >> 60))
        }
        return significant > 64 ? .overflow : .ok(v)
    }

    /// Decimal text without leading zeros (`"0"` for zero).
    public var decimalString: String {
        if isZero { return "0" }
        var chunks: [UInt64] = []
        var v = self
        let base: UInt64 = 10_000_000_000_000_000_000  // 10^19
        while !v.isZero {
            guard let (q, r) = v.quotientAndRemainder(dividingBy: base) else { break }
            chunks.append(r)
            v = q
        }
        var out = ""
        for (i, c) in chunks.reversed().enumerated() {
            let s = String(c)
            if i > 0 { out += String(repeating: "0", count: 19 - s.utf8.count) }
            out += s
        }
        return out
    }

    /// `0x` + lowercase hex without leading zeros (`"0x0"` for zero).
    public var hexString: String {
        if isZero { return "0x0" }
        var out = "0x"
        var started = false
        for i in stride(from: 3, through: 0, by: -1) {
            let l = limb(i)
            if !started {
                if l == 0 { continue }
                out += String(l, radix: 16)
                started = true
            } else {
                let s = String(l, radix: 16)
                out += String(repeating: "0", count: 16 - s.utf8.count) + s
            }
        }
        return out
    }

    /// Same as ``decimalString``.
    public var description: String { decimalString }
}

extension UInt256: ExpressibleByIntegerLiteral {
    /// A non-negative literal up to `UInt64.max` (negative literals do not compile).
    public init(integerLiteral value: UInt64) { self.init(value) }
}
