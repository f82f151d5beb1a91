/// Evidence bundles: everything needed to check one decision offline (docs/EVIDENCE.md).
///
/// ```
/// {"attachments":[{"digest","mediaType","text"}…], "decisionId", "keys":[JWK…],
///  "manifest":"bnd.v1;m=…;sig=…", "receipts":["rcpt.v1;…"…], "segment":[record | link …],
///  "type":"x402-secure.evidence.bundle", "v":1}
/// ```
/// `segment` is the contiguous run of the chain from the decision's first record to its
/// last: the decision's own records in full, every other record as its link (body by
/// digest). `receipts` holds one receipt per record of the decision; `manifest` is the
/// proxy's signed statement, at export time, of which records the decision has (so
/// dropping one of them together with its receipt is detected); `keys` the JWKs of the keys
/// that signed; `attachments` the texts the records reference by digest (the canonical
/// agent trace; the mandate when the proxy had it).

/// The proxy's signed list of a decision's records at export time:
/// `{"chain","decisionId","exportedAt","kid","records":[{"hash","seq"}…],"v":1}`, signed
/// with Ed25519 over `"x402-secure/evidence-bundle/v1\n" ‖ canonical JSON`, carried as
/// `bnd.v1;m=<base64url>;sig=<base64url>` (``EvidenceEnvelope``).
public struct BundleManifest: Sendable, Equatable {
    /// The version tag of the signed text.
    public static let versionTag = "bnd.v1"
    /// The domain-separation prefix of the signed bytes.
    public static let signingDomain: [UInt8] = Array("x402-secure/evidence-bundle/v1\n".utf8)
    /// The longest signed text accepted (64 KiB: several hundred records).
    public static let maxLength = 64 << 10
    static let members = ["chain", "decisionId", "exportedAt", "kid", "records", "v"]

    public let keyId: String
    public let decisionId: String
    public let chain: String
    /// Unix milliseconds of the export.
    public let exportedAt: UInt64
    /// The decision's records: (seq, hash), in chain order.
    public let records: [(seq: UInt64, hash: String)]

    public init(keyId: String, decisionId: String, chain: String, exportedAt: UInt64, records: [(seq: UInt64, hash: String)]) {
        self.keyId = keyId
        self.decisionId = decisionId
        self.chain = chain
        self.exportedAt = exportedAt
        self.records = records
    }

    public static func == (a: BundleManifest, b: BundleManifest) -> Bool {
        CanonicalJSON.bytes(a.json) == CanonicalJSON.bytes(b.json)
    }

    /// Parses the manifest object (strict).
    /// - Throws: ``X402SStatus/evidenceInvalidReceipt``.
    public init(json: JSONValue) throws(X402SError) {
        let st = X402SStatus.evidenceInvalidReceipt, what = "the manifest"
        guard case .object(let o) = json else { throw X402SError(st, "a manifest must be a JSON object") }
        try EvidenceField.members(o, what, allowed: Self.members, required: Self.members, status: st)
        guard EvidenceField.integer(o["v"]) == 1 else { throw X402SError(st, "the manifest 'v' must be 1") }
        guard case .string(let kid)? = o["kid"], ReceiptPublicKey.strictBase64URL(kid)?.count == 32 else {
            throw X402SError(st, "the manifest 'kid' must be a key thumbprint")
        }
        keyId = kid
        decisionId = try EvidenceField.token(o, "decisionId", what, max: 128, status: st)
        chain = try EvidenceField.token(o, "chain", what, max: 64, status: st)
        exportedAt = try EvidenceField.requiredInteger(o, "exportedAt", what, status: st)
        guard case .array(let list)? = o["records"] else { throw X402SError(st, "the manifest 'records' must be an array") }
        var records: [(seq: UInt64, hash: String)] = []
        for r in list {
            guard case .object(let ro) = r else { throw X402SError(st, "the manifest records are {hash, seq}") }
            try EvidenceField.members(ro, "a manifest record", allowed: ["hash", "seq"], required: ["hash", "seq"], status: st)
            records.append((try EvidenceField.requiredInteger(ro, "seq", what, status: st),
                            try EvidenceField.digest(ro, "hash", what, status: st)))
        }
        self.records = records
    }

    /// The manifest object, members in canonical order.
    public var json: JSONValue {
        .object(JSONObject([
            ("chain", .string(chain)), ("decisionId", .string(decisionId)), ("exportedAt", .integer(exportedAt)),
            ("kid", .string(keyId)),
            ("records", .array(records.map { .object(JSONObject([("hash", .string($0.hash)), ("seq", .integer($0.seq))])) })),
            ("v", .integer(1)),
        ]))
    }

    /// The bytes the proxy signs.
    public var signingBytes: [UInt8] { Self.signingDomain + CanonicalJSON.bytes(json) }

    /// Signs and encodes the manifest.
    public func signed(by key: Ed25519.KeyPair) -> String {
        EvidenceEnvelope.encode(tag: Self.versionTag, message: CanonicalJSON.bytes(json), signature: key.sign(signingBytes))
    }

    /// Parses a signed manifest; returns it with its signature.
    /// - Throws: ``X402SStatus/evidenceInvalidReceipt`` (``X402SStatus/riskHeaderTooLong`` above 64 KiB).
    public static func parse(_ value: String) throws(X402SError) -> (manifest: BundleManifest, signature: [UInt8]) {
        let e = try EvidenceEnvelope.parse(value, tag: versionTag, name: "the manifest", maxLength: maxLength)
        let m = try BundleManifest(json: e.json)
        guard CanonicalJSON.bytes(m.json) == e.message else {
            throw X402SError(.evidenceInvalidReceipt, "the manifest m is not its canonical JSON")
        }
        return (m, e.signature)
    }
}

/// A text a record references by digest.
public struct EvidenceAttachment: Sendable, Equatable {
    /// `sha256:` of the text's UTF-8 bytes.
    public let digest: String
    /// Its media type (`application/json` for traces).
    public let mediaType: String
    /// The text.
    public let text: String

    /// An attachment of `text` (the digest is computed here).
    /// - Throws: ``X402SStatus/evidenceInvalidBundle`` for a media type that is not 1-128
    ///   bytes of visible ASCII.
    public init(text: String, mediaType: String = "application/json") throws(X402SError) {
        guard !mediaType.isEmpty, mediaType.utf8.count <= 128, mediaType.utf8.allSatisfy({ $0 >= 0x21 && $0 <= 0x7E }) else {
            throw X402SError(.evidenceInvalidBundle, "an attachment media type must be 1-128 bytes of visible ASCII")
        }
        self.digest = EvidenceDigest.sha256(Array(text.utf8))
        self.mediaType = mediaType
        self.text = text
    }

    var json: JSONValue {
        .object(JSONObject([("digest", .string(digest)), ("mediaType", .string(mediaType)), ("text", .string(text))]))
    }
}

/// One failed check of a bundle.
public struct EvidenceBundleReason: Sendable, Equatable {
    /// The reason code (see ``EvidenceBundle/verify(_:trusted:)``).
    public let code: String
    /// Where: `bundle`, `segment[i]`, `receipts[i]` or `attachments[i]`.
    public let at: String
    /// A short explanation (field names, sequence numbers, x402 reason codes).
    public let detail: String

    var json: JSONValue {
        .object(JSONObject([("code", .string(code)), ("at", .string(at)), ("detail", .string(detail))]))
    }
}

/// The outcome of checking the payment of one record (offline, at the decision time).
public struct EvidencePaymentCheck: Sendable, Equatable {
    /// The Unix time (seconds) the payment was checked at: the record's `decidedAt` / 1000.
    public let checkedAt: UInt64
    /// `true` when the core's offline verification passed (payer signature included).
    public let isValid: Bool
    /// The x402 reason code when invalid (or `payment_malformed`).
    public let invalidReason: String?
    /// The payer named by the payment, when known.
    public let payer: String?

    var json: JSONValue {
        .object(JSONObject([
            ("checkedAt", .integer(checkedAt)), ("isValid", .bool(isValid)),
            ("invalidReason", EvidenceField.orNull(invalidReason)), ("payer", EvidenceField.orNull(payer)),
        ]))
    }
}

/// The verdict on a bundle: `isValid` only when every check passed.
public struct EvidenceBundleVerification: Sendable, Equatable {
    /// A record of the decision, as checked.
    public struct Record: Sendable, Equatable {
        public let seq: UInt64
        public let hash: String
        public let kind: String
        public let verdict: String
        public let decidedAt: UInt64
        /// `nil` when the record holds no payment.
        public let payment: EvidencePaymentCheck?

        var json: JSONValue {
            .object(JSONObject([
                ("seq", .integer(seq)), ("hash", .string(hash)), ("kind", .string(kind)), ("verdict", .string(verdict)),
                ("decidedAt", .integer(decidedAt)), ("payment", payment?.json ?? .null),
            ]))
        }
    }

    /// `true` only when every check passed.
    public let isValid: Bool
    /// The bundle's decision id.
    public let decisionId: String
    /// `true` when the caller pinned the trusted keys; `false` when the bundle's own keys were
    /// used (then a valid verdict proves integrity, not who signed).
    public let keyPinned: Bool
    /// The key ids of the receipts.
    public let keyIds: [String]
    /// The decision's records, in chain order.
    public let records: [Record]
    /// Every failed check, in check order.
    public let reasons: [EvidenceBundleReason]

    /// The reason codes, in order.
    public var codes: [String] { reasons.map(\.code) }

    /// `{"isValid","decisionId","keyPinned","keyIds","records","reasons"}`.
    public var json: JSONValue {
        .object(JSONObject([
            ("isValid", .bool(isValid)), ("decisionId", .string(decisionId)), ("keyPinned", .bool(keyPinned)),
            ("keyIds", .array(keyIds.map { .string($0) })), ("records", .array(records.map(\.json))),
            ("reasons", .array(reasons.map(\.json))),
        ]))
    }
}

public enum EvidenceBundle {
    /// The `type` member.
    public static let type = "x402-secure.evidence.bundle"
    /// The largest bundle accepted, in bytes (32 MiB).
    public static let maxBytes = 32 << 20
    /// JSON nesting accepted in a bundle: a record's own limit plus the bundle's levels.
    public static let maxDepth = JSONLimits.default.maxDepth + 8
    static let members = ["attachments", "decisionId", "keys", "manifest", "receipts", "segment", "type", "v"]

    /// Every reason code, in check order.
    public static let allReasons = [
        "record_malformed", "chain_mismatch", "chain_seq_gap", "chain_link_broken", "record_foreign", "record_missing",
        "receipt_malformed", "key_not_trusted", "receipt_key_unknown", "receipt_signature_invalid", "receipt_unmatched",
        "receipt_record_mismatch", "receipt_missing", "manifest_malformed", "manifest_key_unknown",
        "manifest_signature_invalid", "manifest_mismatch", "attachment_malformed", "attachment_digest_mismatch",
        "attachment_missing", "attachment_unreferenced", "payment_malformed", "payment_header_mismatch",
        "payer_signature_invalid", "payment_invalid_at_decision",
    ]

    // MARK: - build

    /// Builds the bundle of one decision from stored records.
    ///
    /// - Parameters:
    ///   - decisionId: the decision.
    ///   - records: stored records in chain order covering at least the decision's first to
    ///     last record (others before or after are dropped; those in between become links).
    ///   - signer: the proxy key: signs the manifest, and the receipt of every decision
    ///     record that has no stored receipt in `receipts` (Ed25519 is deterministic: the same
    ///     key gives the receipt the seller received).
    ///   - receipts: stored receipt headers (optional; one that belongs to a decision record
    ///     must verify under `signer` or `keys`).
    ///   - keys: public keys of stored receipts signed by earlier keys.
    ///   - attachments: texts referenced by digest (agent traces, mandates); those no record
    ///     of the decision references are dropped.
    ///   - exportedAt: the export time in Unix milliseconds (the manifest's `exportedAt`).
    /// - Returns: the bundle object (serialise it with ``CanonicalJSON``).
    /// - Throws: ``X402SStatus/evidenceInvalidBundle`` when the records do not link, hold no
    ///   record of the decision, a referenced trace has no attachment, or a stored receipt
    ///   does not verify; the errors of ``DecisionReceipt/parse(_:)`` for a malformed stored
    ///   receipt.
    public static func build(
        decisionId: String, records: [EvidenceRecord], signer: Ed25519.KeyPair, receipts: [String] = [],
        keys: [ReceiptPublicKey] = [], attachments: [EvidenceAttachment] = [], exportedAt: UInt64
    ) throws(X402SError) -> JSONValue {
        let st = X402SStatus.evidenceInvalidBundle
        guard EvidenceField.isToken(decisionId, max: 128) else {
            throw X402SError(st, "the decision id must be 1-128 characters of A-Z a-z 0-9 . _ : -")
        }
        for i in records.indices.dropFirst() where !records[i - 1].isFollowed(by: records[i]) {
            throw X402SError(st, "the stored records do not link at seq \(records[i].seq) (chain order, seq + 1, prev hash)")
        }
        let mine = records.indices.filter { records[$0].decision.map { RiskText.same($0.decisionId, decisionId) } ?? false }
        let isMine = Set(mine)
        guard let first = mine.first, let last = mine.last else {
            throw X402SError(st, "no record of the decision among the records given")
        }
        guard exportedAt <= EvidenceField.maxInteger else { throw X402SError(st, "exportedAt must be at most 2^53-1") }
        let signerKey = signer.receiptPublicKey
        var known = keys
        known.insert(signerKey, at: 0)
        let stored = try receipts.map { (r: String) throws(X402SError) in (header: r, signed: try DecisionReceipt.parse(r)) }
        var segment: [JSONValue] = []
        var chosen: [String] = []
        var used: [ReceiptPublicKey] = [signerKey]
        var referenced: [String] = []
        for i in first...last {
            let record = records[i]
            guard isMine.contains(i), let decision = record.decision else {
                segment.append(record.linkJSON)
                continue
            }
            segment.append(record.json)
            let header: String
            let kid: String
            if let s = stored.first(where: { RiskText.same($0.signed.receipt.record, record.hash) }) {
                guard let key = known.first(where: { RiskText.same($0.keyId, s.signed.receipt.keyId) }),
                      s.signed.isSigned(by: key),
                      (try? DecisionReceipt(record: record, keyId: key.keyId)) == s.signed.receipt
                else {
                    throw X402SError(st, "the stored receipt of seq \(record.seq) does not verify under the keys given")
                }
                header = s.header
                kid = key.keyId
            } else {
                header = try DecisionReceipt.sign(record: record, key: signer)
                kid = signerKey.keyId
            }
            chosen.append(header)
            if !used.contains(where: { RiskText.same($0.keyId, kid) }), let k = known.first(where: { RiskText.same($0.keyId, kid) }) {
                used.append(k)
            }
            if let t = decision.traceDigest {
                guard attachments.contains(where: { RiskText.same($0.digest, t) }) else {
                    throw X402SError(st, "the agent trace referenced by seq \(record.seq) is not among the attachments")
                }
                referenced.append(t)
            }
            if let m = decision.mandateDigest { referenced.append(m) }
        }
        var attached: [JSONValue] = []
        var seen: [String] = []
        for a in attachments where referenced.contains(where: { RiskText.same($0, a.digest) }) && !seen.contains(a.digest) {
            seen.append(a.digest)
            attached.append(a.json)
        }
        let manifest = BundleManifest(
            keyId: signerKey.keyId, decisionId: decisionId, chain: records[first].chain, exportedAt: exportedAt,
            records: mine.map { (records[$0].seq, records[$0].hash) })
        let signedManifest = manifest.signed(by: signer)
        guard signedManifest.utf8.count <= BundleManifest.maxLength else {
            throw X402SError(st, "the decision has too many records for one manifest")
        }
        return .object(JSONObject([
            ("attachments", .array(attached)), ("decisionId", .string(decisionId)), ("keys", .array(used.map(\.jwk))),
            ("manifest", .string(signedManifest)), ("receipts", .array(chosen.map { .string($0) })),
            ("segment", .array(segment)), ("type", .string(type)), ("v", .integer(1)),
        ]))
    }

    // MARK: - verify

    /// Verifies a bundle offline. Every check runs; the verdict lists every failure.
    ///
    /// Checks and reason codes, in order:
    /// 1. each segment entry is a record or link of the schema (`record_malformed`);
    /// 2. consecutive entries share the chain (`chain_mismatch`), have seq + 1
    ///    (`chain_seq_gap`) and carry the previous entry's hash (`chain_link_broken`);
    /// 3. full records belong to the decision (`record_foreign`); there is one (`record_missing`);
    /// 4. each receipt parses (`receipt_malformed`), is signed by a pinned key when keys are
    ///    pinned (`key_not_trusted`), names a key of the bundle (`receipt_key_unknown`),
    ///    verifies (`receipt_signature_invalid`), belongs to a record of the segment by chain
    ///    and seq (`receipt_unmatched`) and is exactly that record's receipt
    ///    (`receipt_record_mismatch`: record hash, verdict, times, payment digests…); every
    ///    decision record has one (`receipt_missing`);
    /// 5. the manifest parses (`manifest_malformed`), names a key of the bundle
    ///    (`manifest_key_unknown`; `key_not_trusted` when pinned and not trusted), verifies
    ///    (`manifest_signature_invalid`) and lists exactly the decision's records of the
    ///    segment, by seq and hash, with the bundle's decision id and chain
    ///    (`manifest_mismatch`: a record dropped with its receipt, or added);
    /// 6. attachments are `{digest, mediaType, text}` (`attachment_malformed`) whose text
    ///    hashes to the digest (`attachment_digest_mismatch`); every trace a record references
    ///    is attached (`attachment_missing`); nothing else is (`attachment_unreferenced`);
    /// 7. each record's payment parses (`payment_malformed`), its header (when recorded)
    ///    decodes to the payload (`payment_header_mismatch`), and the core's offline
    ///    verification against the recorded requirements **at the decision time**
    ///    (`decidedAt` / 1000, the time the proxy signed) passes: a failed signature check is
    ///    `payer_signature_invalid`, any other failure `payment_invalid_at_decision` (the
    ///    signature was then not established).
    ///
    /// - Parameters:
    ///   - bundle: the bundle object.
    ///   - trusted: the proxy keys the caller trusts (pinned); `nil` uses the bundle's keys.
    /// - Throws: ``X402SStatus/evidenceInvalidBundle`` when the bundle itself is not of the
    ///   format (not an object, unknown or missing members, wrong version or type, keys that
    ///   are not JWKs, members of the wrong type). Failed checks are reasons, not errors.
    public static func verify(_ bundle: JSONValue, trusted: [ReceiptPublicKey]?) throws(X402SError) -> EvidenceBundleVerification {
        let st = X402SStatus.evidenceInvalidBundle
        guard case .object(let o) = bundle else { throw X402SError(st, "a bundle must be a JSON object") }
        try EvidenceField.members(o, "the bundle", allowed: members, required: members, status: st)
        guard EvidenceField.integer(o["v"]) == 1, o["type"]?.stringValue == type else {
            throw X402SError(st, "the bundle must have v 1 and type \(type)")
        }
        let decisionId = try EvidenceField.token(o, "decisionId", "the bundle", max: 128, status: st)
        guard case .array(let keyList)? = o["keys"], case .array(let segment)? = o["segment"], !segment.isEmpty,
              case .array(let receiptList)? = o["receipts"], case .array(let attachmentList)? = o["attachments"],
              case .string(let manifestText)? = o["manifest"]
        else {
            throw X402SError(st, "the bundle needs arrays keys, segment (not empty), receipts, attachments and a manifest string")
        }
        var bundleKeys: [ReceiptPublicKey] = []
        for k in keyList {
            do { bundleKeys.append(try ReceiptPublicKey(jwk: k)) } catch { throw X402SError(st, "a bundle key: \(error.message)") }
        }
        var reasons: [EvidenceBundleReason] = []
        func fail(_ code: String, _ at: String, _ detail: String) {
            reasons.append(EvidenceBundleReason(code: code, at: at, detail: detail))
        }

        // 1-2. records and chain
        var entries: [EvidenceRecord?] = []
        for (i, e) in segment.enumerated() {
            do { entries.append(try EvidenceRecord(json: e)) } catch {
                entries.append(nil)
                fail("record_malformed", "segment[\(i)]", error.message)
            }
        }
        for i in entries.indices.dropFirst() {
            guard let a = entries[i - 1], let b = entries[i] else { continue }
            if !RiskText.same(a.chain, b.chain) { fail("chain_mismatch", "segment[\(i)]", "chain differs from the previous entry's") }
            if a.seq >= EvidenceField.maxInteger || b.seq != a.seq + 1 {
                fail("chain_seq_gap", "segment[\(i)]", "seq \(b.seq) follows seq \(a.seq)")
            }
            if !RiskText.same(b.prev, a.hash) { fail("chain_link_broken", "segment[\(i)]", "prev is not the hash of the previous entry") }
        }
        // 3. the decision's records
        var mine: [(index: Int, record: EvidenceRecord, decision: EvidenceDecision)] = []
        for (i, e) in entries.enumerated() {
            guard let r = e, let d = r.decision else { continue }
            if RiskText.same(d.decisionId, decisionId) {
                mine.append((i, r, d))
            } else {
                fail("record_foreign", "segment[\(i)]", "a full record of another decision (it should be a link)")
            }
        }
        if mine.isEmpty { fail("record_missing", "bundle", "no full record of the decision in the segment") }

        // 4. receipts
        let pinned = trusted != nil
        func key(_ kid: String, _ at: String, unknown: String) -> ReceiptPublicKey? {
            let trustedKey = trusted?.first(where: { RiskText.same($0.keyId, kid) })
            if pinned && trustedKey == nil { fail("key_not_trusted", at, "the signing key is not among the pinned keys") }
            guard let k = trustedKey ?? bundleKeys.first(where: { RiskText.same($0.keyId, kid) }) else {
                fail(unknown, at, "no key of the bundle has this kid")
                return nil
            }
            return k
        }
        var receiptSeqs: [UInt64] = []
        var keyIds: [String] = []
        for (j, value) in receiptList.enumerated() {
            let at = "receipts[\(j)]"
            guard case .string(let text) = value else { fail("receipt_malformed", at, "a receipt must be a string"); continue }
            let signed: DecisionReceipt.Signed
            do { signed = try DecisionReceipt.parse(text) } catch { fail("receipt_malformed", at, error.message); continue }
            let r = signed.receipt
            if !keyIds.contains(r.keyId) { keyIds.append(r.keyId) }
            if let k = key(r.keyId, at, unknown: "receipt_key_unknown"), !signed.isSigned(by: k) {
                fail("receipt_signature_invalid", at, "the signature does not verify under its key")
            }
            guard let m = mine.first(where: { RiskText.same($0.record.chain, r.chain) && $0.record.seq == r.seq }) else {
                fail("receipt_unmatched", at, "no record of the decision at seq \(r.seq) in the segment")
                continue
            }
            receiptSeqs.append(r.seq)
            if let expected = try? DecisionReceipt(record: m.record, keyId: r.keyId), expected != r {
                fail("receipt_record_mismatch", at, "differs from the record at seq \(r.seq) in: \(r.differences(from: expected).joined(separator: ", "))")
            }
        }
        for m in mine where !receiptSeqs.contains(m.record.seq) {
            fail("receipt_missing", "segment[\(m.index)]", "no receipt for the record at seq \(m.record.seq)")
        }

        // 5. manifest
        do {
            let (manifest, signature) = try BundleManifest.parse(manifestText)
            if let k = key(manifest.keyId, "manifest", unknown: "manifest_key_unknown"),
               (try? Ed25519.verify(signature: signature, message: manifest.signingBytes, publicKey: k.bytes)) != true {
                fail("manifest_signature_invalid", "manifest", "the signature does not verify under its key")
            }
            if !keyIds.contains(manifest.keyId) { keyIds.append(manifest.keyId) }
            let listed = manifest.records.map { "\($0.seq):\($0.hash)" }
            let present = mine.map { "\($0.record.seq):\($0.record.hash)" }
            var diffs: [String] = []
            if !RiskText.same(manifest.decisionId, decisionId) { diffs.append("decision id") }
            if let c = mine.first?.record.chain, !RiskText.same(manifest.chain, c) { diffs.append("chain") }
            let missing = manifest.records.filter { r in !present.contains("\(r.seq):\(r.hash)") }.map { "\($0.seq)" }
            let extra = mine.filter { m in !listed.contains("\(m.record.seq):\(m.record.hash)") }.map { "\($0.record.seq)" }
            if !missing.isEmpty { diffs.append("records listed but not in the segment: seq \(missing.joined(separator: ", "))") }
            if !extra.isEmpty { diffs.append("records in the segment but not listed: seq \(extra.joined(separator: ", "))") }
            if !diffs.isEmpty { fail("manifest_mismatch", "manifest", diffs.joined(separator: "; ")) }
        } catch {
            fail("manifest_malformed", "manifest", error.message)
        }

        // 6. attachments
        var attached: [String] = []
        for (j, a) in attachmentList.enumerated() {
            let at = "attachments[\(j)]"
            guard case .object(let ao) = a, ao.count == 3, case .string(let digest)? = ao["digest"],
                  EvidenceDigest.parse(digest) != nil, case .string? = ao["mediaType"], case .string(let text)? = ao["text"]
            else {
                fail("attachment_malformed", at, "an attachment is {digest: sha256:…, mediaType, text}")
                continue
            }
            if !RiskText.same(EvidenceDigest.sha256(Array(text.utf8)), digest) {
                fail("attachment_digest_mismatch", at, "the text does not hash to its digest")
            }
            attached.append(digest)
            let isReferenced = mine.contains { m in
                [m.decision.traceDigest, m.decision.mandateDigest].contains { $0.map { RiskText.same($0, digest) } ?? false }
            }
            if !isReferenced { fail("attachment_unreferenced", at, "no record of the decision references this digest") }
        }
        for m in mine {
            if let t = m.decision.traceDigest, !attached.contains(where: { RiskText.same($0, t) }) {
                fail("attachment_missing", "segment[\(m.index)]", "the agent trace the record references is not attached")
            }
        }

        // 7. payments
        var summaries: [EvidenceBundleVerification.Record] = []
        for m in mine {
            var check: EvidencePaymentCheck?
            if let p = m.decision.payment {
                let c = paymentCheck(p, decidedAt: m.decision.decidedAt)
                check = c.check
                for (code, detail) in c.failures { fail(code, "segment[\(m.index)]", detail) }
            }
            summaries.append(EvidenceBundleVerification.Record(
                seq: m.record.seq, hash: m.record.hash, kind: m.decision.kind, verdict: m.decision.verdict,
                decidedAt: m.decision.decidedAt, payment: check))
        }
        return EvidenceBundleVerification(
            isValid: reasons.isEmpty, decisionId: decisionId, keyPinned: pinned, keyIds: keyIds, records: summaries,
            reasons: reasons)
    }

    /// Reasons of the offline verifier that mean the payer's signature failed.
    static let signatureReasons: [X402Reason] = [
        .evmSignature, .evmNonCanonicalSignature, .evmFailedToVerifySignature, .permit2InvalidSignature, .svmInvalidSignature,
    ]

    /// The payment check of one record: the payload and requirements parse, the recorded
    /// header (if any) decodes to the payload, and offline verification passes at the
    /// decision time.
    static func paymentCheck(_ p: EvidencePayment, decidedAt: UInt64) -> (check: EvidencePaymentCheck, failures: [(String, String)]) {
        let now = decidedAt / 1000
        var failures: [(String, String)] = []
        let payment: X402Payment
        let requirements: X402Requirement
        do {
            payment = try X402Payment(json: p.payload)
            requirements = try X402Requirement(json: p.requirements)
        } catch {
            let check = EvidencePaymentCheck(checkedAt: now, isValid: false, invalidReason: "payment_malformed", payer: nil)
            return (check, [("payment_malformed", error.message)])
        }
        if let header = p.header {
            let decoded = try? X402Headers.decodeJSON(header)
            if decoded.map({ CanonicalJSON.bytes($0) != CanonicalJSON.bytes(p.payload) }) ?? true {
                failures.append(("payment_header_mismatch", "the recorded payment header does not decode to the recorded payload"))
            }
        }
        // upto: the facilitator the payer signed for is accepted (the signature covers it).
        var options = X402VerifyOptions()
        if let f = p.payload["payload"]?["permit2Authorization"]?["witness"]?["facilitator"]?.stringValue {
            options.facilitatorAddresses = [f]
        }
        let result = X402Verifier.verify(payment: payment, requirements: requirements, now: now, options: options)
        if !result.isValid {
            let reason = result.invalidReason?.rawValue ?? "invalid"
            if let r = result.invalidReason, signatureReasons.contains(r) {
                failures.append(("payer_signature_invalid", "\(reason): \(result.message)"))
            } else {
                failures.append(("payment_invalid_at_decision", "\(reason) at \(now): \(result.message)"))
            }
        }
        let check = EvidencePaymentCheck(
            checkedAt: now, isValid: result.isValid, invalidReason: result.invalidReason?.rawValue, payer: result.payer)
        return (check, failures)
    }
}
