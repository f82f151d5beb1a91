import Foundation
import Testing
@testable import X402Secure

/// The whole risk layer end to end, as the demo runs it: the buyer builds every header,
/// the seller checks every one. Time and randomness are pinned.
@Suite("Risk layer end to end")
struct RiskFlowTests {
    static let key = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"
    static let now: UInt64 = 1_760_000_000
    static let origin = "https://seller.example:8443"
    static let resource = "https://seller.example:8443/api/market-data"

    static func requirement() throws -> X402Requirement {
        try X402Requirement(json: riskJSON("""
            {"scheme":"exact","network":"base-sepolia","maxAmountRequired":"100000","resource":"\(resource)",
             "description":"BTC/USD market data","mimeType":"application/json",
             "payTo":"0x0987654321098765432109876543210987654321","maxTimeoutSeconds":30,
             "asset":"0x036CbD53842c5426634e7929541eC2318f3dCF7e","extra":{"name":"USDC","version":"2"}}
            """))
    }

    @Test("buyer sends the full set of headers; seller checks them all")
    func flow() throws {
        let signer = try Secp256k1.PrivateKey(hex: Self.key)
        let wallet = signer.address.checksummed
        let requirement = try Self.requirement()

        // Buyer: risk session and trace (the gateway's answers are simulated).
        let sessionBody = try RiskGateway.sessionRequest(walletAddress: wallet, device: .object(JSONObject([("ua", "oss-buyer")])))
        #expect(sessionBody["agent_did"] == .string(wallet))
        let sid = try RiskGateway.parseSessionAnswer(Array(#"{"sid":"925ca6ee-aa4b-4508-955b-10b1c02c69bb","expires_at":"2025-10-09T09:08:20Z"}"#.utf8)).sid
        var collector = AgentTraceCollector()
        try collector.recordUserInput("Buy BTC/USD market data", ts: 1_759_999_990.25)
        collector.record(try .custom(type: "navigation", fields: JSONObject([("url", .string(Self.resource))]), ts: 1_759_999_991))
        collector.record(try .custom(type: "selection", fields: JSONObject([
            ("sources", .array([.object(JSONObject([("url", "https://exchange.example/report"), ("trust", "high")]))])),
        ]), ts: 1_759_999_992))
        try collector.recordAgentOutput("Paying 0.10 USDC.", ts: 1_759_999_993)
        let trace = collector.trace(task: "Buy BTC/USD market data", parameters: JSONObject([("symbol", "BTC/USD")]),
                                    completedAt: try RiskClock.isoformatUTC(micros: 1_759_999_994_000_000))
        _ = try RiskGateway.traceRequest(sid: sid, agentTrace: trace)
        let tid = try RiskGateway.parseTraceAnswer(Array(#"{"tid":"af88271b-e93d-4998-bc15-2f130d437262"}"#.utf8))

        // Buyer: the mandate gate before paying.
        let mandateBytes = Array(#"{"mandate_version":1,"intent_expiry":1760003600,"max_amount":"500000","currency":"USDC","merchants":["0x0987654321098765432109876543210987654321"],"plan":["https://seller.example:8443/api/market-data"]}"#.utf8)
        let decision = MandateGate.evaluate(mandate: try Mandate.parse(mandateBytes), requirement: requirement, trace: trace,
                                            now: Int64(Self.now))
        #expect(decision.decision == .allow)

        // Buyer: the payment and the risk headers.
        let payment = try X402Client.createPayment(
            for: requirement, signer: .evm(signer),
            options: X402PaymentOptions(now: Self.now, nonce: [UInt8](repeating: 0x11, count: 32)))
        let tp = try Traceparent.generate(random: RiskByteStream(Array(1...24)).source)
        let headers: [String: String] = [
            payment.headerName: payment.headerValue,
            "Origin": Self.origin,
            RiskUUID.sessionHeaderName: sid,
            PaymentSecureHeader.headerName: try PaymentSecureHeader.build(traceparent: tp, tid: tid),
            AP2EvidenceHeader.headerName: try AP2EvidenceHeader.build(mandateRef: "mandates/m1.json", mandate: mandateBytes),
            PaymentEvidenceHeader.headerName: try PaymentEvidenceHeader.sign(
                PaymentEvidence(paymentHeader: payment.headerValue, requirement: requirement, origin: Self.origin,
                                resource: Self.resource, riskSessionId: sid, riskTraceId: tid, agentTrace: trace,
                                now: Self.now),
                evmKey: signer),
        ]

        // Seller: check everything it received.
        let ids = try RiskIds(session: headers[RiskUUID.sessionHeaderName])
        let secure = try PaymentSecureHeader.parse(headers[PaymentSecureHeader.headerName] ?? "")
        #expect(secure.tid == tid && secure.traceparent == tp)
        let ap2 = try AP2EvidenceHeader.parse(headers[AP2EvidenceHeader.headerName] ?? "")
        #expect(ap2.matches(mandate: mandateBytes))
        let expectation = try PaymentEvidenceExpectation(
            paymentHeader: headers["X-PAYMENT"] ?? "", requirement: requirement, origin: headers["Origin"] ?? "",
            resource: Self.resource, riskSessionId: ids.sid, riskTraceId: secure.tid, agentTraceDigest: trace.digest)
        let evidenceValue = headers[PaymentEvidenceHeader.headerName] ?? ""
        let ok = try PaymentEvidenceHeader.verify(evidenceValue, against: expectation, now: Self.now + 10)
        #expect(ok.isValid && ok.signer == wallet)

        // The same evidence replayed with another trace id, or too late, fails with reasons.
        var other = expectation
        other.riskTraceId = "11111111-1111-4111-8111-111111111111"
        #expect(try PaymentEvidenceHeader.verify(evidenceValue, against: other, now: Self.now + 10).reasons == ["evidence_trace_mismatch"])
        #expect(try PaymentEvidenceHeader.verify(evidenceValue, against: expectation, now: Self.now + 300).reasons == ["evidence_expired"])
    }
}
