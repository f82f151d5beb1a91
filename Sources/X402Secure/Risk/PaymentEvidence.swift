/// Payment evidence: a typed message, signed by the payer's key, that binds the agent's
/// risk session, trace and agent-trace digest to one concrete payment. (x402-secure
/// 0.1.4 sends a trace id, but nothing ties it to the payment or to the payer.)
///
/// The message is EIP-712 typed data:
/// ```
/// EIP712Domain(string name,string version)   name "x402-secure PaymentEvidence", version "1"
/// PaymentEvidence(bytes32 paymentHash,string origin,string resource,string network,
///   string asset,string payTo,string payer,uint256 amount,string riskSessionId,
///   string riskTraceId,bytes32 agentTraceDigest,uint64 validAfter,uint64 validBefore)
/// ```
/// `paymentHash` is keccak-256 of the base64-decoded payment header (`X-PAYMENT` or
/// `PAYMENT-SIGNATURE`); `agentTraceDigest` is SHA-256 of the canonical JSON of the agent
/// trace (``AgentTrace/digest``; zero when no trace is bound); `riskTraceId` is `""` when
/// there is none. The domain has no `chainId`: the network is a signed field, so one
/// digest serves EVM and Solana alike. EVM payers sign the digest with secp256k1
/// (`eth_signTypedData_v4` gives the same signature); Solana payers sign the same 32-byte
/// digest with Ed25519. Addresses are strings so both families fit.
public struct PaymentEvidence: Sendable, Equatable {
    /// The EIP-712 domain name.
    public static let domainName = "x402-secure PaymentEvidence"
    /// The EIP-712 domain version.
    public static let domainVersion = "1"
    /// The domain type string.
    public static let domainType = "EIP712Domain(string name,string version)"
    /// The primary type string.
    public static let typeString =
        "PaymentEvidence(bytes32 paymentHash,string origin,string resource,string network,string asset,string payTo,"
        + "string payer,uint256 amount,string riskSessionId,string riskTraceId,bytes32 agentTraceDigest,"
        + "uint64 validAfter,uint64 validBefore)"
    /// The default validity window, in seconds (5 minutes).
    public static let defaultValiditySeconds: UInt64 = 300

    /// keccak-256 of the decoded payment header bytes.
    public let paymentHash: [UInt8]
    /// The seller origin, `scheme://host[:port]`.
    public let origin: String
    /// The resource URL.
    public let resource: String
    /// The network as the payment names it (v1 name or CAIP-2).
    public let network: String
    /// The asset (token contract or mint).
    public let asset: String
    /// The payee.
    public let payTo: String
    /// The payer (the signer).
    public let payer: String
    /// The amount in atomic units (canonical decimal).
    public let amount: String
    /// The risk session id (normalised UUID).
    public let riskSessionId: String
    /// The risk trace id (normalised UUID) or `""`.
    public let riskTraceId: String
    /// SHA-256 of the canonical agent trace, or 32 zero bytes.
    public let agentTraceDigest: [UInt8]
    /// Not valid before this Unix time (inclusive).
    public let validAfter: UInt64
    /// Not valid from this Unix time on (exclusive).
    public let validBefore: UInt64

    /// Creates evidence from its fields, validating and normalising them.
    ///
    /// - Throws: ``X402SStatus/invalidLength`` for a hash or digest that is not 32 bytes;
    ///   ``X402SStatus/invalidArgument`` for an empty string field or
    ///   `validBefore <= validAfter`; ``X402SStatus/invalidNumber`` unless `amount` is a
    ///   canonical decimal below 2^256; ``X402SStatus/riskInvalidUUID`` for a bad session
    ///   or trace id.
    public init(
        paymentHash: [UInt8], origin: String, resource: String, network: String, asset: String, payTo: String,
        payer: String, amount: String, riskSessionId: String, riskTraceId: String?, agentTraceDigest: [UInt8]?,
        validAfter: UInt64, validBefore: UInt64
    ) throws(X402SError) {
        guard paymentHash.count == 32 else { throw X402SError(.invalidLength, "paymentHash is 32 bytes") }
        let digest = agentTraceDigest ?? [UInt8](repeating: 0, count: 32)
        guard digest.count == 32 else { throw X402SError(.invalidLength, "agentTraceDigest is 32 bytes") }
        for (name, value) in [("origin", origin), ("resource", resource), ("network", network), ("asset", asset),
                              ("payTo", payTo), ("payer", payer)] where value.isEmpty {
            throw X402SError(.invalidArgument, "evidence \(name) must not be empty")
        }
        guard X402U256.word(decimal: amount, canonical: true) != nil else {
            throw X402SError(.invalidNumber, "evidence amount must be a canonical decimal below 2^256")
        }
        guard validBefore > validAfter else {
            throw X402SError(.invalidArgument, "evidence validBefore must be after validAfter")
        }
        self.paymentHash = paymentHash
        self.origin = origin
        self.resource = resource
        self.network = network
        self.asset = asset
        self.payTo = payTo
        self.payer = payer
        self.amount = amount
        self.riskSessionId = try RiskUUID.normalize(riskSessionId)
        if let t = riskTraceId, !t.isEmpty {
            self.riskTraceId = try RiskUUID.normalize(t)
        } else {
            self.riskTraceId = ""
        }
        self.agentTraceDigest = digest
        self.validAfter = validAfter
        self.validBefore = validBefore
    }

    /// Builds the evidence a buyer signs for a payment it is about to send.
    ///
    /// Payer, network, asset, payTo and amount are taken from the payment header and the
    /// chosen requirement (see ``PaymentFacts``).
    /// - Parameters:
    ///   - paymentHeader: the `X-PAYMENT` / `PAYMENT-SIGNATURE` value being sent.
    ///   - requirement: the requirement the payment answers.
    ///   - origin: the seller origin (`scheme://host[:port]`).
    ///   - resource: the resource URL.
    ///   - riskSessionId: the `X-RISK-SESSION` value.
    ///   - riskTraceId: the trace id (`tid`) announced in `X-PAYMENT-SECURE`, if any.
    ///   - agentTrace: the trace stored with `POST /risk/trace`, if any.
    ///   - payer: the payer, required when the payload does not name it (Solana).
    ///   - validFor: window length in seconds (default 300).
    ///   - now: the current Unix time (default: the system clock).
    /// - Throws: the errors of ``PaymentFacts/init(paymentHeader:requirement:payer:)`` and
    ///   of ``init(paymentHash:origin:resource:network:asset:payTo:payer:amount:riskSessionId:riskTraceId:agentTraceDigest:validAfter:validBefore:)``;
    ///   ``X402SStatus/invalidArgument`` for a zero window or one past 2^64.
    public init(
        paymentHeader: String, requirement: X402Requirement, origin: String, resource: String,
        riskSessionId: String, riskTraceId: String?, agentTrace: AgentTrace?, payer: String? = nil,
        validFor: UInt64 = PaymentEvidence.defaultValiditySeconds, now: UInt64 = UInt64(max(0, RiskClock.nowUnix()))
    ) throws(X402SError) {
        let facts = try PaymentFacts(paymentHeader: paymentHeader, requirement: requirement, payer: payer)
        let (end, overflow) = now.addingReportingOverflow(validFor)
        guard validFor > 0, !overflow else {
            throw X402SError(.invalidArgument, "the evidence window must be positive and end before 2^64")
        }
        try self.init(
            paymentHash: facts.paymentHash, origin: origin, resource: resource, network: facts.network,
            asset: facts.asset, payTo: facts.payTo, payer: facts.payer, amount: facts.amount,
            riskSessionId: riskSessionId, riskTraceId: riskTraceId, agentTraceDigest: agentTrace?.digest,
            validAfter: now, validBefore: end)
    }

    /// Parses the message object (the form of ``json``).
    ///
    /// - Throws: ``X402SStatus/riskInvalidHeader`` for a missing or mistyped member, then
    ///   the validation errors of the memberwise initialiser.
    public init(json: JSONValue) throws(X402SError) {
        guard case .object(let o) = json else {
            throw X402SError(.riskInvalidHeader, "the evidence message must be a JSON object")
        }
        func str(_ k: String) throws(X402SError) -> String {
            guard case .string(let s)? = o[k] else {
                throw X402SError(.riskInvalidHeader, "the evidence message needs a string '\(k)'")
            }
            return s
        }
        func bytes32(_ k: String) throws(X402SError) -> [UInt8] {
            let s = try str(k)
            guard s.utf8.count == 66, let b = try? Hex.decode(s, requirePrefix: true) else {
                throw X402SError(.riskInvalidHeader, "evidence '\(k)' must be 0x + 64 hex digits")
            }
            return b
        }
        func u64(_ k: String) throws(X402SError) -> UInt64 {
            guard let v = o[k]?.uint64Value else {
                throw X402SError(.riskInvalidHeader, "evidence '\(k)' must be a non-negative integer")
            }
            return v
        }
        try self.init(
            paymentHash: bytes32("paymentHash"), origin: str("origin"), resource: str("resource"),
            network: str("network"), asset: str("asset"), payTo: str("payTo"), payer: str("payer"),
            amount: str("amount"), riskSessionId: str("riskSessionId"), riskTraceId: str("riskTraceId"),
            agentTraceDigest: bytes32("agentTraceDigest"), validAfter: u64("validAfter"), validBefore: u64("validBefore"))
    }

    /// The message object, members in type order (`amount` a decimal string, the window
    /// as integers, hashes as `0x` hex).
    public var json: JSONValue {
        .object(JSONObject([
            ("paymentHash", .string(Hex.encode(paymentHash))), ("origin", .string(origin)),
            ("resource", .string(resource)), ("network", .string(network)), ("asset", .string(asset)),
            ("payTo", .string(payTo)), ("payer", .string(payer)), ("amount", .string(amount)),
            ("riskSessionId", .string(riskSessionId)), ("riskTraceId", .string(riskTraceId)),
            ("agentTraceDigest", .string(Hex.encode(agentTraceDigest))),
            ("validAfter", .integer(validAfter)), ("validBefore", .integer(validBefore)),
        ]))
    }

    /// The full EIP-712 document (`types`, `primaryType`, `domain`, `message`) for
    /// `eth_signTypedData_v4` wallets.
    public var typedData: JSONValue {
        func fields(_ list: [(String, String)]) -> JSONValue {
            .array(list.map { .object(JSONObject([("name", .string($0.0)), ("type", .string($0.1))])) })
        }
        let types = JSONObject([
            ("EIP712Domain", fields([("name", "string"), ("version", "string")])),
            ("PaymentEvidence", fields([
                ("paymentHash", "bytes32"), ("origin", "string"), ("resource", "string"), ("network", "string"),
                ("asset", "string"), ("payTo", "string"), ("payer", "string"), ("amount", "uint256"),
                ("riskSessionId", "string"), ("riskTraceId", "string"), ("agentTraceDigest", "bytes32"),
                ("validAfter", "uint64"), ("validBefore", "uint64"),
            ])),
        ])
        return .object(JSONObject([
            ("types", .object(types)), ("primaryType", "PaymentEvidence"),
            ("domain", .object(JSONObject([("name", .string(Self.domainName)), ("version", .string(Self.domainVersion))]))),
            ("message", json),
        ]))
    }

    static let domainTypeHash = Keccak256.hash(utf8: domainType)
    static let typeHash = Keccak256.hash(utf8: typeString)

    /// `hashStruct(EIP712Domain)`.
    public static var domainSeparator: [UInt8] {
        Keccak256.hash(domainTypeHash + Keccak256.hash(utf8: domainName) + Keccak256.hash(utf8: domainVersion))
    }

    /// `hashStruct(PaymentEvidence)`.
    public var structHash: [UInt8] {
        var b = [UInt8]()
        b.reserveCapacity(14 * 32)
        b += Self.typeHash
        b += paymentHash
        for s in [origin, resource, network, asset, payTo, payer] { b += Keccak256.hash(utf8: s) }
        b += X402U256.word(decimal: amount) ?? [UInt8](repeating: 0, count: 32)
        b += Keccak256.hash(utf8: riskSessionId)
        b += Keccak256.hash(utf8: riskTraceId)
        b += agentTraceDigest
        b += X402U256.word(validAfter)
        b += X402U256.word(validBefore)
        return Keccak256.hash(b)
    }

    /// The signed digest `keccak256(0x19 0x01 || domainSeparator || structHash)`.
    public var digest: [UInt8] {
        Keccak256.hash([0x19, 0x01] + Self.domainSeparator + structHash)
    }
}

/// The facts of a payment that evidence binds, read from its header and requirement.
public struct PaymentFacts: Sendable, Equatable {
    /// keccak-256 of the base64-decoded header.
    public let paymentHash: [UInt8]
    /// The network named by the payment.
    public let network: String
    /// The asset of the requirement.
    public let asset: String
    /// The payee of the requirement.
    public let payTo: String
    /// The payer: `authorization.from` or `permit2Authorization.from`, else as given.
    public let payer: String
    /// The amount: `authorization.value` or `permit2Authorization.permitted.amount`,
    /// else the requirement's amount.
    public let amount: String

    /// Reads the facts.
    ///
    /// - Parameters:
    ///   - paymentHeader: the `X-PAYMENT` / `PAYMENT-SIGNATURE` value.
    ///   - requirement: the requirement the payment answers.
    ///   - payer: the payer; required when the payload does not name one (Solana
    ///     transactions), and when given it must equal the one the payload names.
    /// - Throws: the header decoding errors of ``X402Payment/init(header:)``;
    ///   ``X402SStatus/invalidArgument`` when no payer is known;
    ///   ``X402SStatus/riskEvidenceMismatch`` when `payer` differs from the payload's.
    public init(paymentHeader: String, requirement: X402Requirement, payer: String? = nil) throws(X402SError) {
        let payment = try X402Payment(header: paymentHeader)
        paymentHash = Keccak256.hash(try Base64.decode(paymentHeader))
        network = payment.network
        asset = requirement.asset
        payTo = requirement.payTo
        let p = payment.payload
        var named: String?
        var value: String?
        if case .object(let auth)? = p["authorization"] {
            named = auth["from"]?.stringValue
            value = auth["value"]?.stringValue
        } else if case .object(let auth)? = p["permit2Authorization"] {
            named = auth["from"]?.stringValue
            value = auth["permitted"]?["amount"]?.stringValue
        }
        switch (named, payer) {
        case (let n?, let g?):
            guard PaymentEvidenceCompare.address(n, g, network: network) else {
                throw X402SError(.riskEvidenceMismatch, "the given payer is not the payer the payment names")
            }
            self.payer = g
        case (let n?, nil): self.payer = n
        case (nil, let g?): self.payer = g
        case (nil, nil):
            throw X402SError(.invalidArgument, "the payment does not name its payer; pass the payer explicitly")
        }
        amount = value ?? requirement.amount
    }
}

/// What the seller knows about the request, checked against the evidence.
public struct PaymentEvidenceExpectation: Sendable, Equatable {
    /// The payment header value exactly as received.
    public var paymentHeader: String
    /// Facts of the payment (see ``PaymentFacts``).
    public var facts: PaymentFacts
    /// The seller's own origin.
    public var origin: String
    /// The resource URL being paid for.
    public var resource: String
    /// The `X-RISK-SESSION` value of the request.
    public var riskSessionId: String
    /// The trace id of the request (`tid` of `X-PAYMENT-SECURE` or `X-RISK-TRACE`), or nil
    /// when it carried none (the evidence must then have `""`).
    public var riskTraceId: String?
    /// The expected agent-trace digest, when the seller has the trace; nil = not checked.
    public var agentTraceDigest: [UInt8]?

    /// Creates an expectation from the request.
    ///
    /// - Throws: the errors of ``PaymentFacts/init(paymentHeader:requirement:payer:)``.
    public init(
        paymentHeader: String, requirement: X402Requirement, origin: String, resource: String,
        riskSessionId: String, riskTraceId: String?, agentTraceDigest: [UInt8]? = nil, payer: String? = nil
    ) throws(X402SError) {
        self.paymentHeader = paymentHeader
        self.facts = try PaymentFacts(paymentHeader: paymentHeader, requirement: requirement, payer: payer)
        self.origin = origin
        self.resource = resource
        self.riskSessionId = riskSessionId
        self.riskTraceId = riskTraceId
        self.agentTraceDigest = agentTraceDigest
    }
}

/// The signature algorithm of an `X-PAYMENT-EVIDENCE` header.
public enum PaymentEvidenceAlgorithm: String, Sendable, CaseIterable {
    /// secp256k1 ECDSA over the EIP-712 digest, 65 bytes `r || s || v` (EVM payers).
    case secp256k1
    /// Ed25519 over the same 32-byte digest, 64 bytes (Solana payers).
    case ed25519
}

/// The result of checking evidence against a request.
public struct PaymentEvidenceVerification: Sendable, Equatable {
    /// Reason codes, in check order; empty when the evidence holds.
    public let reasons: [String]
    /// The recovered EVM signer (secp256k1), or the verified Solana key (ed25519), if the
    /// signature verified.
    public let signer: String?
    /// `true` when no check failed.
    public var isValid: Bool { reasons.isEmpty }

    /// `{"isValid", "reasons", "signer"}`.
    public var json: JSONValue {
        .object(JSONObject([
            ("isValid", .bool(isValid)), ("reasons", .array(reasons.map(JSONValue.string))),
            ("signer", signer.map(JSONValue.string) ?? .null),
        ]))
    }

    /// The reason codes ``PaymentEvidenceHeader/verify(against:now:)`` can give, in check order.
    public static let allReasons = [
        "evidence_algorithm_mismatch", "evidence_signature_invalid", "evidence_signer_mismatch",
        "evidence_payer_mismatch", "evidence_payment_hash_mismatch", "evidence_network_mismatch",
        "evidence_asset_mismatch", "evidence_pay_to_mismatch", "evidence_amount_mismatch",
        "evidence_origin_mismatch", "evidence_resource_mismatch", "evidence_session_mismatch",
        "evidence_trace_mismatch", "evidence_trace_digest_mismatch", "evidence_not_yet_valid", "evidence_expired",
    ]
}

/// The `X-PAYMENT-EVIDENCE` header: `pev.v1;alg=<secp256k1|ed25519>;m=<message>;sig=<signature>`.
///
/// `m` is unpadded base64url of the canonical JSON of the evidence message
/// (``PaymentEvidence/json``); `sig` is unpadded base64url of the signature. Parsing uses
/// the same `;`/`=` rules as the other risk headers (strip, empty parts dropped, first
/// part the version tag, unknown keys ignored, a repeated key replaces the earlier one),
/// a 4096-byte limit, and requires `alg`, `m` and `sig`.
public struct PaymentEvidenceHeader: Sendable, Equatable {
    /// The HTTP header name.
    public static let headerName = "X-PAYMENT-EVIDENCE"
    /// The version tag.
    public static let versionTag = "pev.v1"
    /// The largest accepted value, in bytes.
    public static let maxLength = 4096

    /// The signed message.
    public let evidence: PaymentEvidence
    /// The signature algorithm.
    public let algorithm: PaymentEvidenceAlgorithm
    /// The signature bytes.
    public let signature: [UInt8]

    /// Signs evidence with an EVM payer key.
    ///
    /// - Returns: the header value.
    /// - Throws: ``X402SStatus/riskEvidenceMismatch`` when the key's address is not the
    ///   evidence payer; ``X402SStatus/riskHeaderTooLong`` above 4096 bytes.
    public static func sign(_ evidence: PaymentEvidence, evmKey: Secp256k1.PrivateKey) throws(X402SError) -> String {
        guard PaymentEvidenceCompare.evm(evmKey.address.lowercased, evidence.payer) else {
            throw X402SError(.riskEvidenceMismatch, "the signing key is not the evidence payer")
        }
        return try assemble(evidence, algorithm: .secp256k1, signature: evmKey.sign(digest: evidence.digest))
    }

    /// Signs evidence with a Solana payer key (Ed25519 over ``PaymentEvidence/digest``).
    ///
    /// - Throws: ``X402SStatus/riskEvidenceMismatch`` when the key's address is not the
    ///   evidence payer; ``X402SStatus/riskHeaderTooLong`` above 4096 bytes.
    public static func sign(_ evidence: PaymentEvidence, solanaKey: Ed25519.KeyPair) throws(X402SError) -> String {
        guard RiskText.same(solanaKey.solanaAddress, evidence.payer) else {
            throw X402SError(.riskEvidenceMismatch, "the signing key is not the evidence payer")
        }
        return try assemble(evidence, algorithm: .ed25519, signature: solanaKey.sign(evidence.digest))
    }

    /// Assembles the header from a signature made elsewhere (a wallet).
    ///
    /// - Throws: ``X402SStatus/invalidLength`` for a signature of the wrong size (65 bytes
    ///   for secp256k1, 64 for ed25519); ``X402SStatus/riskHeaderTooLong`` above 4096 bytes.
    public static func assemble(_ evidence: PaymentEvidence, algorithm: PaymentEvidenceAlgorithm, signature: [UInt8]) throws(X402SError) -> String {
        let want = algorithm == .secp256k1 ? 65 : 64
        guard signature.count == want else {
            throw X402SError(.invalidLength, "a \(algorithm.rawValue) evidence signature is \(want) bytes")
        }
        let m = Base64.encodeURL(CanonicalJSON.bytes(evidence.json))
        let value = "\(versionTag);alg=\(algorithm.rawValue);m=\(m);sig=\(Base64.encodeURL(signature))"
        guard value.utf8.count <= maxLength else {
            throw X402SError(.riskHeaderTooLong, "\(headerName) would be \(value.utf8.count) bytes; the limit is \(maxLength)")
        }
        return value
    }

    /// Parses a header value.
    ///
    /// - Throws: ``X402SStatus/riskHeaderTooLong`` above 4096 bytes;
    ///   ``X402SStatus/riskInvalidHeader`` for a wrong version tag, a part without `=`, a
    ///   missing `alg`/`m`/`sig`, an unknown algorithm, a bad message or a signature of
    ///   the wrong size; ``X402SStatus/invalidBase64`` for bad base64url; JSON errors
    ///   for a message that is not JSON; the evidence field validation errors.
    public static func parse(_ value: String) throws(X402SError) -> PaymentEvidenceHeader {
        let members = try RiskText.parseMembers(value, tag: versionTag, maxLength: maxLength, header: headerName)
        guard let a = RiskText.member(members, "alg"), let m = RiskText.member(members, "m"),
            let s = RiskText.member(members, "sig")
        else {
            throw X402SError(.riskInvalidHeader, "\(headerName) requires alg, m and sig")
        }
        guard let alg = PaymentEvidenceAlgorithm(rawValue: a) else {
            throw X402SError(.riskInvalidHeader, "\(headerName) alg must be secp256k1 or ed25519")
        }
        let evidence = try PaymentEvidence(json: JSONValue.parse(Base64.decodeURL(m)))
        let sig = try Base64.decodeURL(s)
        guard sig.count == (alg == .secp256k1 ? 65 : 64) else {
            throw X402SError(.riskInvalidHeader, "\(headerName) signature has the wrong size for \(alg.rawValue)")
        }
        return PaymentEvidenceHeader(evidence: evidence, algorithm: alg, signature: sig)
    }

    /// Checks the evidence against the request (all checks run; every failure is listed).
    ///
    /// Reason codes, in order (see ``PaymentEvidenceVerification/allReasons``):
    /// `evidence_algorithm_mismatch` (secp256k1 on a non-EVM network or ed25519 on a
    /// non-Solana one), `evidence_signature_invalid`, `evidence_signer_mismatch` (the
    /// recovered address is not the evidence payer), `evidence_payer_mismatch`,
    /// `evidence_payment_hash_mismatch`, `evidence_network_mismatch` (compared as CAIP-2),
    /// `evidence_asset_mismatch` / `evidence_pay_to_mismatch` (EVM addresses compared
    /// case-insensitively), `evidence_amount_mismatch` (numerically),
    /// `evidence_origin_mismatch` (ASCII case-insensitive), `evidence_resource_mismatch`,
    /// `evidence_session_mismatch`, `evidence_trace_mismatch`,
    /// `evidence_trace_digest_mismatch` (only when the expectation has a digest),
    /// `evidence_not_yet_valid` (`now < validAfter`), `evidence_expired`
    /// (`now >= validBefore`).
    public func verify(against x: PaymentEvidenceExpectation, now: UInt64 = UInt64(max(0, RiskClock.nowUnix()))) -> PaymentEvidenceVerification {
        let e = evidence
        var reasons: [String] = []
        let family = Networks.lookup(e.network)?.family
        switch (algorithm, family) {
        case (.secp256k1, .evm?), (.ed25519, .solana?): break
        default: reasons.append("evidence_algorithm_mismatch")
        }
        var signer: String?
        switch algorithm {
        case .secp256k1:
            if let a = try? Secp256k1.recoverAddress(digest: e.digest, signature: signature) {
                signer = a.checksummed
                if !PaymentEvidenceCompare.evm(a.lowercased, e.payer) { reasons.append("evidence_signer_mismatch") }
            } else {
                reasons.append("evidence_signature_invalid")
            }
        case .ed25519:
            if let pk = try? Base58.decode(e.payer), pk.count == 32,
                (try? Ed25519.verify(signature: signature, message: e.digest, publicKey: pk)) == true
            {
                signer = e.payer
            } else {
                reasons.append("evidence_signature_invalid")
            }
        }
        let f = x.facts
        if !PaymentEvidenceCompare.address(e.payer, f.payer, network: f.network) { reasons.append("evidence_payer_mismatch") }
        if e.paymentHash != f.paymentHash { reasons.append("evidence_payment_hash_mismatch") }
        if !RiskText.same(Networks.caip2(e.network) ?? e.network, Networks.caip2(f.network) ?? f.network) {
            reasons.append("evidence_network_mismatch")
        }
        if !PaymentEvidenceCompare.address(e.asset, f.asset, network: f.network) { reasons.append("evidence_asset_mismatch") }
        if !PaymentEvidenceCompare.address(e.payTo, f.payTo, network: f.network) { reasons.append("evidence_pay_to_mismatch") }
        if X402U256.word(decimal: e.amount) != X402U256.word(decimal: f.amount) || X402U256.word(decimal: f.amount) == nil {
            reasons.append("evidence_amount_mismatch")
        }
        if !PaymentEvidenceCompare.asciiCaseless(e.origin, x.origin) { reasons.append("evidence_origin_mismatch") }
        if !RiskText.same(e.resource, x.resource) { reasons.append("evidence_resource_mismatch") }
        if !RiskText.same((try? RiskUUID.normalize(x.riskSessionId)) ?? "", e.riskSessionId) { reasons.append("evidence_session_mismatch") }
        let expectedTid: String?
        if let t = x.riskTraceId, !t.isEmpty { expectedTid = try? RiskUUID.normalize(t) } else { expectedTid = "" }
        if expectedTid.map({ !RiskText.same($0, e.riskTraceId) }) ?? true { reasons.append("evidence_trace_mismatch") }
        if let d = x.agentTraceDigest, d != e.agentTraceDigest { reasons.append("evidence_trace_digest_mismatch") }
        if now < e.validAfter { reasons.append("evidence_not_yet_valid") }
        if now >= e.validBefore { reasons.append("evidence_expired") }
        return PaymentEvidenceVerification(reasons: reasons, signer: reasons.contains("evidence_signature_invalid") ? nil : signer)
    }

    /// Parses a header value and checks it (see ``parse(_:)`` and ``verify(against:now:)``).
    ///
    /// - Throws: the errors of ``parse(_:)``; mismatches are reported in the result.
    public static func verify(_ value: String, against x: PaymentEvidenceExpectation, now: UInt64 = UInt64(max(0, RiskClock.nowUnix()))) throws(X402SError) -> PaymentEvidenceVerification {
        try parse(value).verify(against: x, now: now)
    }
}

/// Comparison rules of the evidence checks.
enum PaymentEvidenceCompare {
    /// ASCII case-insensitive equality.
    static func asciiCaseless(_ a: String, _ b: String) -> Bool {
        RiskText.asciiLowerBytes(a) == RiskText.asciiLowerBytes(b)
    }

    /// Two EVM addresses are equal when both parse and have the same bytes.
    static func evm(_ a: String, _ b: String) -> Bool {
        guard let x = try? Hex.decode(a, requirePrefix: true), let y = try? Hex.decode(b, requirePrefix: true) else { return false }
        return x.count == 20 && x == y
    }

    /// Address equality for the network's family: EVM by bytes, anything else exactly.
    static func address(_ a: String, _ b: String, network: String) -> Bool {
        if Networks.lookup(network)?.family == .evm { return evm(a, b) }
        return RiskText.same(a, b)
    }
}
