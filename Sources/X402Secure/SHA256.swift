internal import CLibCrypto

/// SHA-256 (FIPS 180-4) through OpenSSL libcrypto.
///
/// Uses `SHA256_Init`/`SHA256_Update`/`SHA256_Final` with a stack `SHA256_CTX`, which
/// runs on the CPU's SHA extensions where available and avoids the per-call algorithm
/// fetch of the one-shot `SHA256()`.
public enum SHA256 {
    /// Size of a SHA-256 digest in bytes.
    public static let byteCount = 32

    /// SHA-256 of the bytes in `data`.
    ///
    /// - Parameter data: the message (may be empty).
    /// - Returns: the 32-byte digest.
    public static func hash(_ data: UnsafeRawBufferPointer) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: byteCount) { buf, initialized in
            if let base = buf.baseAddress {
                hash(data, into: UnsafeMutableRawPointer(base))
                initialized = byteCount
            } else {
                initialized = 0
            }
        }
    }

    /// SHA-256 of `data`, written as 32 bytes to `out`, without allocating.
    ///
    /// - Parameters:
    ///   - data: the message (may be empty, with or without a base address).
    ///   - out: at least 32 writable bytes; any alignment.
    public static func hash(_ data: UnsafeRawBufferPointer, into out: UnsafeMutableRawPointer) {
        var ctx = SHA256_CTX()
        _ = SHA256_Init(&ctx)
        if let base = data.baseAddress, data.count > 0 {
            _ = SHA256_Update(&ctx, base, data.count)
        }
        _ = SHA256_Final(out.assumingMemoryBound(to: UInt8.self), &ctx)
        ctx = SHA256_CTX()
    }

    /// SHA-256 of a byte array.
    ///
    /// - Parameter data: the message (may be empty).
    /// - Returns: the 32-byte digest.
    public static func hash(_ data: [UInt8]) -> [UInt8] {
        data.withUnsafeBytes { hash($0) }
    }

    /// SHA-256 of the concatenation of `parts`, streamed without joining them.
    ///
    /// - Parameter parts: the message pieces, in order (any may be empty).
    /// - Returns: the 32-byte digest of `parts[0] + parts[1] + ...`.
    public static func hash(parts: [[UInt8]]) -> [UInt8] {
        var ctx = SHA256_CTX()
        _ = SHA256_Init(&ctx)
        for part in parts {
            part.withUnsafeBytes { buf in
                if let base = buf.baseAddress, buf.count > 0 {
                    _ = SHA256_Update(&ctx, base, buf.count)
                }
            }
        }
        return finish(&ctx)
    }

    @inline(__always)
    private static func finish(_ ctx: inout SHA256_CTX) -> [UInt8] {
        let out = [UInt8](unsafeUninitializedCapacity: 32) { buf, initialized in
            _ = SHA256_Final(buf.baseAddress, &ctx)
            initialized = 32
        }
        // The context held message state; clear it before the stack slot is reused.
        ctx = SHA256_CTX()
        return out
    }
}
