internal import CSodium

/// Cryptographically secure random bytes from libsodium's `randombytes_buf`
/// (the kernel CSPRNG via `getrandom`).
public enum SecureRandom {
    /// Largest `count` accepted by ``bytes(_:)`` (1 MiB).
    public static let maxCount = 1 << 20

    /// Returns `count` random bytes.
    ///
    /// - Parameter count: number of bytes, `0...maxCount`.
    /// - Returns: `count` bytes from the CSPRNG.
    /// - Throws: ``X402SError`` with ``X402SStatus/invalidArgument`` for a negative count,
    ///   ``X402SStatus/inputTooLarge`` above ``maxCount``, or
    ///   ``X402SStatus/backendInitFailed`` if libsodium cannot be initialised.
    public static func bytes(_ count: Int) throws(X402SError) -> [UInt8] {
        if count < 0 {
            throw X402SError(.invalidArgument, "random byte count is negative")
        }
        if count > maxCount {
            throw X402SError(.inputTooLarge, "random byte count exceeds \(maxCount)")
        }
        try Backend.ensureInitialized()
        return [UInt8](unsafeUninitializedCapacity: count) { buf, initialized in
            if let base = buf.baseAddress, count > 0 {
                randombytes_buf(base, count)
            }
            initialized = count
        }
    }
}
