/// Solana's compact-u16 ("short_vec") length prefix: 1 to 3 bytes, 7 bits per byte, low
/// bits first, high bit = "more bytes follow".
enum CompactU16 {
    /// Appends the canonical encoding of `value`.
    static func encode(_ value: Int, into out: inout [UInt8]) {
        var v = UInt32(clamping: value)
        while true {
            let low = UInt8(truncatingIfNeeded: v & 0x7f)
            v >>= 7
            if v == 0 {
                out.append(low)
                return
            }
            out.append(low | 0x80)
        }
    }

    /// Encoding of `value` as a new array.
    static func encoded(_ value: Int) -> [UInt8] {
        var out: [UInt8] = []
        encode(value, into: &out)
        return out
    }
}

/// A bounds-checked cursor over transaction bytes. Every read throws
/// `.solanaInvalidTransaction` instead of reading past the end.
struct SolanaByteReader {
    let bytes: [UInt8]
    private(set) var offset: Int = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    var remaining: Int { bytes.count - offset }
    var isAtEnd: Bool { offset >= bytes.count }

    mutating func readByte(_ what: StaticString) throws(X402SError) -> UInt8 {
        guard offset < bytes.count else {
            throw X402SError(.solanaInvalidTransaction, "truncated transaction: missing \(what)")
        }
        let b = bytes[offset]
        offset += 1
        return b
    }

    mutating func readBytes(_ count: Int, _ what: StaticString) throws(X402SError) -> [UInt8] {
        guard count >= 0, count <= remaining else {
            throw X402SError(.solanaInvalidTransaction, "truncated transaction: missing \(what)")
        }
        let out = Array(bytes[offset..<(offset + count)])
        offset += count
        return out
    }

    /// Decodes a compact-u16 with the rules of Solana's `short_vec`: at most 3 bytes, no
    /// redundant zero continuation byte (alias), the third byte may not continue, value <= 65535.
    mutating func readCompactU16(_ what: StaticString) throws(X402SError) -> Int {
        var value: UInt32 = 0
        for nth in 0..<3 {
            let b = try readByte(what)
            if b == 0 && nth != 0 {
                throw X402SError(.solanaInvalidTransaction, "non-canonical compact-u16 for \(what)")
            }
            if nth == 2 && (b & 0x80) != 0 {
                throw X402SError(.solanaInvalidTransaction, "compact-u16 longer than 3 bytes for \(what)")
            }
            value |= UInt32(b & 0x7f) << UInt32(7 * nth)
            guard value <= 0xffff else {
                throw X402SError(.solanaInvalidTransaction, "compact-u16 overflow for \(what)")
            }
            if b & 0x80 == 0 { return Int(value) }
        }
        // Unreachable: the third byte either ends the value or throws above.
        throw X402SError(.solanaInvalidTransaction, "compact-u16 longer than 3 bytes for \(what)")
    }

    /// Reads `count` fixed-size items, after checking that the bytes are there (so a huge
    /// declared count cannot make us allocate or loop before failing).
    mutating func readArray<T>(
        count: Int, itemSize: Int, _ what: StaticString, _ item: (inout SolanaByteReader) throws(X402SError) -> T
    ) throws(X402SError) -> [T] {
        let (total, overflow) = count.multipliedReportingOverflow(by: itemSize)
        guard !overflow, total <= remaining else {
            throw X402SError(.solanaInvalidTransaction, "truncated transaction: missing \(what)")
        }
        var out: [T] = []
        out.reserveCapacity(count)
        for _ in 0..<count { out.append(try item(&self)) }
        return out
    }
}
