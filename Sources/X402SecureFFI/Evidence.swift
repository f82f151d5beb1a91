// Exported C functions for dispute evidence (include/x402_secure.h, section "Evidence for
// disputes"). Glue only: JSON in, JSON out; every rule lives in Sources/X402Secure/Evidence.
// Request objects are checked for unknown members so a misspelt key fails loudly.
import CX402Secure
import X402Secure

let evidenceRecordLimit = Int(X402S_EVIDENCE_MAX_RECORD_BYTES)
let evidenceBundleLimit = Int(X402S_EVIDENCE_MAX_BUNDLE_BYTES)

/// The Ed25519 key pair of a receipt signer.
func receiptKey(_ signer: OpaquePointer?) throws(X402SError) -> Ed25519.KeyPair {
    guard case .solana(let pair) = try signerOf(signer) else {
        throw X402SError(.invalidKey, "the receipt key must be an Ed25519 signer (X402S_KEY_ED25519_SEED)")
    }
    return pair
}

/// A stored record text (canonical, at most X402S_EVIDENCE_MAX_RECORD_BYTES).
func recordInput(_ pointer: UnsafePointer<UInt8>?, _ length: Int, _ name: StaticString) throws(X402SError) -> EvidenceRecord {
    try EvidenceRecord.parse(text: Array(try boundedInput(pointer, length, name, limit: evidenceRecordLimit)))
}

/// Trusted receipt keys (JSON: JWK, JWK Set, array of JWKs, or a string with the raw key).
func receiptKeysInput(_ pointer: UnsafePointer<UInt8>?, _ length: Int, _ name: StaticString) throws(X402SError) -> [ReceiptPublicKey]? {
    guard let v = try optionalJSONInput(pointer, length, name) else { return nil }
    return try ReceiptPublicKey.parseSet(v)
}

@c @implementation
public func x402s_evidence_record_make(
    _ out: UnsafeMutablePointer<UInt8>?, _ out_cap: Int, _ out_len: UnsafeMutablePointer<Int>?,
    _ request_json: UnsafePointer<UInt8>?, _ request_json_len: Int,
    _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        let what = "request_json"
        let raw = try boundedInput(request_json, request_json_len, "request_json", limit: evidenceRecordLimit)
        let o = try riskObject(try JSONValue.parse(raw, limits: JSONLimits(maxBytes: evidenceRecordLimit)), what,
                               allowed: ["decision", "seq", "prev", "chain"])
        guard let d = o["decision"] else { throw X402SError(.invalidArgument, "\(what) needs a 'decision'") }
        guard let seq = o["seq"]?.uint64Value else {
            throw X402SError(.evidenceInvalidRecord, "\(what) 'seq' must be a non-negative integer")
        }
        let record = try EvidenceRecord(
            decision: try EvidenceDecision(decision: d), seq: seq,
            prev: try riskOptionalString(o, "prev", what, status: .evidenceInvalidRecord),
            chain: try riskOptionalString(o, "chain", what, status: .evidenceInvalidRecord) ?? EvidenceRecord.defaultChain)
        let text = record.canonicalText
        guard text.count <= evidenceRecordLimit else {
            throw X402SError(.inputTooLarge, "the record would be larger than \(evidenceRecordLimit) bytes")
        }
        try writeJSON(.object(JSONObject([
            ("text", .string(String(decoding: text, as: UTF8.self))), ("hash", .string(record.hash)),
            ("prev", .string(record.prev)), ("seq", .integer(record.seq)), ("chain", .string(record.chain)),
            ("decisionId", .string(record.decision?.decisionId ?? "")), ("bodyDigest", .string(record.bodyDigest)),
        ])), out, out_cap, out_len)
    }
}

@c @implementation
public func x402s_evidence_record_parse(
    _ out: UnsafeMutablePointer<UInt8>?, _ out_cap: Int, _ out_len: UnsafeMutablePointer<Int>?,
    _ record: UnsafePointer<UInt8>?, _ record_len: Int,
    _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        let r = try recordInput(record, record_len, "record")
        try writeJSON(.object(JSONObject([
            ("hash", .string(r.hash)), ("prev", .string(r.prev)), ("seq", .integer(r.seq)), ("chain", .string(r.chain)),
            ("bodyDigest", .string(r.bodyDigest)), ("decisionId", r.decision.map { .string($0.decisionId) } ?? .null),
            ("isLink", .bool(r.isLink)),
        ])), out, out_cap, out_len)
    }
}

@c @implementation
public func x402s_evidence_public_key(
    _ out: UnsafeMutablePointer<UInt8>?, _ out_cap: Int, _ out_len: UnsafeMutablePointer<Int>?,
    _ signer: OpaquePointer?,
    _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        try writeVariable(CanonicalJSON.bytes(try receiptKey(signer).receiptPublicKey.jwk), out, out_cap, out_len, "out")
    }
}

@c @implementation
public func x402s_evidence_receipt_sign(
    _ out: UnsafeMutablePointer<UInt8>?, _ out_cap: Int, _ out_len: UnsafeMutablePointer<Int>?,
    _ signer: OpaquePointer?,
    _ record: UnsafePointer<UInt8>?, _ record_len: Int,
    _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        let key = try receiptKey(signer)
        try writeText(try DecisionReceipt.sign(record: try recordInput(record, record_len, "record"), key: key),
                      out, out_cap, out_len, "out")
    }
}

@c @implementation
public func x402s_evidence_receipt_verify(
    _ out: UnsafeMutablePointer<UInt8>?, _ out_cap: Int, _ out_len: UnsafeMutablePointer<Int>?,
    _ receipt: UnsafePointer<UInt8>?, _ receipt_len: Int,
    _ public_keys_json: UnsafePointer<UInt8>?, _ public_keys_json_len: Int,
    _ record: UnsafePointer<UInt8>?, _ record_len: Int,
    _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        let text = try riskHeaderInput(receipt, receipt_len, "receipt", maxLength: DecisionReceipt.maxLength,
                                       header: DecisionReceipt.headerName)
        guard let keys = try receiptKeysInput(public_keys_json, public_keys_json_len, "public_keys_json") else {
            throw X402SError(.nullArgument, "public_keys_json is required")
        }
        let r = (record == nil && record_len == 0) ? nil : try recordInput(record, record_len, "record")
        let result = try DecisionReceipt.verify(text, keys: keys, record: r)
        try writeJSON(result.json, out, out_cap, out_len)
        guard result.isValid else {
            throw X402SError(.evidenceVerifyFailed, "the receipt does not hold: \(result.reasons.joined(separator: ", "))")
        }
    }
}

@c @implementation
public func x402s_evidence_bundle_build(
    _ out: UnsafeMutablePointer<UInt8>?, _ out_cap: Int, _ out_len: UnsafeMutablePointer<Int>?,
    _ request_json: UnsafePointer<UInt8>?, _ request_json_len: Int,
    _ signer: OpaquePointer?,
    _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        let what = "request_json"
        let key = try receiptKey(signer)
        let raw = try boundedInput(request_json, request_json_len, "request_json", limit: evidenceBundleLimit)
        let o = try riskObject(
            try JSONValue.parse(raw, limits: JSONLimits(maxBytes: evidenceBundleLimit, maxDepth: 8)), what,
            allowed: ["decisionId", "records", "attachments", "receipts", "publicKeys", "exportedAt"])
        let decisionId = try riskString(o, "decisionId", what, status: .evidenceInvalidBundle)
        func strings(_ key: String, required: Bool) throws(X402SError) -> [String] {
            switch o[key] {
            case nil where !required: return []
            case .array(let a)?:
                var out: [String] = []
                for v in a {
                    guard case .string(let s) = v else { throw X402SError(.invalidArgument, "\(what) '\(key)' must be an array of strings") }
                    out.append(s)
                }
                return out
            default: throw X402SError(.invalidArgument, "\(what) '\(key)' must be an array of strings")
            }
        }
        var records: [EvidenceRecord] = []
        for text in try strings("records", required: true) {
            let bytes = Array(text.utf8)
            guard bytes.count <= evidenceRecordLimit else {
                throw X402SError(.inputTooLarge, "a record is larger than \(evidenceRecordLimit) bytes")
            }
            records.append(try EvidenceRecord.parse(text: bytes))
        }
        var attachments: [EvidenceAttachment] = []
        switch o["attachments"] {
        case nil: break
        case .array(let a)?:
            for v in a {
                switch v {
                case .string(let s): attachments.append(try EvidenceAttachment(text: s))
                case .object:
                    let m = try riskObject(v, "\(what) attachment", allowed: ["text", "mediaType"])
                    attachments.append(try EvidenceAttachment(
                        text: try riskString(m, "text", "\(what) attachment"),
                        mediaType: try riskOptionalString(m, "mediaType", "\(what) attachment") ?? "application/json"))
                default: throw X402SError(.invalidArgument, "\(what) attachments must be texts or {text, mediaType}")
                }
            }
        default: throw X402SError(.invalidArgument, "\(what) 'attachments' must be an array")
        }
        let keys = try o["publicKeys"].map { v throws(X402SError) in try ReceiptPublicKey.parseSet(v) } ?? []
        var exportedAt = UInt64(max(0, RiskClock.nowMicros() / 1000))
        if let v = o["exportedAt"] {
            guard let n = v.uint64Value else {
                throw X402SError(.invalidArgument, "\(what) 'exportedAt' must be Unix milliseconds")
            }
            exportedAt = n
        }
        let bundle = try EvidenceBundle.build(
            decisionId: decisionId, records: records, signer: key, receipts: try strings("receipts", required: false),
            keys: keys, attachments: attachments, exportedAt: exportedAt)
        try writeVariable(CanonicalJSON.bytes(bundle), out, out_cap, out_len, "out")
    }
}

@c @implementation
public func x402s_evidence_bundle_verify(
    _ out: UnsafeMutablePointer<UInt8>?, _ out_cap: Int, _ out_len: UnsafeMutablePointer<Int>?,
    _ bundle_json: UnsafePointer<UInt8>?, _ bundle_json_len: Int,
    _ public_keys_json: UnsafePointer<UInt8>?, _ public_keys_json_len: Int,
    _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        let trusted = try receiptKeysInput(public_keys_json, public_keys_json_len, "public_keys_json")
        let raw = try boundedInput(bundle_json, bundle_json_len, "bundle_json", limit: evidenceBundleLimit)
        let bundle = try JSONValue.parse(raw, limits: JSONLimits(maxBytes: evidenceBundleLimit, maxDepth: EvidenceBundle.maxDepth))
        let result = try EvidenceBundle.verify(bundle, trusted: trusted)
        try writeJSON(result.json, out, out_cap, out_len)
        guard result.isValid else {
            throw X402SError(.evidenceVerifyFailed, "the bundle does not verify: \(result.codes.joined(separator: ", "))")
        }
    }
}
