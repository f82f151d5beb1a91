import CSecp256k1
import Testing
@testable import X402Secure

/// ``RFC6979`` (OpenSSL SHA-256) against libsecp256k1's own default nonce function and
/// default-nonce signatures, on deterministic pseudo-random inputs and the edge messages.
@Suite("RFC 6979 nonce (OpenSSL SHA-256) == libsecp256k1's default")
struct RFC6979Tests {
    /// SplitMix64: a fixed seed gives the same inputs on every run.
    struct Rng {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func bytes(_ n: Int) -> [UInt8] { (0..<n).map { _ in UInt8(truncatingIfNeeded: next()) } }
    }

    static func edgeMessages() -> [[UInt8]] {
        let n = Secp256k1.curveOrder
        var nMinus1 = n; nMinus1[31] &-= 1
        var nPlus1 = n; nPlus1[31] &+= 1
        return [[UInt8](repeating: 0, count: 32), [UInt8](repeating: 0xff, count: 32), n, nMinus1, nPlus1,
                [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]
                    + [UInt8](repeating: 0, count: 16)]
    }

    static func reference(_ msg: [UInt8], _ key: [UInt8], _ algo: [UInt8]?, _ extra: [UInt8]?, _ counter: UInt32) -> [UInt8]? {
        guard let fn = secp256k1_nonce_function_rfc6979 else { return nil }
        return nonce(fn, msg, key, algo, extra, counter)
    }

    static func ours(_ msg: [UInt8], _ key: [UInt8], _ algo: [UInt8]?, _ extra: [UInt8]?, _ counter: UInt32) -> [UInt8]? {
        nonce(RFC6979.nonceFunction, msg, key, algo, extra, counter)
    }

    /// Runs a secp256k1 nonce function; nil when it reports failure.
    static func nonce(_ fn: secp256k1_nonce_function, _ msg: [UInt8], _ key: [UInt8], _ algo: [UInt8]?,
                      _ extra: [UInt8]?, _ counter: UInt32) -> [UInt8]? {
        var out = [UInt8](repeating: 0x55, count: 32)
        var extraCopy = extra
        let ok = out.withUnsafeMutableBufferPointer { o in
            msg.withUnsafeBufferPointer { m in
                key.withUnsafeBufferPointer { k in
                    withOptionalPointer(algo) { a in
                        withOptionalMutablePointer(&extraCopy) { e in
                            fn(o.baseAddress, m.baseAddress, k.baseAddress, a, e, counter)
                        }
                    }
                }
            }
        }
        return ok == 1 ? out : nil
    }

    static func withOptionalPointer<R>(_ a: [UInt8]?, _ body: (UnsafePointer<UInt8>?) -> R) -> R {
        guard let a else { return body(nil) }
        return a.withUnsafeBufferPointer { body($0.baseAddress) }
    }

    static func withOptionalMutablePointer<R>(_ a: inout [UInt8]?, _ body: (UnsafeMutableRawPointer?) -> R) -> R {
        guard a != nil else { return body(nil) }
        return a!.withUnsafeMutableBytes { body($0.baseAddress) }
    }

    @Test func sameNonceOnRandomAndEdgeInputs() {
        var rng = Rng(state: 0x6979_2026)
        var compared = 0
        for round in 0..<3000 {
            let key = rng.bytes(32)
            let edges = Self.edgeMessages()
            let msg = round < edges.count * 10 ? edges[round % edges.count] : rng.bytes(32)
            let extra: [UInt8]? = round % 3 == 1 ? rng.bytes(32) : nil
            let algo: [UInt8]? = round % 4 == 2 ? rng.bytes(16) : nil
            let counter = UInt32(round % 4)
            let want = Self.reference(msg, key, algo, extra, counter)
            let got = Self.ours(msg, key, algo, extra, counter)
            #expect(want != nil)
            #expect(got == want, "round \(round)")
            compared += 1
        }
        #expect(compared == 3000)
    }

    @Test func nullPointersFailInsteadOfCrashing() {
        let fn = RFC6979.nonceFunction
        var out = [UInt8](repeating: 0, count: 32)
        let key = [UInt8](repeating: 1, count: 32)
        let r = out.withUnsafeMutableBufferPointer { o in key.withUnsafeBufferPointer { k in fn(o.baseAddress, nil, k.baseAddress, nil, nil, 0) } }
        #expect(r == 0)
    }

    @Test func signaturesEqualDefaultNonceSignatures() throws {
        var rng = Rng(state: 0xEC_D5A)
        let ctx = try Backend.secp256k1Context()
        var checked = 0
        for round in 0..<400 {
            let keyBytes = rng.bytes(32)
            guard Secp256k1.isValidPrivateKey(keyBytes) else { continue }
            let digest = round % 50 == 0 ? Self.edgeMessages()[round / 50 % 6] : rng.bytes(32)
            let ours = try Secp256k1.PrivateKey(bytes: keyBytes).sign(digest: digest)
            var sig = secp256k1_ecdsa_recoverable_signature()
            let ok = keyBytes.withUnsafeBufferPointer { k in
                digest.withUnsafeBufferPointer { d in
                    secp256k1_ecdsa_sign_recoverable(ctx, &sig, d.baseAddress!, k.baseAddress!, nil, nil)
                }
            }
            #expect(ok == 1)
            var compact = [UInt8](repeating: 0, count: 64)
            var recid: Int32 = 0
            _ = secp256k1_ecdsa_recoverable_signature_serialize_compact(ctx, &compact, &recid, &sig)
            #expect(ours == compact + [27 + UInt8(recid)], "round \(round)")
            checked += 1
        }
        #expect(checked > 390)
    }
}
