import Foundation
import Testing
@testable import X402Secure

/// A vector's text member parsed as JSON (an Issue when it does not parse).
private func evidenceJSON(_ value: Any?) -> JSONValue { riskJSON(value as? String ?? "") }

@Suite("Dispute evidence (test-vectors/evidence.json)")
struct EvidenceVectorTests {
    static let vectors = CryptoVectors.load("evidence")

    @Test("the vector file is present")
    func fileLoads() {
        #expect(Self.vectors.count > 100)
    }

    @Test("vector", arguments: vectors)
    func vector(_ v: CryptoVectors.Vector) throws {
        let i = v.input, exp = v.expect
        switch i["op"] as? String ?? "" {
        case "record_make":
            let run = { () throws -> EvidenceRecord in
                let d = try JSONValue.parse(i["decision_json"] as? String ?? "")
                return try EvidenceRecord(
                    decision: try EvidenceDecision(decision: d), seq: riskUInt64(i["seq"]) ?? 0,
                    prev: i["prev"] as? String, chain: i["chain"] as? String ?? EvidenceRecord.defaultChain)
            }
            if let err = v.expectedError {
                #expect(thrownStatus(run) == err)
                return
            }
            let r = try run()
            #expect(String(decoding: r.canonicalText, as: UTF8.self) == exp["text"] as? String)
            #expect(r.hash == exp["hash"] as? String)
            #expect(r.bodyDigest == exp["bodyDigest"] as? String)
            #expect(try EvidenceRecord.parse(text: r.canonicalText) == r)
            if let link = v.intermediate["link"] as? String {
                #expect(String(decoding: CanonicalJSON.bytes(r.linkJSON), as: UTF8.self) == link)
                let parsed = try EvidenceRecord.parse(text: Array(link.utf8))
                #expect(parsed.hash == r.hash && parsed.isLink)
                #expect(r.link == parsed)
            }
        case "record_parse":
            let run = { try EvidenceRecord.parse(text: Array((i["text"] as? String ?? "").utf8)) }
            if let err = v.expectedError {
                #expect(thrownStatus(run) == err)
                return
            }
            let r = try run()
            #expect(r.hash == exp["hash"] as? String)
            #expect(r.seq == riskUInt64(exp["seq"]))
            #expect(r.prev == exp["prev"] as? String)
            #expect(r.isLink == (exp["isLink"] as? Bool))
            #expect(r.decision?.decisionId == exp["decisionId"] as? String)
        case "receipt_sign":
            let key = try Ed25519.KeyPair(seed: CryptoVectors.bytes(i["seed"]))
            let run = { () throws -> String in
                try DecisionReceipt.sign(record: EvidenceRecord.parse(text: Array((i["record"] as? String ?? "").utf8)), key: key)
            }
            if let err = v.expectedError {
                #expect(thrownStatus(run) == err)
                return
            }
            let header = try run()
            #expect(header == exp["header"] as? String)
            #expect(key.receiptPublicKey.keyId == exp["kid"] as? String)
            #expect(String(decoding: CanonicalJSON.bytes(key.receiptPublicKey.jwk), as: UTF8.self) == exp["jwk"] as? String)
            let signed = try DecisionReceipt.parse(header)
            #expect(String(decoding: CanonicalJSON.bytes(signed.receipt.json), as: UTF8.self) == v.intermediate["receipt"] as? String)
            #expect(signed.isSigned(by: key.receiptPublicKey))
            #expect(try ReceiptPublicKey(jwk: key.receiptPublicKey.jwk) == key.receiptPublicKey)
        case "receipt_verify":
            let run = { () throws -> ReceiptVerification in
                let keys = try ReceiptPublicKey.parseSet(evidenceJSON(i["public_keys"]))
                let record = try (i["record"] as? String).map { try EvidenceRecord.parse(text: Array($0.utf8)) }
                return try DecisionReceipt.verify(i["header"] as? String ?? "", keys: keys, record: record)
            }
            if let err = v.expectedError {
                #expect(thrownStatus(run) == err)
                return
            }
            let r = try run()
            #expect(r.isValid == exp["isValid"] as? Bool)
            #expect(r.reasons == exp["reasons"] as? [String])
            #expect(r.receipt.keyId == exp["keyId"] as? String)
        case "bundle_build":
            let run = { () throws -> JSONValue in
                let records = try (i["records"] as? [String] ?? []).map { try EvidenceRecord.parse(text: Array($0.utf8)) }
                let attachments = try (i["attachments"] as? [String] ?? []).map { try EvidenceAttachment(text: $0) }
                return try EvidenceBundle.build(
                    decisionId: i["decision_id"] as? String ?? "", records: records,
                    signer: Ed25519.KeyPair(seed: CryptoVectors.bytes(i["seed"])), attachments: attachments,
                    exportedAt: riskUInt64(i["exported_at"]) ?? 0)
            }
            if let err = v.expectedError {
                #expect(thrownStatus(run) == err)
                return
            }
            let bundle = try run()
            #expect(String(decoding: CanonicalJSON.bytes(bundle), as: UTF8.self) == exp["bundle"] as? String)
            #expect(try EvidenceBundle.verify(bundle, trusted: nil).isValid)
        case "bundle_verify":
            let run = { () throws -> EvidenceBundleVerification in
                let trusted = try (i["public_keys"] as? String).map { try ReceiptPublicKey.parseSet(riskJSON($0)) }
                let bundle = try JSONValue.parse(i["bundle"] as? String ?? "",
                                                 limits: JSONLimits(maxBytes: EvidenceBundle.maxBytes, maxDepth: EvidenceBundle.maxDepth))
                return try EvidenceBundle.verify(bundle, trusted: trusted)
            }
            if let err = v.expectedError {
                #expect(thrownStatus(run) == err)
                return
            }
            let r = try run()
            #expect(r.isValid == exp["isValid"] as? Bool)
            #expect(r.codes == exp["codes"] as? [String], "\(r.reasons)")
            #expect(r.reasons.map(\.at) == exp["at"] as? [String])
            #expect(r.keyPinned == exp["keyPinned"] as? Bool)
            #expect(r.codes.allSatisfy { EvidenceBundle.allReasons.contains($0) })
            if let records = exp["records"] {
                let want = try JSONSerialization.data(withJSONObject: records, options: [.sortedKeys])
                let got = try JSONSerialization.jsonObject(with: Data(r.json["records"]?.serialized() ?? []))
                let gotData = try JSONSerialization.data(withJSONObject: got, options: [.sortedKeys])
                #expect(gotData == want)
            }
        case let op:
            Issue.record("unknown op \(op)")
        }
    }
}

@Suite("Dispute evidence: behaviour beyond the vectors")
struct EvidenceBehaviourTests {
    static let seed = [UInt8](repeating: 0x42, count: 32)

    static func decision(_ id: String, at: UInt64 = 1_740_672_000_150) throws -> EvidenceDecision {
        try EvidenceDecision(decision: .object(JSONObject([
            ("decisionId", .string(id)), ("kind", "verify"), ("decidedAt", .integer(at)), ("verdict", "allow"),
        ])))
    }

    @Test("a chain of 50 records links; every prefix verifies and each record's link hashes the same")
    func chainLinks() throws {
        var records: [EvidenceRecord] = []
        for n in 0..<50 {
            let r = try EvidenceRecord(decision: try Self.decision("d\(n % 7)"), seq: UInt64(n), prev: records.last?.hash)
            if let last = records.last { #expect(last.isFollowed(by: r)) }
            #expect(r.link.hash == r.hash)
            #expect(r.canonicalText == CanonicalJSON.bytes(r.json))  // the spliced text is the canonical text
            records.append(r)
        }
        let key = try Ed25519.KeyPair(seed: Self.seed)
        for id in ["d0", "d3", "d6"] {
            let first = records.firstIndex { $0.decision?.decisionId == id } ?? 0
            let bundle = try EvidenceBundle.build(decisionId: id, records: Array(records[first...]), signer: key, exportedAt: 1)
            let v = try EvidenceBundle.verify(bundle, trusted: [key.receiptPublicKey])
            #expect(v.isValid, "\(v.reasons)")
            #expect(v.records.count == records.filter { $0.decision?.decisionId == id }.count)
        }
    }

    @Test("stored receipts are reused, and a stored receipt of another key needs that key")
    func storedReceipts() throws {
        let old = try Ed25519.KeyPair(seed: [UInt8](repeating: 7, count: 32))
        let new = try Ed25519.KeyPair(seed: Self.seed)
        let r0 = try EvidenceRecord(decision: try Self.decision("a"), seq: 0, prev: nil)
        let stored = try DecisionReceipt.sign(record: r0, key: old)
        #expect(throws: X402SError.self) {
            try EvidenceBundle.build(decisionId: "a", records: [r0], signer: new, receipts: [stored], exportedAt: 1)
        }
        let bundle = try EvidenceBundle.build(decisionId: "a", records: [r0], signer: new, receipts: [stored],
                                              keys: [old.receiptPublicKey], exportedAt: 1)
        #expect(bundle["receipts"]?[0]?.stringValue == stored)
        let v = try EvidenceBundle.verify(bundle, trusted: [old.receiptPublicKey, new.receiptPublicKey])
        #expect(v.isValid, "\(v.reasons)")
        #expect(v.keyIds == [old.receiptPublicKey.keyId, new.receiptPublicKey.keyId])
        // pinned to the new key only: the old receipt is not trusted
        #expect(try EvidenceBundle.verify(bundle, trusted: [new.receiptPublicKey]).codes == ["key_not_trusted"])
    }

    @Test("random single-byte edits of a bundle never verify and never trap")
    func mutations() throws {
        let key = try Ed25519.KeyPair(seed: Self.seed)
        var records: [EvidenceRecord] = []
        for n in 0..<4 {
            records.append(try EvidenceRecord(decision: try Self.decision(n % 2 == 0 ? "x" : "y"), seq: UInt64(n), prev: records.last?.hash))
        }
        let text = CanonicalJSON.bytes(try EvidenceBundle.build(decisionId: "x", records: records, signer: key, exportedAt: 5))
        var rng = SystemRandomNumberGenerator()
        var rejected = 0
        for _ in 0..<300 {
            var t = text
            let at = Int.random(in: 0..<t.count, using: &rng)
            let old = t[at]
            repeat { t[at] = UInt8.random(in: 0x20...0x7E, using: &rng) } while t[at] == old
            guard let doc = try? JSONValue.parse(t, limits: JSONLimits(maxBytes: EvidenceBundle.maxBytes, maxDepth: EvidenceBundle.maxDepth)),
                  let v = try? EvidenceBundle.verify(doc, trusted: [key.receiptPublicKey])
            else {
                rejected += 1
                continue
            }
            // An edit that keeps the bundle well-formed must still be caught, unless it only
            // changed the free text of a reason-less member that nothing signs (none exists).
            #expect(!v.isValid || CanonicalJSON.bytes(doc) == text, "edit at \(at) verified")
            rejected += 1
        }
        #expect(rejected == 300)
    }

    @Test("secrets: a receipt key prints no secret")
    func noSecretInDescription() throws {
        let key = try Ed25519.KeyPair(seed: Self.seed)
        #expect(!key.description.contains(Hex.encode(Self.seed, prefix: false)))
    }
}
