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
