internal import CSodium

/// Ed25519 (RFC 8032) signatures through libsodium, as Solana uses them.
public enum Ed25519 {
    /// Size of a seed, in bytes.
    public static let seedByteCount = 32
    /// Size of a public key, in bytes.
    public static let publicKeyByteCount = 32
    /// Size of a signature, in bytes.
    public static let signatureByteCount = 64

    /// An Ed25519 key pair derived from a 32-byte seed; the secret lives in ``SecretBytes``.
    public final class KeyPair: @unchecked Sendable, CustomStringConvertible {
        private let secretKey: SecretBytes  // libsodium's 64-byte seed || public key form
        /// The 32-byte public key.
        public let publicKey: [UInt8]

        /// Derives the key pair from a seed (`crypto_sign_seed_keypair`).
        ///
        /// - Parameter seed: exactly 32 secret bytes (the RFC 8032 private key).
        /// - Throws: ``X402SError`` with ``X402SStatus/invalidLength`` unless 32 bytes,
        ///   ``X402SStatus/backendInitFailed`` if libsodium cannot be initialised.
        public init(seed: some Collection<UInt8>) throws(X402SError) {
            guard seed.count == seedByteCount else {
                throw X402SError(.invalidLength, "an Ed25519 seed is 32 bytes")
            }
            try Backend.ensureInitialized()
            let seedSecret = SecretBytes(copying: seed)
            var pk = [UInt8](repeating: 0, count: publicKeyByteCount)
            var ok: Int32 = -1
            let sk = SecretBytes(count: Int(crypto_sign_SECRETKEYBYTES)) { skBuf in
                seedSecret.withUnsafeBytes { seedBuf in
                    pk.withUnsafeMutableBytes { pkBuf in
                        guard seedBuf.count == 32, skBuf.count == 64,
                              let s = seedBuf.baseAddress, let k = skBuf.baseAddress, let p = pkBuf.baseAddress
                        else { return }
                        ok = crypto_sign_seed_keypair(
                            p.assumingMemoryBound(to: UInt8.self), k.assumingMemoryBound(to: UInt8.self),
                            s.assumingMemoryBound(to: UInt8.self))
                    }
                }
            }
            guard ok == 0 else {
                throw X402SError(.internal, "Ed25519 key derivation failed")
            }
            secretKey = sk
            publicKey = pk
        }

        /// The Solana address: base58 of the public key.
        public var solanaAddress: String { Base58.encode(publicKey) }

        /// `Ed25519.KeyPair(<solana address>)`; never the secret.
        public var description: String { "Ed25519.KeyPair(\(solanaAddress))" }

        /// Signs `message` (`crypto_sign_detached`, deterministic per RFC 8032).
        ///
        /// - Parameter message: the message bytes (any length).
        /// - Returns: the 64-byte signature.
        public func sign(_ message: [UInt8]) -> [UInt8] {
            var sig = [UInt8](repeating: 0, count: signatureByteCount)
            secretKey.withUnsafeBytes { sk in
                message.withUnsafeBytes { m in
                    sig.withUnsafeMutableBytes { s in
                        guard sk.count == 64, let k = sk.baseAddress, let o = s.baseAddress else { return }
                        _ = crypto_sign_detached(
                            o.assumingMemoryBound(to: UInt8.self), nil,
                            m.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt64(m.count),
                            k.assumingMemoryBound(to: UInt8.self))
                    }
                }
            }
            return sig
        }
    }

    /// Verifies an Ed25519 signature (`crypto_sign_verify_detached`).
    ///
    /// - Parameters:
    ///   - signature: the 64-byte signature.
    ///   - message: the signed message.
    ///   - publicKey: the 32-byte public key.
    /// - Returns: `true` if the signature is valid; `false` for a well-formed but wrong
    ///   signature (including non-canonical encodings and small-order keys, which libsodium rejects).
    /// - Throws: ``X402SError`` with ``X402SStatus/invalidSignature`` unless `signature` is 64 bytes,
    ///   ``X402SStatus/invalidLength`` unless `publicKey` is 32 bytes.
    public static func verify(signature: [UInt8], message: [UInt8], publicKey: [UInt8]) throws(X402SError) -> Bool {
        guard signature.count == signatureByteCount else {
            throw X402SError(.invalidSignature, "an Ed25519 signature is 64 bytes")
        }
        guard publicKey.count == publicKeyByteCount else {
            throw X402SError(.invalidLength, "an Ed25519 public key is 32 bytes")
        }
        try Backend.ensureInitialized()
        let rc = signature.withUnsafeBytes { s in
            message.withUnsafeBytes { m in
                publicKey.withUnsafeBytes { p -> Int32 in
                    guard let sb = s.baseAddress, let pb = p.baseAddress else { return -1 }
                    return crypto_sign_verify_detached(
                        sb.assumingMemoryBound(to: UInt8.self),
                        m.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt64(m.count),
                        pb.assumingMemoryBound(to: UInt8.self))
                }
            }
        }
        return rc == 0
    }
}
