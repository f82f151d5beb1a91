/// Decision receipts: the risk proxy signs each evidence record with its own Ed25519 key
/// and returns the receipt to the seller in `X-Risk-Receipt` (docs/EVIDENCE.md).
///
/// The receipt is a canonical JSON object derived from the record alone:
/// ```
/// {"chain","decidedAt","decisionId","kid","kind","payment","record","requirements",
///  "riskLevel","seq","v":1,"verdict"}
/// ```
/// (`record` is the record hash, `payment` / `requirements` the `sha256:` digests of the
/// canonical payment payload and requirements, or `null`). The signature is Ed25519 over
/// `"x402-secure/decision-receipt/v1\n" ‖ canonical(receipt)`; the header value is
/// `rcpt.v1;m=<base64url(canonical receipt)>;sig=<base64url(64-byte signature)>`.

/// A receipt public key: Ed25519, published as a JWK (RFC 8037) whose `kid` is its RFC 7638
/// thumbprint.
public struct ReceiptPublicKey: Sendable, Equatable {
    /// The 32 public key bytes.
    public let bytes: [UInt8]
    /// The key id: base64url (no padding) of SHA-256 of `{"crv":"Ed25519","kty":"OKP","x":…}`.
    public let keyId: String

    /// A key from its 32 bytes.
    /// - Throws: ``X402SStatus/evidenceInvalidReceipt`` unless 32 bytes.
    public init(bytes: [UInt8]) throws(X402SError) {
        guard bytes.count == Ed25519.publicKeyByteCount else {
            throw X402SError(.evidenceInvalidReceipt, "a receipt public key is 32 bytes")
        }
        self.init(checked: bytes)
    }

    /// A key from 32 bytes already checked to be 32 bytes long.
    init(checked bytes: [UInt8]) {
        self.bytes = bytes
        let thumb = JSONValue.object(JSONObject([
            ("crv", "Ed25519"), ("kty", "OKP"), ("x", .string(Base64.encodeURL(bytes))),
        ]))
        keyId = Base64.encodeURL(SHA256.hash(CanonicalJSON.bytes(thumb)))
    }

    /// The public JWK: `{"alg":"EdDSA","crv":"Ed25519","kid","kty":"OKP","use":"sig","x"}`.
    public var jwk: JSONValue {
        .object(JSONObject([
            ("alg", "EdDSA"), ("crv", "Ed25519"), ("kid", .string(keyId)), ("kty", "OKP"), ("use", "sig"),
            ("x", .string(Base64.encodeURL(bytes))),
        ]))
    }

    /// The published key document (a JWK Set): `{"keys": [jwk, …]}`.
    public static func keySet(_ keys: [ReceiptPublicKey]) -> JSONValue {
        .object(JSONObject([("keys", .array(keys.map(\.jwk)))]))
    }

    /// Parses one JWK. Accepted members: `kty` (`OKP`), `crv` (`Ed25519`), `x` (32 bytes,
    /// unpadded base64url), and optionally `kid` (must equal the thumbprint), `alg`
    /// (`EdDSA`), `use` (`sig`). A private part (`d`) or any other member is refused.
    /// - Throws: ``X402SStatus/evidenceInvalidReceipt``.
    public init(jwk: JSONValue) throws(X402SError) {
        let st = X402SStatus.evidenceInvalidReceipt
        guard case .object(let o) = jwk else { throw X402SError(st, "a receipt key must be a JWK object") }
        if o["d"] != nil { throw X402SError(st, "the JWK holds a private key ('d'); only public keys are accepted") }
        try EvidenceField.members(o, "the JWK", allowed: ["kty", "crv", "x", "kid", "alg", "use"],
                                  required: ["kty", "crv", "x"], status: st)
        guard o["kty"]?.stringValue == "OKP", o["crv"]?.stringValue == "Ed25519" else {
            throw X402SError(st, "the JWK must be an Ed25519 key (kty OKP, crv Ed25519)")
        }
        if let alg = o["alg"], alg.stringValue != "EdDSA" { throw X402SError(st, "the JWK 'alg' must be EdDSA") }
        if let use = o["use"], use.stringValue != "sig" { throw X402SError(st, "the JWK 'use' must be sig") }
        guard case .string(let x)? = o["x"], let b = Self.strictBase64URL(x), b.count == 32 else {
            throw X402SError(st, "the JWK 'x' must be 32 bytes of unpadded base64url")
        }
        try self.init(bytes: b)
        if let kid = o["kid"], !RiskText.same(kid.stringValue ?? "", keyId) {
            throw X402SError(st, "the JWK 'kid' is not the key's RFC 7638 thumbprint")
        }
    }

    /// Parses trusted keys: a JWK, a JWK Set (`{"keys": [...]}`), an array of JWKs, or a string
    /// holding the raw key as `0x` + 64 hex or 43 characters of base64url.
    /// - Throws: ``X402SStatus/evidenceInvalidReceipt``; an empty set is refused.
    public static func parseSet(_ value: JSONValue) throws(X402SError) -> [ReceiptPublicKey] {
        let st = X402SStatus.evidenceInvalidReceipt
        var keys: [ReceiptPublicKey] = []
        switch value {
        case .string(let s):
            if s.hasPrefix("0x") {
                guard s.utf8.count == 66, let b = try? Hex.decode(s, requirePrefix: true) else {
                    throw X402SError(st, "a hex receipt key must be 0x + 64 hex digits")
                }
                keys = [try ReceiptPublicKey(bytes: b)]
            } else {
                guard let b = strictBase64URL(s), b.count == 32 else {
                    throw X402SError(st, "a receipt key must be a JWK, a JWK Set, 0x + 64 hex or 32 bytes of base64url")
                }
                keys = [try ReceiptPublicKey(bytes: b)]
            }
        case .array(let a):
            for k in a { keys.append(try ReceiptPublicKey(jwk: k)) }
        case .object(let o) where o["keys"] != nil:
            guard o.count == 1, case .array(let a)? = o["keys"] else {
                throw X402SError(st, "a JWK Set is {\"keys\": [...]}")
            }
            for k in a { keys.append(try ReceiptPublicKey(jwk: k)) }
        case .object:
            keys = [try ReceiptPublicKey(jwk: value)]
        default:
            throw X402SError(st, "a receipt key must be a JWK, a JWK Set, 0x + 64 hex or 32 bytes of base64url")
        }
        guard !keys.isEmpty else { throw X402SError(st, "the key set is empty") }
        return keys
    }

    /// Unpadded base64url that re-encodes to itself (no padding, no stray trailing bits).
    static func strictBase64URL(_ s: String) -> [UInt8]? {
        guard let b = try? Base64.decodeURL(s), RiskText.same(Base64.encodeURL(b), s) else { return nil }
        return b
    }
}

extension Ed25519.KeyPair {
    /// This key pair's public key as a receipt key.
    public var receiptPublicKey: ReceiptPublicKey { ReceiptPublicKey(checked: publicKey) }
}

/// The signed-text form shared by receipts and bundle manifests:
/// `<tag>;m=<base64url(canonical JSON)>;sig=<base64url(Ed25519 signature)>`, parsed with the
/// common rules of the risk headers (split on `;`, strip, tag first, `k=v` members).
public enum EvidenceEnvelope {
    /// The longest value accepted, in bytes.
    public static let maxLength = 4096

    /// `tag;m=…;sig=…`.
    public static func encode(tag: String, message: [UInt8], signature: [UInt8]) -> String {
        "\(tag);m=\(Base64.encodeURL(message));sig=\(Base64.encodeURL(signature))"
    }

    /// The decoded parts of a value: the message bytes, their JSON and the 64-byte signature.
    /// - Throws: ``X402SStatus/riskHeaderTooLong`` above `maxLength` bytes;
    ///   ``X402SStatus/evidenceInvalidReceipt`` for a wrong tag, missing `m`/`sig`, base64url
    ///   that is padded or does not re-encode to itself, a signature that is not 64 bytes, or
    ///   a message that is not JSON.
    public static func parse(_ value: String, tag: String, name: String, maxLength: Int = EvidenceEnvelope.maxLength) throws(X402SError) -> (message: [UInt8], json: JSONValue, signature: [UInt8]) {
        let st = X402SStatus.evidenceInvalidReceipt
        let members: [(key: String, value: String)]
        do {
            members = try RiskText.parseMembers(value, tag: tag, maxLength: maxLength, header: name)
        } catch where error.status == .riskInvalidHeader {
            throw X402SError(st, error.message)
        }
        guard let m = RiskText.member(members, "m"), let s = RiskText.member(members, "sig") else {
            throw X402SError(st, "\(name) requires m and sig")
        }
        guard let message = ReceiptPublicKey.strictBase64URL(m), let sig = ReceiptPublicKey.strictBase64URL(s) else {
            throw X402SError(st, "\(name) m and sig must be unpadded base64url")
        }
        guard sig.count == Ed25519.signatureByteCount else { throw X402SError(st, "\(name) sig must be 64 bytes") }
        do {
            let json = try JSONValue.parse(message, limits: JSONLimits(maxBytes: maxLength, maxDepth: 4))
            return (message, json, sig)
        } catch {
            throw X402SError(st, "\(name) m is not JSON (\(error.status.name))")
        }
    }
}

/// A decision receipt (see the top of this file).
public struct DecisionReceipt: Sendable, Equatable {
    /// The response header that carries it.
    public static let headerName = "X-Risk-Receipt"
    /// The version tag of the header value.
    public static let versionTag = "rcpt.v1"
    /// The longest header value accepted, in bytes.
    public static let maxLength = EvidenceEnvelope.maxLength
    /// The domain-separation prefix of the signed bytes.
    public static let signingDomain: [UInt8] = Array("x402-secure/decision-receipt/v1\n".utf8)
    static let members = [
        "chain", "decidedAt", "decisionId", "kid", "kind", "payment", "record", "requirements", "riskLevel", "seq",
        "v", "verdict",
    ]

    /// The signing key's id.
    public let keyId: String
    /// The decision id.
    public let decisionId: String
    /// The proxy operation.
    public let kind: String
    /// The chain of the record.
    public let chain: String
    /// The record's position.
    public let seq: UInt64
    /// The record hash.
    public let record: String
    /// The verdict.
    public let verdict: String
    /// The risk level, if any.
    public let riskLevel: String?
    /// When the decision was made (Unix ms).
    public let decidedAt: UInt64
    /// Digest of the canonical payment payload, if the decision was about a payment.
    public let payment: String?
    /// Digest of the canonical payment requirements, if any.
    public let requirements: String?

    /// The receipt of a full record under the key `keyId`.
    /// - Throws: ``X402SStatus/evidenceInvalidRecord`` for a link (no decision to sign).
    public init(record: EvidenceRecord, keyId: String) throws(X402SError) {
        guard let d = record.decision else {
            throw X402SError(.evidenceInvalidRecord, "a receipt needs the full record, not its link")
        }
        self.keyId = keyId
        decisionId = d.decisionId
        kind = d.kind
        chain = record.chain
        seq = record.seq
        self.record = record.hash
        verdict = d.verdict
        riskLevel = d.riskLevel
        decidedAt = d.decidedAt
        payment = d.payment?.payloadDigest
        requirements = d.payment?.requirementsDigest
    }

    /// Parses the receipt object (strict: every member, nothing else).
    /// - Throws: ``X402SStatus/evidenceInvalidReceipt``.
    public init(json: JSONValue) throws(X402SError) {
        let st = X402SStatus.evidenceInvalidReceipt, what = "the receipt"
        guard case .object(let o) = json else { throw X402SError(st, "a receipt must be a JSON object") }
        try EvidenceField.members(o, what, allowed: Self.members, required: Self.members, status: st)
        guard EvidenceField.integer(o["v"]) == 1 else { throw X402SError(st, "the receipt 'v' must be 1") }
        guard case .string(let kid)? = o["kid"], kid.utf8.count == 43, ReceiptPublicKey.strictBase64URL(kid)?.count == 32 else {
            throw X402SError(st, "the receipt 'kid' must be a key thumbprint (43 characters of base64url)")
        }
        keyId = kid
        decisionId = try EvidenceField.token(o, "decisionId", what, max: 128, status: st)
        kind = try EvidenceField.token(o, "kind", what, max: 32, status: st)
        chain = try EvidenceField.token(o, "chain", what, max: 64, status: st)
        seq = try EvidenceField.requiredInteger(o, "seq", what, status: st)
        record = try EvidenceField.digest(o, "record", what, status: st)
        verdict = try EvidenceField.token(o, "verdict", what, max: 32, status: st)
        riskLevel = try EvidenceField.optionalToken(o, "riskLevel", what, max: 32, status: st)
        decidedAt = try EvidenceField.requiredInteger(o, "decidedAt", what, status: st)
        func optionalDigest(_ k: String) throws(X402SError) -> String? {
            if o[k]?.isNull == true { return nil }
            return try EvidenceField.digest(o, k, what, status: st)
        }
        payment = try optionalDigest("payment")
        requirements = try optionalDigest("requirements")
    }

    /// The receipt object, members in canonical order.
    public var json: JSONValue {
        .object(JSONObject([
            ("chain", .string(chain)), ("decidedAt", .integer(decidedAt)), ("decisionId", .string(decisionId)),
            ("kid", .string(keyId)), ("kind", .string(kind)), ("payment", EvidenceField.orNull(payment)),
            ("record", .string(record)), ("requirements", EvidenceField.orNull(requirements)),
            ("riskLevel", EvidenceField.orNull(riskLevel)), ("seq", .integer(seq)), ("v", .integer(1)),
            ("verdict", .string(verdict)),
        ]))
    }

    /// The bytes the proxy signs: the domain prefix followed by the canonical receipt.
    public var signingBytes: [UInt8] { Self.signingDomain + CanonicalJSON.bytes(json) }

    /// Signs the receipt of `record` with the proxy key and returns the header value.
    /// - Throws: ``X402SStatus/evidenceInvalidRecord`` for a link.
    public static func sign(record: EvidenceRecord, key: Ed25519.KeyPair) throws(X402SError) -> String {
        let receipt = try DecisionReceipt(record: record, keyId: key.receiptPublicKey.keyId)
        return receipt.header(signature: key.sign(receipt.signingBytes))
    }

    /// The header value for a signature made over ``signingBytes``.
    public func header(signature: [UInt8]) -> String {
        EvidenceEnvelope.encode(tag: Self.versionTag, message: CanonicalJSON.bytes(json), signature: signature)
    }

    /// A parsed header: the receipt and its (unverified) signature.
    public struct Signed: Sendable, Equatable {
        /// The receipt.
        public let receipt: DecisionReceipt
        /// The 64 signature bytes.
        public let signature: [UInt8]

        /// Whether the signature verifies under `key` (which must be the receipt's `kid`).
        public func isSigned(by key: ReceiptPublicKey) -> Bool {
            RiskText.same(key.keyId, receipt.keyId)
                && (try? Ed25519.verify(signature: signature, message: receipt.signingBytes, publicKey: key.bytes)) == true
        }
    }

    /// Parses an `X-Risk-Receipt` value (``EvidenceEnvelope`` with tag `rcpt.v1`): strict
    /// unpadded base64url, `m` exactly the canonical JSON of a receipt, a 64-byte signature.
    /// - Throws: ``X402SStatus/riskHeaderTooLong`` above 4096 bytes;
    ///   ``X402SStatus/evidenceInvalidReceipt`` for anything else.
    public static func parse(_ value: String) throws(X402SError) -> Signed {
        let envelope = try EvidenceEnvelope.parse(value, tag: versionTag, name: headerName)
        let receipt = try DecisionReceipt(json: envelope.json)
        guard CanonicalJSON.bytes(receipt.json) == envelope.message else {
            throw X402SError(.evidenceInvalidReceipt, "\(headerName) m is not the canonical JSON of the receipt")
        }
        return Signed(receipt: receipt, signature: envelope.signature)
    }

    /// The fields in which `self` differs from `other` (member names, canonical order).
    public func differences(from other: DecisionReceipt) -> [String] {
        guard case .object(let a) = json, case .object(let b) = other.json else { return [] }
        return a.entries.compactMap { e in b[e.key] == e.value ? nil : e.key }
    }
}

/// The verdict on one receipt (``DecisionReceipt/verify(_:keys:record:)``).
public struct ReceiptVerification: Sendable, Equatable {
    /// `true` only when every check passed.
    public let isValid: Bool
    /// Reason codes, in check order: `receipt_key_unknown`, `receipt_signature_invalid`,
    /// `receipt_record_mismatch`.
    public let reasons: [String]
    /// The receipt, when the header parsed.
    public let receipt: DecisionReceipt

    /// `{"isValid","reasons","keyId","receipt"}`.
    public var json: JSONValue {
        .object(JSONObject([
            ("isValid", .bool(isValid)), ("reasons", .array(reasons.map { .string($0) })),
            ("keyId", .string(receipt.keyId)), ("receipt", receipt.json),
        ]))
    }
}

extension DecisionReceipt {
    /// Verifies a receipt header: its key id is one of `keys`, the signature verifies, and
    /// (when `record` is given) it is exactly the receipt of that record.
    /// - Throws: the errors of ``parse(_:)`` for a malformed header; failed checks are
    ///   reasons in the result.
    public static func verify(_ value: String, keys: [ReceiptPublicKey], record: EvidenceRecord? = nil) throws(X402SError) -> ReceiptVerification {
        let signed = try parse(value)
        var reasons: [String] = []
        if let key = keys.first(where: { RiskText.same($0.keyId, signed.receipt.keyId) }) {
            if !signed.isSigned(by: key) { reasons.append("receipt_signature_invalid") }
        } else {
            reasons.append("receipt_key_unknown")
        }
        if let record {
            let expected = try? DecisionReceipt(record: record, keyId: signed.receipt.keyId)
            if expected != signed.receipt { reasons.append("receipt_record_mismatch") }
        }
        return ReceiptVerification(isValid: reasons.isEmpty, reasons: reasons, receipt: signed.receipt)
    }
}
