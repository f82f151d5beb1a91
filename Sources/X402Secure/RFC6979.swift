internal import CLibCrypto
internal import CSecp256k1
internal import CSodium

/// The RFC 6979 nonce of libsecp256k1's default nonce function
/// (`secp256k1_nonce_function_rfc6979`), computed with OpenSSL's SHA-256.
///
/// libsecp256k1 runs the HMAC-DRBG on its own portable SHA-256: about 22 compression
/// calls per signature, close to a fifth of the signing time. OpenSSL's SHA-256 uses the
/// CPU's SHA extensions, so the same nonce costs a fraction of that. The output is the
/// same bytes for every input (key, message, optional 32-byte extra data, optional
/// 16-byte algorithm tag, retry counter): `RFC6979Tests` compares the two on random
/// inputs, and every signature vector pins the result.
///
/// Constant time with respect to the key (SHA-256 and HMAC have no data-dependent
/// branches or indices); every intermediate (key material, K, V, the HMAC contexts) is
/// wiped with `sodium_memzero` before returning.
enum RFC6979 {
    /// Pass as the `noncefp` argument of `secp256k1_ecdsa_sign(_recoverable)`.
    static let nonceFunction: secp256k1_nonce_function = { nonce32, msg32, key32, algo16, data, counter in
        guard let nonce32, let msg32, let key32 else { return 0 }
        return RFC6979.generate(
            nonce: nonce32, message: msg32, key: key32, algo16: algo16,
            extra: data.map { UnsafeRawPointer($0) }, counter: counter) ? 1 : 0
    }

    /// Layout of the scratch area: key material (up to 32 + 32 + 32 + 16 bytes), K, V,
    /// the HMAC pad block and the inner digest.
    private static let keyOffset = 0, kOffset = 112, vOffset = 144, padOffset = 176, innerOffset = 240
    private static let scratchSize = 272

    static func generate(
        nonce: UnsafeMutablePointer<UInt8>, message: UnsafePointer<UInt8>, key: UnsafePointer<UInt8>,
        algo16: UnsafePointer<UInt8>?, extra: UnsafeRawPointer?, counter: UInt32
    ) -> Bool {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: scratchSize) { scratch -> Bool in
            withUnsafeTemporaryAllocation(of: SHA256_CTX.self, capacity: 2) { ctxs -> Bool in
                guard let s = scratch.baseAddress, let inner = ctxs.baseAddress else { return false }
                let outer = inner + 1
                defer {
                    sodium_memzero(s, scratchSize)
                    sodium_memzero(inner, 2 * MemoryLayout<SHA256_CTX>.stride)
                }
                // RFC 6979 3.2 d/f input: key || (message mod n) || [extra data] || [algo16]
                var length = 64
                (s + keyOffset).update(from: key, count: 32)
                reduceModOrder(message, into: s + keyOffset + 32)
                if let extra {
                    (s + keyOffset + length).update(from: extra.assumingMemoryBound(to: UInt8.self), count: 32)
                    length += 32
                }
                if let algo16 {
                    (s + keyOffset + length).update(from: algo16, count: 16)
                    length += 16
                }
                let k = s + kOffset, v = s + vOffset
                v.update(repeating: 0x01, count: 32)  // 3.2 b
                k.update(repeating: 0x00, count: 32)  // 3.2 c
                let material = UnsafeRawPointer(s + keyOffset)
                // 3.2 d: K = HMAC_K(V || 0x00 || material); V = HMAC_K(V)
                rekey(k, v, separator: 0x00, material, length, scratch: s, inner, outer)
                // 3.2 f: K = HMAC_K(V || 0x01 || material); V = HMAC_K(V)
                rekey(k, v, separator: 0x01, material, length, scratch: s, inner, outer)
                // 3.2 h, once per attempt; a retry first re-keys with K = HMAC_K(V || 0x00).
                var attempt: UInt32 = 0
                while true {
                    if attempt > 0 {
                        rekey(k, v, separator: 0x00, nil, 0, scratch: s, inner, outer)
                    }
                    hmac(key: k, v: v, scratch: s, inner, outer)
                    if attempt == counter { break }
                    attempt &+= 1
                }
                nonce.update(from: v, count: 32)
                return true
            }
        }
    }

    /// K = HMAC_K(V || separator || material); V = HMAC_K(V).
    @inline(__always)
    private static func rekey(
        _ k: UnsafeMutablePointer<UInt8>, _ v: UnsafeMutablePointer<UInt8>, separator: UInt8,
        _ material: UnsafeRawPointer?, _ length: Int, scratch s: UnsafeMutablePointer<UInt8>,
        _ inner: UnsafeMutablePointer<SHA256_CTX>, _ outer: UnsafeMutablePointer<SHA256_CTX>
    ) {
        var sep = separator
        hmacStart(key: k, scratch: s, inner, outer)
        _ = SHA256_Update(inner, v, 32)
        _ = SHA256_Update(inner, &sep, 1)
        if let material, length > 0 { _ = SHA256_Update(inner, material, length) }
        hmacFinish(into: k, scratch: s, inner, outer)
        hmac(key: k, v: v, scratch: s, inner, outer)
    }

    /// Starts HMAC-SHA256 with a 32-byte key: inner = SHA256(key ^ ipad || ...),
    /// outer = SHA256(key ^ opad || ...).
    @inline(__always)
    private static func hmacStart(
        key: UnsafeMutablePointer<UInt8>, scratch s: UnsafeMutablePointer<UInt8>,
        _ inner: UnsafeMutablePointer<SHA256_CTX>, _ outer: UnsafeMutablePointer<SHA256_CTX>
    ) {
        let pad = s + padOffset
        for i in 0..<32 { pad[i] = key[i] ^ 0x36 }
        (pad + 32).update(repeating: 0x36, count: 32)
        _ = SHA256_Init(inner)
        _ = SHA256_Update(inner, pad, 64)
        for i in 0..<32 { pad[i] = key[i] ^ 0x5c }
        (pad + 32).update(repeating: 0x5c, count: 32)
        _ = SHA256_Init(outer)
        _ = SHA256_Update(outer, pad, 64)
    }

    /// Finishes the HMAC started by ``hmacStart``, writing 32 bytes to `out`.
    @inline(__always)
    private static func hmacFinish(
        into out: UnsafeMutablePointer<UInt8>, scratch s: UnsafeMutablePointer<UInt8>,
        _ inner: UnsafeMutablePointer<SHA256_CTX>, _ outer: UnsafeMutablePointer<SHA256_CTX>
    ) {
        let digest = s + innerOffset
        _ = SHA256_Final(digest, inner)
        _ = SHA256_Update(outer, digest, 32)
        _ = SHA256_Final(out, outer)
    }

    /// V = HMAC_K(V).
    @inline(__always)
    private static func hmac(
        key: UnsafeMutablePointer<UInt8>, v: UnsafeMutablePointer<UInt8>, scratch s: UnsafeMutablePointer<UInt8>,
        _ inner: UnsafeMutablePointer<SHA256_CTX>, _ outer: UnsafeMutablePointer<SHA256_CTX>
    ) {
        hmacStart(key: key, scratch: s, inner, outer)
        _ = SHA256_Update(inner, v, 32)
        hmacFinish(into: v, scratch: s, inner, outer)
    }

    /// `message mod n` as 32 big-endian bytes (libsecp256k1 reduces the message scalar
    /// before feeding it to the DRBG). The message is public: no constant-time need.
    private static func reduceModOrder(_ message: UnsafePointer<UInt8>, into out: UnsafeMutablePointer<UInt8>) {
        let n = orderBytes
        var below = false
        var i = 0
        while i < 32 {
            if message[i] != n[i] { below = message[i] < n[i]; break }
            i += 1
        }
        if below {
            out.update(from: message, count: 32)
            return
        }
        // message >= n (and < 2^256 < 2n): subtract n once.
        var borrow = 0
        var j = 31
        while j >= 0 {
            let d = Int(message[j]) - Int(n[j]) - borrow
            borrow = d < 0 ? 1 : 0
            out[j] = UInt8(truncatingIfNeeded: d)
            j -= 1
        }
    }

    private static let orderBytes: [UInt8] = Secp256k1.curveOrder
}
