import CX402Secure
import Foundation
import Testing
@testable import X402Secure
import X402SecureFFI

/// The C ABI of the evidence section called from Swift: a good call after a size query,
/// then NULL pointers, a short buffer, malformed, invalid UTF-8 and oversize input, each
/// with the specific status the header documents.
@Suite struct EvidenceFFITests {
    /// One function with a single variable input (the others are fixed inside the closure).
    struct Case: Sendable, CustomStringConvertible {
        let name: String
        let fn: @Sendable (UnsafeMutablePointer<UInt8>?, Int, UnsafeMutablePointer<Int>?, UnsafePointer<UInt8>?, Int,
                           UnsafeMutablePointer<x402s_error>?) -> Int32
        let good: [UInt8]
        let bad: [UInt8]
        let badStatus: Int32
        let oversize: Int
        let oversizeStatus: Int32
        var description: String { name }
    }

    static let vectors = CryptoVectors.load("evidence")
    static func vector(_ name: String) -> CryptoVectors.Vector? { vectors.first { $0.name == name } }
    static func text(_ name: String, _ key: String, input: Bool = false) -> [UInt8] {
        let v = vector(name)
        return Array(((input ? v?.input[key] : v?.expect[key]) as? String ?? "").utf8)
    }

    /// The receipt signer: the vectors' seed as an x402s_signer (never freed: lives as long as the tests).
    nonisolated(unsafe) static let signer: OpaquePointer? = {
        var s: OpaquePointer?
        let seed = [UInt8](repeating: 0x42, count: 32)
        _ = x402s_signer_new(&s, seed, 32, UInt32(X402S_KEY_ED25519_SEED), nil)
        return s
    }()
    nonisolated(unsafe) static let evmSigner: OpaquePointer? = {
        var s: OpaquePointer?
        let key = [UInt8](repeating: 0x01, count: 32)
        _ = x402s_signer_new(&s, key, 32, UInt32(X402S_KEY_SECP256K1), nil)
        return s
    }()

    static let record = text("record_make seq 1 (dec-1 verify)", "text")
    static let receipt = text("receipt_sign seq 1", "header")
    static let keys: [UInt8] = Array((vector("receipt_verify good (JWK Set)")?.input["public_keys"] as? String ?? "").utf8)
    static let bundle = text("bundle_build dec-1 (verify + settle, a link between, trace attached)", "bundle")
    static let makeRequest: [UInt8] = {
        let v = vector("record_make seq 1 (dec-1 verify)")
        let d = v?.input["decision_json"] as? String ?? ""
        let prev = v?.input["prev"] as? String ?? ""
        return Array(#"{"seq":1,"prev":"\#(prev)","decision":\#(d)}"#.utf8)
    }()
    static let buildRequest: [UInt8] = {
        let v = vector("bundle_build dec-1 (verify + settle, a link between, trace attached)")
        let o: [String: Any] = ["decisionId": "dec-1", "records": v?.input["records"] ?? [], "attachments": v?.input["attachments"] ?? [],
                                "exportedAt": v?.input["exported_at"] ?? 0]
        return Array((try? JSONSerialization.data(withJSONObject: o)) ?? Data())
    }()

    static let cases: [Case] = [
        Case(name: "x402s_evidence_record_make", fn: { x402s_evidence_record_make($0, $1, $2, $3, $4, $5) },
             good: makeRequest, bad: Array(#"{"seq":0,"decision":{"kind":"verify"}}"#.utf8),
             badStatus: Int32(X402S_ERR_EVIDENCE_INVALID_RECORD), oversize: 1 << 20 + 1, oversizeStatus: Int32(X402S_ERR_INPUT_TOO_LARGE)),
        Case(name: "x402s_evidence_record_parse", fn: { x402s_evidence_record_parse($0, $1, $2, $3, $4, $5) },
             good: record, bad: record + [0x0A], badStatus: Int32(X402S_ERR_EVIDENCE_NOT_CANONICAL),
             oversize: 1 << 20 + 1, oversizeStatus: Int32(X402S_ERR_INPUT_TOO_LARGE)),
        Case(name: "x402s_evidence_receipt_sign", fn: { x402s_evidence_receipt_sign($0, $1, $2, signer, $3, $4, $5) },
             good: record, bad: Array("{}".utf8), badStatus: Int32(X402S_ERR_EVIDENCE_INVALID_RECORD),
             oversize: 1 << 20 + 1, oversizeStatus: Int32(X402S_ERR_INPUT_TOO_LARGE)),
        Case(name: "x402s_evidence_receipt_verify", fn: { out, cap, len, p, n, e in
                 keys.withUnsafeBufferPointer { k in x402s_evidence_receipt_verify(out, cap, len, p, n, k.baseAddress, k.count, nil, 0, e) } },
             good: receipt, bad: Array("rcpt.v1;m=e30;sig=AA".utf8), badStatus: Int32(X402S_ERR_EVIDENCE_INVALID_RECEIPT),
             oversize: 4097, oversizeStatus: Int32(X402S_ERR_RISK_HEADER_TOO_LONG)),
        Case(name: "x402s_evidence_bundle_build", fn: { x402s_evidence_bundle_build($0, $1, $2, $3, $4, signer, $5) },
             good: buildRequest, bad: Array(#"{"decisionId":"nope","records":[]}"#.utf8),
             badStatus: Int32(X402S_ERR_EVIDENCE_INVALID_BUNDLE), oversize: 32 << 20 + 1, oversizeStatus: Int32(X402S_ERR_INPUT_TOO_LARGE)),
        Case(name: "x402s_evidence_bundle_verify", fn: { out, cap, len, p, n, e in
                 keys.withUnsafeBufferPointer { k in x402s_evidence_bundle_verify(out, cap, len, p, n, k.baseAddress, k.count, e) } },
             good: bundle, bad: Array(#"{"v":1}"#.utf8), badStatus: Int32(X402S_ERR_EVIDENCE_INVALID_BUNDLE),
             oversize: 32 << 20 + 1, oversizeStatus: Int32(X402S_ERR_INPUT_TOO_LARGE)),
    ]

    static func call(_ c: Case, _ input: [UInt8]?, cap: Int, outLen: Bool = true) -> (Int32, [UInt8], Int, x402s_error) {
        var out = [UInt8](repeating: 0, count: max(cap, 1))
        var len = 0
        var err = x402s_error()
        let st: Int32
        if let input {
            st = input.withUnsafeBufferPointer { inp in
                out.withUnsafeMutableBufferPointer { o in
                    outLen ? c.fn(o.baseAddress, cap, &len, inp.baseAddress, inp.count, &err)
                           : c.fn(o.baseAddress, cap, nil, inp.baseAddress, inp.count, &err)
                }
            }
        } else {
            st = out.withUnsafeMutableBufferPointer { o in c.fn(o.baseAddress, cap, &len, nil, 5, &err) }
        }
        return (st, Array(out.prefix(min(len, cap))), len, err)
    }

    @Test(arguments: cases) func goodInputAfterSizeQuery(_ c: Case) {
        let (st0, _, needed, err0) = Self.call(c, c.good, cap: 0)
        #expect(st0 == Int32(X402S_ERR_BUFFER_TOO_SMALL), "\(String(cString: withUnsafeBytes(of: err0.message) { Array($0) + [0] }))")
        #expect(needed > 0)
        let (st, _, len, _) = Self.call(c, c.good, cap: needed)
        #expect(st == 0)
        #expect(len == needed)
        // one byte short
        #expect(Self.call(c, c.good, cap: needed - 1).0 == Int32(X402S_ERR_BUFFER_TOO_SMALL))
    }

    @Test(arguments: cases) func badInputGivesSpecificStatus(_ c: Case) {
        let (stNull, _, _, errNull) = Self.call(c, nil, cap: 64)
        #expect(stNull == Int32(X402S_ERR_NULL_ARGUMENT))
        #expect(errNull.code == Int32(X402S_ERR_NULL_ARGUMENT))
        #expect(Self.call(c, c.good, cap: 1 << 16, outLen: false).0 == Int32(X402S_ERR_NULL_ARGUMENT))
        let (stBad, _, _, errBad) = Self.call(c, c.bad, cap: 4096)
        #expect(stBad == c.badStatus)
        #expect(errBad.code == c.badStatus)
        #expect(Self.call(c, [0x7B, 0xFF, 0xFE, 0x7D], cap: 4096).0 == Int32(X402S_ERR_INVALID_UTF8))
        #expect(Self.call(c, [UInt8](repeating: 0x7B, count: c.oversize), cap: 4096).0 == c.oversizeStatus)
    }

    @Test func signerMisuse() {
        var out = [UInt8](repeating: 0, count: 4096)
        var len = 0
        var err = x402s_error()
        let r = Self.record
        // NULL signer, and a secp256k1 signer where an Ed25519 one is needed
        #expect(x402s_evidence_receipt_sign(&out, out.count, &len, nil, r, r.count, &err) == Int32(X402S_ERR_NULL_ARGUMENT))
        #expect(x402s_evidence_receipt_sign(&out, out.count, &len, Self.evmSigner, r, r.count, &err) == Int32(X402S_ERR_INVALID_KEY))
        #expect(x402s_evidence_public_key(&out, out.count, &len, nil, &err) == Int32(X402S_ERR_NULL_ARGUMENT))
        #expect(x402s_evidence_public_key(&out, out.count, &len, Self.evmSigner, &err) == Int32(X402S_ERR_INVALID_KEY))
        #expect(x402s_evidence_public_key(&out, out.count, &len, Self.signer, &err) == 0)
        #expect(String(decoding: out.prefix(len), as: UTF8.self) == String(decoding: Self.text("receipt_sign seq 1", "jwk"), as: UTF8.self))
        #expect(x402s_evidence_public_key(&out, 10, &len, Self.signer, &err) == Int32(X402S_ERR_BUFFER_TOO_SMALL))
        let req = Self.buildRequest
        #expect(x402s_evidence_bundle_build(&out, out.count, &len, req, req.count, nil, &err) == Int32(X402S_ERR_NULL_ARGUMENT))
        // receipt_verify: keys are required; a malformed key set is its own status
        let rc = Self.receipt
        #expect(x402s_evidence_receipt_verify(&out, out.count, &len, rc, rc.count, nil, 0, nil, 0, &err) == Int32(X402S_ERR_NULL_ARGUMENT))
        let badKeys = Array(#"{"keys":[]}"#.utf8)
        #expect(x402s_evidence_receipt_verify(&out, out.count, &len, rc, rc.count, badKeys, badKeys.count, nil, 0, &err)
                == Int32(X402S_ERR_EVIDENCE_INVALID_RECEIPT))
        #expect(x402s_evidence_bundle_verify(&out, out.count, &len, rc, rc.count, badKeys, badKeys.count, &err)
                == Int32(X402S_ERR_EVIDENCE_INVALID_RECEIPT))
    }

    @Test func verdictsAreWrittenWhenVerificationFails() {
        var out = [UInt8](repeating: 0, count: 1 << 16)
        var len = 0
        var err = x402s_error()
        let otherKey = (try? Ed25519.KeyPair(seed: [UInt8](repeating: 7, count: 32)))?.receiptPublicKey
        let other = CanonicalJSON.bytes(ReceiptPublicKey.keySet(otherKey.map { [$0] } ?? []))
        let b = Self.bundle
        #expect(x402s_evidence_bundle_verify(&out, out.count, &len, b, b.count, other, other.count, &err)
                == Int32(X402S_ERR_EVIDENCE_VERIFY_FAILED))
        #expect(err.code == Int32(X402S_ERR_EVIDENCE_VERIFY_FAILED))
        let verdict = (try? JSONValue.parse(Array(out.prefix(len)))) ?? .null
        #expect(verdict["isValid"] == .bool(false))
        #expect(verdict["reasons"]?[0]?["code"]?.stringValue == "key_not_trusted")
        let rc = Self.receipt
        #expect(x402s_evidence_receipt_verify(&out, out.count, &len, rc, rc.count, other, other.count, nil, 0, &err)
                == Int32(X402S_ERR_EVIDENCE_VERIFY_FAILED))
        #expect(((try? JSONValue.parse(Array(out.prefix(len)))) ?? .null)["reasons"] == .array(["receipt_key_unknown"]))
    }
}
