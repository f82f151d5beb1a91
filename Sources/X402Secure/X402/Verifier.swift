/// Options of offline verification.
public struct X402VerifyOptions: Sendable {
    /// `upto`: the facilitator addresses this verifier accepts in `witness.facilitator`
    /// (x402 2.25.0 compares with its own signer addresses). Empty rejects every `upto` payment.
    public var facilitatorAddresses: [String]
    /// Solana: the fee payers this verifier manages; `extra.feePayer` must be one of them.
    /// `nil` skips that check (a seller that is not the facilitator does not know them).
    public var solanaFeePayers: [String]?
    /// When set, a payment that passes every other check is recorded, and one already
    /// recorded fails with ``X402Reason/duplicatePayment``.
    public var replayGuard: X402ReplayGuard?

    /// Creates options.
    public init(facilitatorAddresses: [String] = [], solanaFeePayers: [String]? = nil, replayGuard: X402ReplayGuard? = nil) {
        self.facilitatorAddresses = facilitatorAddresses
        self.solanaFeePayers = solanaFeePayers
        self.replayGuard = replayGuard
    }
}

extension X402VerifyOptions {
    /// Parses options from JSON: `{"facilitatorAddresses": [..], "solanaFeePayers": [..] or null}`
    /// (a replay guard is an object, not JSON: set ``replayGuard`` yourself).
    /// - Throws: ``X402SStatus/invalidArgument`` for a member of the wrong type.
    public init(json: JSONValue) throws(X402SError) {
        self.init()
        let r = try X402Reader(json, "verify options", .invalidArgument)
        func strings(_ key: String) throws(X402SError) -> [String]? {
            guard let v = r.object[key], !v.isNull else { return nil }
            guard case .array(let a) = v else { throw r.fail("\"\(key)\" must be an array of strings") }
            var out: [String] = []
            for e in a {
                guard case .string(let s) = e else { throw r.fail("\"\(key)\" must be an array of strings") }
                out.append(s)
            }
            return out
        }
        facilitatorAddresses = try strings("facilitatorAddresses") ?? []
        solanaFeePayers = try strings("solanaFeePayers")
    }
}

/// The verdict of ``X402Verifier``.
public struct X402VerifyResult: Sendable, Equatable {
    /// `true` only when every check ran and passed.
    public let isValid: Bool
    /// The reason code when invalid (x402 2.25.0 names; see ``X402Reason``).
    public let invalidReason: X402Reason?
    /// The payer as written in the payment (EVM `from`), when known.
    public let payer: String?
    /// A human-readable explanation (never key material; no caller data beyond field names).
    public let message: String

    /// Creates a verdict.
    public init(isValid: Bool, invalidReason: X402Reason?, payer: String?, message: String) {
        self.isValid = isValid
        self.invalidReason = invalidReason
        self.payer = payer
        self.message = message
    }

    /// The wire `VerifyResponse` (`invalidMessage` carries ``message`` when invalid).
    public var response: X402VerifyResponse {
        X402VerifyResponse(isValid: isValid, invalidReason: invalidReason?.rawValue,
                           invalidMessage: isValid ? nil : message, payer: payer)
    }
}

/// Offline verification of x402 payments: every check of the official facilitator that
/// needs no chain access, in x402 2.25.0's order, plus x402-secure's stricter rules.
/// The order and the differences are documented in docs/VERIFY.md.
public enum X402Verifier {
    /// Seconds of slack required before `validBefore` / `deadline` (x402 2.25.0: 6, for block time).
    public static let validBeforeGraceSeconds: UInt64 = 6

    /// Decodes a payment header and verifies it.
    ///
    /// - Parameters:
    ///   - paymentHeader: the `X-PAYMENT` or `PAYMENT-SIGNATURE` value.
    ///   - requirements: what the seller asked for (same protocol version as the payment).
    ///   - now: the current Unix time in seconds.
    ///   - options: facilitator addresses, Solana fee payers, replay guard.
    /// - Returns: the verdict; a well-formed payment that fails a check is a result, not an error.
    /// - Throws: the decoding errors of ``X402Payment/init(header:)`` (malformed header,
    ///   base64, JSON or payload shape).
    public static func verify(paymentHeader: String, requirements: X402Requirement, now: UInt64,
                              options: X402VerifyOptions = X402VerifyOptions()) throws(X402SError) -> X402VerifyResult {
        verify(payment: try X402Payment(header: paymentHeader), requirements: requirements, now: now, options: options)
    }

    /// JSON front door: requirements as a v1 or v2 requirement object.
    /// - Throws: header decoding errors and ``X402SStatus/x402InvalidRequirements``.
    public static func verify(paymentHeader: String, requirements: JSONValue, now: UInt64,
                              options: X402VerifyOptions = X402VerifyOptions()) throws(X402SError) -> X402VerifyResult {
        let r = try X402Requirement(json: requirements)
        return try verify(paymentHeader: paymentHeader, requirements: r, now: now, options: options)
    }

    /// Verifies a decoded payment.
    public static func verify(payment: X402Payment, requirements: X402Requirement, now: UInt64,
                              options: X402VerifyOptions = X402VerifyOptions()) -> X402VerifyResult {
        guard payment.x402Version == requirements.x402Version else {
            return fail(.unsupportedVersion, nil, "the payment's x402Version differs from the requirements'")
        }
        let family: X402Network.Family
        if requirements.x402Version == 2 && requirements.network.hasPrefix("eip155:") {
            family = .evm
        } else if let n = Networks.lookup(requirements.network),
                  requirements.x402Version == 2 ? n.caip2 == requirements.network : n.v1Names.contains(requirements.network) {
            family = n.family
        } else {
            return fail(.unsupportedNetwork, nil, "the requirements' network is not supported")
        }
        switch family {
        case .evm:
            switch (payment, requirements, payment.scheme) {
            case (.v2(let p), .v2(let r), "upto"):
                return permit2(p, r, upto: true, now: now, options: options)
            case (.v2(let p), .v2(let r), "exact") where p.payload["permit2Authorization"] != nil:
                return permit2(p, r, upto: false, now: now, options: options)
            case (_, _, "exact"):
                return eip3009(payment, requirements, now: now, options: options)
            default:
                let payer = payment.payload["authorization"]?["from"]?.stringValue
                    ?? payment.payload["permit2Authorization"]?["from"]?.stringValue
                return fail(.unsupportedScheme, payer, "scheme not supported for EVM \(payment.x402Version == 1 ? "v1" : "v2") payments")
            }
        case .solana:
            return X402SolanaClient.verify(payment, requirements, now: now, options: options)
        }
    }

    // MARK: - helpers

    static func fail(_ reason: X402Reason, _ payer: String?, _ message: String) -> X402VerifyResult {
        X402VerifyResult(isValid: false, invalidReason: reason, payer: payer, message: message)
    }

    /// `now + grace` as a 32-byte word (no overflow: computed in 256 bits).
    static func deadlineFloor(_ now: UInt64) -> [UInt8] { X402U256.word(now, plus: validBeforeGraceSeconds) }

    /// Expiry for the replay guard: the end of validity plus the grace, clamped to 64 bits.
    static func replayExpiry(_ validUntil: [UInt8]) -> UInt64 {
        guard let v = X402U256.uint64(validUntil) else { return UInt64.max }
        let (s, o) = v.addingReportingOverflow(validBeforeGraceSeconds)
        return o ? UInt64.max : s
    }

    /// Recovers the signer of `digest` and compares it with `from`.
    /// Returns `nil` when it matches, else the failure.
    static func checkSignature(_ sig: [UInt8], digest: [UInt8], from: [UInt8], payer: String?,
                               invalid: X402Reason) -> X402VerifyResult? {
        guard sig.count == 65 else {
            return fail(invalid, payer, "only 65-byte EOA signatures can be verified offline (EIP-1271 / ERC-6492 need chain access)")
        }
        do {
            let signer = try Secp256k1.recoverAddress(digest: digest, signature: sig)
            guard signer.bytes == from else { return fail(invalid, payer, "the signature does not recover to the payer") }
            return nil
        } catch {
            if error.status == .nonCanonicalSignature {
                return fail(.evmNonCanonicalSignature, payer, "signature s is above n/2 (malleable form); x402-secure rejects it")
            }
            return fail(invalid, payer, "the signature is malformed (r, s or v out of range)")
        }
    }

    static func sameAddress(_ a: String, _ b: String) -> Bool {
        if let x = X402EvmParse.address(a), let y = X402EvmParse.address(b) { return x == y }
        return Networks.asciiLowercased(a) == Networks.asciiLowercased(b)
    }

    // MARK: - EVM exact, EIP-3009 (x402-protocol.md 3.5)

    static func eip3009(_ p: X402Payment, _ r: X402Requirement, now: UInt64, options: X402VerifyOptions) -> X402VerifyResult {
        guard case .object(let auth)? = p.payload["authorization"] else {
            return fail(.invalidPayload, nil, "payload.authorization is missing or not an object")
        }
        let payer = auth["from"]?.stringValue
        // 1. scheme (x402-secure: the requirements' scheme too, as 2.25.0 v1 does)
        guard p.scheme == "exact", r.scheme == "exact" else {
            return fail(.unsupportedScheme, payer, "scheme must be exact")
        }
        // 2. network
        guard p.network == r.network else { return fail(.networkMismatch, payer, "the payment's network differs from the requirements'") }
        // 3. chain id
        guard let chainId = try? X402EvmClient.chainId(r) else {
            return fail(.evmFailedToGetNetworkConfig, payer, "the network has no EVM chain id")
        }
        // x402-secure: the asset signed for (accepted.asset) is the requirements' asset.
        guard let asset = X402EvmParse.address(r.asset) else {
            return fail(.evmAssetMismatch, payer, "the requirements' asset is not an EVM address")
        }
        if case .v2(let v2) = p, !sameAddress(v2.accepted.asset, r.asset) {
            return fail(.evmAssetMismatch, payer, "accepted.asset differs from the requirements' asset")
        }
        // 4. EIP-712 domain in requirements.extra
        guard case .string(let name)? = r.extra["name"], case .string(let version)? = r.extra["version"] else {
            return fail(.missingEip712Domain, payer, "requirements.extra lacks the EIP-712 name and version")
        }
        // 5. recipient
        guard case .string(let to)? = auth["to"], Networks.asciiLowercased(to) == Networks.asciiLowercased(r.payTo),
              let toBytes = X402EvmParse.address(to) else {
            return fail(.evmRecipientMismatch, payer, "authorization.to differs from payTo")
        }
        // 6. amount: strict equality
        guard let value = X402EvmParse.uint(auth["value"]) else {
            return fail(.invalidPayload, payer, "authorization.value is not a decimal integer below 2^256")
        }
        guard let required = X402U256.word(decimal: r.amount), value == required else {
            return fail(.evmValueMismatch, payer, "authorization.value differs from the required amount")
        }
        // 7-8. validity window
        guard let validBefore = X402EvmParse.uint(auth["validBefore"]), let validAfter = X402EvmParse.uint(auth["validAfter"]) else {
            return fail(.invalidPayload, payer, "authorization.validAfter/validBefore are not decimal integers")
        }
        guard X402U256.compare(validBefore, deadlineFloor(now)) >= 0 else {
            return fail(.evmValidBefore, payer, "authorization expired (validBefore < now + \(validBeforeGraceSeconds) s)")
        }
        guard X402U256.compare(validAfter, X402U256.word(now)) <= 0 else {
            return fail(.evmValidAfter, payer, "authorization not yet valid (validAfter > now)")
        }
        // 9. signature present
        guard case .string(let sigText)? = p.payload["signature"], !sigText.isEmpty else {
            return fail(.evmSignature, payer, "payload.signature is missing")
        }
        // x402-secure: the nonce is exactly 32 bytes (2.25.0 reaches the same verdict via the hash).
        guard case .string(let nonceText)? = auth["nonce"], let nonce = X402EvmParse.hexBytes(nonceText), nonce.count == 32 else {
            return fail(.evmSignature, payer, "authorization.nonce must be 32 bytes of hex")
        }
        // 2.25.0 raises (reported as failed_to_verify_signature) for non-hex text and for v
        // outside {0, 1, 27, 28}.
        guard let sig = X402EvmParse.hexBytes(sigText) else {
            return fail(.evmFailedToVerifySignature, payer, "payload.signature is not hex")
        }
        if sig.count == 65, ![0, 1, 27, 28].contains(sig[64]) {
            return fail(.evmFailedToVerifySignature, payer, "signature v must be 27, 28, 0 or 1")
        }
        guard let payer, let from = X402EvmParse.address(payer) else {
            return fail(.evmSignature, payer, "authorization.from is not an EVM address")
        }
        // 10. signature (EOA ecrecover; x402-secure: low-s only)
        let ds = X402EvmHash.domainSeparator(name: name, version: version, chainId: chainId, verifyingContract: asset)
        let sh = X402EvmHash.transferWithAuthorization(from: from, to: toBytes, value: value, validAfter: validAfter,
                                                       validBefore: validBefore, nonce: nonce)
        if let bad = checkSignature(sig, digest: X402EvmHash.digest(domainSeparator: ds, structHash: sh), from: from,
                                    payer: payer, invalid: .evmSignature) {
            return bad
        }
        if let guardian = options.replayGuard,
           !guardian.checkAndInsert(key: X402ReplayGuard.eip3009Key(chainId: chainId, asset: asset, payer: from, nonce: nonce),
                                    expiresAt: replayExpiry(validBefore), now: now) {
            return fail(.duplicatePayment, payer, "this authorization was already accepted")
        }
        return X402VerifyResult(isValid: true, invalidReason: nil, payer: payer, message: "valid")
    }

    // MARK: - EVM Permit2: exact (3.6) and upto (3.7)

    static func permit2(_ p: X402PaymentPayload, _ r: X402PaymentRequirements, upto: Bool, now: UInt64,
                        options: X402VerifyOptions) -> X402VerifyResult {
        guard case .object(let auth)? = p.payload["permit2Authorization"] else {
            return fail(.invalidPayload, nil, "payload.permit2Authorization is missing or not an object")
        }
        let payer = auth["from"]?.stringValue
        let scheme = upto ? "upto" : "exact"
        // 1. scheme
        guard p.accepted.scheme == scheme, r.scheme == scheme else {
            return fail(upto ? .uptoScheme : .unsupportedScheme, payer, "scheme must be \(scheme)")
        }
        // 2. network
        guard p.accepted.network == r.network else {
            return fail(upto ? .uptoNetworkMismatch : .networkMismatch, payer, "the payment's network differs from the requirements'")
        }
        guard let chainId = try? Networks.evmChainId(r.network), r.network.hasPrefix("eip155:") else {
            return fail(upto ? .uptoFailedToGetNetworkConfig : .evmFailedToGetNetworkConfig, payer, "the network has no EVM chain id")
        }
        guard let asset = X402EvmParse.address(r.asset) else {
            return fail(.evmAssetMismatch, payer, "the requirements' asset is not an EVM address")
        }
        if !sameAddress(p.accepted.asset, r.asset) {
            return fail(.evmAssetMismatch, payer, "accepted.asset differs from the requirements' asset")
        }
        // 3. spender is the x402 proxy
        let proxy = upto ? X402EvmConstants.uptoPermit2ProxyAddress : X402EvmConstants.exactPermit2ProxyAddress
        guard case .string(let spenderText)? = auth["spender"], let spender = X402EvmParse.address(spenderText),
              spender == X402EvmParse.address(proxy) else {
            return fail(.permit2InvalidSpender, payer, "spender must be the x402 \(scheme) Permit2 proxy")
        }
        // 4. witness.to == payTo
        guard case .object(let witness)? = auth["witness"], case .string(let toText)? = witness["to"],
              let to = X402EvmParse.address(toText), let payTo = X402EvmParse.address(r.payTo), to == payTo else {
            return fail(.permit2RecipientMismatch, payer, "witness.to differs from payTo")
        }
        // 5. upto: the facilitator in the witness is one of ours
        var facilitator: [UInt8]?
        if upto {
            guard case .string(let fText)? = witness["facilitator"], let f = X402EvmParse.address(fText),
                  options.facilitatorAddresses.contains(where: { X402EvmParse.address($0) == f }) else {
                return fail(.uptoFacilitatorMismatch, payer, "witness.facilitator is not one of this verifier's facilitator addresses")
            }
            facilitator = f
        }
        // 6. numeric fields
        guard let deadline = X402EvmParse.uint(auth["deadline"]), let validAfter = X402EvmParse.uint(witness["validAfter"]),
              case .object(let permitted)? = auth["permitted"], let amount = X402EvmParse.uint(permitted["amount"]),
              let required = X402U256.word(decimal: r.amount), let nonce = X402EvmParse.uint(auth["nonce"]) else {
            return fail(.permit2PayloadFormat, payer, "deadline, validAfter, amount and nonce must be decimal integers below 2^256")
        }
        // 7-8. window
        guard X402U256.compare(deadline, deadlineFloor(now)) >= 0 else {
            return fail(.permit2DeadlineExpired, payer, "permit expired (deadline < now + \(validBeforeGraceSeconds) s)")
        }
        guard X402U256.compare(validAfter, X402U256.word(now)) <= 0 else {
            return fail(.permit2NotYetValid, payer, "permit not yet valid (validAfter > now)")
        }
        // 9. amount: strict equality (upto: the signed maximum equals the requirement at verify time)
        guard amount == required else { return fail(.permit2AmountMismatch, payer, "permitted.amount differs from the required amount") }
        // 10. token
        guard case .string(let tokenText)? = permitted["token"], let token = X402EvmParse.address(tokenText), token == asset else {
            return fail(.permit2TokenMismatch, payer, "permitted.token differs from the asset")
        }
        // 11. signature
        guard case .string(let sigText)? = p.payload["signature"], !sigText.isEmpty, let sig = X402EvmParse.hexBytes(sigText) else {
            return fail(.permit2InvalidSignature, payer, "payload.signature is missing or not hex")
        }
        guard let payer, let from = X402EvmParse.address(payer) else {
            return fail(.permit2InvalidSignature, payer, "permit2Authorization.from is not an EVM address")
        }
        let sh = X402EvmHash.permitWitnessTransferFrom(token: token, amount: amount, spender: spender, nonce: nonce,
                                                       deadline: deadline, witnessTo: to, facilitator: facilitator,
                                                       validAfter: validAfter)
        let digest = X402EvmHash.digest(domainSeparator: X402EvmHash.permit2DomainSeparator(chainId: chainId), structHash: sh)
        if let bad = checkSignature(sig, digest: digest, from: from, payer: payer, invalid: .permit2InvalidSignature) {
            return bad
        }
        if let guardian = options.replayGuard,
           !guardian.checkAndInsert(key: X402ReplayGuard.permit2Key(chainId: chainId, payer: from, nonce: nonce),
                                    expiresAt: replayExpiry(deadline), now: now) {
            return fail(.duplicatePayment, payer, "this authorization was already accepted")
        }
        return X402VerifyResult(isValid: true, invalidReason: nil, payer: payer, message: "valid")
    }
}
