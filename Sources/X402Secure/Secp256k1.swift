internal import CSecp256k1

/// ECDSA over secp256k1 as Ethereum uses it, on Debian's libsecp256k1 0.2.0.
///
/// Signatures are 65 bytes `r || s || v` with `v` = 27 or 28, deterministic (RFC 6979)
/// and low-s. Verification and recovery reject high-s (malleable) signatures.
/// Signing uses the one randomized context made by the backend set-up.
public enum Secp256k1 {
    /// The group order n, big-endian.
    public static let curveOrder: [UInt8] = [
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe,
        0xba, 0xae, 0xdc, 0xe6, 0xaf, 0x48, 0xa0, 0x3b, 0xbf, 0xd2, 0x5e, 0x8c, 0xd0, 0x36, 0x41, 0x41,
    ]

    /// n / 2, big-endian: the largest accepted s.
    static let halfOrder: [UInt8] = [
        0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0x5d, 0x57, 0x6e, 0x73, 0x57, 0xa4, 0x50, 0x1d, 0xdf, 0xe9, 0x2f, 0x46, 0x68, 0x1b, 0x20, 0xa0,
    ]

    /// Size of a private key and of a digest, in bytes.
    public static let privateKeyByteCount = 32
    /// Size of a recoverable signature `r || s || v`, in bytes.
    public static let signatureByteCount = 65
    /// Size of an uncompressed public key `0x04 || X || Y`, in bytes.
    public static let publicKeyByteCount = 65

    /// A secp256k1 private key; the secret lives in ``SecretBytes``.
    ///
    /// The public key and address are computed on first use and cached.
    public final class PrivateKey: @unchecked Sendable, CustomStringConvertible {
        private let secret: SecretBytes
        private let cache = Locked<(publicKey: [UInt8], address: EvmAddress)?>(nil)

        /// Creates a key from 32 big-endian bytes.
        ///
        /// - Parameter bytes: the secret scalar.
        /// - Throws: ``X402SError`` with ``X402SStatus/invalidLength`` unless 32 bytes,
        ///   ``X402SStatus/invalidKey`` if the scalar is 0 or not below the curve order,
        ///   ``X402SStatus/backendInitFailed`` if the C libraries cannot be set up.
        public init(bytes: some Collection<UInt8>) throws(X402SError) {
            guard bytes.count == privateKeyByteCount else {
                throw X402SError(.invalidLength, "a secp256k1 private key is 32 bytes")
            }
            try Backend.ensureInitialized()
            let secret = SecretBytes(copying: bytes)
            guard secret.count == privateKeyByteCount, Secp256k1.isValid(secret) else {
                throw X402SError(.invalidKey, "private key is zero or not below the curve order")
            }
            self.secret = secret
        }

        /// Creates a key from 64 hex digits, with or without `0x`.
        ///
        /// - Parameter hex: the secret scalar in hex.
        /// - Throws: ``X402SError`` with ``X402SStatus/invalidHex`` for bad hex, otherwise as
        ///   ``init(bytes:)``.
        public convenience init(hex: String) throws(X402SError) {
            var bytes = try Hex.decode(hex)
            defer { wipe(&bytes) }
            try self.init(bytes: bytes)
        }

        /// The 65-byte uncompressed public key `0x04 || X || Y`.
        public var publicKey: [UInt8] { derived().publicKey }

        /// The Ethereum address: the last 20 bytes of keccak-256(X || Y).
        public var address: EvmAddress { derived().address }

        /// `Secp256k1.PrivateKey(<address>)`; never the secret.
        public var description: String { "Secp256k1.PrivateKey(\(address.checksummed))" }

        private func derived() -> (publicKey: [UInt8], address: EvmAddress) {
            if let cached = cache.withLock({ $0 }) { return cached }
            let pub = computePublicKey()
            let value = (publicKey: pub, address: Secp256k1.address(ofUncompressed: pub))
            cache.withLock { $0 = value }
            return value
        }

        private func computePublicKey() -> [UInt8] {
            // The backend was initialised successfully in init, so this always succeeds.
            guard let ctx = try? Backend.secp256k1Context() else {
                return [UInt8](repeating: 0, count: publicKeyByteCount)
            }
            var pk = secp256k1_pubkey()
            let ok = secret.withUnsafeBytes { sk -> Int32 in
                guard let base = sk.baseAddress else { return 0 }
                return secp256k1_ec_pubkey_create(ctx, &pk, base.assumingMemoryBound(to: UInt8.self))
            }
            // ok == 1 always: the scalar was validated in init.
            if ok != 1 { return [UInt8](repeating: 0, count: publicKeyByteCount) }
            return Secp256k1.serializeUncompressed(ctx, &pk)
        }

        /// Signs a 32-byte digest (RFC 6979 nonce, low-s).
        ///
        /// The nonce is libsecp256k1's default RFC 6979 nonce, computed by ``RFC6979`` with
        /// OpenSSL's SHA-256 (same bytes, a fraction of the time).
        ///
        /// - Parameter digest: the 32-byte message hash (e.g. an EIP-712 or EIP-191 digest).
        /// - Returns: 65 bytes `r || s || v` with `v` = 27 or 28.
        /// - Throws: ``X402SError`` with ``X402SStatus/invalidLength`` unless `digest` is 32 bytes.
        public func sign(digest: [UInt8]) throws(X402SError) -> [UInt8] {
            guard digest.count == 32 else {
                throw X402SError(.invalidLength, "a secp256k1 digest is 32 bytes")
            }
            let ctx = try Backend.secp256k1Context()
            var sig = secp256k1_ecdsa_recoverable_signature()
            let ok = secret.withUnsafeBytes { sk -> Int32 in
                digest.withUnsafeBytes { d -> Int32 in
                    guard let skBase = sk.baseAddress, let dBase = d.baseAddress else { return 0 }
                    return secp256k1_ecdsa_sign_recoverable(
                        ctx, &sig, dBase.assumingMemoryBound(to: UInt8.self),
                        skBase.assumingMemoryBound(to: UInt8.self), RFC6979.nonceFunction, nil)
                }
            }
            guard ok == 1 else {
                throw X402SError(.internal, "secp256k1 signing failed")
            }
            var recid: Int32 = 0
            var out = [UInt8](repeating: 0, count: signatureByteCount)
            out.withUnsafeMutableBytes { o in
                if let base = o.baseAddress {
                    _ = secp256k1_ecdsa_recoverable_signature_serialize_compact(
                        ctx, base.assumingMemoryBound(to: UInt8.self), &recid, &sig)
                }
            }
            out[64] = 27 &+ UInt8(truncatingIfNeeded: recid & 1)
            return out
        }
    }

    /// Whether `bytes` is a valid private key: 32 bytes, not zero, below the curve order.
    ///
    /// - Parameter bytes: candidate secret scalar (big-endian).
    /// - Returns: `true` if it can be used as a ``PrivateKey``.
    public static func isValidPrivateKey(_ bytes: some Collection<UInt8>) -> Bool {
        guard bytes.count == privateKeyByteCount else { return false }
        let secret = SecretBytes(copying: bytes)
        return secret.count == privateKeyByteCount && isValid(secret)
    }

    static func isValid(_ secret: SecretBytes) -> Bool {
        guard let ctx = try? Backend.secp256k1Context() else { return false }
        return secret.withUnsafeBytes { sk in
            guard sk.count == 32, let base = sk.baseAddress else { return false }
            return secp256k1_ec_seckey_verify(ctx, base.assumingMemoryBound(to: UInt8.self)) == 1
        }
    }

    static func serializeUncompressed(_ ctx: OpaquePointer, _ pk: inout secp256k1_pubkey) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: publicKeyByteCount)
        var len = publicKeyByteCount
        out.withUnsafeMutableBytes { o in
            if let base = o.baseAddress {
                _ = secp256k1_ec_pubkey_serialize(
                    ctx, base.assumingMemoryBound(to: UInt8.self), &len, &pk,
                    UInt32(SECP256K1_EC_UNCOMPRESSED))
            }
        }
        return out
    }

    /// keccak-256(X || Y)[12..<32] of a 65-byte uncompressed key.
    static func address(ofUncompressed pub: [UInt8]) -> EvmAddress {
        let hash = pub.withUnsafeBytes { buf -> [UInt8] in
            let xy = buf.count == 65 ? UnsafeRawBufferPointer(rebasing: buf[1..<65]) : UnsafeRawBufferPointer(start: nil, count: 0)
            return Keccak256.hash(xy)
        }
        return EvmAddress(unchecked: Array(hash[12..<32]))
    }

    /// Big-endian comparison of two 32-byte slices of `sig` against a 32-byte constant.
    /// Returns -1, 0 or 1 like `memcmp`.
    static func compare(_ a: UnsafeRawBufferPointer, _ b: [UInt8]) -> Int {
        for i in 0..<32 {
            if a[i] != b[i] { return a[i] < b[i] ? -1 : 1 }
        }
        return 0
    }

    /// Checks r and s of a 64-byte `r || s` prefix: both in 1..<n, and s <= n/2.
    static func checkScalars(_ rs: UnsafeRawBufferPointer) throws(X402SError) {
        let r = UnsafeRawBufferPointer(rebasing: rs[0..<32])
        let s = UnsafeRawBufferPointer(rebasing: rs[32..<64])
        if r.allSatisfy({ $0 == 0 }) || s.allSatisfy({ $0 == 0 }) {
            throw X402SError(.invalidSignature, "signature r or s is zero")
        }
        if compare(r, curveOrder) >= 0 || compare(s, curveOrder) >= 0 {
            throw X402SError(.invalidSignature, "signature r or s is not below the curve order")
        }
        if compare(s, halfOrder) > 0 {
            throw X402SError(.nonCanonicalSignature, "signature s is above n/2 (malleable form)")
        }
    }

    /// Recovery id 0 or 1 from `v` in {27, 28, 0, 1}.
    static func recoveryID(_ v: UInt8) throws(X402SError) -> Int32 {
        switch v {
        case 27, 28: return Int32(v &- 27)
        case 0, 1: return Int32(v)
        default: throw X402SError(.invalidSignature, "signature v must be 27, 28, 0 or 1")
        }
    }

    /// Recovers the signer's public key from a digest and a 65-byte signature.
    ///
    /// - Parameters:
    ///   - digest: the 32-byte signed hash.
    ///   - signature: 65 bytes `r || s || v`, `v` in {27, 28, 0, 1}.
    /// - Returns: the 65-byte uncompressed public key.
    /// - Throws: ``X402SError`` with ``X402SStatus/invalidLength`` unless `digest` is 32 bytes;
    ///   ``X402SStatus/invalidSignature`` for a signature that is not 65 bytes, has a bad `v`,
    ///   r or s zero or not below n, or recovers no key; ``X402SStatus/nonCanonicalSignature``
    ///   if s > n/2.
    public static func recoverPublicKey(digest: [UInt8], signature: [UInt8]) throws(X402SError) -> [UInt8] {
        guard digest.count == 32 else {
            throw X402SError(.invalidLength, "a secp256k1 digest is 32 bytes")
        }
        guard signature.count == signatureByteCount else {
            throw X402SError(.invalidSignature, "a recoverable signature is 65 bytes")
        }
        let recid = try recoveryID(signature[64])
        let r: Result<[UInt8], X402SError> = signature.withUnsafeBytes { sigBuf in
            do throws(X402SError) {
                try checkScalars(sigBuf)
                let ctx = try Backend.secp256k1Context()
                var sig = secp256k1_ecdsa_recoverable_signature()
                guard let sigBase = sigBuf.baseAddress,
                      secp256k1_ecdsa_recoverable_signature_parse_compact(
                          ctx, &sig, sigBase.assumingMemoryBound(to: UInt8.self), recid) == 1
                else {
                    throw X402SError(.invalidSignature, "signature cannot be parsed")
                }
                var pk = secp256k1_pubkey()
                let ok = digest.withUnsafeBytes { d -> Int32 in
                    guard let dBase = d.baseAddress else { return 0 }
                    return secp256k1_ecdsa_recover(ctx, &pk, &sig, dBase.assumingMemoryBound(to: UInt8.self))
                }
                guard ok == 1 else {
                    throw X402SError(.invalidSignature, "no public key can be recovered from the signature")
                }
                return .success(serializeUncompressed(ctx, &pk))
            } catch {
                return .failure(error)
            }
        }
        return try r.get()
    }

    /// Recovers the signer's Ethereum address from a digest and a 65-byte signature.
    ///
    /// - Parameters:
    ///   - digest: the 32-byte signed hash.
    ///   - signature: 65 bytes `r || s || v`, `v` in {27, 28, 0, 1}.
    /// - Returns: the address of the recovered public key.
    /// - Throws: as ``recoverPublicKey(digest:signature:)``.
    public static func recoverAddress(digest: [UInt8], signature: [UInt8]) throws(X402SError) -> EvmAddress {
        address(ofUncompressed: try recoverPublicKey(digest: digest, signature: signature))
    }

    /// Verifies an ECDSA signature against a public key.
    ///
    /// - Parameters:
    ///   - signature: 64 bytes `r || s`, or 65 bytes `r || s || v` (`v` in {27, 28, 0, 1}, not
    ///     used for verification).
    ///   - digest: the 32-byte signed hash.
    ///   - publicKey: 33-byte compressed or 65-byte uncompressed public key.
    /// - Returns: `true` if the signature is valid for `digest` and `publicKey`.
    /// - Throws: ``X402SError`` with ``X402SStatus/invalidLength`` unless `digest` is 32 bytes;
    ///   ``X402SStatus/invalidSignature`` for a wrong length, bad `v`, or r or s zero or not
    ///   below n; ``X402SStatus/nonCanonicalSignature`` if s > n/2;
    ///   ``X402SStatus/invalidPublicKey`` if the key is not 33/65 bytes or not on the curve.
    public static func verify(signature: [UInt8], digest: [UInt8], publicKey: [UInt8]) throws(X402SError) -> Bool {
        guard digest.count == 32 else {
            throw X402SError(.invalidLength, "a secp256k1 digest is 32 bytes")
        }
        guard signature.count == 64 || signature.count == 65 else {
            throw X402SError(.invalidSignature, "a signature is 64 or 65 bytes")
        }
        if signature.count == 65 { _ = try recoveryID(signature[64]) }
        guard publicKey.count == 33 || publicKey.count == 65 else {
            throw X402SError(.invalidPublicKey, "a secp256k1 public key is 33 or 65 bytes")
        }
        let r: Result<Bool, X402SError> = signature.withUnsafeBytes { sigBuf in
            do throws(X402SError) {
                try checkScalars(sigBuf)
                let ctx = try Backend.secp256k1Context()
                var pk = secp256k1_pubkey()
                let pkOK = publicKey.withUnsafeBytes { p -> Int32 in
                    guard let base = p.baseAddress else { return 0 }
                    return secp256k1_ec_pubkey_parse(ctx, &pk, base.assumingMemoryBound(to: UInt8.self), p.count)
                }
                guard pkOK == 1 else {
                    throw X402SError(.invalidPublicKey, "public key is not a valid secp256k1 point")
                }
                var sig = secp256k1_ecdsa_signature()
                guard let sigBase = sigBuf.baseAddress,
                      secp256k1_ecdsa_signature_parse_compact(ctx, &sig, sigBase.assumingMemoryBound(to: UInt8.self)) == 1
                else {
                    throw X402SError(.invalidSignature, "signature cannot be parsed")
                }
                let ok = digest.withUnsafeBytes { d -> Int32 in
                    guard let dBase = d.baseAddress else { return 0 }
                    return secp256k1_ecdsa_verify(ctx, &sig, dBase.assumingMemoryBound(to: UInt8.self), &pk)
                }
                return .success(ok == 1)
            } catch {
                return .failure(error)
            }
        }
        return try r.get()
    }
}

/// EIP-191 version 0x45 ("personal_sign") message hashing.
public enum EIP191 {
    /// keccak-256(`"\u{19}Ethereum Signed Message:\n"` + decimal byte length + `message`).
    ///
    /// - Parameter message: the message bytes.
    /// - Returns: the 32-byte hash that `personal_sign` signs.
    public static func personalMessageHash(_ message: [UInt8]) -> [UInt8] {
        var prefixed: [UInt8] = Array("\u{19}Ethereum Signed Message:\n".utf8)
        prefixed.append(contentsOf: String(message.count).utf8)
        prefixed.reserveCapacity(prefixed.count + message.count)
        prefixed.append(contentsOf: message)
        return Keccak256.hash(prefixed)
    }
}
