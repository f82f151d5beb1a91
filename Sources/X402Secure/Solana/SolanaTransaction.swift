/// A Solana transaction (legacy or v0): signatures and the message they sign.
///
/// The message's serialized bytes are kept next to it, so signing, signature checks and the
/// message hash use exactly the bytes that travel on the wire.
public struct SolanaTransaction: Hashable, Sendable {
    /// The signatures, 64 bytes each; slot i belongs to `message.accountKeys[i]`.
    public let signatures: [[UInt8]]
    /// The message.
    public let message: SolanaMessage
    /// The serialized message (v0: starting with 0x80): the bytes every signer signs.
    public let messageBytes: [UInt8]

    /// The size of an Ed25519 signature.
    public static let signatureByteCount = 64

    /// Assembles a transaction from a message and its signatures.
    /// - Throws: `.invalidArgument` if a signature is not 64 bytes or there are more than 65535
    ///   of them; the errors of ``SolanaMessage/serialize()``.
    public init(message: SolanaMessage, signatures: [[UInt8]]) throws(X402SError) {
        guard signatures.count <= 0xffff else { throw X402SError(.invalidArgument, "more than 65535 signatures") }
        for (i, s) in signatures.enumerated() where s.count != SolanaTransaction.signatureByteCount {
            throw X402SError(.invalidArgument, "signature \(i) is not 64 bytes")
        }
        self.message = message
        self.signatures = signatures
        self.messageBytes = try message.serialize()
    }

    /// An unsigned transaction: one all-zero signature per required signer.
    /// - Throws: as ``init(message:signatures:)``.
    public init(unsigned message: SolanaMessage) throws(X402SError) {
        let zero = [UInt8](repeating: 0, count: SolanaTransaction.signatureByteCount)
        try self.init(message: message, signatures: Array(repeating: zero, count: Int(message.header.numRequiredSignatures)))
    }

    /// Parses wire bytes: `compact-u16(n) || n x 64-byte signature || message`.
    ///
    /// Deserialization is strict: every length is checked before use, compact-u16 values must
    /// be canonical, and trailing bytes are rejected (solders/bincode accept them). It does
    /// not apply Solana's sanitize rules; call ``sanitize()`` for those.
    /// - Throws: `.solanaInvalidTransaction`.
    public init(bytes: [UInt8]) throws(X402SError) {
        var reader = SolanaByteReader(bytes)
        let n = try reader.readCompactU16("signature count")
        signatures = try reader.readArray(count: n, itemSize: 64, "signatures") { r throws(X402SError) in
            try r.readBytes(64, "signature")
        }
        let start = reader.offset
        message = try SolanaMessage(reader: &reader)
        guard reader.isAtEnd else {
            throw X402SError(.solanaInvalidTransaction, "\(reader.remaining) trailing bytes after the transaction")
        }
        messageBytes = Array(bytes[start...])
    }

    /// The wire bytes.
    public func serialize() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(3 + signatures.count * 64 + messageBytes.count)
        CompactU16.encode(signatures.count, into: &out)
        for s in signatures { out.append(contentsOf: s) }
        out.append(contentsOf: messageBytes)
        return out
    }

    /// SHA-256 of the message as x402 2.25.0 computes its settlement deduplication key
    /// (`sha256(bytes(tx.message))`): for v0 the message body *without* the 0x80 prefix, for
    /// legacy the whole message. It ignores the signatures, so whatever is placed in the fee
    /// payer's slot does not change it.
    public var messageHash: [UInt8] {
        message.version == .v0 ? SHA256.hash(Array(messageBytes.dropFirst())) : SHA256.hash(messageBytes)
    }

    /// Solana's `VersionedTransaction::sanitize`: the message rules of
    /// ``SolanaMessage/sanitize()``, exactly `numRequiredSignatures` signatures, and no more
    /// signatures than static account keys.
    /// - Throws: `.solanaInvalidTransaction`.
    public func sanitize() throws(X402SError) {
        try message.sanitize()
        guard signatures.count == Int(message.header.numRequiredSignatures) else {
            throw X402SError(
                .solanaInvalidTransaction,
                "the transaction has \(signatures.count) signatures but the message requires \(message.header.numRequiredSignatures)")
        }
        guard signatures.count <= message.accountKeys.count else {
            throw X402SError(.solanaInvalidTransaction, "more signatures than account keys")
        }
    }

    /// Signs the message with `keyPair` and puts the signature in the slot of its public key.
    /// - Throws: `.invalidArgument` if the key is not one of the message's signers.
    public func signed(by keyPair: Ed25519.KeyPair) throws(X402SError) -> SolanaTransaction {
        let signerCount = min(Int(message.header.numRequiredSignatures), message.accountKeys.count, signatures.count)
        guard let slot = message.accountKeys.prefix(signerCount).firstIndex(where: { $0.bytes == keyPair.publicKey })
        else {
            throw X402SError(.invalidArgument, "the key pair is not a signer of this message")
        }
        var sigs = signatures
        sigs[slot] = keyPair.sign(messageBytes)
        return SolanaTransaction(checked: message, signatures: sigs, messageBytes: messageBytes)
    }

    private init(checked message: SolanaMessage, signatures: [[UInt8]], messageBytes: [UInt8]) {
        self.message = message
        self.signatures = signatures
        self.messageBytes = messageBytes
    }
}

/// A fully signed transaction ready for `sendTransaction`: what a facilitator submits.
public struct SolanaSubmission: Sendable, Equatable {
    /// The serialized transaction.
    public let transaction: [UInt8]
    /// Standard padded base64 of ``transaction``: the first parameter of `sendTransaction`
    /// and `simulateTransaction` with `{"encoding": "base64"}`.
    public var wireBase64: String { Base64.encode(transaction) }
    /// The transaction id: base58 of the first signature (the fee payer's), what
    /// `sendTransaction` returns and `getSignatureStatuses` takes.
    public let transactionId: String
    /// x402's deduplication key of the message (``SolanaTransaction/messageHash``).
    public let messageHash: [UInt8]
    /// The fee payer (account 0).
    public let feePayer: SolanaPublicKey
    /// The recent blockhash (base58) the transaction is bound to; it expires with it.
    public let recentBlockhash: String

    /// Co-signs (optionally) and checks a transaction before it is sent.
    ///
    /// - Parameters:
    ///   - transaction: the serialized transaction (the buyer's, partially signed).
    ///   - feePayer: the facilitator's key; it must be account 0 (the fee payer) and signs
    ///     slot 0. Nil when the transaction is already fully signed.
    ///   - expectedMessageHash: the message hash recorded when the payment was verified; the
    ///     transaction's message must hash to it (nil skips the check).
    /// - Throws: `.solanaInvalidTransaction` (undecodable, fails sanitize),
    ///   `.solanaNotFeePayer` (the key is not account 0), `.solanaMessageMismatch`,
    ///   `.solanaNotFullySigned` (a signature is missing or does not verify).
    public init(transaction: [UInt8], feePayer: Ed25519.KeyPair?, expectedMessageHash: [UInt8]?) throws(X402SError) {
        guard transaction.count <= SolanaMessage.maxTransactionSize else {
            throw X402SError(.solanaInvalidTransaction, "the transaction is larger than 1232 bytes")
        }
        var tx = try SolanaTransaction(bytes: transaction)
        try tx.sanitize()
        guard let first = tx.message.accountKeys.first, !tx.signatures.isEmpty else {
            throw X402SError(.solanaInvalidTransaction, "the transaction has no fee payer signature slot")
        }
        if let expectedMessageHash, expectedMessageHash != tx.messageHash {
            throw X402SError(.solanaMessageMismatch, "the transaction's message is not the one that was verified")
        }
        if let feePayer {
            guard first.bytes == feePayer.publicKey else {
                throw X402SError(.solanaNotFeePayer, "the key is not the transaction's fee payer (account 0)")
            }
            tx = try tx.signed(by: feePayer)
        }
        for (slot, sig) in tx.signatures.enumerated() where slot < tx.message.accountKeys.count {
            let ok = (try? Ed25519.verify(signature: sig, message: tx.messageBytes,
                                          publicKey: tx.message.accountKeys[slot].bytes)) ?? false
            guard ok else {
                throw X402SError(.solanaNotFullySigned, "the signature in slot \(slot) is missing or does not verify")
            }
        }
        self.transaction = tx.serialize()
        self.transactionId = Base58.encode(tx.signatures.first ?? [])
        self.messageHash = tx.messageHash
        self.feePayer = first
        self.recentBlockhash = Base58.encode(tx.message.recentBlockhash)
    }

    /// The JSON view: `{"transactionBase64", "transactionId", "messageHashBase64", "feePayer",
    /// "recentBlockhash"}`.
    public var json: JSONValue {
        .object(JSONObject([
            ("transactionBase64", .string(wireBase64)),
            ("transactionId", .string(transactionId)),
            ("messageHashBase64", .string(Base64.encode(messageHash))),
            ("feePayer", .string(feePayer.base58)),
            ("recentBlockhash", .string(recentBlockhash)),
        ]))
    }
}
