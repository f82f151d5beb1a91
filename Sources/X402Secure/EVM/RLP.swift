/// Recursive Length Prefix (RLP), the serialization of Ethereum transactions (Yellow Paper,
/// appendix B).
///
/// Encoding is canonical by construction. Decoding is strict: it accepts exactly the
/// canonical encoding of one item and nothing else (see ``RLP/decode(_:)``), so two
/// different byte strings never decode to the same item.
public indirect enum RLPItem: Hashable, Sendable {
    /// A byte string.
    case bytes([UInt8])
    /// A list of items.
    case list([RLPItem])

    /// The byte string, or nil for a list.
    public var bytesValue: [UInt8]? { if case .bytes(let b) = self { return b } else { return nil } }
    /// The items, or nil for a byte string.
    public var listValue: [RLPItem]? { if case .list(let l) = self { return l } else { return nil } }

    /// A scalar: the minimal big-endian bytes of `value` (zero is the empty string).
    public static func scalar(_ value: UInt256) -> RLPItem {
        let word = value.bigEndianBytes
        let first = word.firstIndex(where: { $0 != 0 }) ?? word.count
        return .bytes(Array(word[first...]))
    }

    /// A scalar from a `UInt64`.
    public static func scalar(_ value: UInt64) -> RLPItem { scalar(UInt256(value)) }
}

/// RLP encoding and strict decoding.
public enum RLP {
    /// The deepest list nesting ``decode(_:)`` accepts (the depth the JSON views allow).
    public static let maxDepth = 64

    /// The canonical encoding of `item`.
    public static func encode(_ item: RLPItem) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(encodedCount(item))
        encode(item, into: &out)
        return out
    }

    /// Appends the canonical encoding of `item` to `out`.
    public static func encode(_ item: RLPItem, into out: inout [UInt8]) {
        switch item {
        case .bytes(let b):
            if b.count == 1 && b[0] < 0x80 {
                out.append(b[0])
            } else {
                appendHeader(b.count, short: 0x80, long: 0xb7, into: &out)
                out.append(contentsOf: b)
            }
        case .list(let items):
            var payload = 0
            for i in items { payload += encodedCount(i) }
            appendHeader(payload, short: 0xc0, long: 0xf7, into: &out)
            for i in items { encode(i, into: &out) }
        }
    }

    /// The size of the encoding of `item`, in bytes.
    public static func encodedCount(_ item: RLPItem) -> Int {
        switch item {
        case .bytes(let b):
            if b.count == 1 && b[0] < 0x80 { return 1 }
            return headerCount(b.count) + b.count
        case .list(let items):
            var payload = 0
            for i in items { payload += encodedCount(i) }
            return headerCount(payload) + payload
        }
    }

    static func headerCount(_ length: Int) -> Int {
        length < 56 ? 1 : 1 + byteLength(length)
    }

    static func byteLength(_ v: Int) -> Int {
        var n = 0
        var x = UInt64(v)
        while x != 0 { n += 1; x >>= 8 }
        return n
    }

    static func appendHeader(_ length: Int, short: UInt8, long: UInt8, into out: inout [UInt8]) {
        if length < 56 {
            out.append(short &+ UInt8(truncatingIfNeeded: length))
            return
        }
        let n = byteLength(length)
        out.append(long &+ UInt8(truncatingIfNeeded: n))
        for i in stride(from: n - 1, through: 0, by: -1) {
            out.append(UInt8(truncatingIfNeeded: UInt64(length) >> UInt64(8 * i)))
        }
    }

    /// Decodes exactly one item that fills `bytes`.
    ///
    /// Refused with ``X402SStatus/rlpInvalid``: empty input, truncated items, a length that
    /// runs past its enclosing list, trailing bytes, lists nested deeper than ``maxDepth``.
    /// Refused with ``X402SStatus/rlpNonCanonical``: a single byte below 0x80 wrapped in a
    /// string header, a long form for a length below 56, a length with leading zero bytes.
    public static func decode(_ bytes: [UInt8]) throws(X402SError) -> RLPItem {
        try bytes.withUnsafeBufferPointer { (buf) throws(X402SError) -> RLPItem in
            var reader = Reader(buf: buf, offset: 0, end: buf.count)
            guard buf.count > 0 else { throw X402SError(.rlpInvalid, "RLP input is empty") }
            let item = try reader.item(depth: 0)
            guard reader.offset == buf.count else {
                throw X402SError(.rlpInvalid, "\(buf.count - reader.offset) trailing bytes after the RLP item")
            }
            return item
        }
    }

    struct Reader {
        let buf: UnsafeBufferPointer<UInt8>
        var offset: Int
        let end: Int

        mutating func length(_ n: Int) throws(X402SError) -> Int {
            guard n <= end - offset else { throw X402SError(.rlpInvalid, "truncated RLP length") }
            guard buf[offset] != 0 else { throw X402SError(.rlpNonCanonical, "RLP length with a leading zero byte") }
            var v = 0
            for i in 0..<n {
                // n <= 8 and the first byte is nonzero: reject lengths that do not fit an Int.
                guard v <= (Int.max >> 8) else { throw X402SError(.rlpInvalid, "RLP length out of range") }
                v = (v << 8) | Int(buf[offset + i])
            }
            offset += n
            guard v >= 56 else { throw X402SError(.rlpNonCanonical, "RLP long form used for a length below 56") }
            return v
        }

        mutating func item(depth: Int) throws(X402SError) -> RLPItem {
            guard offset < end else { throw X402SError(.rlpInvalid, "truncated RLP item") }
            let p = buf[offset]
            offset += 1
            switch p {
            case 0x00...0x7f:
                return .bytes([p])
            case 0x80...0xb7:
                let n = Int(p - 0x80)
                guard n <= end - offset else { throw X402SError(.rlpInvalid, "truncated RLP string") }
                if n == 1 && buf[offset] < 0x80 {
                    throw X402SError(.rlpNonCanonical, "a single byte below 0x80 must be encoded as itself")
                }
                let out = Array(buf[offset..<(offset + n)])
                offset += n
                return .bytes(out)
            case 0xb8...0xbf:
                let n = try length(Int(p - 0xb7))
                guard n <= end - offset else { throw X402SError(.rlpInvalid, "truncated RLP string") }
                let out = Array(buf[offset..<(offset + n)])
                offset += n
                return .bytes(out)
            default:
                guard depth < RLP.maxDepth else { throw X402SError(.rlpInvalid, "RLP lists nested deeper than \(RLP.maxDepth)") }
                let n = p <= 0xf7 ? Int(p - 0xc0) : try length(Int(p - 0xf7))
                guard n <= end - offset else { throw X402SError(.rlpInvalid, "truncated RLP list") }
                var inner = Reader(buf: buf, offset: offset, end: offset + n)
                var items: [RLPItem] = []
                while inner.offset < inner.end { items.append(try inner.item(depth: depth + 1)) }
                offset += n
                return .list(items)
            }
        }
    }

    // MARK: JSON view

    /// The JSON view of an item: a byte string is `"0x"` + lowercase hex, a list a JSON array.
    public static func json(_ item: RLPItem) -> JSONValue {
        switch item {
        case .bytes(let b): return .string(Hex.encode(b))
        case .list(let l): return .array(l.map(json))
        }
    }

    /// An item from its JSON view: `"0x"`-hex strings (either case, even length) and arrays.
    /// - Throws: ``X402SStatus/invalidArgument`` for other JSON kinds, ``X402SStatus/invalidHex``.
    public static func item(json: JSONValue) throws(X402SError) -> RLPItem {
        switch json {
        case .string(let s): return .bytes(try Hex.decode(s, requirePrefix: true))
        case .array(let a):
            var items: [RLPItem] = []
            items.reserveCapacity(a.count)
            for e in a { items.append(try item(json: e)) }
            return .list(items)
        default:
            throw X402SError(.invalidArgument, "an RLP item is a \"0x\"-hex string or an array of items")
        }
    }
}
