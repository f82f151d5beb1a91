#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// MARK: - Values

/// A JSON value (RFC 8259).
///
/// Numbers keep their exact source text (`.number("10000")`, `.number("1.5e3")`): no
/// conversion to `Double` ever happens, so 256-bit integers survive a round trip.
/// Objects keep insertion order and unique keys (see ``JSONObject``).
///
/// Strings and object keys compare by their exact UTF-8 bytes (not by Unicode canonical
/// equivalence as `Swift.String.==` does), matching Python and JavaScript semantics.
///
/// (Not declared `indirect`: recursion goes through `Array` and ``JSONObject``, which
/// already live on the heap, so scalars need no box.)
public enum JSONValue: Sendable {
    /// `null`.
    case null
    /// `true` / `false`.
    case bool(Bool)
    /// A number, stored as its exact RFC 8259 text (e.g. `"-12"`, `"0.5"`, `"1E+30"`).
    ///
    /// When you build a value by hand the text is written verbatim on output; it must
    /// follow the RFC 8259 number grammar (use ``JSONValue/integer(_:)-(Int64)`` for integers).
    case number(String)
    /// A string.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object with ordered, unique keys.
    case object(JSONObject)
}

/// An ordered JSON object with unique keys (insertion order is kept, as in Python `dict`).
///
/// Keys compare by exact UTF-8 bytes. Lookups are linear scans, which is fastest for the
/// small objects of x402 and EIP-712 documents.
public struct JSONObject: Sendable {
    /// One member of an object.
    public struct Member: Sendable, Equatable {
        /// The key.
        public var key: String
        /// The value.
        public var value: JSONValue

        /// Creates a member.
        public init(key: String, value: JSONValue) {
            self.key = key
            self.value = value
        }

        /// Keys compare by exact UTF-8 bytes.
        public static func == (a: Member, b: Member) -> Bool {
            jsonBytesEqual(a.key, b.key) && a.value == b.value
        }
    }

    /// The members in order (keys are unique). Mutate through the subscript or
    /// ``removeValue(forKey:)`` so that this stays true.
    public private(set) var members: [Member]

    /// The members in order as `(key, value)` tuples (a copy of ``members``; prefer
    /// ``members`` in hot paths).
    public var entries: [(key: String, value: JSONValue)] { members.map { (key: $0.key, value: $0.value) } }

    /// Creates an object from members in order. A repeated key replaces the earlier value
    /// in place (as a Python dict literal does).
    public init(_ entries: [(String, JSONValue)] = []) {
        self.members = []
        self.members.reserveCapacity(entries.count)
        for (k, v) in entries { self[k] = v }
    }

    /// Internal: members already known to be unique (parser).
    init(uniqueMembers: [Member]) {
        self.members = uniqueMembers
    }

    /// The number of members.
    public var count: Int { members.count }

    /// `true` when the object has no members.
    public var isEmpty: Bool { members.isEmpty }

    /// The keys in order.
    public var keys: [String] { members.map { $0.key } }

    /// The index of `key` in ``members``, if present.
    public func index(forKey key: String) -> Int? {
        var i = 0
        while i < members.count {
            if jsonBytesEqual(members[i].key, key) { return i }
            i += 1
        }
        return nil
    }

    /// Gets a member; setting appends a new key at the end or replaces the value of an
    /// existing key in place; setting `nil` removes the key.
    public subscript(key: String) -> JSONValue? {
        get {
            if let i = index(forKey: key) { return members[i].value }
            return nil
        }
        set {
            if let i = index(forKey: key) {
                if let v = newValue { members[i].value = v } else { members.remove(at: i) }
            } else if let v = newValue {
                members.append(Member(key: key, value: v))
            }
        }
    }

    /// Removes `key` and returns its value, if present.
    @discardableResult
    public mutating func removeValue(forKey key: String) -> JSONValue? {
        guard let i = index(forKey: key) else { return nil }
        return members.remove(at: i).value
    }
}

extension JSONObject: Equatable {
    /// Two objects are equal when they have the same members in the same order.
    public static func == (a: JSONObject, b: JSONObject) -> Bool { a.members == b.members }
}

extension JSONValue: Equatable {
    /// Structural equality; strings and keys compare by exact UTF-8 bytes, numbers by text
    /// (`1.0` and `1` are different values), objects by members in order.
    public static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case let (.bool(x), .bool(y)): return x == y
        case let (.number(x), .number(y)): return jsonBytesEqual(x, y)
        case let (.string(x), .string(y)): return jsonBytesEqual(x, y)
        case let (.array(x), .array(y)):
            guard x.count == y.count else { return false }
            for i in 0..<x.count where x[i] != y[i] { return false }
            return true
        case let (.object(x), .object(y)): return x == y
        default: return false
        }
    }
}

/// Exact UTF-8 byte equality of two strings (no canonical-equivalence folding).
@inline(__always)
func jsonBytesEqual(_ a: String, _ b: String) -> Bool {
    let au = a.utf8, bu = b.utf8
    guard au.count == bu.count else { return false }
    if let r = au.withContiguousStorageIfAvailable({ ap in
        bu.withContiguousStorageIfAvailable { bp -> Bool in
            guard let x = ap.baseAddress, let y = bp.baseAddress else { return true }
            return memcmp(x, y, ap.count) == 0
        }
    }), let rr = r {
        return rr
    }
    return au.elementsEqual(bu)
}

/// `true` if `a` sorts before `b` by Unicode code points (= UTF-8 byte order), as
/// Python's `sorted()` on `str` does.
func jsonCodePointLess(_ a: String, _ b: String) -> Bool {
    if let r = a.utf8.withContiguousStorageIfAvailable({ ap in
        b.utf8.withContiguousStorageIfAvailable { bp -> Bool in
            let n = Swift.min(ap.count, bp.count)
            if n > 0, let x = ap.baseAddress, let y = bp.baseAddress {
                let c = memcmp(x, y, n)
                if c != 0 { return c < 0 }
            }
            return ap.count < bp.count
        }
    }), let rr = r {
        return rr
    }
    return a.utf8.lexicographicallyPrecedes(b.utf8)
}

// MARK: - Convenience

extension JSONValue {
    /// An integer number.
    public static func integer(_ v: Int64) -> JSONValue { .number(String(v)) }
    /// An unsigned integer number.
    public static func integer(_ v: UInt64) -> JSONValue { .number(String(v)) }
    /// An integer number.
    public static func integer(_ v: Int) -> JSONValue { .number(String(v)) }

    /// The string, if this is `.string`.
    public var stringValue: String? { if case .string(let s) = self { return s } else { return nil } }
    /// The boolean, if this is `.bool`.
    public var boolValue: Bool? { if case .bool(let b) = self { return b } else { return nil } }
    /// The elements, if this is `.array`.
    public var arrayValue: [JSONValue]? { if case .array(let a) = self { return a } else { return nil } }
    /// The object, if this is `.object`.
    public var objectValue: JSONObject? { if case .object(let o) = self { return o } else { return nil } }
    /// The exact number text, if this is `.number`.
    public var numberText: String? { if case .number(let n) = self { return n } else { return nil } }
    /// `true` if this is `.null`.
    public var isNull: Bool { if case .null = self { return true } else { return false } }

    /// The member `key` if this is an object that has it; `nil` otherwise.
    public subscript(key: String) -> JSONValue? {
        if case .object(let o) = self { return o[key] }
        return nil
    }

    /// The element at `index` if this is an array and the index is in range; `nil` otherwise.
    public subscript(index: Int) -> JSONValue? {
        if case .array(let a) = self, index >= 0, index < a.count { return a[index] }
        return nil
    }

    /// The value as `Int64` if this is a number whose text is an integer (no fraction, no
    /// exponent) in range; `nil` otherwise.
    public var int64Value: Int64? {
        guard case .number(let t) = self else { return nil }
        var neg = false
        var mag: UInt64 = 0
        var digits = 0
        for (i, c) in t.utf8.enumerated() {
            if i == 0 && c == UInt8(ascii: "-") { neg = true; continue }
            guard c >= 0x30 && c <= 0x39 else { return nil }
            let (m1, o1) = mag.multipliedReportingOverflow(by: 10)
            let (m2, o2) = m1.addingReportingOverflow(UInt64(c - 0x30))
            if o1 || o2 { return nil }
            mag = m2
            digits += 1
        }
        guard digits > 0 else { return nil }
        if neg {
            if mag <= UInt64(Int64.max) { return -Int64(mag) }
            if mag == UInt64(Int64.max) + 1 { return Int64.min }
            return nil
        }
        return mag <= UInt64(Int64.max) ? Int64(mag) : nil
    }

    /// The value as `UInt64` if this is a non-negative integer number (no fraction, no
    /// exponent; `-0` counts as 0) in range; `nil` otherwise.
    public var uint64Value: UInt64? {
        guard case .number(let t) = self else { return nil }
        var mag: UInt64 = 0
        var digits = 0
        var neg = false
        for (i, c) in t.utf8.enumerated() {
            if i == 0 && c == UInt8(ascii: "-") { neg = true; continue }
            guard c >= 0x30 && c <= 0x39 else { return nil }
            let (m1, o1) = mag.multipliedReportingOverflow(by: 10)
            let (m2, o2) = m1.addingReportingOverflow(UInt64(c - 0x30))
            if o1 || o2 { return nil }
            mag = m2
            digits += 1
        }
        guard digits > 0, !(neg && mag != 0) else { return nil }
        return mag
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByIntegerLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral,
    ExpressibleByNilLiteral
{
    /// `.string(value)`.
    public init(stringLiteral value: String) { self = .string(value) }
    /// `.bool(value)`.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    /// `.number` with the decimal text of `value`.
    public init(integerLiteral value: Int) { self = .number(String(value)) }
    /// `.array(elements)`.
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    /// `.object` with the members in the written order (a repeated key replaces in place).
    public init(dictionaryLiteral elements: (String, JSONValue)...) { self = .object(JSONObject(elements)) }
    /// `.null`.
    public init(nilLiteral: ()) { self = .null }
}

// MARK: - Limits and styles

/// Limits applied while parsing untrusted JSON.
public struct JSONLimits: Sendable {
    /// Maximum input size in bytes (default 1 MiB). Larger input -> `.inputTooLarge`.
    public var maxBytes: Int = 1 << 20
    /// Maximum nesting of arrays/objects (default 64; `[]` has depth 1, a scalar 0).
    /// Deeper input -> `.jsonTooDeep`. Values above ``hardMaxDepth`` are treated as
    /// ``hardMaxDepth`` so that parsing can never exhaust a thread's stack.
    public var maxDepth: Int = 64
    /// The ceiling on ``maxDepth`` (512).
    public static let hardMaxDepth = 512
    /// The default limits (1 MiB, depth 64).
    public static let `default` = JSONLimits()

    /// Creates limits (defaults: 1 MiB, depth 64).
    public init(maxBytes: Int = 1 << 20, maxDepth: Int = 64) {
        self.maxBytes = maxBytes
        self.maxDepth = maxDepth
    }
}

/// How ``JSONValue/serialized(_:)`` writes JSON. No whitespace other than the separators
/// is ever written; numbers are written as their stored text.
public struct JSONStyle: Sendable, Equatable {
    /// Sort object keys by Unicode code point (Python `sort_keys=True`), recursively.
    public var sortKeys: Bool
    /// Escape every character outside U+0020...U+007E as `\uXXXX` (lowercase hex,
    /// surrogate pairs above U+FFFF), as Python `ensure_ascii=True` does.
    public var asciiOnly: Bool
    /// Use `", "` and `": "` separators (Python `json.dumps` default) instead of `","` / `":"`.
    public var spaced: Bool

    /// Creates a style.
    public init(sortKeys: Bool = false, asciiOnly: Bool = false, spaced: Bool = false) {
        self.sortKeys = sortKeys
        self.asciiOnly = asciiOnly
        self.spaced = spaced
    }

    /// `","`/`":"`, keys in stored order, non-ASCII as raw UTF-8: byte-identical to
    /// pydantic-core `model_dump_json` / `TypeAdapter(...).dump_json`.
    public static let compact = JSONStyle()
    /// `", "`/`": "`, keys in stored order, `ensure_ascii=True`: Python `json.dumps(v)`.
    public static let pythonSpaced = JSONStyle(asciiOnly: true, spaced: true)
    /// Compact, keys sorted by code point, raw UTF-8: Python
    /// `json.dumps(v, sort_keys=True, separators=(",", ":"), ensure_ascii=False)`.
    public static let canonical = JSONStyle(sortKeys: true)
}

// MARK: - Parsing

extension JSONValue {
    /// Parses one JSON document (RFC 8259, strict) from UTF-8 bytes.
    ///
    /// Leading and trailing whitespace (space, tab, CR, LF) is allowed; nothing else may
    /// follow the value. Errors, in order of precedence:
    /// - `.inputTooLarge`: more than `limits.maxBytes` bytes;
    /// - `.invalidUTF8`: the input is not well-formed UTF-8 (anywhere);
    /// - `.jsonTooDeep`: nesting deeper than `limits.maxDepth`;
    /// - `.invalidJSON`: any grammar violation, including trailing commas, comments, `NaN`,
    ///   leading zeros, a byte-order mark, raw control characters in strings, lone
    ///   surrogates in `\u` escapes, and **duplicate object keys** (compared after
    ///   unescaping, by exact bytes).
    public static func parse(_ bytes: UnsafeRawBufferPointer, limits: JSONLimits = .default) throws(X402SError) -> JSONValue {
        let n = bytes.count
        guard n <= limits.maxBytes else {
            throw X402SError(.inputTooLarge, "JSON input of \(n) bytes exceeds the limit of \(limits.maxBytes) bytes")
        }
        guard n > 0, let base = bytes.baseAddress else {
            throw X402SError(.invalidJSON, "empty JSON document")
        }
        let p = base.assumingMemoryBound(to: UInt8.self)
        if let bad = jsonFirstInvalidUTF8(p, n) {
            throw X402SError(.invalidUTF8, "JSON input is not valid UTF-8 (at byte offset \(bad))")
        }
        let depth = Swift.max(0, Swift.min(limits.maxDepth, JSONLimits.hardMaxDepth))
        var parser = JSONParser(p: p, n: n, maxDepth: depth)
        return try parser.parseDocument()
    }

    /// Parses one JSON document from UTF-8 bytes (see ``parse(_:limits:)-(UnsafeRawBufferPointer,_)``).
    public static func parse(_ bytes: [UInt8], limits: JSONLimits = .default) throws(X402SError) -> JSONValue {
        let r: Result<JSONValue, X402SError> = bytes.withUnsafeBytes { buf in
            do throws(X402SError) { return .success(try parse(buf, limits: limits)) } catch { return .failure(error) }
        }
        return try r.get()
    }

    /// Parses one JSON document from a string (see ``parse(_:limits:)-(UnsafeRawBufferPointer,_)``).
    public static func parse(_ text: String, limits: JSONLimits = .default) throws(X402SError) -> JSONValue {
        var t = text
        let r: Result<JSONValue, X402SError> = t.withUTF8 { buf in
            do throws(X402SError) { return .success(try parse(UnsafeRawBufferPointer(buf), limits: limits)) } catch {
                return .failure(error)
            }
        }
        return try r.get()
    }
}

/// Returns the offset of the first byte that breaks UTF-8 well-formedness (RFC 3629:
/// no overlongs, no surrogates, nothing above U+10FFFF), or nil.
func jsonFirstInvalidUTF8(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int? {
    var i = 0
    let raw = UnsafeRawPointer(p)
    while i < n {
        // ASCII fast path, 8 bytes at a time.
        while i + 8 <= n {
            let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            if w & 0x8080_8080_8080_8080 != 0 { break }
            i += 8
        }
        guard i < n else { return nil }
        let b0 = p[i]
        if b0 < 0x80 { i += 1; continue }
        var need = 0
        var lo: UInt8 = 0x80, hi: UInt8 = 0xBF
        switch b0 {
        case 0xC2...0xDF: need = 1
        case 0xE0: need = 2; lo = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: need = 2
        case 0xED: need = 2; hi = 0x9F
        case 0xF0: need = 3; lo = 0x90
        case 0xF1...0xF3: need = 3
        case 0xF4: need = 3; hi = 0x8F
        default: return i
        }
        guard n - i > need else { return i }
        let b1 = p[i + 1]
        guard b1 >= lo && b1 <= hi else { return i }
        var k = 2
        while k <= need {
            let b = p[i + k]
            guard b >= 0x80 && b <= 0xBF else { return i }
            k += 1
        }
        i += need + 1
    }
    return nil
}

/// Byte-level recursive-descent parser. Depth is bounded by `maxDepth` (<= 512) before
/// each recursion, so stack use is bounded. All reads are guarded by `i < n`.
struct JSONParser {
    let p: UnsafePointer<UInt8>
    let n: Int
    var i = 0
    let maxDepth: Int
    /// The shared token table (fetched once per parse).
    let tokens = JSONTokenTable.shared
    /// Reused buffer for strings that contain escapes.
    var scratch: [UInt8] = []
    /// Elements of the arrays being parsed (innermost on top); each array is moved out
    /// once, at its exact size, when it closes.
    let valueStack = JSONMoveStack<JSONValue>()
    /// Members of the objects being parsed (innermost on top).
    let entryStack = JSONMoveStack<JSONObject.Member>()

    init(p: UnsafePointer<UInt8>, n: Int, maxDepth: Int) {
        self.p = p
        self.n = n
        self.maxDepth = maxDepth
    }

    @inline(__always)
    func fail(_ what: String) -> X402SError {
        X402SError(.invalidJSON, "invalid JSON: \(what) at byte offset \(i)")
    }

    @inline(__always)
    mutating func skipWS() {
        while i < n {
            let c = p[i]
            if c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { i += 1 } else { return }
        }
    }

    mutating func parseDocument() throws(X402SError) -> JSONValue {
        skipWS()
        let v = try parseValue(depth: 0)
        skipWS()
        guard i == n else { throw fail("unexpected data after the JSON value") }
        return v
    }

    mutating func parseValue(depth: Int) throws(X402SError) -> JSONValue {
        guard i < n else { throw fail("unexpected end of input") }
        switch p[i] {
        case UInt8(ascii: "{"): return try parseObject(depth: depth + 1)
        case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw fail("unexpected character")
        }
    }

    mutating func literal(_ word: StaticString) throws(X402SError) {
        let len = word.utf8CodeUnitCount
        guard n - i >= len else { throw fail("invalid literal") }
        let w = word.utf8Start
        for k in 0..<len where p[i + k] != w[k] { throw fail("invalid literal") }
        i += len
    }

    mutating func parseNumber() throws(X402SError) -> String {
        let start = i
        if p[i] == UInt8(ascii: "-") { i += 1 }
        guard i < n else { throw fail("invalid number") }
        if p[i] == UInt8(ascii: "0") {
            i += 1
            if i < n && p[i] >= 0x30 && p[i] <= 0x39 { throw fail("leading zero in number") }
        } else if p[i] >= 0x31 && p[i] <= 0x39 {
            i += 1
            while i < n && p[i] >= 0x30 && p[i] <= 0x39 { i += 1 }
        } else {
            throw fail("invalid number")
        }
        if i < n && p[i] == UInt8(ascii: ".") {
            i += 1
            let ds = i
            while i < n && p[i] >= 0x30 && p[i] <= 0x39 { i += 1 }
            guard i > ds else { throw fail("missing digits after decimal point") }
        }
        if i < n && (p[i] == UInt8(ascii: "e") || p[i] == UInt8(ascii: "E")) {
            i += 1
            if i < n && (p[i] == UInt8(ascii: "+") || p[i] == UInt8(ascii: "-")) { i += 1 }
            let ds = i
            while i < n && p[i] >= 0x30 && p[i] <= 0x39 { i += 1 }
            guard i > ds else { throw fail("missing exponent digits") }
        }
        return String(decoding: UnsafeBufferPointer(start: p + start, count: i - start), as: UTF8.self)
    }

    @inline(__always)
    static func hexVal(_ c: UInt8) -> UInt32? {
        switch c {
        case 0x30...0x39: return UInt32(c - 0x30)
        case 0x61...0x66: return UInt32(c - 0x61 + 10)
        case 0x41...0x46: return UInt32(c - 0x41 + 10)
        default: return nil
        }
    }

    mutating func hex4() throws(X402SError) -> UInt32 {
        guard n - i >= 4 else { throw fail("truncated \\u escape") }
        var v: UInt32 = 0
        for k in 0..<4 {
            guard let h = JSONParser.hexVal(p[i + k]) else { throw fail("invalid \\u escape") }
            v = v << 4 | h
        }
        i += 4
        return v
    }

    /// Parses a string starting at the opening quote. The input is already known to be
    /// valid UTF-8, so only quotes, backslashes and control characters matter here.
    mutating func parseString() throws(X402SError) -> String {
        let start = i + 1  // after the opening quote
        var j = start
        let raw = UnsafeRawPointer(p)
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        while true {
            // 8 bytes at a time: stop at the first '"', '\\' or control byte. The lowest
            // flagged byte of this SWAR test is always a true match.
            while n - j >= 8 {
                let v = raw.loadUnaligned(fromByteOffset: j, as: UInt64.self)
                let q = v ^ (ones &* 0x22)
                let b = v ^ (ones &* 0x5C)
                let m = ((q &- ones) & ~q) | ((b &- ones) & ~b) | ((v &- ones &* 0x20) & ~v)
                let hit = m & highs
                if hit != 0 {
                    j += hit.trailingZeroBitCount >> 3
                    break
                }
                j += 8
            }
            guard j < n else {
                i = j
                throw fail("unterminated string")
            }
            let c = p[j]
            if c == UInt8(ascii: "\"") {
                i = j + 1
                let len = j - start
                if len <= JSONTokenTable.maxLength, let t = tokens.lookup(p + start, len, avail: n - start) {
                    return t
                }
                return String(decoding: UnsafeBufferPointer(start: p + start, count: len), as: UTF8.self)
            }
            if c == UInt8(ascii: "\\") { break }
            if c < 0x20 {
                i = j
                throw fail("raw control character in string")
            }
            j += 1
        }
        i = j
        // Slow path: escapes present.
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeBufferPointer(start: p + start, count: i - start))
        while i < n {
            let c = p[i]
            if c == UInt8(ascii: "\"") {
                i += 1
                return String(decoding: scratch, as: UTF8.self)
            }
            if c < 0x20 { throw fail("raw control character in string") }
            if c != UInt8(ascii: "\\") {
                scratch.append(c)
                i += 1
                continue
            }
            i += 1
            guard i < n else { break }
            let e = p[i]
            i += 1
            switch e {
            case UInt8(ascii: "\""): scratch.append(0x22)
            case UInt8(ascii: "\\"): scratch.append(0x5C)
            case UInt8(ascii: "/"): scratch.append(0x2F)
            case UInt8(ascii: "b"): scratch.append(0x08)
            case UInt8(ascii: "f"): scratch.append(0x0C)
            case UInt8(ascii: "n"): scratch.append(0x0A)
            case UInt8(ascii: "r"): scratch.append(0x0D)
            case UInt8(ascii: "t"): scratch.append(0x09)
            case UInt8(ascii: "u"):
                var cp = try hex4()
                if cp >= 0xD800 && cp <= 0xDBFF {
                    guard n - i >= 6, p[i] == UInt8(ascii: "\\"), p[i + 1] == UInt8(ascii: "u") else {
                        throw fail("lone high surrogate in \\u escape")
                    }
                    i += 2
                    let lo = try hex4()
                    guard lo >= 0xDC00 && lo <= 0xDFFF else { throw fail("lone high surrogate in \\u escape") }
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00)
                } else if cp >= 0xDC00 && cp <= 0xDFFF {
                    throw fail("lone low surrogate in \\u escape")
                }
                appendUTF8(cp)
            default:
                i -= 1
                throw fail("invalid escape")
            }
        }
        throw fail("unterminated string")
    }

    @inline(__always)
    mutating func appendUTF8(_ cp: UInt32) {
        if cp < 0x80 {
            scratch.append(UInt8(cp))
        } else if cp < 0x800 {
            scratch.append(UInt8(0xC0 | (cp >> 6)))
            scratch.append(UInt8(0x80 | (cp & 0x3F)))
        } else if cp < 0x10000 {
            scratch.append(UInt8(0xE0 | (cp >> 12)))
            scratch.append(UInt8(0x80 | ((cp >> 6) & 0x3F)))
            scratch.append(UInt8(0x80 | (cp & 0x3F)))
        } else {
            scratch.append(UInt8(0xF0 | (cp >> 18)))
            scratch.append(UInt8(0x80 | ((cp >> 12) & 0x3F)))
            scratch.append(UInt8(0x80 | ((cp >> 6) & 0x3F)))
            scratch.append(UInt8(0x80 | (cp & 0x3F)))
        }
    }

    mutating func parseArray(depth: Int) throws(X402SError) -> JSONValue {
        guard depth <= maxDepth else {
            throw X402SError(.jsonTooDeep, "JSON nesting exceeds the limit of \(maxDepth) at byte offset \(i)")
        }
        i += 1
        skipWS()
        if i < n && p[i] == UInt8(ascii: "]") {
            i += 1
            return .array([])
        }
        let base = valueStack.count
        while true {
            skipWS()
            valueStack.append(try parseValue(depth: depth))
            skipWS()
            guard i < n else { throw fail("unterminated array") }
            let c = p[i]
            i += 1
            if c == UInt8(ascii: ",") { continue }
            if c == UInt8(ascii: "]") { return .array(valueStack.popArray(from: base)) }
            i -= 1
            throw fail("expected ',' or ']'")
        }
    }

    mutating func parseObject(depth: Int) throws(X402SError) -> JSONValue {
        guard depth <= maxDepth else {
            throw X402SError(.jsonTooDeep, "JSON nesting exceeds the limit of \(maxDepth) at byte offset \(i)")
        }
        i += 1
        skipWS()
        if i < n && p[i] == UInt8(ascii: "}") {
            i += 1
            return .object(JSONObject(uniqueMembers: []))
        }
        let base = entryStack.count
        var keySet: Set<JSONByteKey>? = nil
        while true {
            skipWS()
            guard i < n, p[i] == UInt8(ascii: "\"") else { throw fail("expected a string key") }
            let keyOffset = i
            let key = try parseString()
            // Duplicate detection: linear for small objects, hashed beyond 16 members.
            if keySet != nil {
                if keySet?.insert(JSONByteKey(key)).inserted != true { throw dup(keyOffset) }
            } else {
                var k = base
                while k < entryStack.count {
                    if jsonBytesEqual(entryStack.p[k].key, key) { throw dup(keyOffset) }
                    k += 1
                }
                if entryStack.count - base >= 16 {
                    var set = Set<JSONByteKey>(minimumCapacity: 64)
                    for j in base..<entryStack.count { set.insert(JSONByteKey(entryStack.p[j].key)) }
                    set.insert(JSONByteKey(key))
                    keySet = set
                }
            }
            skipWS()
            guard i < n, p[i] == UInt8(ascii: ":") else { throw fail("expected ':'") }
            i += 1
            skipWS()
            let v: JSONValue
            if depth == 1 && i < n && p[i] == UInt8(ascii: "{") && (key == "types" || key == "domain") {
                // The `types` and `domain` of an EIP-712 document: usually the same bytes as before.
                if let (memo, length) = JSONTypesMemo.lookup(p + i, available: n - i, maxDepth: maxDepth) {
                    v = memo
                    i += length
                } else {
                    let start = i
                    v = try parseValue(depth: depth)
                    JSONTypesMemo.store(p + start, count: i - start, maxDepth: maxDepth, v)
                }
            } else {
                v = try parseValue(depth: depth)
            }
            entryStack.append(JSONObject.Member(key: key, value: v))
            skipWS()
            guard i < n else { throw fail("unterminated object") }
            let c = p[i]
            i += 1
            if c == UInt8(ascii: ",") { continue }
            if c == UInt8(ascii: "}") { return .object(JSONObject(uniqueMembers: entryStack.popArray(from: base))) }
            i -= 1
            throw fail("expected ',' or '}'")
        }
    }

    func dup(_ offset: Int) -> X402SError {
        X402SError(.invalidJSON, "invalid JSON: duplicate object key at byte offset \(offset)")
    }
}

/// A growable stack whose top elements are *moved* (not copied) into a new array.
/// Owns its elements: whatever is left (after an error) is destroyed in `deinit`.
final class JSONMoveStack<Element> {
    private(set) var p: UnsafeMutablePointer<Element>
    private var capacity: Int
    private(set) var count = 0

    init(capacity: Int = 32) {
        self.capacity = capacity
        self.p = UnsafeMutablePointer<Element>.allocate(capacity: capacity)
    }

    deinit {
        p.deinitialize(count: count)
        p.deallocate()
    }

    @inline(__always)
    func append(_ e: consuming Element) {
        if count == capacity { grow() }
        (p + count).initialize(to: e)
        count += 1
    }

    @inline(never)
    private func grow() {
        let newCap = capacity * 2
        let np = UnsafeMutablePointer<Element>.allocate(capacity: newCap)
        np.moveInitialize(from: p, count: count)
        p.deallocate()
        p = np
        capacity = newCap
    }

    /// Moves elements `base..<count` into a new array and shrinks the stack to `base`.
    @inline(__always)
    func popArray(from base: Int) -> [Element] {
        let k = count - base
        guard k > 0, base >= 0 else { return [] }
        let src = p + base
        var out: [Element] = []
        out.reserveCapacity(k)
        var j = 0
        while j < k {
            out.append((src + j).move())
            j += 1
        }
        count = base
        return out
    }
}

/// A fixed table of strings that occur in nearly every EIP-712 / x402 document
/// ("name", "type", "uint256", "verifyingContract", ...). Returning the shared `String`
/// skips UTF-8 validation and, for tokens over 15 bytes, a heap allocation. Immutable
/// after its one-time initialisation, so it is safe to share between threads.
final class JSONTokenTable: @unchecked Sendable {
    static let maxLength = 32
    static let shared = JSONTokenTable([
        "types", "primaryType", "domain", "message", "name", "type", "version", "chainId",
        "verifyingContract", "salt", "EIP712Domain", "string", "bytes", "bool", "address",
        "uint256", "uint8", "uint48", "uint160", "int256", "bytes32", "from", "to", "value",
        "validAfter", "validBefore", "nonce", "TransferWithAuthorization",
        "PermitWitnessTransferFrom", "TokenPermissions", "Witness", "permitted", "spender",
        "deadline", "witness", "token", "amount", "facilitator", "x402Version", "scheme",
        "network", "payload", "authorization", "signature", "accepted", "accepts", "resource",
        "url", "description", "mimeType", "payTo", "asset", "maxTimeoutSeconds", "extra",
        "exact", "upto", "Permit2", "permit2", "eip3009", "permit2Authorization",
        "assetTransferMethod", "USD Coin", "USDC", "application/json", "error", "isValid",
        "payer", "invalidReason", "success", "transaction", "errorReason", "0", "1", "2",
    ])

    private let slotCount = 256
    /// Immutable after init (never freed: the table lives for the whole process).
    private let lens: UnsafeMutablePointer<Int>
    private let words: UnsafeMutablePointer<UInt64>  // 4 per slot, zero padded
    private let strings: UnsafeMutablePointer<String>

    init(_ tokens: [String]) {
        lens = .allocate(capacity: slotCount)
        lens.initialize(repeating: -1, count: slotCount)
        words = .allocate(capacity: slotCount * 4)
        words.initialize(repeating: 0, count: slotCount * 4)
        strings = .allocate(capacity: slotCount)
        strings.initialize(repeating: "", count: slotCount)
        for t in tokens {
            let bytes = Array(t.utf8)
            guard bytes.count <= JSONTokenTable.maxLength else { continue }
            let w = bytes.withUnsafeBufferPointer { JSONTokenTable.load($0.baseAddress, $0.count) }
            var slot = JSONTokenTable.hash(w, bytes.count) & (slotCount - 1)
            var probes = 0
            while lens[slot] >= 0 && probes < slotCount {
                slot = (slot + 1) & (slotCount - 1)
                probes += 1
            }
            guard probes < slotCount else { continue }
            lens[slot] = bytes.count
            words[slot * 4] = w.0
            words[slot * 4 + 1] = w.1
            words[slot * 4 + 2] = w.2
            words[slot * 4 + 3] = w.3
            strings[slot] = t
        }
    }

    /// Little-endian words of `p[0..<min(n, 32)]`, zero padded (byte by byte: no over-read).
    static func load(_ p: UnsafePointer<UInt8>?, _ n: Int) -> (UInt64, UInt64, UInt64, UInt64) {
        var w0: UInt64 = 0, w1: UInt64 = 0, w2: UInt64 = 0, w3: UInt64 = 0
        if let p {
            var i = 0
            while i < Swift.min(n, 32) {
                let b = UInt64(p[i]) << (UInt64(i & 7) * 8)
                switch i >> 3 {
                case 0: w0 |= b
                case 1: w1 |= b
                case 2: w2 |= b
                default: w3 |= b
                }
                i += 1
            }
        }
        return (w0, w1, w2, w3)
    }

    @inline(__always)
    static func hash(_ w: (UInt64, UInt64, UInt64, UInt64), _ n: Int) -> Int {
        var h = w.0 &* 0x9E37_79B9_7F4A_7C15
        h ^= (w.1 &+ w.2 &+ w.3 &+ UInt64(n)) &* 0xC2B2_AE3D_27D4_EB4F
        return Int(truncatingIfNeeded: h >> 40)
    }

    /// The shared string whose UTF-8 bytes are exactly `p[0..<n]` (`n <= 32`), if it is in
    /// the table. `avail` is how many bytes may be read from `p` (at least `n`); with 32 or
    /// more, the words are loaded directly and masked (no byte copy).
    @inline(__always)
    func lookup(_ p: UnsafePointer<UInt8>, _ n: Int, avail: Int) -> String? {
        guard n >= 0, n <= JSONTokenTable.maxLength else { return nil }
        let w: (UInt64, UInt64, UInt64, UInt64)
        if avail >= 32 {
            let r = UnsafeRawPointer(p)
            @inline(__always) func masked(_ k: Int) -> UInt64 {
                let valid = n - 8 * k
                if valid >= 8 { return r.loadUnaligned(fromByteOffset: 8 * k, as: UInt64.self) }
                if valid <= 0 { return 0 }
                return r.loadUnaligned(fromByteOffset: 8 * k, as: UInt64.self) & ((1 << (UInt64(valid) * 8)) &- 1)
            }
            w = (masked(0), masked(1), masked(2), masked(3))
        } else {
            w = JSONTokenTable.load(p, n)
        }
        var slot = JSONTokenTable.hash(w, n) & (slotCount - 1)
        var probes = 0
        while probes < 4 {
            let l = lens[slot]
            if l < 0 { return nil }
            if l == n && words[slot * 4] == w.0 && words[slot * 4 + 1] == w.1 && words[slot * 4 + 2] == w.2
                && words[slot * 4 + 3] == w.3
            {
                return strings[slot]
            }
            slot = (slot + 1) & (slotCount - 1)
            probes += 1
        }
        return nil
    }
}

/// A string hashed and compared by its exact UTF-8 bytes.
struct JSONByteKey: Hashable {
    let s: String
    init(_ s: String) { self.s = s }
    static func == (a: JSONByteKey, b: JSONByteKey) -> Bool { jsonBytesEqual(a.s, b.s) }
    func hash(into h: inout Hasher) {
        if s.utf8.withContiguousStorageIfAvailable({ h.combine(bytes: UnsafeRawBufferPointer($0)) }) == nil {
            for b in s.utf8 { h.combine(b) }
        }
        h.combine(s.utf8.count)
    }
}

// MARK: - Serialization

extension JSONValue {
    /// Serializes to UTF-8 bytes in `style` (default ``JSONStyle/compact``).
    ///
    /// String escaping (all styles): `"` and `\` are backslash-escaped; U+0008, U+0009,
    /// U+000A, U+000C, U+000D become `\b \t \n \f \r`; other characters below U+0020
    /// become `\u00XX` (lowercase hex); `/` is never escaped. Without `asciiOnly`, U+007F
    /// and all non-ASCII (including U+2028/U+2029) are written as raw UTF-8, exactly as
    /// pydantic-core and `json.dumps(ensure_ascii=False)` do; with `asciiOnly` they become
    /// `\uXXXX` escapes (surrogate pairs above U+FFFF), as `json.dumps` does by default.
    /// Numbers are written as their stored text.
    public func serialized(_ style: JSONStyle = .compact) -> [UInt8] {
        var sink = JSONByteSink(capacity: 512)
        defer { sink.release() }
        JSONWriter.write(self, style, &sink)
        return sink.bytes()
    }

    /// Serializes to a `String` in `style` (see ``serialized(_:)``).
    public func serializedString(_ style: JSONStyle = .compact) -> String {
        String(decoding: serialized(style), as: UTF8.self)
    }
}

/// A growable byte buffer with unchecked-capacity appends (capacity is ensured first).
/// Call `release()` when done.
struct JSONByteSink {
    private(set) var p: UnsafeMutablePointer<UInt8>
    private var cap: Int
    private(set) var count = 0

    init(capacity: Int) {
        cap = Swift.max(16, capacity)
        p = UnsafeMutablePointer<UInt8>.allocate(capacity: cap)
    }

    func release() { p.deallocate() }

    /// A copy of the bytes written so far.
    func bytes() -> [UInt8] { Array(UnsafeBufferPointer(start: p, count: count)) }

    @inline(__always)
    mutating func reserve(_ k: Int) {
        if cap - count < k { grow(k) }
    }

    @inline(never)
    mutating func grow(_ k: Int) {
        var newCap = cap
        while newCap - count < k { newCap = newCap * 2 }
        let np = UnsafeMutablePointer<UInt8>.allocate(capacity: newCap)
        np.update(from: p, count: count)
        p.deallocate()
        p = np
        cap = newCap
    }

    @inline(__always)
    mutating func byte(_ b: UInt8) {
        reserve(1)
        p[count] = b
        count += 1
    }

    @inline(__always)
    mutating func two(_ a: UInt8, _ b: UInt8) {
        reserve(2)
        p[count] = a
        p[count + 1] = b
        count += 2
    }

    @inline(__always)
    mutating func append(_ src: UnsafeBufferPointer<UInt8>) {
        guard let b = src.baseAddress, src.count > 0 else { return }
        reserve(src.count)
        (p + count).update(from: b, count: src.count)
        count += src.count
    }

    @inline(__always)
    mutating func append(_ lit: StaticString) {
        append(UnsafeBufferPointer(start: lit.utf8Start, count: lit.utf8CodeUnitCount))
    }

    @inline(__always)
    mutating func append(_ s: String) {
        if let done: Void = s.utf8.withContiguousStorageIfAvailable({ append($0) }) { return done }
        let a = Array(s.utf8)
        a.withUnsafeBufferPointer { append($0) }
    }
}

enum JSONWriter {
    @inline(__always)
    static func hexDigit(_ v: UInt32) -> UInt8 {
        let d = UInt8(truncatingIfNeeded: v & 0xF)
        return d < 10 ? 0x30 + d : 0x57 + d  // '0'...'9', 'a'...'f'
    }

    /// Appends the serialization of `v` to a byte array.
    static func write(_ v: JSONValue, _ style: JSONStyle, _ out: inout [UInt8]) {
        var sink = JSONByteSink(capacity: 512)
        defer { sink.release() }
        write(v, style, &sink)
        out.append(contentsOf: UnsafeBufferPointer(start: sink.p, count: sink.count))
    }

    static func write(_ v: JSONValue, _ style: JSONStyle, _ out: inout JSONByteSink) {
        switch v {
        case .null: out.append("null")
        case .bool(true): out.append("true")
        case .bool(false): out.append("false")
        case .number(let t): out.append(t)
        case .string(let s): writeString(s, style.asciiOnly, &out)
        case .array(let a):
            out.byte(UInt8(ascii: "["))
            var first = true
            for e in a {
                if !first { separator(style, &out) }
                first = false
                write(e, style, &out)
            }
            out.byte(UInt8(ascii: "]"))
        case .object(let o):
            out.byte(UInt8(ascii: "{"))
            let ms = o.members
            if style.sortKeys && ms.count > 1 {
                let order = ms.indices.sorted { jsonCodePointLess(ms[$0].key, ms[$1].key) }
                var first = true
                for idx in order {
                    if !first { separator(style, &out) }
                    first = false
                    member(ms[idx].key, ms[idx].value, style, &out)
                }
            } else {
                var first = true
                for e in ms {
                    if !first { separator(style, &out) }
                    first = false
                    member(e.key, e.value, style, &out)
                }
            }
            out.byte(UInt8(ascii: "}"))
        }
    }

    @inline(__always)
    static func separator(_ style: JSONStyle, _ out: inout JSONByteSink) {
        if style.spaced { out.two(UInt8(ascii: ","), 0x20) } else { out.byte(UInt8(ascii: ",")) }
    }

    @inline(__always)
    static func member(_ k: String, _ v: JSONValue, _ style: JSONStyle, _ out: inout JSONByteSink) {
        writeString(k, style.asciiOnly, &out)
        if style.spaced { out.two(UInt8(ascii: ":"), 0x20) } else { out.byte(UInt8(ascii: ":")) }
        write(v, style, &out)
    }

    static func writeString(_ s: String, _ asciiOnly: Bool, _ out: inout JSONByteSink) {
        out.byte(0x22)
        let done: Void? = s.utf8.withContiguousStorageIfAvailable { buf in
            writeBytes(buf, asciiOnly, &out)
        }
        if done == nil {
            let a = Array(s.utf8)
            a.withUnsafeBufferPointer { writeBytes($0, asciiOnly, &out) }
        }
        out.byte(0x22)
    }

    @inline(__always)
    static func needsEscape(_ c: UInt8, _ asciiOnly: Bool) -> Bool {
        c < 0x20 || c == 0x22 || c == 0x5C || (asciiOnly && c >= 0x7F)
    }

    static func writeBytes(_ buf: UnsafeBufferPointer<UInt8>, _ asciiOnly: Bool, _ out: inout JSONByteSink) {
        let n = buf.count
        var i = 0
        var runStart = 0
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let raw = UnsafeRawPointer(buf.baseAddress)
        while i < n {
            // Skip 8 plain bytes at a time (SWAR test for '"', '\\', < 0x20 and, when
            // escaping to ASCII, >= 0x7F). The lowest flagged byte is always a true match.
            if let raw {
                while n - i >= 8 {
                    let v = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                    let q = v ^ (ones &* 0x22)
                    let b = v ^ (ones &* 0x5C)
                    var m = ((q &- ones) & ~q) | ((b &- ones) & ~b) | ((v &- ones &* 0x20) & ~v)
                    if asciiOnly {
                        let d = v ^ (ones &* 0x7F)
                        m |= v | ((d &- ones) & ~d)
                    }
                    let hit = m & highs
                    if hit != 0 {
                        i += hit.trailingZeroBitCount >> 3
                        break
                    }
                    i += 8
                }
                if i >= n { break }
            }
            let c = buf[i]
            if !needsEscape(c, asciiOnly) { i += 1; continue }
            if runStart < i { out.append(UnsafeBufferPointer(rebasing: buf[runStart..<i])) }
            switch c {
            case 0x22: out.two(0x5C, 0x22); i += 1
            case 0x5C: out.two(0x5C, 0x5C); i += 1
            case 0x08: out.two(0x5C, UInt8(ascii: "b")); i += 1
            case 0x09: out.two(0x5C, UInt8(ascii: "t")); i += 1
            case 0x0A: out.two(0x5C, UInt8(ascii: "n")); i += 1
            case 0x0C: out.two(0x5C, UInt8(ascii: "f")); i += 1
            case 0x0D: out.two(0x5C, UInt8(ascii: "r")); i += 1
            default:
                if c < 0x80 {
                    escapeU(UInt32(c), &out)
                    i += 1
                } else {
                    // Decode one scalar (the bytes came from a Swift String: valid UTF-8).
                    var cp: UInt32
                    var len: Int
                    if c >= 0xF0 { cp = UInt32(c & 0x07); len = 4 } else if c >= 0xE0 { cp = UInt32(c & 0x0F); len = 3 } else {
                        cp = UInt32(c & 0x1F); len = 2
                    }
                    if n - i < len { len = n - i }
                    var k = 1
                    while k < len { cp = cp << 6 | UInt32(buf[i + k] & 0x3F); k += 1 }
                    if cp >= 0x10000 {
                        let v = cp - 0x10000
                        escapeU(0xD800 + (v >> 10), &out)
                        escapeU(0xDC00 + (v & 0x3FF), &out)
                    } else {
                        escapeU(cp, &out)
                    }
                    i += Swift.max(len, 1)
                }
            }
            runStart = i
        }
        if runStart < n { out.append(UnsafeBufferPointer(rebasing: buf[runStart..<n])) }
    }

    @inline(__always)
    static func escapeU(_ u: UInt32, _ out: inout JSONByteSink) {
        out.reserve(6)
        out.two(0x5C, UInt8(ascii: "u"))
        out.two(hexDigit(u >> 12), hexDigit(u >> 8))
        out.two(hexDigit(u >> 4), hexDigit(u))
    }
}
