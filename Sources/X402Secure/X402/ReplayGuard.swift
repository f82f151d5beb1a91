
/// A bounded, thread-safe cache of payments already accepted, so the same authorization is
/// not accepted twice by one seller.
///
/// Keys are EVM `(chain, asset, payer, nonce)` tuples (EIP-3009 nonces are unique per token and
/// payer; Permit2 nonces per payer on the Permit2 contract of a chain) and Solana message hashes
/// (x402 2.25.0 deduplicates settlements by `sha256(message)`). Each entry expires at the
/// authorization's end of validity plus ``X402Verifier/validBeforeGraceSeconds`` (EVM) or after a TTL (Solana,
/// default 120 s as in 2.25.0), after which the chain itself rejects a replay.
///
/// When full, expired entries are dropped first; if none has expired, the entry closest to
/// expiry is evicted (documented trade-off: the cache never refuses work, but a capacity that
/// is too small re-opens a replay window for the evicted entry). Size the capacity above the
/// number of payments you accept per validity window.
public final class X402ReplayGuard: Sendable {
    /// Default capacity (entries).
    public static let defaultCapacity = 100_000
    /// x402 2.25.0's Solana duplicate-settlement TTL, in seconds.
    public static let defaultSolanaTTL: UInt64 = 120

    private struct HeapEntry {
        var expiresAt: UInt64
        var key: [UInt8]
    }

    private struct State {
        var expiry: [[UInt8]: UInt64] = [:]
        /// Min-heap on `expiresAt`; may hold stale entries (key removed or expiry changed).
        var heap: [HeapEntry] = []

        mutating func push(_ e: HeapEntry) {
            heap.append(e)
            var i = heap.count - 1
            while i > 0 {
                let parent = (i - 1) / 2
                if heap[parent].expiresAt <= heap[i].expiresAt { break }
                heap.swapAt(parent, i)
                i = parent
            }
        }

        mutating func popMin() -> HeapEntry? {
            guard let first = heap.first else { return nil }
            let last = heap.removeLast()
            if !heap.isEmpty {
                heap[0] = last
                var i = 0
                while true {
                    let l = 2 * i + 1, r = l + 1
                    var m = i
                    if l < heap.count, heap[l].expiresAt < heap[m].expiresAt { m = l }
                    if r < heap.count, heap[r].expiresAt < heap[m].expiresAt { m = r }
                    if m == i { break }
                    heap.swapAt(i, m)
                    i = m
                }
            }
            return first
        }

        /// Removes the live entry with the smallest expiry if `force` or if it expired.
        mutating func evictOne(now: UInt64, force: Bool) -> Bool {
            while let top = heap.first {
                guard let live = expiry[top.key], live == top.expiresAt else { _ = popMin(); continue }
                guard force || live <= now else { return false }
                _ = popMin()
                expiry[top.key] = nil
                return true
            }
            return false
        }

        mutating func compactIfNeeded(capacity: Int) {
            guard heap.count > 2 * capacity + 16 else { return }
            heap = []
            for (k, e) in expiry { push(HeapEntry(expiresAt: e, key: k)) }
        }
    }

    private let state: Locked<State>
    /// Maximum number of entries.
    public let capacity: Int

    /// Creates a guard holding at most `capacity` entries (at least 1).
    public init(capacity: Int = X402ReplayGuard.defaultCapacity) {
        self.capacity = max(1, capacity)
        self.state = Locked(State())
    }

    /// Records `key` unless it is already present and unexpired.
    ///
    /// - Parameters:
    ///   - key: opaque key bytes.
    ///   - expiresAt: Unix time after which the entry may be forgotten.
    ///   - now: the current Unix time (injectable for tests).
    /// - Returns: `true` if the key was not present (it is now recorded); `false` for a replay.
    public func checkAndInsert(key: [UInt8], expiresAt: UInt64, now: UInt64) -> Bool {
        state.withLock { s in
            if let e = s.expiry[key], e > now { return false }
            if s.expiry[key] == nil {
                while s.expiry.count >= capacity {
                    if !s.evictOne(now: now, force: false) { _ = s.evictOne(now: now, force: true) }
                }
            }
            s.expiry[key] = expiresAt
            s.push(HeapEntry(expiresAt: expiresAt, key: key))
            s.compactIfNeeded(capacity: capacity)
            return true
        }
    }

    /// Records an EVM authorization `(chainId, asset, payer, nonce)`.
    ///
    /// With EVM addresses and a 32-byte hex nonce the key is the same one ``X402Verifier``
    /// records for EIP-3009 payments (case and `0x` do not matter); other text is compared
    /// case-insensitively.
    /// - Returns: `true` if new, `false` for a replay.
    public func checkAndInsert(chainId: UInt64, asset: String, payer: String, nonce: String, expiresAt: UInt64, now: UInt64) -> Bool {
        checkAndInsert(key: Self.evmKey(chainId: chainId, asset: asset, payer: payer, nonce: nonce), expiresAt: expiresAt, now: now)
    }

    /// Records a Solana transaction by the SHA-256 of its message bytes, for `ttl` seconds.
    /// - Returns: `true` if new, `false` for a replay.
    public func checkAndInsert(solanaMessageHash: [UInt8], now: UInt64, ttl: UInt64 = X402ReplayGuard.defaultSolanaTTL) -> Bool {
        let (exp, o) = now.addingReportingOverflow(ttl)
        return checkAndInsert(key: [0x02] + solanaMessageHash, expiresAt: o ? UInt64.max : exp, now: now)
    }

    /// Whether `key` is present and unexpired at `now`.
    public func contains(key: [UInt8], now: UInt64) -> Bool {
        state.withLock { s in (s.expiry[key]).map { $0 > now } ?? false }
    }

    /// The number of entries (expired ones included until they are evicted).
    public var count: Int { state.withLock { $0.expiry.count } }

    /// Removes expired entries.
    public func purgeExpired(now: UInt64) {
        state.withLock { s in
            while s.evictOne(now: now, force: false) {}
        }
    }

    /// Removes every entry.
    public func removeAll() {
        state.withLock { s in s = State() }
    }

    /// Key of an EIP-3009 authorization: nonces are unique per (token contract, payer).
    static func eip3009Key(chainId: UInt64, asset: [UInt8], payer: [UInt8], nonce: [UInt8]) -> [UInt8] {
        [0x01] + X402U256.word(chainId) + asset + payer + nonce
    }

    /// Key of a Permit2 authorization: nonces are unique per payer on the chain's Permit2 contract.
    static func permit2Key(chainId: UInt64, payer: [UInt8], nonce: [UInt8]) -> [UInt8] {
        [0x03] + X402U256.word(chainId) + payer + nonce
    }

    static func evmKey(chainId: UInt64, asset: String, payer: String, nonce: String) -> [UInt8] {
        if let a = X402EvmParse.address(asset), let p = X402EvmParse.address(payer),
           let n = X402EvmParse.hexBytes(nonce), n.count == 32 {
            return eip3009Key(chainId: chainId, asset: a, payer: p, nonce: n)
        }
        var k: [UInt8] = [0x04]
        k += X402U256.word(chainId)
        for part in [asset, payer, nonce] {
            k += Array(Networks.asciiLowercased(part).utf8)
            k.append(0)
        }
        return k
    }
}
