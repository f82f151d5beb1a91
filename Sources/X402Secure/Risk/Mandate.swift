/// An AP2-style payment mandate: what the user allowed the agent to buy. JSON schema
/// (snake_case as in AP2's `IntentMandate`; documented in docs/RISK.md):
///
/// | member | type | meaning |
/// |---|---|---|
/// | `mandate_version` | `1` | required |
/// | `mandate_id` | string | optional label |
/// | `natural_language_description` | string | optional, informative only |
/// | `intent_expiry` | Unix seconds or ISO-8601 | required; not valid from then on |
/// | `not_before` | Unix seconds or ISO-8601 | optional; not valid before |
/// | `max_amount` | decimal string (atomic units) | required cap |
/// | `step_up_amount` | decimal string | optional; amounts above it need a step-up |
/// | `currency` | string | optional asset symbol (e.g. `USDC`) |
/// | `networks` | [string] | optional allow-list (v1 names or CAIP-2, compared as CAIP-2) |
/// | `assets` | [string] | optional allow-list of token addresses / mints |
/// | `merchants` | [string] | optional payTo allow-list |
/// | `unknown_merchant_action` | `"deny"` or `"step_up"` | default `"deny"` |
/// | `plan` | [string] | optional allow-list of URLs the agent may visit and pay |
/// | `recurrence` | `"one_time"` or `"recurring"` | default `"one_time"` |
/// | `bindings` | object | values tool outputs must not change (`beneficiary`, `memo`, `tenant`, ...) |
/// | `required_attributes` | object of strings | attributes the purchase must have (`vram: "24GB"`) |
/// | `source_policy` | `{"min_sources": int, "min_trust": "low"/"medium"/"high"}` | default 1 source at `medium` |
///
/// Unknown members are ignored.
public struct Mandate: Sendable, Equatable {
    /// The largest mandate accepted by ``parse(_:)`` (256 KiB).
    public static let maxBytes = 256 << 10

    /// The mandate object as given.
    public let object: JSONObject
    /// `intent_expiry` in Unix seconds.
    public let expiresAt: Int64
    /// `not_before` in Unix seconds, if given.
    public let notBefore: Int64?
    /// `max_amount` as a 32-byte word.
    let maxAmount: [UInt8]
    /// `step_up_amount` as a 32-byte word, if given.
    let stepUpAmount: [UInt8]?
    /// `currency`, if given.
    public let currency: String?
    /// `networks`, if given.
    public let networks: [String]?
    /// `assets`, if given.
    public let assets: [String]?
    /// `merchants`, if given.
    public let merchants: [String]?
    /// `unknown_merchant_action` (deny unless `"step_up"`).
    public let unknownMerchantAction: MandateAction
    /// `plan`, if given.
    public let plan: [String]?
    /// `true` when `recurrence` is `"recurring"`.
    public let allowsRecurring: Bool
    /// `bindings` (empty when absent).
    public let bindings: JSONObject
    /// `required_attributes` (empty when absent).
    public let requiredAttributes: [(String, String)]
    /// `source_policy.min_sources` (default 1).
    public let minSources: Int
    /// `source_policy.min_trust` as 1 (low), 2 (medium) or 3 (high); default 2.
    public let minTrust: Int

    /// Reads a mandate object.
    ///
    /// - Throws: ``X402SStatus/riskInvalidMandate`` for a missing required member or any
    ///   member of the wrong type or value (the message names the member).
    public init(json: JSONValue) throws(X402SError) {
        guard case .object(let o) = json else { throw Self.bad("the mandate must be a JSON object") }
        guard o["mandate_version"]?.int64Value == 1 else { throw Self.bad("mandate_version must be 1") }
        object = o
        guard let exp = o["intent_expiry"] else { throw Self.bad("intent_expiry is required") }
        expiresAt = try Self.time(exp, "intent_expiry")
        notBefore = try o["not_before"].map { v throws(X402SError) in try Self.time(v, "not_before") }
        guard case .string(let max)? = o["max_amount"], let w = X402U256.word(decimal: max, canonical: true) else {
            throw Self.bad("max_amount must be a canonical decimal string")
        }
        maxAmount = w
        if let s = o["step_up_amount"] {
            guard case .string(let t) = s, let w2 = X402U256.word(decimal: t, canonical: true) else {
                throw Self.bad("step_up_amount must be a canonical decimal string")
            }
            stepUpAmount = w2
        } else {
            stepUpAmount = nil
        }
        currency = try Self.optString(o, "currency")
        networks = try Self.optStrings(o, "networks")
        assets = try Self.optStrings(o, "assets")
        merchants = try Self.optStrings(o, "merchants")
        plan = try Self.optStrings(o, "plan")
        switch try Self.optString(o, "unknown_merchant_action") {
        case nil, "deny"?: unknownMerchantAction = .deny
        case "step_up"?: unknownMerchantAction = .stepUp
        default: throw Self.bad("unknown_merchant_action must be deny or step_up")
        }
        switch try Self.optString(o, "recurrence") {
        case nil, "one_time"?: allowsRecurring = false
        case "recurring"?: allowsRecurring = true
        default: throw Self.bad("recurrence must be one_time or recurring")
        }
        switch o["bindings"] {
        case nil: bindings = JSONObject()
        case .object(let b)?: bindings = b
        default: throw Self.bad("bindings must be an object")
        }
        switch o["required_attributes"] {
        case nil: requiredAttributes = []
        case .object(let a)?:
            var list: [(String, String)] = []
            for (k, v) in a.entries {
                guard case .string(let s) = v else { throw Self.bad("required_attributes values must be strings") }
                list.append((k, s))
            }
            requiredAttributes = list
        default: throw Self.bad("required_attributes must be an object")
        }
        switch o["source_policy"] {
        case nil:
            minSources = 1
            minTrust = 2
        case .object(let p)?:
            if let n = p["min_sources"] {
                guard let v = n.int64Value, v >= 0, v <= 1000 else { throw Self.bad("source_policy.min_sources must be 0...1000") }
                minSources = Int(v)
            } else {
                minSources = 1
            }
            if let t = p["min_trust"] {
                guard case .string(let s) = t, let level = MandateGate.trustLevel(.string(s)) else {
                    throw Self.bad("source_policy.min_trust must be low, medium or high")
                }
                minTrust = level
            } else {
                minTrust = 2
            }
        default: throw Self.bad("source_policy must be an object")
        }
    }

    /// Parses a mandate from JSON bytes (at most ``maxBytes``).
    ///
    /// - Throws: JSON errors, then ``X402SStatus/riskInvalidMandate`` as ``init(json:)``.
    public static func parse(_ bytes: [UInt8]) throws(X402SError) -> Mandate {
        try Mandate(json: JSONValue.parse(bytes, limits: JSONLimits(maxBytes: maxBytes)))
    }

    /// The mandate as JSON (as given).
    public var json: JSONValue { .object(object) }

    /// Equality of the mandate documents.
    public static func == (a: Mandate, b: Mandate) -> Bool { a.object == b.object }

    static func bad(_ m: String) -> X402SError { X402SError(.riskInvalidMandate, m) }

    static func time(_ v: JSONValue, _ name: String) throws(X402SError) -> Int64 {
        if let n = v.int64Value { return n }
        if case .string(let s) = v, let t = RiskClock.parseISO8601(s) { return t }
        throw bad("\(name) must be Unix seconds or an ISO-8601 time with a zone")
    }

    static func optString(_ o: JSONObject, _ k: String) throws(X402SError) -> String? {
        switch o[k] {
        case nil: return nil
        case .string(let s)?: return s
        default: throw bad("\(k) must be a string")
        }
    }

    static func optStrings(_ o: JSONObject, _ k: String) throws(X402SError) -> [String]? {
        switch o[k] {
        case nil: return nil
        case .array(let a)?:
            var out: [String] = []
            for e in a {
                guard case .string(let s) = e else { throw bad("\(k) must be an array of strings") }
                out.append(s)
            }
            return out
        default: throw bad("\(k) must be an array of strings")
        }
    }
}

/// What the gate asks the caller to do.
public enum MandateAction: String, Sendable, Equatable, CaseIterable {
    /// Pay.
    case allow
    /// Ask the user to confirm first.
    case stepUp = "step_up"
    /// Do not pay.
    case deny
}

/// One finding of the gate.
public struct MandateReason: Sendable, Equatable {
    /// The reason code (see ``MandateGate``).
    public let code: String
    /// What this finding requires.
    public let action: MandateAction
    /// A short detail (a URL, a key, a value), at most 200 bytes.
    public let detail: String

    init(_ code: String, _ action: MandateAction, _ detail: String = "") {
        self.code = code
        self.action = action
        var d = detail
        if d.utf8.count > 200 { d = String(decoding: Array(d.utf8.prefix(197)), as: UTF8.self) + "..." }
        self.detail = d
    }

    /// `{"code","action","detail"}`.
    public var json: JSONValue {
        .object(JSONObject([("code", .string(code)), ("action", .string(action.rawValue)), ("detail", .string(detail))]))
    }
}

/// The gate's answer.
public struct MandateDecision: Sendable, Equatable {
    /// `deny` if any finding denies, else `step_up` if any asks for it, else `allow`.
    public let decision: MandateAction
    /// Every finding, in check order.
    public let reasons: [MandateReason]

    /// `{"decision", "reasons": [...]}`.
    public var json: JSONValue {
        .object(JSONObject([("decision", .string(decision.rawValue)), ("reasons", .array(reasons.map { $0.json }))]))
    }
}

/// The pre-payment mandate gate: evaluates a ``Mandate`` against the requirement the agent
/// chose and the agent's trace, before paying.
///
/// Checks, in order, with their reason codes:
/// 1. window: `mandate_not_yet_valid`, `mandate_expired` (deny);
/// 2. amount: `amount_over_cap` (deny), `amount_step_up` (step_up, above `step_up_amount`);
/// 3. `currency_mismatch` (deny: the asset's symbol in the network table is not `currency`,
///    or the asset is unknown);
/// 4. `network_not_allowed`, `asset_not_allowed` (deny);
/// 5. `merchant_not_allowed` (payTo not in `merchants`: deny, or step_up when
///    `unknown_merchant_action` is `step_up`) — counterfeit route;
/// 6. `route_not_in_plan` (deny): a URL in the trace, or the resource being paid, is not in
///    `plan` — prompt-injected routing (an added `?aff=` parameter, a rewritten host);
/// 7. `recurring_terms` (step_up): the requirement or a tool output shows recurring or
///    auto-renew terms while the mandate is one-time — free trial that flips to auto-renew;
/// 8. `tool_output_binding_mismatch` (deny): a tool output carries a bound key
///    (`beneficiary`, `memo`, `tenant`, ...) with another value — tool-chain tampering;
/// 9. `attribute_mismatch` (deny) / `attribute_unverified` (step_up): a required
///    attribute has another value in the requirement or a tool output, or appears nowhere
///    — spec creep;
/// 10. `low_trust_justification` (step_up): the selection cites fewer than `min_sources`
///    distinct sources of at least `min_trust` — opinion laundering.
///
/// Where the gate looks in the trace (docs/RISK.md has the details): URLs are the `url`
/// member of `navigation`/`http_request` events, of `tool_call` keyword arguments, of
/// `function_call` arguments and of `tool_result` results; tool outputs are `tool_result`
/// results (searched recursively); sources are the `sources` arrays of `selection` events
/// and of tool outputs.
public enum MandateGate {
    /// Evaluates the mandate.
    ///
    /// - Parameters:
    ///   - mandate: the mandate.
    ///   - requirement: the requirement the agent is about to pay.
    ///   - trace: the agent trace, if any (trace-based checks are skipped without one).
    ///   - resource: the resource URL being paid (default: the v1 requirement's
    ///     `resource`; v2 requirements carry none).
    ///   - now: the current Unix time (default: the system clock).
    public static func evaluate(
        mandate: Mandate, requirement: X402Requirement, trace: AgentTrace?, resource: String? = nil,
        now: Int64 = RiskClock.nowUnix()
    ) -> MandateDecision {
        var r: [MandateReason] = []
        if let nb = mandate.notBefore, now < nb { r.append(MandateReason("mandate_not_yet_valid", .deny)) }
        if now >= mandate.expiresAt { r.append(MandateReason("mandate_expired", .deny)) }

        let network = requirement.network
        let evm = Networks.lookup(network)?.family == .evm
        if let amount = X402U256.word(decimal: requirement.amount) {
            if X402U256.compare(amount, mandate.maxAmount) > 0 {
                r.append(MandateReason("amount_over_cap", .deny, requirement.amount))
            } else if let s = mandate.stepUpAmount, X402U256.compare(amount, s) > 0 {
                r.append(MandateReason("amount_step_up", .stepUp, requirement.amount))
            }
        } else {
            r.append(MandateReason("amount_over_cap", .deny, "unreadable amount"))
        }
        if let cur = mandate.currency {
            let symbol = Networks.asset(network: network, address: requirement.asset)?.symbol
            if symbol.map({ !PaymentEvidenceCompare.asciiCaseless($0, cur) }) ?? true {
                r.append(MandateReason("currency_mismatch", .deny, symbol ?? "unknown asset"))
            }
        }
        if let nets = mandate.networks {
            let want = Networks.caip2(network) ?? network
            if !nets.contains(where: { RiskText.same(Networks.caip2($0) ?? $0, want) }) {
                r.append(MandateReason("network_not_allowed", .deny, network))
            }
        }
        func sameAddress(_ a: String, _ b: String) -> Bool { evm ? PaymentEvidenceCompare.evm(a, b) : RiskText.same(a, b) }
        if let assets = mandate.assets, !assets.contains(where: { sameAddress($0, requirement.asset) }) {
            r.append(MandateReason("asset_not_allowed", .deny, requirement.asset))
        }
        if let m = mandate.merchants, !m.contains(where: { sameAddress($0, requirement.payTo) }) {
            r.append(MandateReason("merchant_not_allowed", mandate.unknownMerchantAction, requirement.payTo))
        }

        var paidResource = resource
        if paidResource == nil, case .v1(let v1) = requirement { paidResource = v1.resource }
        let base = paidResource.flatMap { MandateURL.origin(of: $0) }
        let events = trace?.events ?? []
        let outputs = events.filter { $0.type == "tool_result" }.compactMap { $0.object["result"] }

        if let plan = mandate.plan {
            let allowed = Set(plan.compactMap { MandateURL.normalize($0, base: base) }.map { Array($0.utf8) })
            var urls: [String] = []
            if let p = paidResource { urls.append(p) }
            urls += traceURLs(events)
            var seen = Set<[UInt8]>()
            for u in urls {
                let n = MandateURL.normalize(u, base: base) ?? u
                let key = Array(n.utf8)
                if !allowed.contains(key), seen.insert(key).inserted {
                    r.append(MandateReason("route_not_in_plan", .deny, n))
                }
            }
        }

        if !mandate.allowsRecurring {
            var sources: [JSONValue] = [.object(requirement.extra)]
            if case .v1(let v1) = requirement, let d = v1.description { sources.append(.object(JSONObject([("terms", .string(d))]))) }
            sources += outputs
            if let hit = sources.lazy.compactMap({ recurringHit($0, depth: 0) }).first {
                r.append(MandateReason("recurring_terms", .stepUp, hit))
            }
        }

        for (key, bound) in mandate.bindings.entries {
            var values: [JSONValue] = []
            for o in outputs { collect(key: key, in: o, depth: 0, into: &values) }
            if let bad = values.first(where: { !boundEqual($0, bound) }) {
                r.append(MandateReason("tool_output_binding_mismatch", .deny, "\(key)=\(display(bad))"))
            }
        }

        for (key, want) in mandate.requiredAttributes {
            var values: [JSONValue] = []
            collect(key: key, in: .object(requirement.extra), depth: 0, into: &values)
            for o in outputs { collect(key: key, in: o, depth: 0, into: &values) }
            if values.isEmpty {
                r.append(MandateReason("attribute_unverified", .stepUp, key))
            } else if let bad = values.first(where: { attributeText($0) != attributeText(.string(want)) }) {
                r.append(MandateReason("attribute_mismatch", .deny, "\(key)=\(display(bad))"))
            }
        }

        var cited: [JSONValue] = []
        for e in events where e.type == "selection" {
            if case .array(let a)? = e.object["sources"] { cited += a }
        }
        for o in outputs {
            var lists: [JSONValue] = []
            collect(key: "sources", in: o, depth: 0, into: &lists)
            for case .array(let a) in lists { cited += a }
        }
        if !cited.isEmpty {
            var strong = Set<String>()
            for s in cited {
                guard case .object(let so) = s, let level = trustLevel(so["trust"] ?? .null), level >= mandate.minTrust else { continue }
                let id = so["url"]?.stringValue ?? so["id"]?.stringValue ?? so["name"]?.stringValue ?? display(s)
                strong.insert(id)
            }
            if strong.count < mandate.minSources {
                r.append(MandateReason("low_trust_justification", .stepUp, "\(strong.count) of \(mandate.minSources) trusted sources"))
            }
        }

        let decision: MandateAction =
            r.contains { $0.action == .deny } ? .deny : (r.contains { $0.action == .stepUp } ? .stepUp : .allow)
        return MandateDecision(decision: decision, reasons: r)
    }

    /// Parses the mandate and the trace from JSON bytes and evaluates (JSON-in/JSON-out
    /// entry point for the bindings).
    ///
    /// - Throws: the errors of ``Mandate/parse(_:)``, ``X402Requirement/init(json:)`` and
    ///   ``AgentTrace/parse(_:)``.
    public static func evaluate(
        mandateJSON: [UInt8], requirementJSON: [UInt8], traceJSON: [UInt8]?, resource: String? = nil,
        now: Int64 = RiskClock.nowUnix()
    ) throws(X402SError) -> MandateDecision {
        let m = try Mandate.parse(mandateJSON)
        let req = try X402Requirement(json: JSONValue.parse(requirementJSON))
        let t = try traceJSON.map { b throws(X402SError) in try AgentTrace.parse(b) }
        return evaluate(mandate: m, requirement: req, trace: t, resource: resource, now: now)
    }

    /// Trust of a source: `"low"`/`"medium"`/`"high"` (any case) -> 1/2/3; a number in
    /// 0...1 -> 1 below 0.5, 2 below 0.8, else 3; anything else -> nil (untrusted).
    static func trustLevel(_ v: JSONValue) -> Int? {
        switch v {
        case .string(let s):
            switch RiskText.asciiLowerBytes(s) {
            case Array("low".utf8): return 1
            case Array("medium".utf8): return 2
            case Array("high".utf8): return 3
            default: return nil
            }
        case .number(let t):
            guard let d = Double(t), d >= 0, d <= 1 else { return nil }
            return d < 0.5 ? 1 : (d < 0.8 ? 2 : 3)
        default: return nil
        }
    }

    /// The URLs the trace shows the agent visiting or being sent to.
    static func traceURLs(_ events: [AgentTraceEvent]) -> [String] {
        var out: [String] = []
        for e in events {
            let o = e.object
            switch e.type {
            case "navigation", "http_request": if let u = o["url"]?.stringValue { out.append(u) }
            case "tool_call": if let u = o["args"]?["k"]?["url"]?.stringValue { out.append(u) }
            case "function_call": if let u = o["arguments"]?["url"]?.stringValue { out.append(u) }
            case "tool_result": if let u = o["result"]?["url"]?.stringValue { out.append(u) }
            default: break
            }
        }
        return out
    }

    /// How deep tool outputs are searched: beyond the JSON parser's default depth (64), so
    /// every parsed trace is searched completely, while hand-built values cannot exhaust
    /// the stack.
    static let maxDepth = 128
    static let recurringFlags: [[UInt8]] = ["recurring", "auto_renew", "autoRenew", "auto_renews", "autoRenews", "subscription"].map { Array($0.utf8) }
    static let intervalKeys: [[UInt8]] = ["billing_interval", "billingInterval", "renewal_interval", "renewalInterval", "interval"].map { Array($0.utf8) }
    static let oneTimeWords: [[UInt8]] = ["", "once", "one_time", "one-time", "none"].map { Array($0.utf8) }
    static let recurringPhrases = ["auto-renew", "auto renew", "autorenew", "automatically renew", "renews automatically",
                                   "recurring", "subscription"]
    static let recurringPhraseBytes = recurringPhrases.map { Array($0.utf8) }

    /// The first sign of recurring terms in `v`, or nil (keys compared by bytes, text
    /// searched as ASCII-lowercased bytes).
    static func recurringHit(_ v: JSONValue, depth: Int) -> String? {
        guard depth <= maxDepth else { return nil }
        switch v {
        case .object(let o):
            for (k, x) in o.entries {
                let kb = Array(k.utf8)
                if recurringFlags.contains(kb), x == .bool(true) { return k }
                if intervalKeys.contains(kb), case .string(let s) = x, !oneTimeWords.contains(RiskText.asciiLowerBytes(s)) {
                    return "\(k)=\(s)"
                }
                if RiskText.same(k, "terms") || RiskText.same(k, "description"), case .string(let s) = x {
                    let l = RiskText.asciiLowerBytes(s)
                    if let i = recurringPhraseBytes.firstIndex(where: { RiskText.containsBytes(l, $0) }) {
                        return recurringPhrases[i]
                    }
                }
                if let hit = recurringHit(x, depth: depth + 1) { return hit }
            }
        case .array(let a):
            for x in a { if let hit = recurringHit(x, depth: depth + 1) { return hit } }
        default: break
        }
        return nil
    }

    /// Every value stored under `key` anywhere in `v` (depth-limited).
    static func collect(key: String, in v: JSONValue, depth: Int, into out: inout [JSONValue]) {
        guard depth <= maxDepth else { return }
        switch v {
        case .object(let o):
            for (k, x) in o.entries {
                if RiskText.same(k, key) { out.append(x) }
                collect(key: key, in: x, depth: depth + 1, into: &out)
            }
        case .array(let a):
            for x in a { collect(key: key, in: x, depth: depth + 1, into: &out) }
        default: break
        }
    }

    /// Bound values are equal when the JSON values are equal; two EVM addresses compare
    /// case-insensitively.
    static func boundEqual(_ a: JSONValue, _ b: JSONValue) -> Bool {
        if case .string(let x) = a, case .string(let y) = b, PaymentEvidenceCompare.evm(x, y) { return true }
        return a == b
    }

    /// Attribute values compare lowercased with whitespace removed (`24 GB` == `24gb`).
    static func attributeText(_ v: JSONValue) -> String {
        let s = v.stringValue ?? v.serializedString(.compact)
        return String(decoding: s.utf8.filter { !RiskText.isPythonASCIISpace($0) }.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
    }

    static func display(_ v: JSONValue) -> String { v.stringValue ?? v.serializedString(.compact) }
}

/// URL normalisation for plan matching: scheme and host lowercased, the default port
/// (`:443` for https, `:80` for http) dropped, an empty path written `/`, the fragment
/// dropped; path and query kept byte for byte. A URL starting with `/` is resolved
/// against the paid resource's origin.
enum MandateURL {
    static func split(_ url: String) -> (scheme: String, authority: String, rest: String)? {
        let b = Array(url.utf8)
        guard let colon = b.firstIndex(of: UInt8(ascii: ":")), colon > 0, b.count >= colon + 3,
            b[colon + 1] == UInt8(ascii: "/"), b[colon + 2] == UInt8(ascii: "/")
        else { return nil }
        let scheme = String(decoding: b[0..<colon], as: UTF8.self).lowercased()
        let start = colon + 3
        var end = start
        while end < b.count, b[end] != UInt8(ascii: "/"), b[end] != UInt8(ascii: "?"), b[end] != UInt8(ascii: "#") { end += 1 }
        guard end > start else { return nil }
        var authority = String(decoding: b[start..<end], as: UTF8.self).lowercased()
        if scheme == "https", authority.hasSuffix(":443") { authority.removeLast(4) }
        if scheme == "http", authority.hasSuffix(":80") { authority.removeLast(3) }
        var rest = Array(b[end...])
        if let hash = rest.firstIndex(of: UInt8(ascii: "#")) { rest = Array(rest[..<hash]) }
        var r = String(decoding: rest, as: UTF8.self)
        if r.isEmpty || r.hasPrefix("?") { r = "/" + r }
        return (scheme, authority, r)
    }

    static func origin(of url: String) -> String? {
        split(url).map { "\($0.scheme)://\($0.authority)" }
    }

    static func normalize(_ url: String, base: String?) -> String? {
        if url.hasPrefix("/"), !url.hasPrefix("//"), let base { return normalize(base + url, base: nil) }
        return split(url).map { "\($0.scheme)://\($0.authority)\($0.rest)" }
    }
}
