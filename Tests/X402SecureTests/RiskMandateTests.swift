import Foundation
import Testing
@testable import X402Secure

@Suite("Mandate gate (test-vectors/risk_mandate.json)")
struct RiskMandateTests {
    static let vectors = CryptoVectors.load("risk_mandate")

    @Test("the vector file is present")
    func fileLoads() {
        #expect(Self.vectors.count > 70)
    }

    @Test("vector", arguments: vectors)
    func vector(_ v: CryptoVectors.Vector) throws {
        let i = v.input
        switch i["op"] as? String ?? "" {
        case "mandate_evaluate":
            let d = try MandateGate.evaluate(
                mandateJSON: Array((i["mandate_json"] as? String ?? "").utf8),
                requirementJSON: Array((i["requirement_json"] as? String ?? "").utf8),
                traceJSON: (i["trace_json"] as? String).map { Array($0.utf8) }, resource: i["resource"] as? String,
                now: Int64(i["now"] as? Int ?? 0))
            #expect(d.decision.rawValue == v.expect["decision"] as? String)
            let want = (v.expect["reasons"] as? [[String: Any]] ?? []).map {
                "\($0["code"] as? String ?? "")|\($0["action"] as? String ?? "")|\($0["detail"] as? String ?? "")"
            }
            #expect(d.reasons.map { "\($0.code)|\($0.action.rawValue)|\($0.detail)" } == want)
            #expect(d.json["decision"] == .string(d.decision.rawValue))
        case "mandate_parse":
            #expect(thrownStatus { try Mandate.parse(Array((i["mandate_json"] as? String ?? "").utf8)) } == v.expectedError)
        case "iso8601":
            let got = RiskClock.parseISO8601(i["text"] as? String ?? "")
            if let unix = v.expect["unix"] as? Int {
                #expect(got == Int64(unix))
            } else {
                #expect(got == nil)
            }
        case let op: Issue.record("unknown op \(op)")
        }
    }
}

/// One named test per failure mode of the issue, on a small hand-built scenario (the
/// vector file covers the same modes with Python-computed expectations).
@Suite("Mandate gate (failure modes)")
struct RiskMandateFailureModeTests {
    static let payTo = "0x0987654321098765432109876543210987654321"
    static let asset = "0x036CbD53842c5426634e7929541eC2318f3dCF7e"
    static let resource = "https://seller.example:8443/api/gpu"

    static func mandate(_ extra: [(String, JSONValue)] = []) throws -> Mandate {
        var o = JSONObject([
            ("mandate_version", 1), ("intent_expiry", "2030-01-01T00:00:00Z"), ("max_amount", "1000000"),
            ("currency", "USDC"), ("networks", ["base-sepolia"]), ("assets", .array([.string(asset)])),
            ("merchants", .array([.string(payTo)])), ("plan", .array([.string(resource)])),
        ])
        for (k, v) in extra { o[k] = v }
        return try Mandate(json: .object(o))
    }

    static func requirement(payTo: String = payTo, amount: String = "500000", extra: JSONObject = JSONObject([("name", "USDC"), ("version", "2")])) throws -> X402Requirement {
        .v1(X402PaymentRequirementsV1(
            scheme: "exact", network: "base-sepolia", maxAmountRequired: amount, resource: resource,
            description: "GPU rental", mimeType: "application/json", payTo: payTo, maxTimeoutSeconds: 60,
            asset: asset, outputSchema: nil, extra: extra))
    }

    static func trace(_ events: [AgentTraceEvent]) -> AgentTrace {
        AgentTrace(task: "rent a GPU", parameters: JSONObject(), events: events, completedAt: "2026-01-01T00:00:00+00:00")
    }

    static func result(_ fields: JSONObject) throws -> AgentTraceEvent {
        try .toolResult(name: "offers", result: .object(fields), ts: 1)
    }

    static let now: Int64 = 1_800_000_000

    func codes(_ d: MandateDecision) -> [String] { d.reasons.map(\.code) }

    @Test("baseline: a clean trace is allowed")
    func baseline() throws {
        let d = MandateGate.evaluate(mandate: try Self.mandate(), requirement: try Self.requirement(),
                                     trace: Self.trace([try .custom(type: "navigation", fields: JSONObject([("url", .string(Self.resource))]), ts: 1)]), now: Self.now)
        #expect(d.decision == .allow && d.reasons.isEmpty)
    }

    @Test("1 prompt-injected routing: an added ?aff= parameter is denied")
    func injectedRouting() throws {
        let nav = try AgentTraceEvent.custom(type: "navigation", fields: JSONObject([("url", .string(Self.resource + "?aff=x"))]), ts: 1)
        let d = MandateGate.evaluate(mandate: try Self.mandate(), requirement: try Self.requirement(), trace: Self.trace([nav]), now: Self.now)
        #expect(d.decision == .deny && codes(d) == ["route_not_in_plan"])
    }

    @Test("1 prompt-injected routing: a rewritten host is denied")
    func rewrittenHost() throws {
        let d = MandateGate.evaluate(mandate: try Self.mandate(), requirement: try Self.requirement(),
                                     trace: Self.trace([try Self.result(JSONObject([("url", "https://seller-example.co/api/gpu")]))]), now: Self.now)
        #expect(d.decision == .deny && codes(d) == ["route_not_in_plan"])
    }

    @Test("2 counterfeit route: payTo outside the allow-list is denied, or stepped up")
    func counterfeit() throws {
        let other = "0x1111111111111111111111111111111111111111"
        let d = MandateGate.evaluate(mandate: try Self.mandate(), requirement: try Self.requirement(payTo: other), trace: nil, now: Self.now)
        #expect(d.decision == .deny && codes(d) == ["merchant_not_allowed"])
        let s = MandateGate.evaluate(mandate: try Self.mandate([("unknown_merchant_action", "step_up")]),
                                     requirement: try Self.requirement(payTo: other), trace: nil, now: Self.now)
        #expect(s.decision == .stepUp)
    }

    @Test("3 free trial that flips to auto-renew needs a step-up")
    func freeTrial() throws {
        let offer = try Self.result(JSONObject([("price", "0"), ("terms", "Free trial; renews automatically every month")]))
        let d = MandateGate.evaluate(mandate: try Self.mandate(), requirement: try Self.requirement(), trace: Self.trace([offer]), now: Self.now)
        #expect(d.decision == .stepUp && codes(d) == ["recurring_terms"])
    }

    @Test("4 tool-chain tampering: a changed beneficiary, memo or tenant is denied")
    func tampering() throws {
        for key in ["beneficiary", "memo", "tenant"] {
            let m = try Self.mandate([("bindings", .object(JSONObject([(key, "bound-value")])))])
            let out = try Self.result(JSONObject([("order", .object(JSONObject([(key, "other-value")])))]))
            let d = MandateGate.evaluate(mandate: m, requirement: try Self.requirement(), trace: Self.trace([out]), now: Self.now)
            #expect(d.decision == .deny && codes(d) == ["tool_output_binding_mismatch"], "key \(key)")
        }
    }

    @Test("5 spec creep: vram=24GB bound, 16GB offered, is denied")
    func specCreep() throws {
        let m = try Self.mandate([("required_attributes", .object(JSONObject([("vram", "24GB")])))])
        let out = try Self.result(JSONObject([("vram", "16GB")]))
        let d = MandateGate.evaluate(mandate: m, requirement: try Self.requirement(), trace: Self.trace([out]), now: Self.now)
        #expect(d.decision == .deny && codes(d) == ["attribute_mismatch"])
        #expect(d.reasons.first?.detail == "vram=16GB")
    }

    @Test("6 opinion laundering: a single low-trust source needs a step-up")
    func opinionLaundering() throws {
        let sel = try AgentTraceEvent.custom(type: "selection", fields: JSONObject([
            ("sources", .array([.object(JSONObject([("url", "https://blog.example"), ("trust", "low")]))])),
        ]), ts: 1)
        let d = MandateGate.evaluate(mandate: try Self.mandate(), requirement: try Self.requirement(), trace: Self.trace([sel]), now: Self.now)
        #expect(d.decision == .stepUp && codes(d) == ["low_trust_justification"])
    }

    @Test("plain checks: amount cap, currency, network, asset, expiry")
    func plainChecks() throws {
        let r = try Self.requirement()
        #expect(codes(MandateGate.evaluate(mandate: try Self.mandate([("max_amount", "1")]), requirement: r, trace: nil, now: Self.now)) == ["amount_over_cap"])
        #expect(codes(MandateGate.evaluate(mandate: try Self.mandate([("currency", "EURC")]), requirement: r, trace: nil, now: Self.now)) == ["currency_mismatch"])
        #expect(codes(MandateGate.evaluate(mandate: try Self.mandate([("networks", ["base"])]), requirement: r, trace: nil, now: Self.now)) == ["network_not_allowed"])
        #expect(codes(MandateGate.evaluate(mandate: try Self.mandate([("assets", ["0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913"])]), requirement: r, trace: nil, now: Self.now)) == ["asset_not_allowed"])
        #expect(codes(MandateGate.evaluate(mandate: try Self.mandate(), requirement: r, trace: nil, now: 1_893_456_000)) == ["mandate_expired"])
        let d = MandateGate.evaluate(mandate: try Self.mandate([("max_amount", "1")]), requirement: r, trace: nil, now: Self.now)
        #expect(d.json.serializedString(.compact) == #"{"decision":"deny","reasons":[{"code":"amount_over_cap","action":"deny","detail":"500000"}]}"#)
    }

    @Test("nested tool outputs are searched through the parser's depth, and deeper values never trap")
    func deepOutput() throws {
        let m = try Self.mandate([("bindings", .object(JSONObject([("memo", "bound")])))])
        func nested(_ n: Int) -> JSONValue {
            var v: JSONValue = .object(JSONObject([("memo", "other")]))
            for _ in 0..<n { v = .array([v]) }
            return v
        }
        let d = MandateGate.evaluate(mandate: m, requirement: try Self.requirement(),
                                     trace: Self.trace([try .toolResult(name: "x", result: nested(60), ts: 1)]), now: Self.now)
        #expect(d.decision == .deny)
        let deep = MandateGate.evaluate(mandate: m, requirement: try Self.requirement(),
                                        trace: Self.trace([try .toolResult(name: "x", result: nested(1000), ts: 1)]), now: Self.now)
        #expect(deep.decision == .allow)
    }
}
