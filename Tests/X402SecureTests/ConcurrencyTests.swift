import CX402Secure
import Synchronization
import Testing
@testable import X402Secure
@testable import X402SecureFFI

#if canImport(Glibc)
import Glibc
#endif

/// Many real threads (pthreads, not the 2-thread cooperative pool) on the shared objects of the
/// core: handles freed while calls use them (Sources/X402SecureFFI/Handles.swift), the replay
/// guard, prepared keys and the one-time backend set-up. `make test-tsan` runs this suite (and
/// the other concurrency tests) under ThreadSanitizer.
@Suite struct ConcurrencyTests {
    static let key = [UInt8](repeating: 1, count: 32)
    static let requirement = Array(#"{"scheme":"exact","network":"eip155:84532","asset":"0x036CbD53842c5426634e7929541eC2318f3dCF7e","amount":"10000","payTo":"0x209693Bc6afc0C5328bA36FaF03C514EF312287C","maxTimeoutSeconds":60,"extra":{"name":"USDC","version":"2"}}"#.utf8)
    static let now: UInt64 = 1_740_672_000
    static let doc = Array(#"{"types":{"EIP712Domain":[{"name":"name","type":"string"}],"M":[{"name":"a","type":"uint256"}]},"primaryType":"M","domain":{"name":"x"},"message":{"a":"1"}}"#.utf8)
    static let threads = 8

    // ---------------------------------------------------------------- helpers

    final class ThreadBody: Sendable {
        let run: @Sendable () -> Void
        init(_ run: @escaping @Sendable () -> Void) { self.run = run }
    }

    /// Runs body(0..<count) on `count` new threads, lets them through `gate` once all are at
    /// it, and returns when all have finished.
    static func onThreads(_ count: Int, _ gate: Gate, _ body: @escaping @Sendable (Int) -> Void) {
        var ids: [pthread_t] = []
        for i in 0..<count {
            let box = Unmanaged.passRetained(ThreadBody { body(i) }).toOpaque()
            var id = pthread_t()
            let rc = pthread_create(&id, nil, { arg in
                guard let arg else { return nil }
                Unmanaged<ThreadBody>.fromOpaque(arg).takeRetainedValue().run()
                return nil
            }, box)
            precondition(rc == 0, "pthread_create failed")
            ids.append(id)
        }
        gate.release(after: count)
        for id in ids { pthread_join(id, nil) }
    }

    /// A start line: threads spin until the main thread opens it, so they all start at once.
    final class Gate: Sendable {
        let open = Atomic<Bool>(false)
        let arrived = Atomic<Int>(0)
        func wait() {
            arrived.add(1, ordering: .relaxed)
            while !open.load(ordering: .acquiring) { sched_yield() }
        }
        /// Waits until `count` threads are at the line, then lets them go.
        func release(after count: Int) {
            while arrived.load(ordering: .relaxed) < count { sched_yield() }
            open.store(true, ordering: .releasing)
        }
    }

    /// Results gathered from many threads.
    final class Tally: Sendable {
        let state = Locked<(counts: [Int32: Int], accepted: [Int: Int], problems: [String])>(([:], [:], []))
        func count(_ status: Int32) { state.withLock { $0.counts[status, default: 0] += 1 } }
        func accept(_ index: Int) { state.withLock { $0.accepted[index, default: 0] += 1 } }
        func problem(_ text: String) { state.withLock { $0.problems.append(text) } }
    }

    /// Calls an (out, cap, out_len, ..., err) function with a buffer of `cap` bytes.
    static func call(cap: Int = 8192, _ body: (UnsafeMutablePointer<UInt8>, Int, UnsafeMutablePointer<Int>) -> Int32)
        -> (Int32, String)
    {
        var out = [UInt8](repeating: 0, count: cap)
        var len = 0
        let st = out.withUnsafeMutableBufferPointer { o in body(o.baseAddress!, o.count, &len) }
        return (st, String(decoding: out.prefix(min(len, cap)), as: UTF8.self))
    }

    /// Payment headers of distinct authorizations (nonces 1...count) for `requirement`.
    static func headers(_ count: Int) throws -> [[UInt8]] {
        try (1...count).map { i in
            let nonce = String(repeating: "0", count: 62) + String(format2(i))
            let opts = Array(#"{"now":\#(now),"nonce":"0x\#(nonce)"}"#.utf8)
            let (st, out) = call { o, c, l in
                x402s_x402_create_payment(o, c, l, requirement, requirement.count, key, 32, X402S_KEY_SECP256K1,
                                          nil, 0, opts, opts.count, nil)
            }
            guard st == 0, case .string(let value)? = try JSONValue.parse(out)["headerValue"] else {
                throw X402SError(.internal, "cannot make a payment header (\(st))")
            }
            return Array(value.utf8)
        }
    }

    static func format2(_ i: Int) -> String {
        let hex = Array("0123456789abcdef")
        return String([hex[(i >> 4) & 15], hex[i & 15]])
    }

    static func verify(_ header: [UInt8], _ replayGuard: OpaquePointer?) -> (Int32, String) {
        call(cap: Int(X402S_X402_VERIFY_OUT_BYTES)) { o, c, l in
            x402s_x402_verify(o, c, l, header, header.count, requirement, requirement.count, now, nil, 0, replayGuard, nil)
        }
    }

    // ---------------------------------------------------------------- handles

    /// Guards freed while `threads` threads verify with them: every call either completes
    /// normally (valid once per authorization, then duplicate_payment) or gets
    /// X402S_ERR_HANDLE_CLOSED, and every call after the free gets X402S_ERR_HANDLE_CLOSED.
    @Test func guardFreedWhileVerifying() throws {
        let headers = try Self.headers(8)
        var completed = 0, refused = 0
        for round in 0..<16 {
            var made: OpaquePointer?
            #expect(x402s_replay_guard_new(&made, 64, nil) == 0)
            let handle = UInt(bitPattern: made)
            let gate = Gate(), tally = Tally()
            let closed = Int32(X402S_ERR_HANDLE_CLOSED), invalid = Int32(X402S_ERR_X402_PAYMENT_INVALID)
            let freer = round % Self.threads
            Self.onThreads(Self.threads, gate) { i in
                let g = OpaquePointer(bitPattern: handle)
                gate.wait()
                for k in 0..<12 {
                    if i == freer && k == round % 12 { x402s_replay_guard_free(g) }  // free from a caller thread
                    let index = (i + k) % headers.count
                    let (st, out) = Self.verify(headers[index], g)
                    tally.count(st)
                    if st == 0 {
                        tally.accept(index)
                    } else if st == invalid {
                        if !out.contains("duplicate_payment") { tally.problem("invalid: \(out)") }
                    } else if st == closed {
                        // closed stays closed
                        if Self.verify(headers[index], g).0 != closed { tally.problem("a call after free succeeded") }
                        break
                    } else {
                        tally.problem("status \(st)")
                    }
                }
            }
            let state = tally.state.withLock { $0 }
            #expect(state.problems.isEmpty, "\(state.problems.prefix(3))")
            #expect(state.accepted.values.allSatisfy { $0 == 1 }, "an authorization was accepted twice")
            #expect(Self.verify(headers[0], made).0 == closed)
            x402s_replay_guard_free(made)  // a second free is a no-op
            completed += state.counts[0, default: 0] + state.counts[invalid, default: 0]
            refused += state.counts[closed, default: 0]
        }
        // both sides of the race were reached
        #expect(completed > 0 && refused > 0)
    }

    /// Signers freed while threads sign and pay with them: results are byte-identical to the
    /// signer's own (so the key was never torn or zeroed under a call), or HANDLE_CLOSED.
    @Test func signerFreedWhileSigning() throws {
        let opts = Array(#"{"now":\#(Self.now),"nonce":"0x\#(String(repeating: "07", count: 32))"}"#.utf8)
        var expectedSig = [UInt8](repeating: 0, count: 65)
        #expect(x402s_eip712_sign(&expectedSig, 65, nil, 0, Self.doc, Self.doc.count, Self.key, 32, nil) == 0)
        let (st0, expectedPayment) = Self.call { o, c, l in
            x402s_x402_create_payment(o, c, l, Self.requirement, Self.requirement.count, Self.key, 32,
                                      X402S_KEY_SECP256K1, nil, 0, opts, opts.count, nil)
        }
        #expect(st0 == 0)
        let expectedSigCopy = expectedSig
        var completed = 0, refused = 0
        for round in 0..<16 {
            var made: OpaquePointer?
            #expect(Self.key.withUnsafeBufferPointer { x402s_signer_new(&made, $0.baseAddress, 32, X402S_KEY_SECP256K1, nil) } == 0)
            let handle = UInt(bitPattern: made)
            let gate = Gate(), tally = Tally()
            let closed = Int32(X402S_ERR_HANDLE_CLOSED)
            Self.onThreads(Self.threads, gate) { i in
                let s = OpaquePointer(bitPattern: handle)
                gate.wait()
                for k in 0..<12 {
                    if i == 0 && k == round % 12 { x402s_signer_free(s) }
                    let st: Int32
                    if (i + k) % 2 == 0 {
                        var sig = [UInt8](repeating: 0, count: 65)
                        st = x402s_signer_eip712_sign(&sig, 65, nil, 0, s, Self.doc, Self.doc.count, nil)
                        if st == 0 && sig != expectedSigCopy { tally.problem("signature from another key") }
                    } else {
                        let (s2, out) = Self.call { o, c, l in
                            x402s_x402_create_payment_with_signer(o, c, l, Self.requirement, Self.requirement.count, s,
                                                                  nil, 0, opts, opts.count, 0, nil)
                        }
                        st = s2
                        if st == 0 && out != expectedPayment { tally.problem("payment differs") }
                    }
                    tally.count(st)
                    if st == closed { break }
                    if st != 0 { tally.problem("status \(st)") }
                }
            }
            let state = tally.state.withLock { $0 }
            #expect(state.problems.isEmpty, "\(state.problems.prefix(3))")
            let (st, _) = Self.call { o, c, l in x402s_signer_address(o, c, l, made, nil) }
            #expect(st == closed)
            completed += state.counts[0, default: 0]
            refused += state.counts[closed, default: 0]
        }
        #expect(completed > 0 && refused > 0)
    }

    /// The object of a freed handle lives exactly as long as a call still holds it.
    @Test func freeIsDeferredUntilTheLastCallReturns() throws {
        var made: OpaquePointer?
        #expect(Self.key.withUnsafeBufferPointer { x402s_signer_new(&made, $0.baseAddress, 32, X402S_KEY_SECP256K1, nil) } == 0)
        var inFlight: FFISigner? = try FFIHandles.object(made, as: FFISigner.self, "signer")  // what a call holds
        weak let watch = inFlight
        x402s_signer_free(made)
        #expect(watch != nil)  // still in use
        #expect(throws: X402SError(.handleClosed, "signer was freed (or is not a handle made by this library)")) {
            _ = try FFIHandles.object(made, as: FFISigner.self, "signer")
        }
        inFlight = nil  // the call returns
        #expect(watch == nil)
    }

    /// Freed, stale, foreign and garbage values are refused without being dereferenced.
    @Test func staleForeignAndGarbageHandles() {
        var g1: OpaquePointer?, s1: OpaquePointer?
        #expect(x402s_replay_guard_new(&g1, 8, nil) == 0)
        #expect(Self.key.withUnsafeBufferPointer { x402s_signer_new(&s1, $0.baseAddress, 32, X402S_KEY_ED25519_SEED, nil) } == 0)
        defer { x402s_signer_free(s1) }
        var err = x402s_error()
        // a signer where a guard is expected, and the reverse: refused, and not freed by the wrong free
        let header = Array("e30=".utf8)  // "{}": fails to decode after the guard check would pass
        var out = [UInt8](repeating: 0, count: Int(X402S_X402_VERIFY_OUT_BYTES))
        var len = 0
        let requirement = Self.requirement
        #expect(x402s_x402_verify(&out, out.count, &len, header, header.count, requirement, requirement.count, 0, nil, 0, s1, &err)
                == Int32(X402S_ERR_INVALID_ARGUMENT))
        #expect(err.code == Int32(X402S_ERR_INVALID_ARGUMENT))
        let (st1, _) = Self.call { o, c, l in x402s_signer_address(o, c, l, g1, nil) }
        #expect(st1 == Int32(X402S_ERR_INVALID_ARGUMENT))
        x402s_replay_guard_free(s1)
        x402s_signer_free(g1)
        let (st2, address) = Self.call { o, c, l in x402s_signer_address(o, c, l, s1, nil) }
        #expect(st2 == 0 && !address.isEmpty)
        // freed: closed; freeing again is a no-op; the value is not reused by the next handle
        x402s_replay_guard_free(g1)
        x402s_replay_guard_free(g1)
        var g2: OpaquePointer?
        #expect(x402s_replay_guard_new(&g2, 8, nil) == 0)
        defer { x402s_replay_guard_free(g2) }
        #expect(g2 != g1)
        #expect(x402s_x402_verify(&out, out.count, &len, header, header.count, requirement, requirement.count, 0, nil, 0, g1, &err)
                == Int32(X402S_ERR_HANDLE_CLOSED))
        #expect(x402s_status_name(Int32(X402S_ERR_HANDLE_CLOSED)).map { String(cString: $0) } == "X402S_ERR_HANDLE_CLOSED")
        // values no _new returned, including a real pointer to memory
        var memory = [UInt8](repeating: 0xAB, count: 64)
        memory.withUnsafeMutableBytes { raw in
            let bogus: [OpaquePointer?] = [OpaquePointer(bitPattern: 1), OpaquePointer(bitPattern: 0x1234_5678),
                                           OpaquePointer(bitPattern: UInt.max), OpaquePointer(raw.baseAddress)]
            for b in bogus {
                let (st, _) = Self.call { o, c, l in x402s_signer_address(o, c, l, b, nil) }
                #expect(st == Int32(X402S_ERR_HANDLE_CLOSED))
                x402s_signer_free(b)
                x402s_replay_guard_free(b)
            }
        }
        #expect(memory.allSatisfy { $0 == 0xAB })
    }

    // ---------------------------------------------------------------- shared core objects

    /// One replay guard under 16 threads inserting overlapping keys, reading and purging:
    /// each key is accepted exactly once.
    @Test func replayGuardUnderManyThreads() {
        let g = X402ReplayGuard(capacity: 10_000)
        let small = X402ReplayGuard(capacity: 16)  // constant eviction under contention
        let gate = Gate()
        let total = Locked(0)
        Self.onThreads(16, gate) { i in
            gate.wait()
            var n = 0
            for k in 0..<1_000 {
                let key = (k * 7 + i * 131) % 1_000
                if g.checkAndInsert(key: [UInt8(key & 0xff), UInt8(key >> 8)], expiresAt: 1_000, now: 0) { n += 1 }
                _ = small.checkAndInsert(key: [UInt8(truncatingIfNeeded: i), UInt8(truncatingIfNeeded: k)], expiresAt: UInt64(k), now: UInt64(k / 2))
                if k % 100 == 0 {
                    _ = g.contains(key: [1, 0], now: 0)
                    _ = g.count
                    small.purgeExpired(now: UInt64(k / 2))
                }
            }
            total.withLock { $0 += n }
        }
        #expect(total.withLock { $0 } == 1_000)
        #expect(g.count == 1_000)
        #expect(small.count <= 16)
    }

    /// A key shared by 16 threads from its first use: the cached public key and address are
    /// derived once (or identically) and every signature is the same.
    @Test func sharedKeysFromFirstUse() throws {
        let evm = try Secp256k1.PrivateKey(bytes: [UInt8](repeating: 9, count: 32))
        let sol = try Ed25519.KeyPair(seed: [UInt8](repeating: 9, count: 32))
        let digest = Keccak256.hash(Array("shared".utf8))
        let tally = Tally()
        let gate = Gate()
        Self.onThreads(16, gate) { _ in
            gate.wait()
            let a = evm.address.checksummed, p = evm.publicKey
            let s = try? evm.sign(digest: digest)
            let e: [UInt8]? = sol.sign(digest)
            tally.state.withLock { $0.problems.append("\(a)|\(p)|\(s ?? [])|\(e ?? [])") }
        }
        let all = tally.state.withLock { $0.problems }
        #expect(all.count == 16 && Set(all).count == 1)
        #expect(all.first?.contains("[]") == false)
    }

    /// The one-time set-up of libsodium and the secp256k1 context, reached by 16 threads at once
    /// (`make test-tsan` runs this test first, alone, so the set-up really happens here).
    @Test func contextInitialisationFromManyThreads() {
        let gate = Gate()
        let contexts = Locked<Set<Int>>([])
        let failures = Atomic<Int>(0)
        Self.onThreads(16, gate) { i in
            gate.wait()
            var err = x402s_error()
            if i % 2 == 0, x402s_init(&err) != 0 { failures.add(1, ordering: .relaxed) }
            var sig = [UInt8](repeating: 0, count: 65)
            let digest = [UInt8](repeating: UInt8(i), count: 32)
            if x402s_secp256k1_sign(&sig, 65, digest, 32, Self.key, 32, nil) != 0 { failures.add(1, ordering: .relaxed) }
            if let ctx = try? Backend.secp256k1Context() { contexts.withLock { _ = $0.insert(Int(bitPattern: ctx)) } }
        }
        #expect(failures.load(ordering: .relaxed) == 0)
        #expect(contexts.withLock { $0.count } == 1)
    }
}
