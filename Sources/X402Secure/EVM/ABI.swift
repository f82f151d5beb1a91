/// A Solidity ABI type, as far as the calls of an x402 facilitator need: `address`, `bool`,
/// `uint8`...`uint256`, `bytes1`...`bytes32`, `bytes`, `string`, tuples, and dynamic arrays
/// `T[]`.
public indirect enum ABIType: Hashable, Sendable, CustomStringConvertible {
    case address
    case bool
    /// `uint<bits>`, bits a multiple of 8 in 8...256.
    case uint(Int)
    /// `bytes<n>`, n in 1...32.
    case fixedBytes(Int)
    case bytes
    case string
    case tuple([ABIType])
    case array(ABIType)

    /// Whether the type is encoded in the tail (by offset).
    public var isDynamic: Bool {
        switch self {
        case .bytes, .string, .array: return true
        case .tuple(let ts): return ts.contains { $0.isDynamic }
        default: return false
        }
    }

    /// Words the type takes in the head.
    var headWords: Int {
        if isDynamic { return 1 }
        if case .tuple(let ts) = self { return ts.reduce(0) { $0 + $1.headWords } }
        return 1
    }

    /// The canonical type text (`uint256`, `(address,uint256)`, ...), as in selectors.
    public var description: String {
        switch self {
        case .address: return "address"
        case .bool: return "bool"
        case .uint(let b): return "uint\(b)"
        case .fixedBytes(let n): return "bytes\(n)"
        case .bytes: return "bytes"
        case .string: return "string"
        case .tuple(let ts): return "(" + ts.map(\.description).joined(separator: ",") + ")"
        case .array(let t): return "\(t)[]"
        }
    }
}

/// A value of an ``ABIType``.
public indirect enum ABIValue: Hashable, Sendable {
    case address(EvmAddress)
    case bool(Bool)
    case uint(UInt256)
    case fixedBytes([UInt8])
    case bytes([UInt8])
    case string(String)
    case tuple([ABIValue])
    case array([ABIValue])
}

/// How a call reverted, decoded from the revert data.
public enum ABIRevert: Hashable, Sendable {
    /// No data (a bare `revert()`, `require` without message, or out of gas).
    case empty
    /// `Error(string)`: the message of `require(cond, "...")` / `revert("...")`.
    case error(String)
    /// `Panic(uint256)`: a compiler-inserted check failed (code and its meaning).
    case panic(UInt256)
    /// Anything else (custom errors): the 4-byte selector (when present) and the raw data.
    case custom(selector: [UInt8]?, data: [UInt8])

    /// The meaning of a Panic code (Solidity documentation, "Panic via assert and Error via require").
    public static func panicDescription(_ code: UInt256) -> String {
        switch code.uint64Value {
        case 0x00?: return "generic compiler panic"
        case 0x01?: return "assertion failed"
        case 0x11?: return "arithmetic overflow or underflow"
        case 0x12?: return "division or modulo by zero"
        case 0x21?: return "conversion to an invalid enum value"
        case 0x22?: return "incorrectly encoded storage byte array"
        case 0x31?: return "pop on an empty array"
        case 0x32?: return "array index out of bounds"
        case 0x41?: return "too much memory allocated"
        case 0x51?: return "call to a zero-initialized internal function"
        default: return "unknown panic code"
        }
    }

    /// The JSON view: `{"kind": "empty"}`, `{"kind": "error", "message"}`,
    /// `{"kind": "panic", "code": "0x11", "message"}`, `{"kind": "custom", "selector"?, "data"}`.
    public var json: JSONValue {
        switch self {
        case .empty: return .object(JSONObject([("kind", "empty")]))
        case .error(let m): return .object(JSONObject([("kind", "error"), ("message", .string(m))]))
        case .panic(let c):
            return .object(JSONObject([("kind", "panic"), ("code", .string(c.hexString)),
                                       ("message", .string(Self.panicDescription(c)))]))
        case .custom(let sel, let data):
            var o = JSONObject([("kind", "custom")])
            if let sel { o["selector"] = .string(Hex.encode(sel)) }
            o["data"] = .string(Hex.encode(data))
            return .object(o)
        }
    }
}

/// Solidity ABI encoding and strict decoding (the contract ABI specification), and the
/// selectors and revert data of calls.
public enum ABI {
    /// The deepest type nesting accepted in type text.
    public static let maxDepth = 16
    /// The most elements a decoded array may have.
    public static let maxArrayLength = 4096

    /// `Error(string)` selector.
    public static let errorSelector: [UInt8] = [0x08, 0xc3, 0x79, 0xa0]
    /// `Panic(uint256)` selector.
    public static let panicSelector: [UInt8] = [0x4e, 0x48, 0x7b, 0x71]

    // MARK: Type text

    /// Parses a function signature `name(type,...)` (no spaces, no parameter names).
    /// - Throws: ``X402SStatus/abiInvalidType``.
    public static func parseSignature(_ text: String) throws(X402SError) -> (name: String, inputs: [ABIType]) {
        let u = Array(text.utf8)
        guard u.count <= 1024, let open = u.firstIndex(of: UInt8(ascii: "(")), open > 0 else {
            throw X402SError(.abiInvalidType, "a function signature is name(type,...)")
        }
        for c in u[0..<open] {
            let ok = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c == 0x5f || c == 0x24
            guard ok else { throw X402SError(.abiInvalidType, "the function name has an invalid character") }
        }
        guard !(u[0] >= 0x30 && u[0] <= 0x39) else { throw X402SError(.abiInvalidType, "the function name starts with a digit") }
        guard case .tuple(let inputs) = try parseType(Array(u[open...])) else {
            throw X402SError(.abiInvalidType, "a function signature is name(type,...)")
        }
        return (String(decoding: u[0..<open], as: UTF8.self), inputs)
    }

    /// Parses one type text (`uint256`, `(address,bytes)[]`, ...).
    /// - Throws: ``X402SStatus/abiInvalidType``.
    public static func parseType(_ text: String) throws(X402SError) -> ABIType {
        try parseType(Array(text.utf8))
    }

    static func parseType(_ u: [UInt8]) throws(X402SError) -> ABIType {
        guard u.count <= 1024 else { throw X402SError(.abiInvalidType, "type text is too long") }
        var p = TypeParser(u: u, i: 0)
        let t = try p.type(depth: 0)
        guard p.i == u.count else { throw X402SError(.abiInvalidType, "unexpected characters after a type") }
        return t
    }

    struct TypeParser {
        let u: [UInt8]
        var i: Int

        mutating func type(depth: Int) throws(X402SError) -> ABIType {
            guard depth < ABI.maxDepth else { throw X402SError(.abiInvalidType, "types nested too deeply") }
            var t: ABIType
            if i < u.count && u[i] == UInt8(ascii: "(") {
                i += 1
                var items: [ABIType] = []
                if i < u.count && u[i] == UInt8(ascii: ")") {
                    i += 1
                } else {
                    while true {
                        items.append(try type(depth: depth + 1))
                        guard i < u.count else { throw X402SError(.abiInvalidType, "unterminated tuple") }
                        if u[i] == UInt8(ascii: ",") { i += 1; continue }
                        if u[i] == UInt8(ascii: ")") { i += 1; break }
                        throw X402SError(.abiInvalidType, "expected , or ) in a tuple")
                    }
                }
                t = .tuple(items)
            } else {
                let start = i
                while i < u.count, (u[i] >= 0x61 && u[i] <= 0x7a) || (u[i] >= 0x30 && u[i] <= 0x39) { i += 1 }
                t = try ABI.elementary(String(decoding: u[start..<i], as: UTF8.self))
            }
            while i + 1 < u.count && u[i] == UInt8(ascii: "[") && u[i + 1] == UInt8(ascii: "]") {
                i += 2
                t = .array(t)
            }
            guard i >= u.count || u[i] != UInt8(ascii: "[") else {
                throw X402SError(.abiInvalidType, "fixed-size arrays are not supported")
            }
            return t
        }
    }

    static func elementary(_ s: String) throws(X402SError) -> ABIType {
        switch s {
        case "address": return .address
        case "bool": return .bool
        case "bytes": return .bytes
        case "string": return .string
        case "uint": return .uint(256)
        default: break
        }
        if s.hasPrefix("uint"), let bits = Int(s.dropFirst(4)), bits >= 8, bits <= 256, bits % 8 == 0,
           String(bits) == String(s.dropFirst(4)) {
            return .uint(bits)
        }
        if s.hasPrefix("bytes"), let n = Int(s.dropFirst(5)), n >= 1, n <= 32, String(n) == String(s.dropFirst(5)) {
            return .fixedBytes(n)
        }
        throw X402SError(.abiInvalidType, "unsupported ABI type (address, bool, uintN, bytesN, bytes, string, tuples, T[])")
    }

    /// The canonical signature text of a parsed signature (normalises `uint` to `uint256`).
    public static func canonicalSignature(name: String, inputs: [ABIType]) -> String {
        name + ABIType.tuple(inputs).description
    }

    /// The 4-byte selector: the first bytes of keccak-256 of the canonical signature.
    public static func selector(_ canonicalSignature: String) -> [UInt8] {
        Array(Keccak256.hash(utf8: canonicalSignature).prefix(4))
    }

    // MARK: Encoding

    /// Encodes values of `types` (a tuple's encoding without a selector).
    /// - Throws: ``X402SStatus/abiInvalidValue`` when a value does not fit its type.
    public static func encode(_ types: [ABIType], _ values: [ABIValue]) throws(X402SError) -> [UInt8] {
        guard types.count == values.count else {
            throw X402SError(.abiInvalidValue, "expected \(types.count) values, got \(values.count)")
        }
        var out: [UInt8] = []
        try encodeTuple(types, values, into: &out)
        return out
    }

    /// `selector || encode(inputs, args)` for a function signature `name(type,...)`.
    /// - Throws: ``X402SStatus/abiInvalidType``, ``X402SStatus/abiInvalidValue``.
    public static func encodeCall(signature: String, args: [ABIValue]) throws(X402SError) -> [UInt8] {
        let (name, inputs) = try parseSignature(signature)
        return selector(canonicalSignature(name: name, inputs: inputs)) + (try encode(inputs, args))
    }

    static func word(_ v: UInt256) -> [UInt8] { v.bigEndianBytes }

    static func padded(_ b: [UInt8]) -> [UInt8] {
        let pad = (32 - b.count % 32) % 32
        return b + [UInt8](repeating: 0, count: pad)
    }

    static func encodeTuple(_ types: [ABIType], _ values: [ABIValue], into out: inout [UInt8]) throws(X402SError) {
        let headSize = types.reduce(0) { $0 + $1.headWords } * 32
        var head: [UInt8] = []
        var tail: [UInt8] = []
        for (t, v) in zip(types, values) {
            if t.isDynamic {
                head += word(UInt256(UInt64(headSize + tail.count)))
                try encodeValue(t, v, into: &tail)
            } else {
                try encodeValue(t, v, into: &head)
            }
        }
        out += head
        out += tail
    }

    static func encodeValue(_ t: ABIType, _ v: ABIValue, into out: inout [UInt8]) throws(X402SError) {
        switch (t, v) {
        case (.address, .address(let a)):
            out += [UInt8](repeating: 0, count: 12) + a.bytes
        case (.bool, .bool(let b)):
            out += word(b ? .one : .zero)
        case (.uint(let bits), .uint(let x)):
            guard x.bitWidth <= bits else { throw X402SError(.abiInvalidValue, "value does not fit uint\(bits)") }
            out += word(x)
        case (.fixedBytes(let n), .fixedBytes(let b)):
            guard b.count == n else { throw X402SError(.abiInvalidValue, "bytes\(n) value has \(b.count) bytes") }
            out += padded(b)
        case (.bytes, .bytes(let b)):
            out += word(UInt256(UInt64(b.count))) + padded(b)
        case (.string, .string(let s)):
            let b = Array(s.utf8)
            out += word(UInt256(UInt64(b.count))) + padded(b)
        case (.tuple(let ts), .tuple(let vs)):
            guard ts.count == vs.count else {
                throw X402SError(.abiInvalidValue, "tuple \(t) needs \(ts.count) values, got \(vs.count)")
            }
            try encodeTuple(ts, vs, into: &out)
        case (.array(let et), .array(let vs)):
            out += word(UInt256(UInt64(vs.count)))
            try encodeTuple(Array(repeating: et, count: vs.count), vs, into: &out)
        default:
            throw X402SError(.abiInvalidValue, "value does not match type \(t)")
        }
    }

    // MARK: Decoding

    /// Decodes `data` as values of `types`, strictly: every offset and length in bounds,
    /// addresses, bools and uintN with zero high bits, bytesN and dynamic bytes with zero
    /// padding. Trailing data after the last value is allowed (as the ABI permits).
    /// - Throws: ``X402SStatus/abiDecodeFailed``.
    public static func decode(_ types: [ABIType], _ data: [UInt8]) throws(X402SError) -> [ABIValue] {
        try data.withUnsafeBufferPointer { (buf) throws(X402SError) -> [ABIValue] in
            try decodeTuple(types, buf, base: 0, depth: 0)
        }
    }

    static func fail(_ m: String) -> X402SError { X402SError(.abiDecodeFailed, m) }

    static func readWord(_ buf: UnsafeBufferPointer<UInt8>, _ at: Int) throws(X402SError) -> [UInt8] {
        guard at >= 0, at <= buf.count - 32 else { throw fail("data too short for a 32-byte word") }
        return Array(buf[at..<(at + 32)])
    }

    static func readOffset(_ buf: UnsafeBufferPointer<UInt8>, _ at: Int) throws(X402SError) -> Int {
        let w = try readWord(buf, at)
        guard w[0..<24].allSatisfy({ $0 == 0 }) else { throw fail("offset or length out of range") }
        var v = 0
        for b in w[24..<32] { v = (v << 8) | Int(b) }
        guard v >= 0, v <= buf.count else { throw fail("offset or length out of range") }
        return v
    }

    static func decodeTuple(_ types: [ABIType], _ buf: UnsafeBufferPointer<UInt8>, base: Int, depth: Int) throws(X402SError) -> [ABIValue] {
        guard depth <= maxDepth else { throw fail("values nested too deeply") }
        var values: [ABIValue] = []
        values.reserveCapacity(types.count)
        var pos = base
        for t in types {
            if t.isDynamic {
                let off = try readOffset(buf, pos)
                let (start, o) = base.addingReportingOverflow(off)
                guard !o, start <= buf.count else { throw fail("offset out of range") }
                values.append(try decodeValue(t, buf, at: start, depth: depth + 1))
                pos += 32
            } else {
                values.append(try decodeValue(t, buf, at: pos, depth: depth + 1))
                pos += t.headWords * 32
            }
        }
        return values
    }

    static func decodeValue(_ t: ABIType, _ buf: UnsafeBufferPointer<UInt8>, at: Int, depth: Int) throws(X402SError) -> ABIValue {
        switch t {
        case .address:
            let w = try readWord(buf, at)
            guard w[0..<12].allSatisfy({ $0 == 0 }) else { throw fail("address with nonzero high bytes") }
            return .address(EvmAddress(unchecked: Array(w[12..<32])))
        case .bool:
            let w = try readWord(buf, at)
            guard w[0..<31].allSatisfy({ $0 == 0 }), w[31] <= 1 else { throw fail("bool that is neither 0 nor 1") }
            return .bool(w[31] == 1)
        case .uint(let bits):
            let v = try UInt256(bigEndian: try readWord(buf, at))
            guard v.bitWidth <= bits else { throw fail("value does not fit uint\(bits)") }
            return .uint(v)
        case .fixedBytes(let n):
            let w = try readWord(buf, at)
            guard w[n...].allSatisfy({ $0 == 0 }) else { throw fail("bytes\(n) with nonzero padding") }
            return .fixedBytes(Array(w[0..<n]))
        case .bytes, .string:
            let len = try readOffset(buf, at)
            let start = at + 32
            guard len <= buf.count - start else { throw fail("dynamic bytes run past the data") }
            let padded = (len + 31) / 32 * 32
            guard padded <= buf.count - start else { throw fail("dynamic bytes padding runs past the data") }
            guard buf[(start + len)..<(start + padded)].allSatisfy({ $0 == 0 }) else {
                throw fail("dynamic bytes with nonzero padding")
            }
            let b = Array(buf[start..<(start + len)])
            if case .string = t {
                guard let s = String(validating: b, as: UTF8.self) else { throw fail("string is not valid UTF-8") }
                return .string(s)
            }
            return .bytes(b)
        case .tuple(let ts):
            return .tuple(try decodeTuple(ts, buf, base: at, depth: depth))
        case .array(let et):
            let count = try readOffset(buf, at)
            guard count <= maxArrayLength else { throw fail("array longer than \(maxArrayLength)") }
            let (need, o) = count.multipliedReportingOverflow(by: et.headWords * 32)
            guard !o, need <= buf.count - (at + 32) else { throw fail("array runs past the data") }
            return .array(try decodeTuple(Array(repeating: et, count: count), buf, base: at + 32, depth: depth))
        }
    }

    /// Classifies revert data (the `data` of an `eth_call` error or a failed transaction's
    /// replay): `Error(string)`, `Panic(uint256)`, empty, or custom (kept raw). Malformed
    /// `Error`/`Panic` payloads are reported as custom, never dropped.
    public static func decodeRevert(_ data: [UInt8]) -> ABIRevert {
        if data.isEmpty { return .empty }
        guard data.count >= 4 else { return .custom(selector: nil, data: data) }
        let sel = Array(data[0..<4])
        let body = Array(data[4...])
        if sel == errorSelector, let v = try? decode([.string], body), case .string(let m)? = v.first {
            return .error(m)
        }
        if sel == panicSelector, body.count == 32, let v = try? decode([.uint(256)], body), case .uint(let c)? = v.first {
            return .panic(c)
        }
        return .custom(selector: sel, data: data)
    }

    // MARK: JSON views

    /// A value of `t` from JSON: address text, `true`/`false`, an integer (JSON number,
    /// decimal or `"0x"` hex string), `"0x"` hex for bytes, a string, arrays for tuples and
    /// arrays.
    /// - Throws: ``X402SStatus/abiInvalidValue``.
    public static func value(_ t: ABIType, json: JSONValue, depth: Int = 0) throws(X402SError) -> ABIValue {
        guard depth <= maxDepth else { throw X402SError(.abiInvalidValue, "values nested too deeply") }
        switch (t, json) {
        case (.address, .string(let s)):
            guard let a = try? EvmAddress(string: s) else { throw X402SError(.abiInvalidValue, "not an address (0x + 40 hex digits, valid EIP-55 when mixed case)") }
            return .address(a)
        case (.bool, .bool(let b)): return .bool(b)
        case (.uint(let bits), _):
            let v = try EvmQuantity.parse(json, "uint\(bits) value", .abiInvalidValue)
            guard v.bitWidth <= bits else { throw X402SError(.abiInvalidValue, "value does not fit uint\(bits)") }
            return .uint(v)
        case (.fixedBytes(let n), .string(let s)):
            guard let b = try? Hex.decode(s, requirePrefix: true), b.count == n else {
                throw X402SError(.abiInvalidValue, "bytes\(n) value must be 0x + \(2 * n) hex digits")
            }
            return .fixedBytes(b)
        case (.bytes, .string(let s)):
            guard s.utf8.count <= (1 << 20), let b = try? Hex.decode(s, requirePrefix: true) else {
                throw X402SError(.abiInvalidValue, "bytes value must be 0x-hex")
            }
            return .bytes(b)
        case (.string, .string(let s)): return .string(s)
        case (.tuple(let ts), .array(let items)):
            guard ts.count == items.count else {
                throw X402SError(.abiInvalidValue, "tuple \(t) needs \(ts.count) values, got \(items.count)")
            }
            var out: [ABIValue] = []
            for (et, e) in zip(ts, items) { out.append(try value(et, json: e, depth: depth + 1)) }
            return .tuple(out)
        case (.array(let et), .array(let items)):
            var out: [ABIValue] = []
            for e in items { out.append(try value(et, json: e, depth: depth + 1)) }
            return .array(out)
        default:
            throw X402SError(.abiInvalidValue, "value has the wrong JSON kind for \(t)")
        }
    }

    /// The JSON view of a value: checksummed addresses, booleans, decimal strings for
    /// integers, `"0x"` hex for bytes, strings, arrays for tuples and arrays.
    public static func json(_ v: ABIValue) -> JSONValue {
        switch v {
        case .address(let a): return .string(a.checksummed)
        case .bool(let b): return .bool(b)
        case .uint(let x): return .string(x.decimalString)
        case .fixedBytes(let b), .bytes(let b): return .string(Hex.encode(b))
        case .string(let s): return .string(s)
        case .tuple(let vs), .array(let vs): return .array(vs.map(json))
        }
    }
}
