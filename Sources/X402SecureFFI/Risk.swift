// Exported C functions for the x402-secure risk layer (include/x402_secure.h, section
// "x402-secure risk layer"). Glue only: JSON in, JSON out; every rule lives in
// Sources/X402Secure/Risk. Request and options objects are checked for unknown members
// so a misspelt key fails loudly instead of being ignored.
import CX402Secure
import X402Secure

/// Largest agent trace (or document carrying one) accepted here: X402S_RISK_MAX_TRACE_BYTES.
let riskTraceLimit = Int(X402S_RISK_MAX_TRACE_BYTES)

// MARK: - input helpers

/// A JSON document of at most 8 MiB (agent traces and the requests carrying them).
@inline(__always)
func riskJSONInput(_ pointer: UnsafePointer<UInt8>?, _ length: Int, _ name: StaticString) throws(X402SError) -> JSONValue {
    try JSONValue.parse(try boundedInput(pointer, length, name, limit: riskTraceLimit),
                        limits: JSONLimits(maxBytes: riskTraceLimit))
}

/// A risk header value: longer than `maxLength` bytes is RISK_HEADER_TOO_LONG (before
/// any other check, as the gateway counts bytes first); then it must be UTF-8.
@inline(__always)
func riskHeaderInput(
    _ pointer: UnsafePointer<UInt8>?, _ length: Int, _ name: StaticString, maxLength: Int, header: String
) throws(X402SError) -> String {
    let raw = try input(pointer, length, name)
    guard raw.count <= maxLength else {
        throw X402SError(.riskHeaderTooLong, "\(header) is \(raw.count) bytes; the limit is \(maxLength)")
    }
    return try textInput(pointer, length, name, limit: maxLength)
}

/// A risk session or trace id: anything longer than any UUID form is not a UUID.
@inline(__always)
func riskIdInput(_ pointer: UnsafePointer<UInt8>?, _ length: Int, _ name: StaticString) throws(X402SError) -> String {
    guard try input(pointer, length, name).count <= 4096 else {
        throw X402SError(.riskInvalidUUID, "\(name) is too long to be a UUID")
    }
    return try textInput(pointer, length, name, limit: 4096)
}

/// The members of a JSON object input, refusing members not in `allowed`.
func riskObject(_ value: JSONValue, _ what: String, allowed: [String], status: X402SStatus = .invalidArgument) throws(X402SError) -> JSONObject {
    guard case .object(let o) = value else {
        throw X402SError(status, "\(what) must be a JSON object")
    }
    for key in o.keys where !allowed.contains(key) {
        throw X402SError(status, "\(what) has an unknown member (allowed: \(allowed.joined(separator: ", ")))")
    }
    return o
}

/// The options object (NULL with length 0: empty).
func riskOptions(_ pointer: UnsafePointer<UInt8>?, _ length: Int, allowed: [String]) throws(X402SError) -> JSONObject {
    guard let v = try optionalJSONInput(pointer, length, "options_json") else { return JSONObject() }
    return try riskObject(v, "options_json", allowed: allowed)
}

/// A required string member.
func riskString(_ o: JSONObject, _ key: String, _ what: String, status: X402SStatus = .invalidArgument) throws(X402SError) -> String {
    guard case .string(let s)? = o[key] else {
        throw X402SError(status, "\(what) needs a string '\(key)'")
    }
    return s
}

/// An optional string member (absent or null: nil).
func riskOptionalString(_ o: JSONObject, _ key: String, _ what: String, status: X402SStatus = .invalidArgument) throws(X402SError) -> String? {
    switch o[key] {
    case nil, .null?: return nil
    case .string(let s)?: return s
    default: throw X402SError(status, "\(what) '\(key)' must be a string")
    }
}

/// An optional object member (absent or null: nil).
func riskOptionalObject(_ o: JSONObject, _ key: String, _ what: String, status: X402SStatus) throws(X402SError) -> JSONObject? {
    switch o[key] {
    case nil, .null?: return nil
    case .object(let v)?: return v
    default: throw X402SError(status, "\(what) '\(key)' must be an object")
    }
}

/// `now` of an options object as Unix seconds (default: the clock).
func riskNow(_ options: JSONObject) throws(X402SError) -> Int64 {
    guard let v = options["now"] else { return RiskClock.nowUnix() }
    guard let n = v.int64Value else {
        throw X402SError(.invalidArgument, "options_json 'now' must be an integer (Unix seconds)")
    }
    return n
}

/// `now` as an unsigned time (evidence windows are unsigned).
func riskNowUnsigned(_ options: JSONObject) throws(X402SError) -> UInt64 {
    guard let v = options["now"] else { return UInt64(max(0, RiskClock.nowUnix())) }
    guard let n = v.uint64Value else {
        throw X402SError(.invalidArgument, "options_json 'now' must be a non-negative integer (Unix seconds)")
    }
    return n
}

/// A random source reading injected bytes in order; short when they run out (which the
/// core reports as RANDOMNESS_FAILED).
final class RiskInjectedRandom {
    let bytes: [UInt8]
    var position = 0
    init(_ bytes: [UInt8]) { self.bytes = bytes }

    func draw(_ count: Int) -> [UInt8] {
        guard count > 0, position < bytes.count else { return [] }
        let end = bytes.count - position < count ? bytes.count : position + count
        defer { position = end }
        return Array(bytes[position..<end])
    }
}

/// The random source of an options object: "random" (0x-hex bytes) or the CSPRNG.
func riskRandom(_ options: JSONObject) throws(X402SError) -> RiskRandomSource {
    guard let v = options["random"] else { return SecureRandom.bytes }
    guard case .string(let hex) = v, let bytes = try? Hex.decode(hex, requirePrefix: true) else {
        throw X402SError(.invalidArgument, "options_json 'random' must be 0x-prefixed hex")
    }
    let stream = RiskInjectedRandom(bytes)
    return { (n: Int) throws(X402SError) -> [UInt8] in stream.draw(n) }
}

/// Trace flags from options: two lowercase hex digits or an integer 0...255.
func riskFlags(_ options: JSONObject) throws(X402SError) -> UInt8? {
    switch options["flags"] {
    case nil: return nil
    case .string(let s)?:
        let b = Array(s.utf8)
        guard b.count == 2, b.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }),
            let v = UInt8(s, radix: 16)
        else {
            throw X402SError(.invalidArgument, "options_json 'flags' must be two lowercase hex digits")
        }
        return v
    case let v?:
        guard let n = v.uint64Value, n <= 255 else {
            throw X402SError(.invalidArgument, "options_json 'flags' must be 0...255")
        }
        return UInt8(n)
    }
}

/// The signing algorithm of a key kind.
func riskAlgorithm(_ keyKind: UInt32) throws(X402SError) -> PaymentEvidenceAlgorithm {
    switch keyKind {
    case X402S_KEY_SECP256K1: return .secp256k1
    case X402S_KEY_ED25519_SEED: return .ed25519
    default: throw X402SError(.invalidArgument, "unknown key kind")
    }
}

/// "0x" + lowercase hex.
@inline(__always)
func riskHex(_ bytes: [UInt8]) -> JSONValue { .string(Hex.encode(bytes)) }

// MARK: - X-PAYMENT-SECURE and ids

@c @implementation
public func x402s_risk_traceparent(
    _ out: UnsafeMutablePointer<UInt8>?, _ out_cap: Int, _ out_len: UnsafeMutablePointer<Int>?,
    _ parent: UnsafePointer<UInt8>?, _ parent_len: Int,
    _ options_json: UnsafePointer<UInt8>?, _ options_json_len: Int,
    _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        let options = try riskOptions(options_json, options_json_len, allowed: ["flags", "random"])
        let parentText = try optionalTextInput(parent, parent_len, "parent")
        let flags = try riskFlags(options)
        let random = try riskRandom(options)
        let tp: Traceparent
        if let parentText {
            tp = try Traceparent(parsing: parentText).child(flags: flags, random: random)
        } else {
            tp = try Traceparent.generate(flags: flags ?? Traceparent.sampledFlag, random: random)
        }
        try writeJSON(tp.json, out, out_cap, out_len)
    }
}

@c @implementation
public func x402s_risk_build_secure_header(
    _ out: UnsafeMutablePointer<UInt8>?, _ out_cap: Int, _ out_len: UnsafeMutablePointer<Int>?,
    _ traceparent: UnsafePointer<UInt8>?, _ traceparent_len: Int,
    _ context_json: UnsafePointer<UInt8>?, _ context_json_len: Int,
    _ tracestate: UnsafePointer<UInt8>?, _ tracestate_len: Int,
    _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        guard try input(traceparent, traceparent_len, "traceparent").count <= 256 else {
            throw X402SError(.riskInvalidTraceparent, "traceparent is too long")
        }
        let tp = try Traceparent(parsing: try textInput(traceparent, traceparent_len, "traceparent", limit: 256))
        let context = try optionalJSONInput(context_json, context_json_len, "context_json")
        let state = try optionalTextInput(tracestate, tracestate_len, "tracestate")
        let value = try PaymentSecureHeader.build(traceparent: tp, agentTraceContext: context, tracestate: state)
        try writeText(value, out, out_cap, out_len, "out")
    }
}

@c @implementation
public func x402s_risk_parse_secure_header(
    _ out: UnsafeMutablePointer<UInt8>?, _ out_cap: Int, _ out_len: UnsafeMutablePointer<Int>?,
    _ value: UnsafePointer<UInt8>?, _ value_len: Int,
    _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        let text = try riskHeaderInput(value, value_len, "value", maxLength: PaymentSecureHeader.maxLength,
                                       header: PaymentSecureHeader.headerName)
        try writeJSON(try PaymentSecureHeader.parse(text).json, out, out_cap, out_len)
    }
}

@c @implementation
public func x402s_risk_secure_header_context(
    _ out: UnsafeMutablePointer<UInt8>?, _ out_cap: Int, _ out_len: UnsafeMutablePointer<Int>?,
    _ value: UnsafePointer<UInt8>?, _ value_len: Int,
    _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        let text = try riskHeaderInput(value, value_len, "value", maxLength: PaymentSecureHeader.maxLength,
                                       header: PaymentSecureHeader.headerName)
        let context = try PaymentSecureHeader.parse(text).agentTraceContext()
        try writeJSON(context ?? .null, out, out_cap, out_len)
    }
}

@c @implementation
public func x402s_risk_normalize_uuid(
    _ out: UnsafeMutablePointer<UInt8>?, _ out_cap: Int, _ out_len: UnsafeMutablePointer<Int>?,
    _ value: UnsafePointer<UInt8>?, _ value_len: Int,
    _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        let text = try riskIdInput(value, value_len, "value")
        try writeText(try RiskUUID.normalize(text), out, out_cap, out_len, "out")
    }
}

@c @implementation
public func x402s_risk_ids(
    _ out: UnsafeMutablePointer<UInt8>?, _ out_cap: Int, _ out_len: UnsafeMutablePointer<Int>?,
    _ session: UnsafePointer<UInt8>?, _ session_len: Int,
    _ trace: UnsafePointer<UInt8>?, _ trace_len: Int,
    _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        let ids = try RiskIds(session: try riskIdInput(session, session_len, "session"),
                              trace: try riskIdInput(trace, trace_len, "trace"))
        let result = JSONObject([("sid", .string(ids.sid)), ("tid", ids.tid.map(JSONValue.string) ?? .null)])
        try writeJSON(.object(result), out, out_cap, out_len)
    }
}

// MARK: - X-AP2-EVIDENCE and X-VERIFIABLE-INTENT

@c @implementation
public func x402s_risk_build_ap2_evidence(
    _ out: UnsafeMutablePointer<UInt8>?, _ out_cap: Int, _ out_len: UnsafeMutablePointer<Int>?,
    _ mandate_ref: UnsafePointer<UInt8>?, _ mandate_ref_len: Int,
    _ mandate: UnsafePointer<UInt8>?, _ mandate_len: Int,
    _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        let ref = try textInput(mandate_ref, mandate_ref_len, "mandate_ref", limit: AP2EvidenceHeader.maxLength + 1)
        let bytes = Array(try input(mandate, mandate_len, "mandate"))
        try writeText(try AP2EvidenceHeader.build(mandateRef: ref, mandate: bytes), out, out_cap, out_len, "out")
    }
}

@c @implementation
public func x402s_risk_build_ap2_evidence_digest(
    _ out: UnsafeMutablePointer<UInt8>?, _ out_cap: Int, _ out_len: UnsafeMutablePointer<Int>?,
    _ mandate_ref: UnsafePointer<UInt8>?, _ mandate_ref_len: Int,
    _ mandate_sha256: UnsafePointer<UInt8>?, _ mandate_sha256_len: Int,
    _ mandate_size: UInt64,
    _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        let ref = try textInput(mandate_ref, mandate_ref_len, "mandate_ref", limit: AP2EvidenceHeader.maxLength + 1)
        let ms = try textInput(mandate_sha256, mandate_sha256_len, "mandate_sha256", limit: 256)
        let value = try AP2EvidenceHeader.build(mandateRef: ref, mandateSHA256: ms, size: mandate_size)
        try writeText(value, out, out_cap, out_len, "out")
    }
}

@c @implementation
public func x402s_risk_parse_ap2_evidence(
    _ out: UnsafeMutablePointer<UInt8>?, _ out_cap: Int, _ out_len: UnsafeMutablePointer<Int>?,
    _ value: UnsafePointer<UInt8>?, _ value_len: Int,
    _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        let text = try riskHeaderInput(value, value_len, "value", maxLength: AP2EvidenceHeader.maxLength,
                                       header: AP2EvidenceHeader.headerName)
        try writeJSON(try AP2EvidenceHeader.parse(text).json, out, out_cap, out_len)
    }
}

@c @implementation
public func x402s_risk_ap2_evidence_matches(
    _ value: UnsafePointer<UInt8>?, _ value_len: Int,
    _ mandate: UnsafePointer<UInt8>?, _ mandate_len: Int,
    _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        let text = try riskHeaderInput(value, value_len, "value", maxLength: AP2EvidenceHeader.maxLength,
                                       header: AP2EvidenceHeader.headerName)
        let header = try AP2EvidenceHeader.parse(text)
        guard header.matches(mandate: Array(try input(mandate, mandate_len, "mandate"))) else {
            throw X402SError(.riskEvidenceMismatch, "the mandate does not have the announced SHA-256 and size")
        }
    }
}

@c @implementation
public func x402s_risk_build_verifiable_intent(
    _ out: UnsafeMutablePointer<UInt8>?, _ out_cap: Int, _ out_len: UnsafeMutablePointer<Int>?,
    _ reference: UnsafePointer<UInt8>?, _ reference_len: Int,
    _ evidence: UnsafePointer<UInt8>?, _ evidence_len: Int,
    _ media_type: UnsafePointer<UInt8>?, _ media_type_len: Int, _ flags: UInt32,
    _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        let ref = try textInput(reference, reference_len, "reference", limit: VerifiableIntentHeader.maxLength + 1)
        let mt = try optionalTextInput(media_type, media_type_len, "media_type") ?? "application/json"
        let value: String
        switch flags {
        case X402S_RISK_EVIDENCE_RAW:
            value = try VerifiableIntentHeader.build(
                reference: ref, evidence: Array(try input(evidence, evidence_len, "evidence")), mediaType: mt)
        case X402S_RISK_EVIDENCE_JSON:
            value = try VerifiableIntentHeader.build(
                reference: ref, evidence: try riskJSONInput(evidence, evidence_len, "evidence"), mediaType: mt)
        default:
            throw X402SError(.invalidArgument, "unknown flags")
        }
        try writeText(value, out, out_cap, out_len, "out")
    }
}

@c @implementation
public func x402s_risk_parse_verifiable_intent(
    _ out: UnsafeMutablePointer<UInt8>?, _ out_cap: Int, _ out_len: UnsafeMutablePointer<Int>?,
    _ value: UnsafePointer<UInt8>?, _ value_len: Int,
    _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        let text = try riskHeaderInput(value, value_len, "value", maxLength: VerifiableIntentHeader.maxLength,
                                       header: VerifiableIntentHeader.headerName)
        try writeJSON(try VerifiableIntentHeader.parse(text).json, out, out_cap, out_len)
    }
}

@c @implementation
public func x402s_risk_verifiable_intent_matches(
    _ value: UnsafePointer<UInt8>?, _ value_len: Int,
    _ evidence: UnsafePointer<UInt8>?, _ evidence_len: Int,
    _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        let text = try riskHeaderInput(value, value_len, "value", maxLength: VerifiableIntentHeader.maxLength,
                                       header: VerifiableIntentHeader.headerName)
        let header = try VerifiableIntentHeader.parse(text)
        guard header.matches(evidence: Array(try input(evidence, evidence_len, "evidence"))) else {
            throw X402SError(.riskEvidenceMismatch, "the evidence does not have the announced SHA-256 and size")
        }
    }
}

@c @implementation
public func x402s_risk_canonical_json(
    _ out: UnsafeMutablePointer<UInt8>?, _ out_cap: Int, _ out_len: UnsafeMutablePointer<Int>?,
    _ json: UnsafePointer<UInt8>?, _ json_len: Int,
    _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        let value = try riskJSONInput(json, json_len, "json")
        try writeVariable(CanonicalJSON.bytes(value), out, out_cap, out_len, "out")
    }
}

// MARK: - agent traces and gateway bodies

/// Builds one event from its spec (see x402s_risk_trace_event in the header).
func riskTraceEvent(_ spec: JSONValue) throws(X402SError) -> AgentTraceEvent {
    let bad = X402SStatus.riskInvalidTrace
    guard case .object(var o) = spec else {
        throw X402SError(bad, "an event spec must be a JSON object")
    }
    guard case .string(let type)? = o.removeValue(forKey: "type") else {
        throw X402SError(bad, "an event spec needs a string 'type'")
    }
    var ts = RiskClock.nowSeconds()
    if let t = o.removeValue(forKey: "ts") {
        guard let text = t.numberText, let seconds = Double(text) else {
            throw X402SError(bad, "an event 'ts' must be a number (Unix seconds)")
        }
        ts = seconds
    }
    func only(_ keys: [String]) throws(X402SError) {
        _ = try riskObject(.object(o), "a \(type) event spec", allowed: keys, status: bad)
    }
    func text(_ key: String, _ fallback: String? = nil) throws(X402SError) -> String {
        if let s = try riskOptionalString(o, key, "a \(type) event", status: bad) { return s }
        guard let fallback else { throw X402SError(bad, "a \(type) event needs a string '\(key)'") }
        return fallback
    }
    switch type {
    case "user_input":
        try only(["content", "role"])
        return try .userInput(try text("content"), role: try text("role", "user"), ts: ts)
    case "system_prompt":
        try only(["content", "version"])
        return try .systemPrompt(try text("content"), version: try text("version", "v1.0"), ts: ts)
    case "agent_output":
        try only(["content", "role"])
        return try .agentOutput(try text("content"), role: try text("role", "assistant"), ts: ts)
    case "tool_call":
        try only(["name", "args", "kwargs"])
        var args: [JSONValue] = []
        switch o["args"] {
        case nil, .null?: break
        case .array(let a)?: args = a
        default: throw X402SError(bad, "a tool_call event 'args' must be an array")
        }
        let kwargs = try riskOptionalObject(o, "kwargs", "a tool_call event", status: bad) ?? JSONObject()
        return try .toolCall(name: try text("name"), args: args, kwargs: kwargs, ts: ts)
    case "tool_result":
        try only(["name", "result"])
        return try .toolResult(name: try text("name"), result: o["result"] ?? .null, ts: ts)
    case "function_call":
        try only(["name", "call_id", "arguments"])
        return try .functionCall(name: try text("name"), callId: try riskOptionalString(o, "call_id", "a function_call event", status: bad),
                                 argumentsJSON: try text("arguments", ""), ts: ts)
    case "reasoning_summary":
        try only(["text"])
        return try .reasoningSummary(try text("text"), ts: ts)
    default:
        return try .custom(type: type, fields: o, ts: ts)
    }
}

/// `{"trace": ..., "digest": "0x..."}`.
func riskTraceResult(_ trace: AgentTrace) -> JSONValue {
    .object(JSONObject([("trace", trace.json), ("digest", riskHex(trace.digest))]))
}

@c @implementation
public func x402s_risk_trace_event(
    _ out: UnsafeMutablePointer<UInt8>?, _ out_cap: Int, _ out_len: UnsafeMutablePointer<Int>?,
    _ spec_json: UnsafePointer<UInt8>?, _ spec_json_len: Int,
    _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        let event = try riskTraceEvent(try jsonInput(spec_json, spec_json_len, "spec_json"))
        try writeJSON(event.json, out, out_cap, out_len)
    }
}

@c @implementation
public func x402s_risk_agent_trace_build(
    _ out: UnsafeMutablePointer<UInt8>?, _ out_cap: Int, _ out_len: UnsafeMutablePointer<Int>?,
    _ trace_json: UnsafePointer<UInt8>?, _ trace_json_len: Int,
    _ options_json: UnsafePointer<UInt8>?, _ options_json_len: Int,
    _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        let bad = X402SStatus.riskInvalidTrace
        let options = try riskOptions(options_json, options_json_len, allowed: ["nowMicros", "eventOrder"])
        let o = try riskObject(
            try riskJSONInput(trace_json, trace_json_len, "trace_json"), "trace_json",
            allowed: ["task", "parameters", "environment", "events", "model_config", "session_context", "completed_at"],
            status: bad)
        let task = try riskString(o, "task", "an agent trace", status: bad)
        guard case .object(let parameters)? = o["parameters"] else {
            throw X402SError(bad, "an agent trace needs an object 'parameters'")
        }
        var events: [AgentTraceEvent]?
        switch o["events"] {
        case nil, .null?: events = nil
        case .array(let list)?:
            var built: [AgentTraceEvent] = []
            for e in list { built.append(try AgentTraceEvent(json: e)) }
            events = built
        default: throw X402SError(bad, "agent trace 'events' must be an array")
        }
        switch options["eventOrder"] {
        case nil, .string("recorded")?: break
        case .string("collector")?:
            // 0.1.4's OpenAITraceCollector inserts user inputs and system prompts at the
            // front and appends everything else (AgentTraceCollector keeps the same rule).
            var ordered: [AgentTraceEvent] = []
            for e in events ?? [] {
                if e.type == "user_input" || e.type == "system_prompt" { ordered.insert(e, at: 0) } else { ordered.append(e) }
            }
            if events != nil { events = ordered }
        default:
            throw X402SError(.invalidArgument, "options_json 'eventOrder' must be \"recorded\" or \"collector\"")
        }
        var completedAt = try riskOptionalString(o, "completed_at", "an agent trace", status: bad)
        if completedAt == nil {
            if let m = options["nowMicros"] {
                guard let micros = m.int64Value else {
                    throw X402SError(.invalidArgument, "options_json 'nowMicros' must be an integer")
                }
                completedAt = try RiskClock.isoformatUTC(micros: micros)
            } else {
                completedAt = RiskClock.isoformatNow()
            }
        }
        let trace = AgentTrace(
            task: task, parameters: parameters,
            environment: try riskOptionalObject(o, "environment", "an agent trace", status: bad),
            events: events,
            modelConfig: try riskOptionalObject(o, "model_config", "an agent trace", status: bad),
            sessionContext: try riskOptionalObject(o, "session_context", "an agent trace", status: bad),
            completedAt: completedAt ?? RiskClock.isoformatNow())
        try writeJSON(riskTraceResult(trace), out, out_cap, out_len)
    }
}

@c @implementation
public func x402s_risk_agent_trace_parse(
    _ out: UnsafeMutablePointer<UInt8>?, _ out_cap: Int, _ out_len: UnsafeMutablePointer<Int>?,
    _ trace_json: UnsafePointer<UInt8>?, _ trace_json_len: Int,
    _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        let trace = try AgentTrace(json: try riskJSONInput(trace_json, trace_json_len, "trace_json"))
        try writeJSON(riskTraceResult(trace), out, out_cap, out_len)
    }
}

@c @implementation
public func x402s_risk_session_request(
    _ out: UnsafeMutablePointer<UInt8>?, _ out_cap: Int, _ out_len: UnsafeMutablePointer<Int>?,
    _ request_json: UnsafePointer<UInt8>?, _ request_json_len: Int,
    _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        let what = "request_json"
        let o = try riskObject(
            try jsonInput(request_json, request_json_len, "request_json"), what,
            allowed: ["wallet_address", "agent_did", "agent_endpoint", "app_id", "device"])
        let body = try RiskGateway.sessionRequest(
            walletAddress: try riskString(o, "wallet_address", what, status: .invalidAddress),
            agentDid: try riskOptionalString(o, "agent_did", what),
            agentEndpoint: try riskOptionalString(o, "agent_endpoint", what),
            appId: try riskOptionalString(o, "app_id", what),
            device: o["device"])
        try writeJSON(body, out, out_cap, out_len)
    }
}

@c @implementation
public func x402s_risk_trace_request(
    _ out: UnsafeMutablePointer<UInt8>?, _ out_cap: Int, _ out_len: UnsafeMutablePointer<Int>?,
    _ request_json: UnsafePointer<UInt8>?, _ request_json_len: Int,
    _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        let what = "request_json"
        let o = try riskObject(
            try riskJSONInput(request_json, request_json_len, "request_json"), what,
            allowed: ["sid", "agent_trace", "fingerprint", "telemetry"])
        var trace: AgentTrace?
        if let t = o["agent_trace"], !t.isNull { trace = try AgentTrace(json: t) }
        let body = try RiskGateway.traceRequest(
            sid: try riskString(o, "sid", what, status: .riskInvalidUUID), agentTrace: trace,
            fingerprint: o["fingerprint"], telemetry: o["telemetry"])
        try writeJSON(body, out, out_cap, out_len)
    }
}

@c @implementation
public func x402s_risk_parse_gateway_answer(
    _ out: UnsafeMutablePointer<UInt8>?, _ out_cap: Int, _ out_len: UnsafeMutablePointer<Int>?,
    _ kind: UInt32,
    _ body: UnsafePointer<UInt8>?, _ body_len: Int,
    _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        let bytes = Array(try boundedInput(body, body_len, "body", limit: maxDocument))
        let result: JSONValue
        switch kind {
        case X402S_RISK_ANSWER_SESSION:
            let a = try RiskGateway.parseSessionAnswer(bytes)
            result = .object(JSONObject([("sid", .string(a.sid)), ("expires_at", a.expiresAt.map(JSONValue.string) ?? .null)]))
        case X402S_RISK_ANSWER_TRACE:
            result = .object(JSONObject([("tid", .string(try RiskGateway.parseTraceAnswer(bytes)))]))
        case X402S_RISK_ANSWER_ERROR:
            if let a = RiskGateway.parseErrorAnswer(bytes) {
                result = .object(JSONObject([
                    ("code", a.code.map(JSONValue.string) ?? .null), ("message", .string(a.message)),
                    ("request_id", a.requestId.map(JSONValue.string) ?? .null),
                ]))
            } else {
                result = .null
            }
        default:
            throw X402SError(.invalidArgument, "unknown answer kind")
        }
        try writeJSON(result, out, out_cap, out_len)
    }
}

@c @implementation
public func x402s_risk_check_content_type(
    _ value: UnsafePointer<UInt8>?, _ value_len: Int,
    _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        let text = try textInput(value, value_len, "value", limit: 4096)
        guard RiskGateway.isJSONContentType(text) else {
            throw X402SError(.invalidJSON, "the gateway answer is not application/json")
        }
    }
}

// MARK: - payment evidence

@c @implementation
public func x402s_risk_evidence_build(
    _ out: UnsafeMutablePointer<UInt8>?, _ out_cap: Int, _ out_len: UnsafeMutablePointer<Int>?,
    _ request_json: UnsafePointer<UInt8>?, _ request_json_len: Int,
    _ options_json: UnsafePointer<UInt8>?, _ options_json_len: Int,
    _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        let what = "request_json"
        let options = try riskOptions(options_json, options_json_len, allowed: ["now"])
        let o = try riskObject(
            try riskJSONInput(request_json, request_json_len, "request_json"), what,
            allowed: ["paymentHeader", "requirement", "origin", "resource", "riskSessionId", "riskTraceId",
                      "agentTrace", "payer", "validFor"])
        guard let req = o["requirement"] else { throw X402SError(.invalidArgument, "\(what) needs a 'requirement'") }
        var trace: AgentTrace?
        if let t = o["agentTrace"], !t.isNull { trace = try AgentTrace(json: t) }
        var validFor = PaymentEvidence.defaultValiditySeconds
        if let v = o["validFor"] {
            guard let n = v.uint64Value else {
                throw X402SError(.invalidArgument, "\(what) 'validFor' must be a non-negative integer (seconds)")
            }
            validFor = n
        }
        let evidence = try PaymentEvidence(
            paymentHeader: try riskString(o, "paymentHeader", what), requirement: try X402Requirement(json: req),
            origin: try riskString(o, "origin", what), resource: try riskString(o, "resource", what),
            riskSessionId: try riskString(o, "riskSessionId", what, status: .riskInvalidUUID),
            riskTraceId: try riskOptionalString(o, "riskTraceId", what), agentTrace: trace,
            payer: try riskOptionalString(o, "payer", what), validFor: validFor, now: try riskNowUnsigned(options))
        let result = JSONObject([
            ("message", evidence.json), ("digest", riskHex(evidence.digest)), ("typedData", evidence.typedData),
        ])
        try writeJSON(.object(result), out, out_cap, out_len)
    }
}

@c @implementation
public func x402s_risk_evidence_sign(
    _ out: UnsafeMutablePointer<UInt8>?, _ out_cap: Int, _ out_len: UnsafeMutablePointer<Int>?,
    _ message_json: UnsafePointer<UInt8>?, _ message_json_len: Int,
    _ key32: UnsafePointer<UInt8>?, _ key32_len: Int, _ key_kind: UInt32,
    _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        let evidence = try PaymentEvidence(json: try jsonInput(message_json, message_json_len, "message_json"))
        let key = try fixedInput(key32, key32_len, 32, "key32")
        let value: String
        switch try riskAlgorithm(key_kind) {
        case .secp256k1: value = try PaymentEvidenceHeader.sign(evidence, evmKey: try Secp256k1.PrivateKey(bytes: key))
        case .ed25519: value = try PaymentEvidenceHeader.sign(evidence, solanaKey: try Ed25519.KeyPair(seed: key))
        }
        try writeText(value, out, out_cap, out_len, "out")
    }
}

@c @implementation
public func x402s_risk_evidence_assemble(
    _ out: UnsafeMutablePointer<UInt8>?, _ out_cap: Int, _ out_len: UnsafeMutablePointer<Int>?,
    _ message_json: UnsafePointer<UInt8>?, _ message_json_len: Int,
    _ signature: UnsafePointer<UInt8>?, _ signature_len: Int, _ key_kind: UInt32,
    _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        let evidence = try PaymentEvidence(json: try jsonInput(message_json, message_json_len, "message_json"))
        let sig = Array(try input(signature, signature_len, "signature"))
        let algorithm = try riskAlgorithm(key_kind)
        let value = try PaymentEvidenceHeader.assemble(evidence, algorithm: algorithm, signature: sig)
        // Fail closed: only the payer's own signature makes a header.
        let signedByPayer: Bool
        switch algorithm {
        case .secp256k1:
            let signer = try? Secp256k1.recoverAddress(digest: evidence.digest, signature: sig)
            signedByPayer = signer.map { $0.lowercased == evidence.payer.lowercased() } ?? false
        case .ed25519:
            if let pk = try? Base58.decode(evidence.payer), pk.count == 32 {
                signedByPayer = (try? Ed25519.verify(signature: sig, message: evidence.digest, publicKey: pk)) == true
            } else {
                signedByPayer = false
            }
        }
        guard signedByPayer else {
            throw X402SError(.riskEvidenceMismatch, "the signature is not the evidence payer's")
        }
        try writeText(value, out, out_cap, out_len, "out")
    }
}

@c @implementation
public func x402s_risk_evidence_parse(
    _ out: UnsafeMutablePointer<UInt8>?, _ out_cap: Int, _ out_len: UnsafeMutablePointer<Int>?,
    _ header: UnsafePointer<UInt8>?, _ header_len: Int,
    _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        let text = try riskHeaderInput(header, header_len, "header", maxLength: PaymentEvidenceHeader.maxLength,
                                       header: PaymentEvidenceHeader.headerName)
        let h = try PaymentEvidenceHeader.parse(text)
        let result = JSONObject([
            ("alg", .string(h.algorithm.rawValue)), ("message", h.evidence.json),
            ("signature", riskHex(h.signature)), ("digest", riskHex(h.evidence.digest)),
        ])
        try writeJSON(.object(result), out, out_cap, out_len)
    }
}

@c @implementation
public func x402s_risk_evidence_verify(
    _ out: UnsafeMutablePointer<UInt8>?, _ out_cap: Int, _ out_len: UnsafeMutablePointer<Int>?,
    _ header: UnsafePointer<UInt8>?, _ header_len: Int,
    _ expectation_json: UnsafePointer<UInt8>?, _ expectation_json_len: Int,
    _ options_json: UnsafePointer<UInt8>?, _ options_json_len: Int,
    _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        let what = "expectation_json"
        let options = try riskOptions(options_json, options_json_len, allowed: ["now"])
        let text = try riskHeaderInput(header, header_len, "header", maxLength: PaymentEvidenceHeader.maxLength,
                                       header: PaymentEvidenceHeader.headerName)
        let o = try riskObject(
            try jsonInput(expectation_json, expectation_json_len, "expectation_json"), what,
            allowed: ["paymentHeader", "requirement", "origin", "resource", "riskSessionId", "riskTraceId",
                      "agentTraceDigest", "payer"])
        guard let req = o["requirement"] else { throw X402SError(.invalidArgument, "\(what) needs a 'requirement'") }
        var digest: [UInt8]?
        if let d = try riskOptionalString(o, "agentTraceDigest", what) {
            guard d.utf8.count == 66, let b = try? Hex.decode(d, requirePrefix: true), b.count == 32 else {
                throw X402SError(.invalidArgument, "\(what) 'agentTraceDigest' must be 0x + 64 hex digits")
            }
            digest = b
        }
        let expectation = try PaymentEvidenceExpectation(
            paymentHeader: try riskString(o, "paymentHeader", what), requirement: try X402Requirement(json: req),
            origin: try riskString(o, "origin", what), resource: try riskString(o, "resource", what),
            riskSessionId: try riskString(o, "riskSessionId", what, status: .riskInvalidUUID),
            riskTraceId: try riskOptionalString(o, "riskTraceId", what), agentTraceDigest: digest,
            payer: try riskOptionalString(o, "payer", what))
        let result = try PaymentEvidenceHeader.verify(text, against: expectation, now: try riskNowUnsigned(options))
        try writeJSON(result.json, out, out_cap, out_len)
        guard result.isValid else {
            throw X402SError(.riskEvidenceMismatch, "the payment evidence does not hold: \(result.reasons.joined(separator: ", "))")
        }
    }
}

// MARK: - mandate gate

@c @implementation
public func x402s_risk_mandate_evaluate(
    _ out: UnsafeMutablePointer<UInt8>?, _ out_cap: Int, _ out_len: UnsafeMutablePointer<Int>?,
    _ mandate_json: UnsafePointer<UInt8>?, _ mandate_json_len: Int,
    _ requirement_json: UnsafePointer<UInt8>?, _ requirement_json_len: Int,
    _ trace_json: UnsafePointer<UInt8>?, _ trace_json_len: Int,
    _ options_json: UnsafePointer<UInt8>?, _ options_json_len: Int,
    _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        let options = try riskOptions(options_json, options_json_len, allowed: ["now", "resource"])
        let mandate = Array(try boundedInput(mandate_json, mandate_json_len, "mandate_json", limit: riskTraceLimit))
        let requirement = Array(try boundedInput(requirement_json, requirement_json_len, "requirement_json", limit: maxDocument))
        let trace: [UInt8]? = (trace_json == nil && trace_json_len == 0)
            ? nil : Array(try boundedInput(trace_json, trace_json_len, "trace_json", limit: riskTraceLimit))
        var resource: String?
        switch options["resource"] {
        case nil, .null?: break
        case .string(let s)?: resource = s
        default: throw X402SError(.invalidArgument, "options_json 'resource' must be a string")
        }
        let decision = try MandateGate.evaluate(
            mandateJSON: mandate, requirementJSON: requirement, traceJSON: trace, resource: resource,
            now: try riskNow(options))
        try writeJSON(decision.json, out, out_cap, out_len)
        let codes = decision.reasons.filter { $0.action == decision.decision }.map(\.code).joined(separator: ", ")
        switch decision.decision {
        case .allow: break
        case .stepUp: throw X402SError(.riskStepUpRequired, "the mandate asks for confirmation before paying: \(codes)")
        case .deny: throw X402SError(.riskDenied, "the mandate denies this payment: \(codes)")
        }
    }
}
