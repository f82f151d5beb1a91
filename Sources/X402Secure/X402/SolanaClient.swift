/// Solana `exact` payment creation and verification for the x402 front door, on top of
/// ``SolanaExact`` (x402-protocol.md 4.2 / 4.3).
enum X402SolanaClient {
    static func key(_ s: String, _ field: String) throws(X402SError) -> SolanaPublicKey {
        do { return try SolanaPublicKey(base58: s) } catch {
            throw X402SError(.x402InvalidRequirements, "\(field) is not a Solana address (base58, 32 bytes)")
        }
    }

    /// `{"transaction": base64}` for a Solana `exact` requirement (v1 or v2).
    ///
    /// Mint decimals and token program come from the network table for known assets, else
    /// from `options`; the blockhash from `extra.recentBlockhash` when it parses (x402 2.25.0
    /// v2), else from `options.recentBlockhash` (no network calls are made).
    static func payload(_ r: X402Requirement, signer: Ed25519.KeyPair, options: X402PaymentOptions) throws(X402SError) -> JSONObject {
        guard r.scheme == "exact" else { throw X402SError(.x402UnsupportedScheme, "Solana supports only the exact scheme") }
        let extra = r.extra
        guard case .string(let feePayerText)? = extra["feePayer"] else {
            throw X402SError(.x402InvalidRequirements, "Solana requirements need extra.feePayer")
        }
        let feePayer = try key(feePayerText, "extra.feePayer")
        let payTo = try key(r.payTo, "payTo")
        let mint = try key(r.asset, "asset")
        guard let amount = Networks.parseCanonicalUInt64(r.amount.utf8) else {
            throw X402SError(.x402InvalidRequirements, "amount must be a canonical decimal string that fits an SPL amount (u64)")
        }
        let known = Networks.asset(network: r.network, address: r.asset)
        guard let decimals = known.map({ UInt8(truncatingIfNeeded: $0.decimals) }) ?? options.mintDecimals,
              let program = known?.tokenProgram ?? options.tokenProgram else {
            throw X402SError(.x402UnknownAsset, "the mint is not in the network table; give its decimals and token program")
        }
        var blockhash: [UInt8]?
        if case .string(let b)? = extra["recentBlockhash"], let bytes = try? Base58.decode32(b) { blockhash = bytes }
        if blockhash == nil { blockhash = options.recentBlockhash }
        guard let blockhash else {
            throw X402SError(.x402InvalidRequirements, "no recent blockhash: the requirements have no extra.recentBlockhash; pass one")
        }
        var memo: String?
        if let m = extra["memo"] {
            guard case .string(let s) = m else { throw X402SError(.x402InvalidRequirements, "extra.memo must be a string") }
            memo = s
        }
        let tx = try SolanaExact.buildPaymentTransaction(
            signer: signer, feePayer: feePayer, payTo: payTo, mint: mint, decimals: decimals,
            tokenProgram: program == .token ? .tokenProgram : .token2022Program, amount: amount, memo: memo,
            recentBlockhash: blockhash, memoNonce: options.memoNonce)
        var w = X402Writer()
        w.put("transaction", Base64.encode(tx))
        return w.object
    }

    /// Offline verify of a Solana `exact` payment (see docs/VERIFY.md).
    static func verify(_ p: X402Payment, _ r: X402Requirement, now: UInt64, options: X402VerifyOptions) -> X402VerifyResult {
        guard p.scheme == "exact", r.scheme == "exact" else {
            return X402Verifier.fail(.unsupportedScheme, nil, "scheme must be exact")
        }
        guard p.network == r.network else {
            return X402Verifier.fail(.networkMismatch, nil, "the payment's network differs from the requirements'")
        }
        guard case .string(let tx)? = p.payload["transaction"] else {
            return X402Verifier.fail(.invalidPayload, nil, "payload.transaction is missing or not a string")
        }
        guard (try? SolanaPublicKey(base58: r.asset)) != nil else {
            return X402Verifier.fail(.svmMintMismatch, nil, "the requirements' asset is not a Solana address")
        }
        guard (try? SolanaPublicKey(base58: r.payTo)) != nil else {
            return X402Verifier.fail(.svmRecipientMismatch, nil, "the requirements' payTo is not a Solana address")
        }
        guard Networks.parseCanonicalUInt64(r.amount.utf8) != nil else {
            return X402Verifier.fail(.svmAmountMismatch, nil, "the requirements' amount is not a u64 decimal")
        }
        let extra = r.extra
        let feePayer = extra["feePayer"]?.stringValue
        var memo: String?
        if let m = extra["memo"] {
            guard case .string(let s) = m else { return X402Verifier.fail(.svmMemoMismatch, nil, "extra.memo is not a string") }
            memo = s
        }
        let decimals = Networks.asset(network: r.network, address: r.asset).map { UInt8(truncatingIfNeeded: $0.decimals) }
        let signers = options.solanaFeePayers.map { list in list.compactMap { try? SolanaPublicKey(base58: $0) } }
        let v: SolanaVerification
        do {
            v = try SolanaExact.verify(
                transactionBase64: tx, network: r.network, asset: r.asset, payTo: r.payTo, amount: r.amount,
                feePayer: feePayer, memo: memo, decimals: decimals, facilitatorSigners: signers)
        } catch {
            return X402Verifier.fail(.invalidPayload, nil, error.message)
        }
        guard v.isValid, v.reason == nil else {
            return X402VerifyResult(isValid: false, invalidReason: v.reason ?? .invalidPayload, payer: v.payer, message: v.message)
        }
        guard let hash = v.messageHash else {
            return X402Verifier.fail(.svmCouldNotDecode, v.payer, "no message hash")
        }
        if let guardian = options.replayGuard, !guardian.checkAndInsert(solanaMessageHash: hash, now: now) {
            return X402Verifier.fail(.duplicatePayment, v.payer, "this transaction was already accepted")
        }
        return X402VerifyResult(isValid: true, invalidReason: nil, payer: v.payer, message: "valid")
    }
}
