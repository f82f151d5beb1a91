/// Evidence records for disputes: one record per risk-proxy decision, in an append-only
/// hash chain (docs/EVIDENCE.md).
///
/// A record is canonical JSON (``CanonicalJSON``):
/// ```
/// {"body":{…decision…},"chain":"main","prev":"sha256:<64 hex>","seq":12,"v":1}
/// ```
/// Its **link** form is the same object with `body` replaced by the body's digest
/// (`"sha256:" + hex(SHA-256(canonical body))`); the record hash is
/// `SHA-256("x402-secure/evidence-record/v1\n" ‖ canonical(link))`. Because the hash
/// covers the link form, a bundle can carry the records of other decisions as links only
/// (no payment data of other sellers) and the chain still verifies.
///
/// Chain rules: `seq` 0 carries the genesis `prev` (`sha256:` + 64 zeros) and only it does;
/// every other record carries the previous record's hash and the previous `seq` + 1.

/// `sha256:<64 lowercase hex>` digests, the one digest form of the evidence layer.
public enum EvidenceDigest {
    /// The algorithm prefix.
    public static let prefix = "sha256:"
    /// The genesis `prev` of `seq` 0: `sha256:` followed by 64 zeros.
    public static let zero = prefix + String(repeating: "0", count: 64)

    /// `sha256:` + lowercase hex of 32 digest bytes.
    public static func text(_ digest: [UInt8]) -> String { prefix + Hex.encode(digest, prefix: false) }

    /// The tagged SHA-256 of `bytes`.
    public static func sha256(_ bytes: [UInt8]) -> String { text(SHA256.hash(bytes)) }

    /// The 32 bytes of a strict `sha256:<64 lowercase hex>` text; `nil` for anything else.
    public static func parse(_ text: String) -> [UInt8]? {
        let b = Array(text.utf8)
        guard b.count == 71, b[0..<7].elementsEqual(prefix.utf8) else { return nil }
        var out = [UInt8]()
        out.reserveCapacity(32)
        var i = 7
        while i < 71 {
            guard let hi = lowerHexNibble(b[i]), let lo = lowerHexNibble(b[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
            i += 2
        }
        return out
    }

    /// Accepts the strict form or `0x` + 64 hex digits (the risk layer's form of an agent-trace
    /// digest) and returns the strict form; `nil` otherwise. Used only where records are made.
    static func normalize(_ text: String) -> String? {
        if parse(text) != nil { return text }
        guard text.utf8.count == 66, let b = try? Hex.decode(text, requirePrefix: true), b.count == 32 else { return nil }
        return self.text(b)
    }

    @inline(__always)
    static func lowerHexNibble(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x61...0x66: return c - 0x61 + 10
        default: return nil
        }
    }
}

/// Field rules shared by records, receipts and bundles.
enum EvidenceField {
    /// Largest integer member (seq, times, sizes): 2^53 - 1, exact in every JSON reader.
    static let maxInteger: UInt64 = (1 << 53) - 1

    /// A token: 1...`max` bytes of `A-Z a-z 0-9 . _ : -` (safe in URLs, headers and file names).
    static func isToken(_ s: String, max: Int) -> Bool {
        let b = s.utf8
        guard !b.isEmpty, b.count <= max else { return false }
        return b.allSatisfy { c in
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
                || c == UInt8(ascii: ".") || c == UInt8(ascii: "_") || c == UInt8(ascii: ":") || c == UInt8(ascii: "-")
        }
    }

    /// A non-negative integer written in its canonical decimal form (no sign, no leading
    /// zero, no fraction or exponent) and at most ``maxInteger``.
    static func integer(_ v: JSONValue?) -> UInt64? {
        guard case .number(let t)? = v, let n = v?.uint64Value, n <= maxInteger, t == String(n) else { return nil }
        return n
    }

    /// Refuses members outside `allowed` and (when `required`) missing ones.
    static func members(_ o: JSONObject, _ what: String, allowed: [String], required: [String], status: X402SStatus) throws(X402SError) {
        for key in o.keys where !allowed.contains(where: { RiskText.same($0, key) }) {
            throw X402SError(status, "\(what) has an unknown member (allowed: \(allowed.joined(separator: ", ")))")
        }
        for key in required where o[key] == nil {
            throw X402SError(status, "\(what) lacks '\(key)'")
        }
    }

    static func token(_ o: JSONObject, _ key: String, _ what: String, max: Int, status: X402SStatus) throws(X402SError) -> String {
        guard case .string(let s)? = o[key], isToken(s, max: max) else {
            throw X402SError(status, "\(what) '\(key)' must be 1-\(max) characters of A-Z a-z 0-9 . _ : -")
        }
        return s
    }

    static func optionalToken(_ o: JSONObject, _ key: String, _ what: String, max: Int, status: X402SStatus) throws(X402SError) -> String? {
        if o[key] == nil || o[key]?.isNull == true { return nil }
        return try token(o, key, what, max: max, status: status)
    }

    static func requiredInteger(_ o: JSONObject, _ key: String, _ what: String, status: X402SStatus) throws(X402SError) -> UInt64 {
        guard let n = integer(o[key]) else {
            throw X402SError(status, "\(what) '\(key)' must be an integer 0...2^53-1 in canonical form")
        }
        return n
    }

    static func optionalInteger(_ o: JSONObject, _ key: String, _ what: String, status: X402SStatus) throws(X402SError) -> UInt64? {
        if o[key] == nil || o[key]?.isNull == true { return nil }
        return try requiredInteger(o, key, what, status: status)
    }

    static func digest(_ o: JSONObject, _ key: String, _ what: String, status: X402SStatus) throws(X402SError) -> String {
        guard case .string(let s)? = o[key], EvidenceDigest.parse(s) != nil else {
            throw X402SError(status, "\(what) '\(key)' must be sha256: followed by 64 lowercase hex digits")
        }
        return s
    }

    static func optionalString(_ o: JSONObject, _ key: String, _ what: String, status: X402SStatus) throws(X402SError) -> String? {
        switch o[key] {
        case nil, .null?: return nil
        case .string(let s)?: return s
        default: throw X402SError(status, "\(what) '\(key)' must be a string or null")
        }
    }

    static func optionalObject(_ o: JSONObject, _ key: String, _ what: String, status: X402SStatus) throws(X402SError) -> JSONObject? {
        switch o[key] {
        case nil, .null?: return nil
        case .object(let v)?: return v
        default: throw X402SError(status, "\(what) '\(key)' must be an object or null")
        }
    }

    /// The value of a nullable member as written in canonical records (`null` when absent).
    static func orNull(_ v: String?) -> JSONValue { v.map { .string($0) } ?? .null }
    static func orNull(_ v: UInt64?) -> JSONValue { v.map { .integer($0) } ?? .null }
}

/// The payment a decision was about: the payment payload (the official facilitator
/// `paymentPayload`), the requirements it was checked against and, when the proxy received
/// one, the payment header text (`X-PAYMENT` / `PAYMENT-SIGNATURE`).
public struct EvidencePayment: Sendable, Equatable {
    /// The payment payload object.
    public let payload: JSONValue
    /// The payment requirements object.
    public let requirements: JSONValue
    /// The payment header as received, if any.
    public let header: String?

    /// `sha256:` digest of the canonical payload (what a receipt binds).
    public var payloadDigest: String { EvidenceDigest.sha256(CanonicalJSON.bytes(payload)) }
    /// `sha256:` digest of the canonical requirements.
    public var requirementsDigest: String { EvidenceDigest.sha256(CanonicalJSON.bytes(requirements)) }

    var json: JSONValue {
        .object(JSONObject([("header", EvidenceField.orNull(header)), ("payload", payload), ("requirements", requirements)]))
    }
}

/// The body of an evidence record: what one proxy decision was based on and what it was.
///
/// Members (all present in a record; `null`/empty when not applicable):
///
/// | member | type |
/// |---|---|
/// | `decisionId` | token, 1-128 of `A-Z a-z 0-9 . _ : -` |
/// | `kind` | token ≤ 32 (`verify`, `settle`, `evaluate`, …) |
/// | `receivedAt`, `decidedAt` | Unix milliseconds (`receivedAt` may be `null`; not after `decidedAt`) |
/// | `verdict` | token ≤ 32 (`allow`, `deny`, `review`, `step_up`, …) |
/// | `reasons` | array of strings |
/// | `riskLevel` | token ≤ 32 or `null` |
/// | `session` | object or `null` (the risk session as stored) |
/// | `mandate` | `{"ref","digest","size","mediaType"}` or `null` (the mandate by digest) |
/// | `trace` | `{"tid","digest"}` or `null` (the agent trace by digest of its canonical JSON) |
/// | `payment` | `{"payload","requirements","header"}` or `null` |
/// | `riskHeaders` | object of lower-case header name → value |
/// | `upstream` | array of objects (the upstream facilitator's answers) |
/// | `extra` | object (operator data) |
public struct EvidenceDecision: Sendable, Equatable {
    static let members = [
        "decisionId", "kind", "receivedAt", "decidedAt", "verdict", "reasons", "riskLevel", "session", "mandate",
        "trace", "payment", "riskHeaders", "upstream", "extra",
    ]
    static let required = ["decisionId", "kind", "decidedAt", "verdict"]
    static let status = X402SStatus.evidenceInvalidRecord
    static let what = "the decision"

    /// The canonical body object (every member present).
    public let json: JSONValue
    /// The decision id.
    public let decisionId: String
    /// The proxy operation (`verify`, `settle`, …).
    public let kind: String
    /// When the request arrived (Unix ms), if recorded.
    public let receivedAt: UInt64?
    /// When the decision was made (Unix ms).
    public let decidedAt: UInt64
    /// The verdict.
    public let verdict: String
    /// The risk level, if any.
    public let riskLevel: String?
    /// The agent trace's digest (`sha256:`), if a trace was used.
    public let traceDigest: String?
    /// The mandate's digest (`sha256:` of its bytes), if a mandate was referenced.
    public let mandateDigest: String?
    /// The payment, if the decision was about one.
    public let payment: EvidencePayment?

    /// Parses a body exactly as records carry it: every member present, nothing else.
    ///
    /// - Throws: ``X402SStatus/evidenceInvalidRecord`` naming the first member that breaks
    ///   the schema.
    public init(body: JSONValue) throws(X402SError) {
        try self.init(value: body, strict: true)
    }

    /// Makes a body from what the proxy knows: optional members may be left out (they
    /// become `null`, `[]` or `{}`), header names are lower-cased, and a trace digest may be
    /// given as `0x` + 64 hex (the risk layer's form).
    ///
    /// - Throws: ``X402SStatus/evidenceInvalidRecord`` for a missing required member, a member
    ///   of the wrong type, an unknown member, or a header name given twice.
    public init(decision: JSONValue) throws(X402SError) {
        try self.init(value: decision, strict: false)
    }

    private init(value: JSONValue, strict: Bool) throws(X402SError) {
        let st = Self.status, what = Self.what
        guard case .object(let o) = value else { throw X402SError(st, "\(what) must be a JSON object") }
        try EvidenceField.members(o, what, allowed: Self.members, required: strict ? Self.members : Self.required, status: st)
        decisionId = try EvidenceField.token(o, "decisionId", what, max: 128, status: st)
        kind = try EvidenceField.token(o, "kind", what, max: 32, status: st)
        verdict = try EvidenceField.token(o, "verdict", what, max: 32, status: st)
        riskLevel = try EvidenceField.optionalToken(o, "riskLevel", what, max: 32, status: st)
        decidedAt = try EvidenceField.requiredInteger(o, "decidedAt", what, status: st)
        receivedAt = try EvidenceField.optionalInteger(o, "receivedAt", what, status: st)
        if let r = receivedAt, r > decidedAt {
            throw X402SError(st, "\(what) 'receivedAt' is after 'decidedAt'")
        }
        var reasons: [JSONValue] = []
        switch o["reasons"] {
        case .none where !strict: break
        case .array(let a)?:
            for r in a {
                guard case .string = r else { throw X402SError(st, "\(what) 'reasons' must be an array of strings") }
            }
            reasons = a
        default: throw X402SError(st, "\(what) 'reasons' must be an array of strings")
        }
        let session = try EvidenceField.optionalObject(o, "session", what, status: st)
        let mandate = try Self.mandate(o, strict: strict)
        mandateDigest = mandate?["digest"]?.stringValue
        let trace = try Self.trace(o, strict: strict)
        traceDigest = trace?["digest"]?.stringValue
        payment = try Self.payment(o, strict: strict)
        let headers = try Self.headers(o, strict: strict)
        var upstream: [JSONValue] = []
        switch o["upstream"] {
        case .none where !strict: break
        case .array(let a)?:
            for u in a {
                guard case .object = u else { throw X402SError(st, "\(what) 'upstream' must be an array of objects") }
            }
            upstream = a
        default: throw X402SError(st, "\(what) 'upstream' must be an array of objects")
        }
        var extra = JSONObject()
        switch o["extra"] {
        case .none where !strict: break
        case .object(let e)?: extra = e
        default: throw X402SError(st, "\(what) 'extra' must be an object")
        }
        json = .object(JSONObject([
            ("decisionId", .string(decisionId)), ("kind", .string(kind)),
            ("receivedAt", EvidenceField.orNull(receivedAt)), ("decidedAt", .integer(decidedAt)),
            ("verdict", .string(verdict)), ("reasons", .array(reasons)), ("riskLevel", EvidenceField.orNull(riskLevel)),
            ("session", session.map { .object($0) } ?? .null), ("mandate", mandate.map { .object($0) } ?? .null),
            ("trace", trace.map { .object($0) } ?? .null), ("payment", payment?.json ?? .null),
            ("riskHeaders", .object(headers)), ("upstream", .array(upstream)), ("extra", .object(extra)),
        ]))
    }

    private static func mandate(_ o: JSONObject, strict: Bool) throws(X402SError) -> JSONObject? {
        let st = status, what = "the decision's mandate"
        guard let m = try EvidenceField.optionalObject(o, "mandate", Self.what, status: st) else { return nil }
        let keys = ["ref", "digest", "size", "mediaType"]
        try EvidenceField.members(m, what, allowed: keys, required: strict ? keys : ["digest"], status: st)
        let digest = try normalizedDigest(m, what, strict: strict)
        return JSONObject([
            ("ref", EvidenceField.orNull(try EvidenceField.optionalString(m, "ref", what, status: st))),
            ("digest", .string(digest)),
            ("size", EvidenceField.orNull(try EvidenceField.optionalInteger(m, "size", what, status: st))),
            ("mediaType", EvidenceField.orNull(try EvidenceField.optionalString(m, "mediaType", what, status: st))),
        ])
    }

    private static func trace(_ o: JSONObject, strict: Bool) throws(X402SError) -> JSONObject? {
        let st = status, what = "the decision's trace"
        guard let t = try EvidenceField.optionalObject(o, "trace", Self.what, status: st) else { return nil }
        let keys = ["tid", "digest"]
        try EvidenceField.members(t, what, allowed: keys, required: strict ? keys : ["digest"], status: st)
        let digest = try normalizedDigest(t, what, strict: strict)
        return JSONObject([
            ("tid", EvidenceField.orNull(try EvidenceField.optionalString(t, "tid", what, status: st))),
            ("digest", .string(digest)),
        ])
    }

    private static func normalizedDigest(_ o: JSONObject, _ what: String, strict: Bool) throws(X402SError) -> String {
        if strict { return try EvidenceField.digest(o, "digest", what, status: status) }
        guard case .string(let s)? = o["digest"], let d = EvidenceDigest.normalize(s) else {
            throw X402SError(status, "\(what) 'digest' must be sha256:<64 hex> or 0x + 64 hex")
        }
        return d
    }

    private static func payment(_ o: JSONObject, strict: Bool) throws(X402SError) -> EvidencePayment? {
        let st = status, what = "the decision's payment"
        guard let p = try EvidenceField.optionalObject(o, "payment", Self.what, status: st) else { return nil }
        let keys = ["payload", "requirements", "header"]
        try EvidenceField.members(p, what, allowed: keys, required: strict ? keys : ["payload", "requirements"], status: st)
        guard case .object? = p["payload"], case .object? = p["requirements"] else {
            throw X402SError(st, "\(what) 'payload' and 'requirements' must be objects")
        }
        return EvidencePayment(
            payload: p["payload"] ?? .null, requirements: p["requirements"] ?? .null,
            header: try EvidenceField.optionalString(p, "header", what, status: st))
    }

    private static func headers(_ o: JSONObject, strict: Bool) throws(X402SError) -> JSONObject {
        let st = status, what = "the decision's riskHeaders"
        guard let v = o["riskHeaders"] else {
            if strict { throw X402SError(st, "\(Self.what) lacks 'riskHeaders'") }
            return JSONObject()
        }
        guard case .object(let h) = v else { throw X402SError(st, "\(what) must be an object") }
        var out = JSONObject()
        for (name, value) in h.entries {
            guard case .string = value else { throw X402SError(st, "\(what) values must be strings") }
            let lower = String(decoding: RiskText.asciiLowerBytes(name), as: UTF8.self)
            guard EvidenceField.isToken(lower, max: 128) else {
                throw X402SError(st, "\(what) names must be header names (A-Z a-z 0-9 . _ : -)")
            }
            if strict && !RiskText.same(lower, name) { throw X402SError(st, "\(what) names must be lower case") }
            guard out[lower] == nil else { throw X402SError(st, "\(what) has a header name twice") }
            out[lower] = value
        }
        return out
    }
}

/// One record of the evidence chain (or its link form, when the body is known by digest only).
public struct EvidenceRecord: Sendable, Equatable {
    /// The record format version.
    public static let version: UInt64 = 1
    /// The domain-separation prefix of the record hash.
    public static let hashDomain: [UInt8] = Array("x402-secure/evidence-record/v1\n".utf8)
    /// The chain name used when none is given.
    public static let defaultChain = "main"
    /// The largest record text accepted (1 MiB).
    public static let maxBytes = 1 << 20
    static let members = ["body", "chain", "prev", "seq", "v"]

    /// The chain name (token ≤ 64).
    public let chain: String
    /// The position in the chain, from 0.
    public let seq: UInt64
    /// The hash of the previous record (``EvidenceDigest/zero`` for seq 0).
    public let prev: String
    /// The decision, or `nil` for a link.
    public let decision: EvidenceDecision?
    /// `sha256:` digest of the canonical body.
    public let bodyDigest: String
    /// The record hash (`sha256:`).
    public let hash: String
    /// The canonical body bytes (full records), kept so the record text is not serialised twice.
    private let bodyText: [UInt8]?

    /// Makes a record for a new decision.
    ///
    /// - Parameters:
    ///   - decision: the body (see ``EvidenceDecision``).
    ///   - seq: its position: 0 for the first record of the chain, else the previous record's seq + 1.
    ///   - prev: the previous record's hash; `nil` (or ``EvidenceDigest/zero``) only for seq 0.
    ///   - chain: the chain name (token ≤ 64), default `main`.
    /// - Throws: ``X402SStatus/evidenceInvalidRecord`` for a seq above 2^53-1, a bad chain
    ///   name or hash, a genesis prev with seq > 0, or a real prev with seq 0.
    public init(decision: EvidenceDecision, seq: UInt64, prev: String?, chain: String = EvidenceRecord.defaultChain) throws(X402SError) {
        try self.init(chain: chain, seq: seq, prev: prev ?? EvidenceDigest.zero, decision: decision, bodyDigest: nil)
    }

    private init(chain: String, seq: UInt64, prev: String, decision: EvidenceDecision?, bodyDigest: String?) throws(X402SError) {
        let st = X402SStatus.evidenceInvalidRecord
        guard EvidenceField.isToken(chain, max: 64) else {
            throw X402SError(st, "the record chain must be 1-64 characters of A-Z a-z 0-9 . _ : -")
        }
        guard seq <= EvidenceField.maxInteger else { throw X402SError(st, "the record seq must be at most 2^53-1") }
        guard EvidenceDigest.parse(prev) != nil else {
            throw X402SError(st, "the record prev must be sha256: followed by 64 lowercase hex digits")
        }
        let genesis = RiskText.same(prev, EvidenceDigest.zero)
        guard genesis == (seq == 0) else {
            throw X402SError(st, seq == 0 ? "the record at seq 0 must carry the genesis prev"
                                          : "only the record at seq 0 may carry the genesis prev")
        }
        self.chain = chain
        self.seq = seq
        self.prev = prev
        self.decision = decision
        let body = decision.map { CanonicalJSON.bytes($0.json) }
        let digest = body.map { EvidenceDigest.sha256($0) } ?? bodyDigest ?? ""
        self.bodyText = body
        self.bodyDigest = digest
        self.hash = EvidenceDigest.sha256(Self.hashDomain + CanonicalJSON.bytes(Self.object(chain, seq, prev, .string(digest))))
    }

    /// Parses a record or a link object (`body` an object or a `sha256:` digest).
    ///
    /// - Throws: ``X402SStatus/evidenceInvalidRecord`` for anything outside the schema.
    public init(json: JSONValue) throws(X402SError) {
        let st = X402SStatus.evidenceInvalidRecord
        guard case .object(let o) = json else { throw X402SError(st, "a record must be a JSON object") }
        try EvidenceField.members(o, "the record", allowed: Self.members, required: Self.members, status: st)
        guard EvidenceField.integer(o["v"]) == Self.version else { throw X402SError(st, "the record 'v' must be 1") }
        let chain = try EvidenceField.token(o, "chain", "the record", max: 64, status: st)
        let seq = try EvidenceField.requiredInteger(o, "seq", "the record", status: st)
        let prev = try EvidenceField.digest(o, "prev", "the record", status: st)
        switch o["body"] {
        case .object?:
            try self.init(chain: chain, seq: seq, prev: prev, decision: try EvidenceDecision(body: o["body"] ?? .null), bodyDigest: nil)
        case .string(let d)? where EvidenceDigest.parse(d) != nil:
            try self.init(chain: chain, seq: seq, prev: prev, decision: nil, bodyDigest: d)
        default:
            throw X402SError(st, "the record 'body' must be the decision object or its sha256: digest")
        }
    }

    /// Parses a stored record text, which must be exactly its canonical form.
    ///
    /// - Throws: ``X402SStatus/inputTooLarge`` above 1 MiB; JSON errors;
    ///   ``X402SStatus/evidenceInvalidRecord``; ``X402SStatus/evidenceNotCanonical`` when the
    ///   text is not byte for byte the canonical JSON of what it holds.
    public static func parse(text: [UInt8]) throws(X402SError) -> EvidenceRecord {
        let record = try EvidenceRecord(json: try JSONValue.parse(text, limits: JSONLimits(maxBytes: maxBytes)))
        guard record.canonicalText == text else {
            throw X402SError(.evidenceNotCanonical, "the record text is not its canonical JSON form")
        }
        return record
    }

    static func object(_ chain: String, _ seq: UInt64, _ prev: String, _ body: JSONValue) -> JSONValue {
        .object(JSONObject([
            ("body", body), ("chain", .string(chain)), ("prev", .string(prev)), ("seq", .integer(seq)),
            ("v", .integer(version)),
        ]))
    }

    /// `true` for a link (body known by digest only).
    public var isLink: Bool { decision == nil }

    /// The record object (the link object for a link).
    public var json: JSONValue { Self.object(chain, seq, prev, decision?.json ?? .string(bodyDigest)) }

    /// The link object: `body` replaced by its digest.
    public var linkJSON: JSONValue { Self.object(chain, seq, prev, .string(bodyDigest)) }

    /// The link form of this record.
    public var link: EvidenceRecord {
        // Cannot fail: the fields were validated when this record was made.
        (try? EvidenceRecord(chain: chain, seq: seq, prev: prev, decision: nil, bodyDigest: bodyDigest)) ?? self
    }

    /// The canonical text (what the proxy stores). `body` sorts first among the members, so
    /// the text is `{"body":` + the canonical body + the rest of the canonical link object.
    public var canonicalText: [UInt8] {
        guard let body = bodyText else { return CanonicalJSON.bytes(json) }
        let link = CanonicalJSON.bytes(linkJSON)  // {"body":"sha256:…","chain":…}
        let rest = link.dropFirst(Array(#"{"body":""#.utf8).count + bodyDigest.utf8.count + 1)  // from `,"chain"`
        return Array(#"{"body":"#.utf8) + body + rest
    }

    /// `true` when `next` directly follows this record in the same chain.
    public func isFollowed(by next: EvidenceRecord) -> Bool {
        RiskText.same(chain, next.chain) && seq < EvidenceField.maxInteger && next.seq == seq + 1 && RiskText.same(next.prev, hash)
    }
}
