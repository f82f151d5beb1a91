/// Internal helpers for reading x402 wire objects with precise errors and for writing them
/// in a fixed key order.

/// A JSON object being read as one x402 structure. Every failure throws `status` with a
/// message naming the structure and the field (never the caller's data).
struct X402Reader {
    let object: JSONObject
    let what: String
    let status: X402SStatus

    init(_ value: JSONValue, _ what: String, _ status: X402SStatus) throws(X402SError) {
        guard case .object(let o) = value else {
            throw X402SError(status, "\(what) must be a JSON object")
        }
        self.object = o
        self.what = what
        self.status = status
    }

    init(object: JSONObject, _ what: String, _ status: X402SStatus) {
        self.object = object
        self.what = what
        self.status = status
    }

    func fail(_ message: String) -> X402SError { X402SError(status, "\(what): \(message)") }

    /// A required string member.
    func string(_ key: String) throws(X402SError) -> String {
        guard let v = object[key] else { throw fail("missing \"\(key)\"") }
        guard case .string(let s) = v else { throw fail("\"\(key)\" must be a string") }
        return s
    }

    /// An optional string member; `null` counts as absent.
    func optionalString(_ key: String) throws(X402SError) -> String? {
        guard let v = object[key] else { return nil }
        switch v {
        case .null: return nil
        case .string(let s): return s
        default: throw fail("\"\(key)\" must be a string")
        }
    }

    /// A required boolean member.
    func bool(_ key: String) throws(X402SError) -> Bool {
        guard let v = object[key] else { throw fail("missing \"\(key)\"") }
        guard case .bool(let b) = v else { throw fail("\"\(key)\" must be true or false") }
        return b
    }

    /// A required non-negative integer: a JSON integer number, or (pydantic lax mode) a
    /// string of decimal digits.
    func unsigned(_ key: String) throws(X402SError) -> UInt64 {
        guard let v = object[key] else { throw fail("missing \"\(key)\"") }
        switch v {
        case .number:
            if let u = v.uint64Value { return u }
        case .string(let s):
            if let u = Networks.parseCanonicalUInt64(s.utf8) { return u }
        default: break
        }
        throw fail("\"\(key)\" must be a non-negative integer")
    }

    /// An optional object member; `null` counts as absent.
    func optionalObject(_ key: String) throws(X402SError) -> JSONObject? {
        guard let v = object[key] else { return nil }
        switch v {
        case .null: return nil
        case .object(let o): return o
        default: throw fail("\"\(key)\" must be an object")
        }
    }

    /// A required object member.
    func requiredObject(_ key: String) throws(X402SError) -> JSONObject {
        guard let o = try optionalObject(key) else { throw fail("missing \"\(key)\" object") }
        return o
    }

    /// A required array member.
    func array(_ key: String) throws(X402SError) -> [JSONValue] {
        guard let v = object[key] else { throw fail("missing \"\(key)\"") }
        guard case .array(let a) = v else { throw fail("\"\(key)\" must be an array") }
        return a
    }

    /// `x402Version`, which must be the JSON number `expected`.
    func version(_ expected: Int64) throws(X402SError) {
        guard let v = object["x402Version"] else {
            throw X402SError(.x402UnsupportedVersion, "\(what): missing \"x402Version\"")
        }
        guard v.int64Value == expected else {
            throw X402SError(.x402UnsupportedVersion, "\(what): \"x402Version\" must be \(expected)")
        }
    }
}

/// Builds a JSON object in a fixed order, omitting absent optionals (pydantic `exclude_none`).
struct X402Writer {
    var object = JSONObject()

    mutating func put(_ key: String, _ value: JSONValue) { object[key] = value }
    mutating func put(_ key: String, _ value: String) { object[key] = .string(value) }
    mutating func put(_ key: String, _ value: String?) { if let value { object[key] = .string(value) } }
    mutating func put(_ key: String, _ value: JSONObject?) { if let value { object[key] = .object(value) } }
    mutating func put(_ key: String, _ value: UInt64) { object[key] = .number(String(value)) }

    var value: JSONValue { .object(object) }
}

/// The `x402Version` member of a JSON object, if it is 1 or 2.
func x402DetectVersion(_ value: JSONValue, _ what: String) throws(X402SError) -> Int {
    guard case .object(let o) = value else {
        throw X402SError(.x402UnsupportedVersion, "\(what) must be a JSON object with \"x402Version\"")
    }
    guard let v = o["x402Version"] else {
        throw X402SError(.x402UnsupportedVersion, "\(what): missing \"x402Version\"")
    }
    switch v.int64Value {
    case 1: return 1
    case 2: return 2
    default: throw X402SError(.x402UnsupportedVersion, "\(what): \"x402Version\" must be 1 or 2")
    }
}
