import Foundation
import Testing
@testable import X402Secure

/// A JSON number from a Foundation-loaded vector as the exact `Double` of its text
/// (JSONSerialization hands out NSDecimalNumber, whose `doubleValue` can be off by an ulp).
func riskDouble(_ value: Any?) -> Double {
    guard let n = value as? NSNumber else { return .nan }
    return Double(n.stringValue) ?? n.doubleValue
}

@Suite("Agent traces and gateway bodies (test-vectors/risk_trace.json)")
struct RiskTraceTests {
    static let vectors = CryptoVectors.load("risk_trace")

    @Test("the vector file is present")
    func fileLoads() {
        #expect(Self.vectors.count > 60)
    }

    @Test("vector", arguments: vectors)
    func vector(_ v: CryptoVectors.Vector) throws {
        switch v.input["op"] as? String ?? "" {
        case "session_request": try sessionRequest(v)
        case "trace_request": try traceRequest(v)
        case "isoformat":
            let micros = Int64(v.input["micros"] as? Int ?? 0)
            if let err = v.expectedError {
                #expect(thrownStatus { try RiskClock.isoformatUTC(micros: micros) } == err)
            } else {
                #expect(try RiskClock.isoformatUTC(micros: micros) == v.expect["text"] as? String)
            }
        case "event_ts":
            let e = try AgentTraceEvent.marker("m", ts: riskDouble(v.input["ts"]))
            #expect(e.object["ts"]?.numberText == v.expect["text"] as? String)
        case "session_answer":
            let body = Array((v.input["body"] as? String ?? "").utf8)
            if let err = v.expectedError {
                #expect(thrownStatus { try RiskGateway.parseSessionAnswer(body) } == err)
            } else {
                let a = try RiskGateway.parseSessionAnswer(body)
                #expect(a.sid == v.expect["sid"] as? String)
                #expect(a.expiresAt == v.expect["expires_at"] as? String)
            }
        case "trace_answer":
            let body = Array((v.input["body"] as? String ?? "").utf8)
            if let err = v.expectedError {
                #expect(thrownStatus { try RiskGateway.parseTraceAnswer(body) } == err)
            } else {
                #expect(try RiskGateway.parseTraceAnswer(body) == v.expect["tid"] as? String)
            }
        case "error_answer":
            let a = RiskGateway.parseErrorAnswer(Array((v.input["body"] as? String ?? "").utf8))
            if v.expect["none"] != nil {
                #expect(a == nil)
            } else {
                #expect(a?.code == v.expect["code"] as? String)
                #expect(a?.message == v.expect["message"] as? String)
                #expect(a?.requestId == v.expect["request_id"] as? String)
            }
        case "content_type":
            #expect(RiskGateway.isJSONContentType(v.input["value"] as? String) == v.expect["json"] as? Bool)
        case "trace_parse":
            let bytes = Array((v.input["json"] as? String ?? "").utf8)
            if let err = v.expectedError {
                #expect(thrownStatus { try AgentTrace.parse(bytes) } == err)
            } else {
                let t = try AgentTrace.parse(bytes)
                #expect(String(decoding: t.canonicalBytes, as: UTF8.self) == v.expect["canonical"] as? String)
                #expect(Hex.encode(t.digest, prefix: false) == v.expect["sha256"] as? String)
            }
        case let op: Issue.record("unknown op \(op)")
        }
    }

    func sessionRequest(_ v: CryptoVectors.Vector) throws {
        let run = { () throws -> JSONValue in
            try RiskGateway.sessionRequest(
                walletAddress: v.input["wallet"] as? String ?? "", agentDid: v.input["agent_did"] as? String,
                agentEndpoint: v.input["agent_endpoint"] as? String, appId: v.input["app_id"] as? String,
                device: (v.input["device_json"] as? String).map(riskJSON))
        }
        if let err = v.expectedError {
            #expect(thrownStatus(run) == err)
        } else {
            #expect(try run().serializedString(.compact) == v.expect["body"] as? String)
        }
    }

    func traceRequest(_ v: CryptoVectors.Vector) throws {
        var collector = AgentTraceCollector()
        let specs = v.input["events"] as? [[String: Any]]
        for e in specs ?? [] {
            let ts = riskDouble(e["ts"])
            switch e["record"] as? String ?? "" {
            case "user_input":
                try collector.recordUserInput(e["content"] as? String ?? "", role: e["role"] as? String ?? "user", ts: ts)
            case "system_prompt":
                try collector.recordSystemPrompt(e["content"] as? String ?? "", version: e["version"] as? String ?? "v1.0", ts: ts)
            case "agent_output":
                try collector.recordAgentOutput(e["content"] as? String ?? "", role: e["role"] as? String ?? "assistant", ts: ts)
            case "tool":
                let name = e["name"] as? String ?? ""
                let args = riskJSON(e["args_json"] as? String ?? "[]").arrayValue ?? []
                let kwargs = riskJSON(e["kwargs_json"] as? String ?? "{}").objectValue ?? JSONObject()
                collector.record(try .toolCall(name: name, args: args, kwargs: kwargs, ts: ts))
                collector.record(try .toolResult(name: name, result: riskJSON(e["result_json"] as? String ?? "null"),
                                                 ts: riskDouble(e["result_ts"])))
            case "function_call":
                collector.record(try .functionCall(name: e["name"] as? String ?? "", callId: e["call_id"] as? String,
                                                   argumentsJSON: e["arguments"] as? String ?? "", ts: ts))
            case "reasoning_summary":
                collector.record(try .reasoningSummary(e["text"] as? String ?? "", ts: ts))
            case "marker":
                collector.record(try .marker(e["type"] as? String ?? "", ts: ts))
            case let other:
                Issue.record("unknown event record \(other)")
            }
        }
        let completed = try RiskClock.isoformatUTC(micros: Int64(v.input["completed_at_micros"] as? Int ?? 0))
        let trace = AgentTrace(
            task: v.input["task"] as? String ?? "",
            parameters: riskJSON(v.input["params_json"] as? String ?? "{}").objectValue ?? JSONObject(),
            environment: (v.input["environment_json"] as? String).flatMap { riskJSON($0).objectValue },
            events: specs == nil ? nil : collector.events,
            modelConfig: (v.input["model_config_json"] as? String).flatMap { riskJSON($0).objectValue },
            sessionContext: (v.input["session_context_json"] as? String).flatMap { riskJSON($0).objectValue },
            completedAt: completed)
        let body = try RiskGateway.traceRequest(sid: v.input["sid"] as? String ?? "", agentTrace: trace)
        #expect(body.serializedString(.compact) == v.expect["body"] as? String)
        #expect(Hex.encode(trace.digest, prefix: false) == v.expect["agent_trace_sha256"] as? String)
        // The sent trace parses back to the same object and digest.
        let back = try AgentTrace.parse(Array((body["agent_trace"] ?? .null).serialized(.compact)))
        #expect(back == trace)
        #expect(back.digest == trace.digest)
    }
}

@Suite("Agent traces (behaviour)")
struct RiskTraceBehaviourTests {
    @Test("events reject non-finite times and reserved custom fields")
    func eventErrors() {
        #expect(thrownStatus { try AgentTraceEvent.userInput("x", ts: .nan) } == "X402S_ERR_RISK_INVALID_TRACE")
        #expect(thrownStatus { try AgentTraceEvent.marker("x", ts: .infinity) } == "X402S_ERR_RISK_INVALID_TRACE")
        #expect(thrownStatus { try AgentTraceEvent.custom(type: "x", fields: JSONObject([("ts", 1)]), ts: 1) } == "X402S_ERR_RISK_INVALID_TRACE")
        #expect(thrownStatus { try AgentTraceEvent(json: .string("x")) } == "X402S_ERR_RISK_INVALID_TRACE")
    }

    @Test("custom events keep ts and type first, then the fields")
    func customEvent() throws {
        let e = try AgentTraceEvent.custom(type: "navigation", fields: JSONObject([("url", "https://a.example/x")]), ts: 2)
        #expect(e.json.serializedString(.compact) == #"{"ts":2.0,"type":"navigation","url":"https://a.example/x"}"#)
        #expect(e.type == "navigation")
    }

    @Test("model config follows set_model_config")
    func modelConfig() {
        let mc = AgentTrace.modelConfig(model: "gpt-5-mini", toolsEnabled: ["a"], extra: JSONObject([("reasoning_enabled", true), ("model", "x")]))
        #expect(JSONValue.object(mc).serializedString(.compact) == #"{"provider":"openai","model":"gpt-5-mini","tools_enabled":["a"],"reasoning_enabled":true}"#)
    }

    @Test("trace body rejects a non-UUID sid")
    func traceSid() {
        #expect(thrownStatus { try RiskGateway.traceRequest(sid: "nope", agentTrace: nil) } == "X402S_ERR_RISK_INVALID_UUID")
    }

    @Test("the default clock gives a plausible completed_at")
    func clock() {
        let s = RiskClock.isoformatNow()
        #expect(s.hasSuffix("+00:00") && s.hasPrefix("20"))
        #expect(RiskClock.nowSeconds() > 1_700_000_000)
    }
}
