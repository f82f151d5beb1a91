import Foundation
import Testing
@testable import X402Secure

/// A non-negative JSON integer from a Foundation-loaded vector, exactly (up to 2^64-1).
func riskUInt64(_ value: Any?) -> UInt64? {
    guard let n = value as? NSNumber else { return nil }
    return UInt64(n.stringValue)
}

@Suite("Payment evidence (test-vectors/risk_evidence.json)")
struct RiskEvidenceTests {
    static let vectors = CryptoVectors.load("risk_evidence")

    @Test("the vector file is present")
    func fileLoads() {
        #expect(Self.vectors.count > 50)
    }

    @Test("vector", arguments: vectors)
    func vector(_ v: CryptoVectors.Vector) throws {
        switch v.input["op"] as? String ?? "" {
        case "evidence_build": try build(v)
        case "evidence_verify": try verify(v)
        case "evidence_parse":
            #expect(thrownStatus { try PaymentEvidenceHeader.parse(v.input["value"] as? String ?? "") } == v.expectedError)
        case let op: Issue.record("unknown op \(op)")
        }
    }

    func build(_ v: CryptoVectors.Vector) throws {
        let i = v.input
        let run = { () throws -> (PaymentEvidence, String) in
            let requirement = try X402Requirement(json: riskJSON(i["requirement_json"] as? String ?? ""))
            let trace = try (i["agent_trace_json"] as? String).map { try AgentTrace.parse(Array($0.utf8)) }
            let evidence = try PaymentEvidence(
                paymentHeader: i["payment_header"] as? String ?? "", requirement: requirement,
                origin: i["origin"] as? String ?? "", resource: i["resource"] as? String ?? "",
                riskSessionId: i["sid"] as? String ?? "", riskTraceId: i["tid"] as? String, agentTrace: trace,
                payer: i["payer"] as? String, validFor: riskUInt64(i["valid_for"]) ?? 0, now: riskUInt64(i["now"]) ?? 0)
            let key = CryptoVectors.bytes(i["key"])
            let header: String
            if i["alg"] as? String == "ed25519" {
                header = try PaymentEvidenceHeader.sign(evidence, solanaKey: Ed25519.KeyPair(seed: key))
            } else {
                header = try PaymentEvidenceHeader.sign(evidence, evmKey: Secp256k1.PrivateKey(bytes: key))
            }
            return (evidence, header)
        }
        if let err = v.expectedError {
            #expect(thrownStatus(run) == err)
            return
        }
        let (evidence, header) = try run()
        #expect(Hex.encode(evidence.paymentHash) == v.intermediate["paymentHash"] as? String)
        #expect(Hex.encode(PaymentEvidence.domainSeparator) == v.intermediate["domainSeparator"] as? String)
        #expect(Hex.encode(evidence.structHash) == v.intermediate["structHash"] as? String)
        #expect(Hex.encode(evidence.digest) == v.intermediate["digest"] as? String)
        #expect(String(decoding: CanonicalJSON.bytes(evidence.json), as: UTF8.self) == v.expect["message_json"] as? String)
        #expect(header == v.expect["header"] as? String)
        let parsed = try PaymentEvidenceHeader.parse(header)
        #expect(Hex.encode(parsed.signature) == v.expect["signature"] as? String)
        #expect(parsed.evidence == evidence)
        // The message parses back from its own JSON, and re-assembly gives the same header.
        #expect(try PaymentEvidence(json: evidence.json) == evidence)
        #expect(try PaymentEvidenceHeader.assemble(evidence, algorithm: parsed.algorithm, signature: parsed.signature) == header)
        // The fixed-layout hashing agrees with the generic EIP-712 encoder on typedData.
        let generic = try EIP712.hash(evidence.typedData)
        #expect(generic.domainSeparator == PaymentEvidence.domainSeparator)
        #expect(generic.structHash == evidence.structHash)
        #expect(generic.digest == evidence.digest)
    }

    func verify(_ v: CryptoVectors.Vector) throws {
        let i = v.input
        let requirement = try X402Requirement(json: riskJSON(i["requirement_json"] as? String ?? ""))
        let digest = (i["agent_trace_digest"] as? String).map { (try? Hex.decode($0)) ?? [] }
        let x = try PaymentEvidenceExpectation(
            paymentHeader: i["payment_header"] as? String ?? "", requirement: requirement,
            origin: i["origin"] as? String ?? "", resource: i["resource"] as? String ?? "",
            riskSessionId: i["sid"] as? String ?? "", riskTraceId: i["tid"] as? String,
            agentTraceDigest: digest, payer: i["payer"] as? String)
        let r = try PaymentEvidenceHeader.verify(i["header"] as? String ?? "", against: x, now: riskUInt64(i["now"]) ?? 0)
        #expect(r.isValid == v.expect["isValid"] as? Bool)
        #expect(r.reasons == v.expect["reasons"] as? [String])
        #expect(r.signer == v.expect["signer"] as? String)
        for reason in r.reasons { #expect(PaymentEvidenceVerification.allReasons.contains(reason)) }
    }
}

@Suite("Payment evidence (behaviour)")
struct RiskEvidenceBehaviourTests {
    static let sid = "925ca6ee-aa4b-4508-955b-10b1c02c69bb"

    @Test("the typed-data document names the fields of the type string in order")
    func typedData() throws {
        let e = try PaymentEvidence(
            paymentHash: [UInt8](repeating: 1, count: 32), origin: "https://s.example", resource: "https://s.example/r",
            network: "base", asset: "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913",
            payTo: "0x209693Bc6afc0C5328bA36FaF03C514EF312287C", payer: "0x1a642f0E3c3aF545E7AcBD38b07251B3990914F1",
            amount: "1", riskSessionId: Self.sid, riskTraceId: nil, agentTraceDigest: nil, validAfter: 1, validBefore: 2)
        let fields = e.typedData["types"]?["PaymentEvidence"]?.arrayValue ?? []
        let rebuilt = "PaymentEvidence(" + fields.map { "\($0["type"]?.stringValue ?? "") \($0["name"]?.stringValue ?? "")" }.joined(separator: ",") + ")"
        #expect(rebuilt == PaymentEvidence.typeString)
        #expect(e.typedData["message"] == e.json)
        #expect(e.riskTraceId == "" && e.agentTraceDigest == [UInt8](repeating: 0, count: 32))
    }

    @Test("field validation")
    func validation() {
        func make(hash: Int = 32, digest: Int = 32, amount: String = "1", after: UInt64 = 1, before: UInt64 = 2, asset: String = "a") -> String? {
            thrownStatus {
                try PaymentEvidence(
                    paymentHash: [UInt8](repeating: 1, count: hash), origin: "o", resource: "r", network: "base",
                    asset: asset, payTo: "p", payer: "q", amount: amount, riskSessionId: Self.sid, riskTraceId: "",
                    agentTraceDigest: [UInt8](repeating: 0, count: digest), validAfter: after, validBefore: before)
            }
        }
        #expect(make() == nil)
        #expect(make(hash: 31) == "X402S_ERR_INVALID_LENGTH")
        #expect(make(digest: 33) == "X402S_ERR_INVALID_LENGTH")
        #expect(make(amount: "-1") == "X402S_ERR_INVALID_NUMBER")
        #expect(make(amount: "1" + String(repeating: "0", count: 78)) == "X402S_ERR_INVALID_NUMBER")
        #expect(make(after: 2, before: 2) == "X402S_ERR_INVALID_ARGUMENT")
        #expect(make(asset: "") == "X402S_ERR_INVALID_ARGUMENT")
    }

    @Test("external signatures must have the algorithm's size")
    func assembleSizes() throws {
        let e = try PaymentEvidence(
            paymentHash: [UInt8](repeating: 1, count: 32), origin: "o", resource: "r", network: "base", asset: "a",
            payTo: "p", payer: "q", amount: "1", riskSessionId: Self.sid, riskTraceId: nil, agentTraceDigest: nil,
            validAfter: 1, validBefore: 2)
        #expect(thrownStatus { try PaymentEvidenceHeader.assemble(e, algorithm: .secp256k1, signature: [UInt8](repeating: 0, count: 64)) } == "X402S_ERR_INVALID_LENGTH")
        #expect(thrownStatus { try PaymentEvidenceHeader.assemble(e, algorithm: .ed25519, signature: [UInt8](repeating: 0, count: 65)) } == "X402S_ERR_INVALID_LENGTH")
        #expect(thrownStatus { try PaymentEvidenceHeader.sign(e, solanaKey: Ed25519.KeyPair(seed: [UInt8](repeating: 1, count: 32))) } == "X402S_ERR_RISK_EVIDENCE_MISMATCH")
    }
}
