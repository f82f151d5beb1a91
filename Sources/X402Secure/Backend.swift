internal import CSecp256k1
internal import CSodium

/// One-time set-up of the C libraries: `sodium_init` and the one shared,
/// randomized secp256k1 signing context.
///
/// Swift initialises static stored properties once and thread-safely, so the first
/// caller pays the set-up and every later call is a cheap check.
enum Backend {
    /// The result of the one-time set-up.
    struct State: @unchecked Sendable {
        /// The signing context (read-only after creation, so safe to share across threads).
        let context: OpaquePointer?
        let error: X402SError?
    }

    static let state: State = makeState()

    private static func makeState() -> State {
        if sodium_init() < 0 {
            return State(context: nil, error: X402SError(.backendInitFailed, "sodium_init failed"))
        }
        guard let ctx = secp256k1_context_create(UInt32(SECP256K1_CONTEXT_NONE)) else {
            return State(context: nil, error: X402SError(.backendInitFailed, "secp256k1_context_create failed"))
        }
        var seed = [UInt8](repeating: 0, count: 32)
        let ok = seed.withUnsafeMutableBytes { buf -> Int32 in
            guard let base = buf.baseAddress else { return 0 }
            randombytes_buf(base, 32)
            return secp256k1_context_randomize(ctx, base.assumingMemoryBound(to: UInt8.self))
        }
        seed.withUnsafeMutableBytes { buf in sodium_memzero(buf.baseAddress, buf.count) }
        if ok != 1 {
            secp256k1_context_destroy(ctx)
            return State(context: nil, error: X402SError(.backendInitFailed, "secp256k1_context_randomize failed"))
        }
        return State(context: ctx, error: nil)
    }

    /// Initialises libsodium and the secp256k1 context once; idempotent and thread-safe.
    ///
    /// - Throws: ``X402SError`` with ``X402SStatus/backendInitFailed`` if a library cannot be set up.
    static func ensureInitialized() throws(X402SError) {
        if let error = state.error { throw error }
    }

    /// The shared secp256k1 context (signing-capable, randomized).
    ///
    /// - Throws: ``X402SError`` with ``X402SStatus/backendInitFailed`` if set-up failed.
    static func secp256k1Context() throws(X402SError) -> OpaquePointer {
        let s = state
        if let error = s.error { throw error }
        guard let ctx = s.context else {
            throw X402SError(.backendInitFailed, "secp256k1 context unavailable")
        }
        return ctx
    }
}

/// Initialises the C backends (libsodium and the shared secp256k1 signing context) once.
///
/// Optional: every function initialises what it needs on first use. Idempotent and thread-safe.
/// - Throws: ``X402SError`` with ``X402SStatus/backendInitFailed`` if a library cannot be set up.
public func x402sInitialize() throws(X402SError) {
    try Backend.ensureInitialized()
}
