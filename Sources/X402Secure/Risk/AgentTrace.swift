/// One event of an agent trace: a JSON object with a `type` and a float `ts` (Unix
/// seconds), in the key order x402-secure 0.1.4's `OpenAITraceCollector` writes.
///
/// The constructors reproduce the collector's events field for field; content hashes are
/// lowercase hex SHA-256 of the UTF-8 content, `length` counts Unicode code points
/// (Python `len`). `ts` is written as Python writes `time.time()` floats.
public struct AgentTraceEvent: Sendable, Equatable {
    /// The event object.
    public let object: JSONObject

    /// Wraps an event object.
    ///
    /// - Throws: ``X402SStatus/riskInvalidTrace`` unless `json` is an object whose `type`
    ///   is a string and whose `ts`, if present, is a number.
    public init(json: JSONValue) throws(X402SError) {
        guard case .object(let o) = json else {
            throw X402SError(.riskInvalidTrace, "an agent trace event must be a JSON object")
        }
        guard case .string? = o["type"] else {
            throw X402SError(.riskInvalidTrace, "an agent trace event needs a string 'type'")
        }
        if let ts = o["ts"] {
            guard case .number = ts else {
                throw X402SError(.riskInvalidTrace, "an agent trace event 'ts' must be a number")
            }
        }
        object = o
    }

    init(unchecked object: JSONObject) { self.object = object }

    /// The event type (`user_input`, `tool_call`, ...).
    public var type: String { object["type"]?.stringValue ?? "" }

    /// The event as a JSON value.
    public var json: JSONValue { .object(object) }

    static func tsValue(_ ts: Double) throws(X402SError) -> JSONValue {
        guard let t = RiskClock.pythonFloatText(ts) else {
            throw X402SError(.riskInvalidTrace, "an event time must be a finite number")
        }
        return .number(t)
    }

    static func sha256Hex(_ s: String) -> String { Hex.encode(SHA256.hash(Array(s.utf8)), prefix: false) }

    /// `{"ts","type":"user_input","role","content","content_hash","length"}`.
    public static func userInput(_ content: String, role: String = "user", ts: Double = RiskClock.nowSeconds()) throws(X402SError) -> AgentTraceEvent {
        AgentTraceEvent(unchecked: JSONObject([
            ("ts", try tsValue(ts)), ("type", "user_input"), ("role", .string(role)), ("content", .string(content)),
            ("content_hash", .string(sha256Hex(content))), ("length", .integer(content.unicodeScalars.count)),
        ]))
    }

    /// `{"ts","type":"system_prompt","role":"system","content","content_hash","version","length"}`.
    public static func systemPrompt(_ content: String, version: String = "v1.0", ts: Double = RiskClock.nowSeconds()) throws(X402SError) -> AgentTraceEvent {
        AgentTraceEvent(unchecked: JSONObject([
            ("ts", try tsValue(ts)), ("type", "system_prompt"), ("role", "system"), ("content", .string(content)),
            ("content_hash", .string(sha256Hex(content))), ("version", .string(version)),
            ("length", .integer(content.unicodeScalars.count)),
        ]))
    }

    /// `{"ts","type":"agent_output","role","content","output_hash","length"}`.
    public static func agentOutput(_ content: String, role: String = "assistant", ts: Double = RiskClock.nowSeconds()) throws(X402SError) -> AgentTraceEvent {
        AgentTraceEvent(unchecked: JSONObject([
            ("ts", try tsValue(ts)), ("type", "agent_output"), ("role", .string(role)), ("content", .string(content)),
            ("output_hash", .string(sha256Hex(content))), ("length", .integer(content.unicodeScalars.count)),
        ]))
    }

    /// `{"ts","type":"tool_call","name","args":{"a":[positional...],"k":{keyword...}}}`.
    public static func toolCall(name: String, args: [JSONValue] = [], kwargs: JSONObject = JSONObject(), ts: Double = RiskClock.nowSeconds()) throws(X402SError) -> AgentTraceEvent {
        AgentTraceEvent(unchecked: JSONObject([
            ("ts", try tsValue(ts)), ("type", "tool_call"), ("name", .string(name)),
            ("args", .object(JSONObject([("a", .array(args)), ("k", .object(kwargs))]))),
        ]))
    }

    /// `{"ts","type":"tool_result","name","result"}`.
    public static func toolResult(name: String, result: JSONValue, ts: Double = RiskClock.nowSeconds()) throws(X402SError) -> AgentTraceEvent {
        AgentTraceEvent(unchecked: JSONObject([
            ("ts", try tsValue(ts)), ("type", "tool_result"), ("name", .string(name)), ("result", result),
        ]))
    }

    /// `{"ts","type":"function_call","name","call_id","arguments"}` from a model's
    /// function call. `argumentsJSON` is the raw argument text: empty means `{}`, text
    /// that is not JSON becomes `{"_raw": text}` (as the collector does).
    public static func functionCall(name: String, callId: String?, argumentsJSON: String, ts: Double = RiskClock.nowSeconds()) throws(X402SError) -> AgentTraceEvent {
        let args: JSONValue
        if argumentsJSON.isEmpty {
            args = .object(JSONObject())
        } else if let v = try? JSONValue.parse(argumentsJSON) {
            args = v
        } else {
            args = .object(JSONObject([("_raw", .string(argumentsJSON))]))
        }
        return AgentTraceEvent(unchecked: JSONObject([
            ("ts", try tsValue(ts)), ("type", "function_call"), ("name", .string(name)),
            ("call_id", callId.map(JSONValue.string) ?? .null), ("arguments", args),
        ]))
    }

    /// `{"ts","type":"reasoning_summary","text"}`.
    public static func reasoningSummary(_ text: String, ts: Double = RiskClock.nowSeconds()) throws(X402SError) -> AgentTraceEvent {
        AgentTraceEvent(unchecked: JSONObject([("ts", try tsValue(ts)), ("type", "reasoning_summary"), ("text", .string(text))]))
    }

    /// `{"ts","type"}` for stream markers such as `response.created` / `response.completed`.
    public static func marker(_ type: String, ts: Double = RiskClock.nowSeconds()) throws(X402SError) -> AgentTraceEvent {
        AgentTraceEvent(unchecked: JSONObject([("ts", try tsValue(ts)), ("type", .string(type))]))
    }

    /// `{"ts","type", ...fields}` for event types 0.1.4 does not define (for example the
    /// `navigation` events the mandate gate reads). `fields` must not contain `ts`/`type`.
    ///
    /// - Throws: ``X402SStatus/riskInvalidTrace`` if `fields` has `ts` or `type`.
    public static func custom(type: String, fields: JSONObject = JSONObject(), ts: Double = RiskClock.nowSeconds()) throws(X402SError) -> AgentTraceEvent {
        guard fields["ts"] == nil, fields["type"] == nil else {
            throw X402SError(.riskInvalidTrace, "custom event fields must not contain ts or type")
        }
        var o = JSONObject([("ts", try tsValue(ts)), ("type", .string(type))])
        for (k, v) in fields.entries { o[k] = v }
        return AgentTraceEvent(unchecked: o)
    }
}

/// An x402-secure agent trace: the `agent_trace` object of `POST /risk/trace`.
///
/// Keys, in 0.1.4 order: `task`, `parameters`, then `environment`, `events`,
/// `model_config`, `session_context` when given (an empty object is sent, as
/// `BuyerClient.store_agent_trace` does), and `completed_at`. Parsed traces keep every
/// member as received, so digests cover exactly what was sent.
public struct AgentTrace: Sendable, Equatable {
    /// The largest trace accepted by ``parse(_:)`` (8 MiB).
    public static let maxBytes = 8 << 20

    /// The trace object.
    public let object: JSONObject

    /// Builds a trace.
    ///
    /// - Parameters:
    ///   - task: what the agent was asked to do.
    ///   - parameters: the task parameters (the paid request's query).
    ///   - environment: e.g. `{"network": "base-sepolia", "seller_base_url": ...}`.
    ///   - events: the recorded events (see ``AgentTraceCollector``).
    ///   - modelConfig: see ``AgentTrace/modelConfig(provider:model:toolsEnabled:extra:)``.
    ///   - sessionContext: free-form (`session_id`, `request_id`, `agent_did`, ...).
    ///   - completedAt: ISO-8601 completion time (default: now, in Python's form).
    public init(
        task: String, parameters: JSONObject, environment: JSONObject? = nil, events: [AgentTraceEvent]? = nil,
        modelConfig: JSONObject? = nil, sessionContext: JSONObject? = nil, completedAt: String = RiskClock.isoformatNow()
    ) {
        var o = JSONObject([("task", .string(task)), ("parameters", .object(parameters))])
        if let environment { o["environment"] = .object(environment) }
        if let events { o["events"] = .array(events.map { $0.json }) }
        if let modelConfig { o["model_config"] = .object(modelConfig) }
        if let sessionContext { o["session_context"] = .object(sessionContext) }
        o["completed_at"] = .string(completedAt)
        object = o
    }

    /// Wraps a trace object after checking its shape.
    ///
    /// - Throws: ``X402SStatus/riskInvalidTrace`` unless `json` is an object with a
    ///   string `task` and an object `parameters`; `environment`, `model_config` and
    ///   `session_context` objects or null; `events` an array of valid events or null;
    ///   `completed_at` a string or null.
    public init(json: JSONValue) throws(X402SError) {
        guard case .object(let o) = json else {
            throw X402SError(.riskInvalidTrace, "an agent trace must be a JSON object")
        }
        guard case .string? = o["task"] else {
            throw X402SError(.riskInvalidTrace, "an agent trace needs a string 'task'")
        }
        guard case .object? = o["parameters"] else {
            throw X402SError(.riskInvalidTrace, "an agent trace needs an object 'parameters'")
        }
        for key in ["environment", "model_config", "session_context"] {
            switch o[key] {
            case nil, .null?, .object?: break
            default: throw X402SError(.riskInvalidTrace, "agent trace '\(key)' must be an object")
            }
        }
        switch o["completed_at"] {
        case nil, .null?, .string?: break
        default: throw X402SError(.riskInvalidTrace, "agent trace 'completed_at' must be a string")
        }
        switch o["events"] {
        case nil, .null?: break
        case .array(let list)?:
            for e in list { _ = try AgentTraceEvent(json: e) }
        default: throw X402SError(.riskInvalidTrace, "agent trace 'events' must be an array")
        }
        object = o
    }

    /// Parses a trace from JSON bytes (at most ``maxBytes``).
    ///
    /// - Throws: JSON errors (``X402SStatus/invalidJSON``, ``X402SStatus/invalidUTF8``,
    ///   ``X402SStatus/jsonTooDeep``, ``X402SStatus/inputTooLarge``) or
    ///   ``X402SStatus/riskInvalidTrace`` as ``init(json:)``.
    public static func parse(_ bytes: [UInt8]) throws(X402SError) -> AgentTrace {
        try AgentTrace(json: JSONValue.parse(bytes, limits: JSONLimits(maxBytes: maxBytes)))
    }

    /// `{"provider","model","tools_enabled", ...extra}` as
    /// `OpenAITraceCollector.set_model_config` builds it (`extra` may not override the
    /// three named keys).
    public static func modelConfig(provider: String = "openai", model: String, toolsEnabled: [String] = [], extra: JSONObject = JSONObject()) -> JSONObject {
        var o = JSONObject([
            ("provider", .string(provider)), ("model", .string(model)),
            ("tools_enabled", .array(toolsEnabled.map(JSONValue.string))),
        ])
        for (k, v) in extra.entries where o[k] == nil { o[k] = v }
        return o
    }

    /// The task.
    public var task: String { object["task"]?.stringValue ?? "" }
    /// The task parameters.
    public var parameters: JSONObject { object["parameters"]?.objectValue ?? JSONObject() }
    /// The environment, if any.
    public var environment: JSONObject? { object["environment"]?.objectValue }
    /// The events, in the order sent.
    public var events: [AgentTraceEvent] {
        (object["events"]?.arrayValue ?? []).compactMap { try? AgentTraceEvent(json: $0) }
    }
    /// The model configuration, if any.
    public var modelConfig: JSONObject? { object["model_config"]?.objectValue }
    /// The session context, if any.
    public var sessionContext: JSONObject? { object["session_context"]?.objectValue }
    /// The completion time, if any.
    public var completedAt: String? { object["completed_at"]?.stringValue }

    /// The trace as a JSON value.
    public var json: JSONValue { .object(object) }

    /// The canonical JSON bytes of the trace (see ``CanonicalJSON``).
    public var canonicalBytes: [UInt8] { CanonicalJSON.bytes(json) }

    /// SHA-256 of ``canonicalBytes``: the trace digest bound by payment evidence.
    public var digest: [UInt8] { SHA256.hash(canonicalBytes) }
}

/// Records agent events the way x402-secure 0.1.4's `OpenAITraceCollector` does,
/// including its ordering quirk: user inputs and system prompts are **inserted at the
/// front**, every other event is appended.
public struct AgentTraceCollector: Sendable {
    /// The events in 0.1.4 order.
    public private(set) var events: [AgentTraceEvent] = []
    /// The model configuration to send, if any.
    public var modelConfig: JSONObject?

    /// An empty collector.
    public init() {}

    /// Inserts a `user_input` event at the front.
    public mutating func recordUserInput(_ content: String, role: String = "user", ts: Double = RiskClock.nowSeconds()) throws(X402SError) {
        events.insert(try .userInput(content, role: role, ts: ts), at: 0)
    }

    /// Inserts a `system_prompt` event at the front.
    public mutating func recordSystemPrompt(_ content: String, version: String = "v1.0", ts: Double = RiskClock.nowSeconds()) throws(X402SError) {
        events.insert(try .systemPrompt(content, version: version, ts: ts), at: 0)
    }

    /// Appends an `agent_output` event.
    public mutating func recordAgentOutput(_ content: String, role: String = "assistant", ts: Double = RiskClock.nowSeconds()) throws(X402SError) {
        events.append(try .agentOutput(content, role: role, ts: ts))
    }

    /// Appends any event.
    public mutating func record(_ event: AgentTraceEvent) {
        events.append(event)
    }

    /// Builds the trace from the recorded events (see ``AgentTrace``).
    public func trace(
        task: String, parameters: JSONObject, environment: JSONObject? = nil, sessionContext: JSONObject? = nil,
        completedAt: String = RiskClock.isoformatNow()
    ) -> AgentTrace {
        AgentTrace(task: task, parameters: parameters, environment: environment, events: events,
                   modelConfig: modelConfig, sessionContext: sessionContext, completedAt: completedAt)
    }
}

/// Request bodies for, and answers from, the x402-secure gateway's buyer-side routes.
/// The HTTP transport lives in the bindings; bodies are sent as compact JSON
/// (`serialized(.compact)`, what httpx sends) with `Content-Type: application/json`.
public enum RiskGateway {
    /// `POST {gateway}/risk/session`.
    public static let sessionPath = "/risk/session"
    /// `POST {gateway}/risk/trace`.
    public static let tracePath = "/risk/trace"

    /// The `POST /risk/session` body, as 0.1.4 `BuyerClient.create_risk_session` sends
    /// it: all five keys always, `null` when absent, `agent_did` defaulting to the wallet.
    ///
    /// - Parameters:
    ///   - walletAddress: the payer's EVM address (`0x` + 40 hex digits; the gateway
    ///     requires a 42-character `0x` value).
    ///   - agentDid: the agent identifier (default: the wallet address).
    ///   - agentEndpoint, appId: optional strings.
    ///   - device: optional object such as `{"ua": "oss-buyer"}`.
    /// - Throws: ``X402SStatus/invalidAddress`` for a malformed wallet;
    ///   ``X402SStatus/invalidArgument`` for a blank `agentDid` or a non-object `device`.
    public static func sessionRequest(
        walletAddress: String, agentDid: String? = nil, agentEndpoint: String? = nil, appId: String? = nil,
        device: JSONValue? = nil
    ) throws(X402SError) -> JSONValue {
        let w = Array(walletAddress.utf8)
        guard w.count == 42, w[0] == UInt8(ascii: "0"), w[1] == UInt8(ascii: "x"),
            w[2...].allSatisfy({ Hex.nibble($0) != nil })
        else {
            throw X402SError(.invalidAddress, "wallet_address must be 0x followed by 40 hex digits")
        }
        let did = agentDid ?? walletAddress
        guard did.utf8.contains(where: { !RiskText.isPythonASCIISpace($0) }) else {
            throw X402SError(.invalidArgument, "agent_did must not be blank")
        }
        switch device {
        case nil, .null?, .object?: break
        default: throw X402SError(.invalidArgument, "device must be a JSON object")
        }
        return .object(JSONObject([
            ("agent_did", .string(did)), ("wallet_address", .string(walletAddress)),
            ("agent_endpoint", agentEndpoint.map(JSONValue.string) ?? .null),
            ("app_id", appId.map(JSONValue.string) ?? .null), ("device", device ?? .null),
        ]))
    }

    /// The `POST /risk/trace` body: `{"sid","fingerprint","telemetry","agent_trace"}`
    /// (all keys always; `sid` sent exactly as given, as 0.1.4 does).
    ///
    /// - Throws: ``X402SStatus/riskInvalidUUID`` unless `sid` is a v1/v4 UUID.
    public static func traceRequest(sid: String, agentTrace: AgentTrace?, fingerprint: JSONValue? = nil, telemetry: JSONValue? = nil) throws(X402SError) -> JSONValue {
        _ = try RiskUUID(parsing: sid)
        return .object(JSONObject([
            ("sid", .string(sid)), ("fingerprint", fingerprint ?? .null), ("telemetry", telemetry ?? .null),
            ("agent_trace", agentTrace?.json ?? .null),
        ]))
    }

    /// `true` when a `Content-Type` value is `application/json` (parameters ignored,
    /// case-insensitive), the check 0.1.4's clients apply to every gateway answer.
    public static func isJSONContentType(_ value: String?) -> Bool {
        guard let value else { return false }
        let b = Array(value.utf8)
        let end = b.firstIndex(of: UInt8(ascii: ";")) ?? b.count
        let main = RiskText.strip(b[0..<end])
        return main.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }.elementsEqual("application/json".utf8)
    }

    /// The answer of `POST /risk/session`: `{"sid": <uuid>, "expires_at": <ISO-8601>}`.
    public struct SessionAnswer: Sendable, Equatable {
        /// The session id, normalised.
        public let sid: String
        /// The expiry time as sent, if it is a string.
        public let expiresAt: String?
        /// The whole answer object (forward-mode gateways may add members).
        public let object: JSONObject
    }

    /// Parses a `POST /risk/session` answer body.
    ///
    /// - Throws: JSON errors for bytes that are not JSON; ``X402SStatus/riskInvalidUUID``
    ///   when the answer is not an object with a v1/v4 UUID `sid`.
    public static func parseSessionAnswer(_ body: [UInt8]) throws(X402SError) -> SessionAnswer {
        let v = try JSONValue.parse(body)
        guard case .object(let o) = v, case .string(let sid)? = o["sid"] else {
            throw X402SError(.riskInvalidUUID, "the session answer has no string sid")
        }
        return SessionAnswer(sid: try RiskUUID.normalize(sid), expiresAt: o["expires_at"]?.stringValue, object: o)
    }

    /// Parses a `POST /risk/trace` answer body (`{"tid": <uuid>}`).
    ///
    /// - Returns: the normalised trace id.
    /// - Throws: JSON errors for bytes that are not JSON; ``X402SStatus/riskInvalidUUID``
    ///   when the answer is not an object with a v1/v4 UUID `tid`.
    public static func parseTraceAnswer(_ body: [UInt8]) throws(X402SError) -> String {
        let v = try JSONValue.parse(body)
        guard case .object(let o) = v, case .string(let tid)? = o["tid"] else {
            throw X402SError(.riskInvalidUUID, "the trace answer has no string tid")
        }
        return try RiskUUID.normalize(tid)
    }

    /// A gateway error answer: `{"error":{"code","message"},"request_id"}` (the x402
    /// routes) or FastAPI's `{"detail": ...}` (validation and `/risk/*` errors).
    public struct ErrorAnswer: Sendable, Equatable {
        /// `error.code` (e.g. `RISK_DENIED`, `TRACE_HEADER_INVALID`), or nil for `detail`.
        public let code: String?
        /// `error.message`, or `detail` when it is a string, else its compact JSON.
        public let message: String
        /// `request_id`, if present.
        public let requestId: String?
    }

    /// Parses a gateway error body; nil when it has neither shape.
    public static func parseErrorAnswer(_ body: [UInt8]) -> ErrorAnswer? {
        guard let v = try? JSONValue.parse(body), case .object(let o) = v else { return nil }
        if case .object(let e)? = o["error"] {
            return ErrorAnswer(code: e["code"]?.stringValue, message: e["message"]?.stringValue ?? "",
                               requestId: o["request_id"]?.stringValue)
        }
        if let d = o["detail"] {
            return ErrorAnswer(code: nil, message: d.stringValue ?? d.serializedString(.compact), requestId: nil)
        }
        return nil
    }
}
