/// What a Solana `exact` payment must pay: the parts of x402 `PaymentRequirements` the
/// transaction is checked against.
public struct SolanaExactRequirement: Hashable, Sendable {
    /// The network: a Solana CAIP-2 id (`solana:5eykt4Us…`, `solana:EtWTRABZ…`,
    /// `solana:4uhcVJyU…`) or a v1 name (`solana`, `solana-devnet`, `solana-testnet`).
    public var network: String
    /// The token mint (`asset`).
    public var asset: SolanaPublicKey
    /// The owner wallet of the recipient (`payTo`), not its token account.
    public var payTo: SolanaPublicKey
    /// The amount in atomic units; the transfer must equal it exactly.
    public var amount: UInt64
    /// The facilitator's fee payer (`extra.feePayer`).
    public var feePayer: SolanaPublicKey
    /// The seller's memo (`extra.memo`); nil or empty means "no memo required".
    public var memo: String?
    /// The mint's decimals when known; the TransferChecked decimals must then equal it.
    public var decimals: UInt8?

    /// Creates a requirement.
    public init(
        network: String, asset: SolanaPublicKey, payTo: SolanaPublicKey, amount: UInt64,
        feePayer: SolanaPublicKey, memo: String? = nil, decimals: UInt8? = nil
    ) {
        self.network = network
        self.asset = asset
        self.payTo = payTo
        self.amount = amount
        self.feePayer = feePayer
        self.memo = memo
        self.decimals = decimals
    }
}

/// The verdict of ``SolanaExact/verify(transaction:requirement:facilitatorSigners:)``.
public struct SolanaVerification: Hashable, Sendable {
    /// True only when every check ran and passed.
    public let isValid: Bool
    /// The first failed rule, nil when valid.
    public let reason: X402Reason?
    /// Base58 of the transfer authority (the client wallet), once the transfer instruction
    /// has been found (x402's `payer`).
    public let payer: String?
    /// The replay/deduplication key ``SolanaTransaction/messageHash`` (x402 2.25.0's
    /// `sha256(bytes(tx.message))`), once the transaction has been decoded.
    public let messageHash: [UInt8]?
    /// A short human explanation (never key material, never large caller data).
    public let message: String

    /// The message hash in standard base64, as x402 2.25.0 keys its settlement cache.
    public var messageHashBase64: String? { messageHash.map { Base64.encode($0) } }
}

/// The x402 `exact` scheme on Solana: build the client's partially signed SPL transfer, and
/// verify one offline as a facilitator would (x402-protocol §4.2, §4.3).
public enum SolanaExact {
    /// SetComputeUnitLimit used by the official clients.
    public static let defaultComputeUnitLimit: UInt32 = 20_000
    /// SetComputeUnitPrice used by the official clients (microlamports per compute unit).
    public static let defaultComputeUnitPrice: UInt64 = 1
    /// The highest compute unit price a facilitator accepts (5 lamports per unit).
    public static let maxComputeUnitPrice: UInt64 = 5_000_000
    /// The longest `extra.memo`, in UTF-8 bytes.
    public static let maxMemoBytes = 256
    /// Random bytes behind the default memo (hex-encoded to 32 ASCII characters).
    public static let memoNonceByteCount = 16

    /// Whether `network` is a Solana network of the network table (`Networks`): one of the
    /// three CAIP-2 ids or their v1 names.
    public static func isSolanaNetwork(_ network: String) -> Bool {
        Networks.lookup(network)?.family == .solana
    }

    // MARK: Build

    /// The four instructions of an x402 payment, in order: SetComputeUnitLimit,
    /// SetComputeUnitPrice, TransferChecked (source ATA -> destination ATA, signed by
    /// `owner`), Memo.
    /// - Throws: `.invalidArgument` for a token program other than Token / Token-2022;
    ///   `.solanaNoProgramAddress` if an ATA cannot be derived.
    public static func paymentInstructions(
        owner: SolanaPublicKey, payTo: SolanaPublicKey, mint: SolanaPublicKey, decimals: UInt8,
        tokenProgram: SolanaPublicKey, amount: UInt64, memoData: [UInt8],
        computeUnitLimit: UInt32 = defaultComputeUnitLimit, computeUnitPrice: UInt64 = defaultComputeUnitPrice
    ) throws(X402SError) -> [SolanaInstruction] {
        guard tokenProgram == .tokenProgram || tokenProgram == .token2022Program else {
            throw X402SError(.invalidArgument, "the token program must be Token or Token-2022")
        }
        let source = try SolanaPublicKey.associatedTokenAddress(owner: owner, mint: mint, tokenProgram: tokenProgram)
        let destination = try SolanaPublicKey.associatedTokenAddress(
            owner: payTo, mint: mint, tokenProgram: tokenProgram)
        let limit = SolanaInstruction(
            programId: .computeBudgetProgram, accounts: [], data: [2] + littleEndian(computeUnitLimit))
        let price = SolanaInstruction(
            programId: .computeBudgetProgram, accounts: [], data: [3] + littleEndian(computeUnitPrice))
        let transfer = SolanaInstruction(
            programId: tokenProgram,
            accounts: [
                SolanaAccountMeta(publicKey: source, isSigner: false, isWritable: true),
                SolanaAccountMeta(publicKey: mint, isSigner: false, isWritable: false),
                SolanaAccountMeta(publicKey: destination, isSigner: false, isWritable: true),
                SolanaAccountMeta(publicKey: owner, isSigner: true, isWritable: false),
            ],
            data: [12] + littleEndian(amount) + [decimals])
        let memo = SolanaInstruction(programId: .memoProgram, accounts: [], data: memoData)
        return [limit, price, transfer, memo]
    }

    /// Builds the client's x402 `exact` payment transaction as x402 2.25.0 does: a v0 message
    /// compiled with the fee payer first, slot 0 left as 64 zero bytes for the facilitator,
    /// and the client's Ed25519 signature over the message bytes (`0x80 || message`) in its
    /// slot. Base64 of the result is the payload's `transaction`.
    ///
    /// - Parameters:
    ///   - signer: the client's key pair (the transfer authority).
    ///   - feePayer: `extra.feePayer`.
    ///   - payTo: the recipient's owner wallet; the destination is its associated token account.
    ///   - mint: the token mint (`asset`); `decimals` and `tokenProgram` are the mint's.
    ///   - amount: atomic units.
    ///   - memo: `extra.memo` (at most 256 UTF-8 bytes); nil or empty gives the default memo,
    ///     the lowercase hex of 16 random bytes.
    ///   - recentBlockhash: 32 bytes.
    ///   - memoNonce: the 16 random bytes behind the default memo; nil draws them from the
    ///     system CSPRNG.
    /// - Returns: the serialized transaction.
    /// - Throws: `.invalidArgument` (fee payer equal to the signer, memo too long, unknown
    ///   token program), `.invalidLength` (blockhash or nonce size), `.randomnessFailed`.
    public static func buildPaymentTransaction(
        signer: Ed25519.KeyPair, feePayer: SolanaPublicKey, payTo: SolanaPublicKey, mint: SolanaPublicKey,
        decimals: UInt8, tokenProgram: SolanaPublicKey = .tokenProgram, amount: UInt64, memo: String? = nil,
        recentBlockhash: [UInt8], computeUnitLimit: UInt32 = defaultComputeUnitLimit,
        computeUnitPrice: UInt64 = defaultComputeUnitPrice, memoNonce: [UInt8]? = nil
    ) throws(X402SError) -> [UInt8] {
        guard recentBlockhash.count == 32 else {
            throw X402SError(.invalidLength, "the recent blockhash is 32 bytes, got \(recentBlockhash.count)")
        }
        let owner = try SolanaPublicKey(bytes: signer.publicKey)
        guard owner != feePayer else {
            throw X402SError(.invalidArgument, "the fee payer must not be the paying wallet")
        }
        let memoData: [UInt8]
        if let memo, !memo.isEmpty {
            memoData = Array(memo.utf8)
            guard memoData.count <= maxMemoBytes else {
                throw X402SError(.invalidArgument, "extra.memo exceeds \(maxMemoBytes) bytes")
            }
        } else {
            let nonce: [UInt8]
            if let memoNonce { nonce = memoNonce } else { nonce = try SecureRandom.bytes(memoNonceByteCount) }
            guard nonce.count == memoNonceByteCount else {
                throw X402SError(.invalidLength, "the memo nonce is \(memoNonceByteCount) bytes, got \(nonce.count)")
            }
            memoData = Array(Hex.encode(nonce, prefix: false).utf8)
        }
        let instructions = try paymentInstructions(
            owner: owner, payTo: payTo, mint: mint, decimals: decimals, tokenProgram: tokenProgram,
            amount: amount, memoData: memoData, computeUnitLimit: computeUnitLimit,
            computeUnitPrice: computeUnitPrice)
        let message = try SolanaMessage.compileV0(
            payer: feePayer, instructions: instructions, recentBlockhash: recentBlockhash)
        let tx = try SolanaTransaction(unsigned: message).signed(by: signer)
        return tx.serialize()
    }

    // MARK: Verify

    /// Verifies a client's payment transaction offline, as an x402 facilitator (x402-protocol
    /// §4.3 rules 3-17; simulation is not done), with x402-secure's stricter rules. The first
    /// failing rule decides the reason:
    ///
    /// 1. the network is a Solana network, else `unsupportedNetwork`
    /// 2. `feePayer` is one of `facilitatorSigners` (when given), else `svmFeePayerNotManaged`
    /// 3. the bytes (at most 1232) parse strictly as a transaction that passes Solana's sanitize
    ///    rules, with no address-table lookups and no repeated account key, else
    ///    `svmCouldNotDecode`
    /// 4. account 0 (the transaction's fee payer) is `feePayer`, else `svmFeePayerNotManaged`
    /// 5. 3 to 6 instructions, else `svmInstructionsLength`
    /// 6. instruction 0 is ComputeBudget SetComputeUnitLimit (`02 || u32`, exactly 5 bytes),
    ///    else `svmComputeLimitInstruction`
    /// 7. instruction 1 is ComputeBudget SetComputeUnitPrice (`03 || u64`, exactly 9 bytes),
    ///    else `svmComputePriceInstruction`; price above 5,000,000 microlamports gives
    ///    `svmComputePriceTooHigh`
    /// 8. some Token/Token-2022 instruction has 4 or more accounts (its account 3 is the
    ///    `payer`), and instruction 2's program is Token or Token-2022, else
    ///    `svmNoTransferInstruction`
    /// 9. instructions 3, 4, 5 run Lighthouse or Memo, else `svmUnknown{Fourth,Fifth,Sixth}Instruction`
    /// 10. with a memo required: exactly one Memo instruction among them (`svmMemoCount`) whose
    ///     data equals the memo's UTF-8 bytes (`svmMemoMismatch`)
    /// 11. instruction 2 is TransferChecked: data `0c || u64 amount || u8 decimals` (exactly 10
    ///     bytes), 4 or more accounts, else `svmNoTransferInstruction`
    /// 12. the fee payer is in no instruction's accounts and the authority is neither the fee
    ///     payer nor a facilitator signer, else `svmFeePayerTransferringFunds`
    /// 13. the mint (account 1) is `asset`, else `svmMintMismatch`
    /// 14. the destination (account 2) is the ATA of `payTo` for that mint and token program,
    ///     else `svmRecipientMismatch`
    /// 15. the amount equals `amount` (x402 2.25.0 accepts more) and the decimals equal
    ///     `decimals` when known, else `svmAmountMismatch`
    /// 16. the authority is a signer and every signature except the fee payer's (slot 0,
    ///     filled in by the facilitator later) verifies over the message, else
    ///     `svmInvalidSignature`
    ///
    /// Accounts are resolved through the instructions' indices, never by position in the key
    /// list. Scheme and `accepted` matching (§4.3 rules 1-2) belong to the caller.
    public static func verify(
        transaction: [UInt8], requirement: SolanaExactRequirement, facilitatorSigners: [SolanaPublicKey]? = nil
    ) -> SolanaVerification {
        var check = Verdict()
        guard isSolanaNetwork(requirement.network) else {
            return check.fail(.unsupportedNetwork, "not a Solana network")
        }
        if let signers = facilitatorSigners, !signers.contains(requirement.feePayer) {
            return check.fail(.svmFeePayerNotManaged, "extra.feePayer is not one of the facilitator's signers")
        }

        // Decode.
        guard transaction.count <= SolanaMessage.maxTransactionSize else {
            return check.fail(.svmCouldNotDecode, "the transaction is larger than 1232 bytes")
        }
        let tx: SolanaTransaction
        do {
            tx = try SolanaTransaction(bytes: transaction)
            try tx.sanitize()
        } catch {
            return check.fail(.svmCouldNotDecode, error.message)
        }
        check.messageHash = tx.messageHash
        let msg = tx.message
        let keys = msg.accountKeys
        guard msg.addressTableLookups.isEmpty else {
            return check.fail(.svmCouldNotDecode, "address-table lookups are not supported")
        }
        guard Set(keys).count == keys.count else {
            return check.fail(.svmCouldNotDecode, "an account key appears twice")
        }
        func key(_ index: UInt8) -> SolanaPublicKey? {
            Int(index) < keys.count ? keys[Int(index)] : nil
        }
        func program(_ ix: SolanaCompiledInstruction) -> SolanaPublicKey? { key(ix.programIdIndex) }
        guard keys.first == requirement.feePayer else {
            return check.fail(.svmFeePayerNotManaged, "the transaction's fee payer is not extra.feePayer")
        }

        // Instruction layout.
        let ixs = msg.instructions
        guard ixs.count >= 3, ixs.count <= 6 else {
            return check.fail(.svmInstructionsLength, "expected 3 to 6 instructions, got \(ixs.count)")
        }
        let limitIx = ixs[0], priceIx = ixs[1], transferIx = ixs[2]
        guard program(limitIx) == .computeBudgetProgram, limitIx.data.count == 5, limitIx.data.first == 2 else {
            return check.fail(.svmComputeLimitInstruction, "instruction 0 is not SetComputeUnitLimit")
        }
        guard program(priceIx) == .computeBudgetProgram, priceIx.data.count == 9, priceIx.data.first == 3 else {
            return check.fail(.svmComputePriceInstruction, "instruction 1 is not SetComputeUnitPrice")
        }
        guard readLittleEndianU64(priceIx.data, at: 1) <= maxComputeUnitPrice else {
            return check.fail(.svmComputePriceTooHigh, "the compute unit price is above 5 lamports")
        }
        let isTokenProgram = { (p: SolanaPublicKey?) in p == .tokenProgram || p == .token2022Program }
        guard let payerIx = ixs.first(where: { isTokenProgram(program($0)) && $0.accounts.count >= 4 }),
            let payer = key(payerIx.accounts[3])
        else {
            return check.fail(.svmNoTransferInstruction, "no token transfer instruction")
        }
        check.payer = payer.base58
        guard let tokenProgram = program(transferIx), isTokenProgram(tokenProgram) else {
            return check.fail(.svmNoTransferInstruction, "instruction 2 is not a Token or Token-2022 instruction")
        }
        let optional = ixs.dropFirst(3)
        let unknown: [X402Reason] = [.svmUnknownFourthInstruction, .svmUnknownFifthInstruction, .svmUnknownSixthInstruction]
        for (i, ix) in optional.enumerated() {
            let p = program(ix)
            if p != .lighthouseProgram && p != .memoProgram {
                return check.fail(unknown[min(i, unknown.count - 1)], "instruction \(i + 3) is neither Lighthouse nor Memo")
            }
        }
        if let memo = requirement.memo, !memo.isEmpty {
            let memos = optional.filter { program($0) == .memoProgram }
            guard memos.count == 1, let memoIx = memos.first else {
                return check.fail(.svmMemoCount, "expected exactly one Memo instruction, got \(memos.count)")
            }
            guard memoIx.data == Array(memo.utf8) else {
                return check.fail(.svmMemoMismatch, "the memo differs from extra.memo")
            }
        }

        // The transfer.
        guard transferIx.data.count == 10, transferIx.data.first == 12, transferIx.accounts.count >= 4,
            let mint = key(transferIx.accounts[1]), let destination = key(transferIx.accounts[2]),
            let authority = key(transferIx.accounts[3])
        else {
            return check.fail(.svmNoTransferInstruction, "instruction 2 is not TransferChecked")
        }
        let amount = readLittleEndianU64(transferIx.data, at: 1)
        let decimals = transferIx.data[9]
        let signers = facilitatorSigners ?? []
        guard authority != requirement.feePayer, !signers.contains(authority) else {
            return check.fail(.svmFeePayerTransferringFunds, "the transfer authority is a facilitator signer")
        }
        // With unique keys, index 0 is the fee payer and nothing else.
        guard !ixs.contains(where: { $0.accounts.contains(0) }) else {
            return check.fail(.svmFeePayerTransferringFunds, "the fee payer appears in an instruction's accounts")
        }
        guard mint == requirement.asset else {
            return check.fail(.svmMintMismatch, "the mint is not the required asset")
        }
        let expectedDestination: SolanaPublicKey
        do {
            expectedDestination = try SolanaPublicKey.associatedTokenAddress(
                owner: requirement.payTo, mint: requirement.asset, tokenProgram: tokenProgram)
        } catch {
            return check.fail(.svmRecipientMismatch, "no associated token account for payTo")
        }
        guard destination == expectedDestination else {
            return check.fail(.svmRecipientMismatch, "the destination is not payTo's associated token account")
        }
        guard amount == requirement.amount else {
            return check.fail(.svmAmountMismatch, "the amount \(amount) differs from the required \(requirement.amount)")
        }
        if let expected = requirement.decimals, expected != decimals {
            return check.fail(.svmAmountMismatch, "the decimals \(decimals) differ from the mint's \(expected)")
        }

        // Signatures (slot 0 belongs to the fee payer and is filled in at settlement).
        let signerCount = Int(msg.header.numRequiredSignatures)
        guard let authorityIndex = keys.firstIndex(of: authority), authorityIndex < signerCount else {
            return check.fail(.svmInvalidSignature, "the transfer authority does not sign the transaction")
        }
        for slot in 1..<max(signerCount, 1) where slot < tx.signatures.count && slot < keys.count {
            let ok = (try? Ed25519.verify(
                signature: tx.signatures[slot], message: tx.messageBytes, publicKey: keys[slot].bytes)) ?? false
            guard ok else {
                return check.fail(.svmInvalidSignature, "the signature in slot \(slot) does not verify")
            }
        }
        return check.pass()
    }

    /// Verifies the `transaction` string of an x402 SVM payload against requirement fields given
    /// as text (as they appear in JSON), with the reasons of
    /// ``verify(transaction:requirement:facilitatorSigners:)``.
    ///
    /// After the network check: a missing or empty `feePayer` gives `svmMissingFeePayer`, one
    /// that is not a base58 address gives `svmFeePayerNotManaged`, and text that is not strict
    /// standard base64 of at most 1232 bytes gives `svmCouldNotDecode`.
    /// - Throws: `.x402InvalidRequirements` when `asset` or `payTo` is not a Solana address;
    ///   `.x402InvalidAmount` when `amount` is not a decimal integer string (digits only) that
    ///   fits an SPL amount (u64).
    public static func verify(
        transactionBase64: String, network: String, asset: String, payTo: String, amount: String,
        feePayer: String?, memo: String? = nil, decimals: UInt8? = nil,
        facilitatorSigners: [SolanaPublicKey]? = nil
    ) throws(X402SError) -> SolanaVerification {
        let assetKey: SolanaPublicKey, payToKey: SolanaPublicKey
        do {
            assetKey = try SolanaPublicKey(base58: asset)
            payToKey = try SolanaPublicKey(base58: payTo)
        } catch {
            throw X402SError(.x402InvalidRequirements, "asset and payTo must be Solana addresses")
        }
        let digits = amount.utf8
        guard !digits.isEmpty, digits.count <= 40, digits.allSatisfy({ $0 >= 48 && $0 <= 57 }),
            let required = UInt64(amount)
        else {
            throw X402SError(.x402InvalidAmount, "amount must be a decimal integer string that fits in u64")
        }
        let check = Verdict()
        guard isSolanaNetwork(network) else {
            return check.fail(.unsupportedNetwork, "not a Solana network")
        }
        guard let feePayer, !feePayer.isEmpty else {
            return check.fail(.svmMissingFeePayer, "extra.feePayer is missing")
        }
        guard let feePayerKey = try? SolanaPublicKey(base58: feePayer) else {
            return check.fail(.svmFeePayerNotManaged, "extra.feePayer is not a Solana address")
        }
        if let signers = facilitatorSigners, !signers.contains(feePayerKey) {
            return check.fail(.svmFeePayerNotManaged, "extra.feePayer is not one of the facilitator's signers")
        }
        // Base64 of 1232 bytes is 1644 characters: longer text is refused before decoding.
        guard transactionBase64.utf8.count <= 1644, let bytes = try? Base64.decode(transactionBase64) else {
            return check.fail(.svmCouldNotDecode, "the transaction is not standard base64 of at most 1232 bytes")
        }
        let requirement = SolanaExactRequirement(
            network: network, asset: assetKey, payTo: payToKey, amount: required, feePayer: feePayerKey,
            memo: memo, decimals: decimals)
        return verify(transaction: bytes, requirement: requirement, facilitatorSigners: facilitatorSigners)
    }

    // MARK: Helpers

    private struct Verdict {
        var payer: String?
        var messageHash: [UInt8]?

        func fail(_ reason: X402Reason, _ message: String) -> SolanaVerification {
            SolanaVerification(isValid: false, reason: reason, payer: payer, messageHash: messageHash, message: message)
        }

        func pass() -> SolanaVerification {
            SolanaVerification(isValid: true, reason: nil, payer: payer, messageHash: messageHash, message: "valid")
        }
    }

    static func littleEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        (0..<(T.bitWidth / 8)).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }

    /// u64 little-endian at `offset`; 0 if fewer than 8 bytes are there (callers check sizes first).
    static func readLittleEndianU64(_ data: [UInt8], at offset: Int) -> UInt64 {
        guard offset >= 0, data.count - offset >= 8 else { return 0 }
        var v: UInt64 = 0
        for i in 0..<8 { v |= UInt64(data[offset + i]) << (8 * UInt64(i)) }
        return v
    }
}
