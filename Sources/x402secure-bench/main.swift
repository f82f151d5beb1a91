// x402secure-bench: micro-benchmarks of the crypto core.
//
// Keccak-256 (ours) against OpenSSL's EVP SHA3-256 (same Keccak-f[1600] permutation and
// rate, reused EVP_MD_CTX with EVP_DigestInit_ex/Update/Final_ex) at 32 B, 1 KiB and 1 MiB,
// plus secp256k1 sign/recover and Ed25519 sign/verify. Every case is measured in each of
// `--repeats` rounds (interleaved, so machine noise hits all cases alike) and the median
// is reported. Times are the benchmark thread's CPU time unless `--wall` is given.
// `--json` prints one JSON object instead of the table.
//
//   swift run -c release -Xswiftc -static-stdlib x402secure-bench [--json] [--repeats N]
import CLibCrypto
import Glibc
import X402Secure

// MARK: - options

func printError(_ message: String) {
    let line = message.hasSuffix("\n") ? message : message + "\n"
    _ = line.utf8CString.withUnsafeBufferPointer { write(2, $0.baseAddress, $0.count - 1) }
}

var json = false
var wallClock = false
var repeats = 15
var sampleMillis = 10.0
var args = CommandLine.arguments.dropFirst()
while let a = args.popFirst() {
    switch a {
    case "--json": json = true
    case "--wall": wallClock = true
    case "--repeats":
        guard let v = args.popFirst().flatMap({ Int($0) }), v >= 1 else {
            printError("--repeats needs a positive integer\n")
            exit(2)
        }
        repeats = v
    case "--sample-ms":
        guard let v = args.popFirst().flatMap({ Double($0) }), v > 0 else {
            printError("--sample-ms needs a positive number\n")
            exit(2)
        }
        sampleMillis = v
    case "-h", "--help":
        print("usage: x402secure-bench [--json] [--wall] [--repeats N (default 15)] [--sample-ms MS (default 10)]")
        print("  times are CPU time of the benchmark thread (steady on a shared machine); --wall uses the monotonic clock")
        exit(0)
    default:
        printError("unknown argument \(a)\n")
        exit(2)
    }
}

// MARK: - timing

/// The clock read around each sample: this thread's CPU time by default (time spent
/// descheduled on a busy shared machine does not count), or wall time with `--wall`.
nonisolated(unsafe) var clockID = CLOCK_THREAD_CPUTIME_ID

@inline(__always)
func nowNanos() -> UInt64 {
    var ts = timespec()
    clock_gettime(clockID, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}

/// Defeats dead-code elimination of benchmarked results.
nonisolated(unsafe) var sink: UInt64 = 0

struct Case {
    let name: String
    let bytes: Int          // message size for throughput, 0 if not a hash
    let body: () -> UInt8   // one operation; returns a byte of its result
    var iterations = 1
    var samples: [Double] = []   // ns per operation

    init(_ name: String, bytes: Int = 0, _ body: @escaping () -> UInt8) {
        self.name = name
        self.bytes = bytes
        self.body = body
    }

    mutating func calibrate(sampleMillis: Double) {
        // Warm up, then pick an iteration count so one sample takes about sampleMillis.
        var n = 1
        while true {
            let t = timed(n)
            if t >= sampleMillis * 1e6 / 4 || n >= 1 << 24 {
                iterations = max(1, Int(Double(n) * sampleMillis * 1e6 / max(t, 1)))
                return
            }
            n *= 2
        }
    }

    func timed(_ n: Int) -> Double {
        var acc: UInt8 = 0
        let start = nowNanos()
        for _ in 0..<n { acc ^= body() }
        let end = nowNanos()
        sink &+= UInt64(acc)
        return Double(end - start)
    }

    mutating func sample() {
        samples.append(timed(iterations) / Double(iterations))
    }

    var median: Double {
        let s = samples.sorted()
        guard !s.isEmpty else { return 0 }
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }

    /// MB/s (10^6 bytes per second) at the median.
    var mbPerSecond: Double { bytes == 0 || median == 0 ? 0 : Double(bytes) / median * 1e3 }
}

// MARK: - cases

if wallClock { clockID = CLOCK_MONOTONIC }

let sizes = [("32B", 32), ("1KiB", 1024), ("1MiB", 1 << 20)]
let outBuffer = UnsafeMutableRawPointer.allocate(byteCount: 64, alignment: 16)
guard let mdCtx = EVP_MD_CTX_new(), let sha3 = EVP_sha3_256() else {
    printError("OpenSSL EVP SHA3-256 unavailable\n")
    exit(1)
}
var messages: [UnsafeMutableRawBufferPointer] = []
var cases: [Case] = []
for (label, n) in sizes {
    let m = UnsafeMutableRawBufferPointer.allocate(byteCount: n, alignment: 16)
    for i in 0..<n { m[i] = UInt8(truncatingIfNeeded: i &* 131 &+ 7) }
    messages.append(m)
    let msg = UnsafeRawBufferPointer(m)
    cases.append(Case("keccak256 \(label)", bytes: n) {
        Keccak256.hash(msg, into: outBuffer)
        return outBuffer.load(as: UInt8.self)
    })
    cases.append(Case("openssl sha3-256 \(label)", bytes: n) {
        var len: UInt32 = 0
        _ = EVP_DigestInit_ex(mdCtx, sha3, nil)
        _ = EVP_DigestUpdate(mdCtx, msg.baseAddress, msg.count)
        _ = EVP_DigestFinal_ex(mdCtx, outBuffer.assumingMemoryBound(to: UInt8.self), &len)
        return outBuffer.load(as: UInt8.self)
    })
}

// Known-answer check before timing anything.
do {
    Keccak256.hash(UnsafeRawBufferPointer(start: nil, count: 0), into: outBuffer)
    let got = Hex.encode(UnsafeRawBufferPointer(start: outBuffer, count: 32), prefix: false)
    guard got == "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470" else {
        printError("keccak256 self-check failed\n")
        exit(1)
    }
}

let secpKey: Secp256k1.PrivateKey
let edKey: Ed25519.KeyPair
do {
    secpKey = try Secp256k1.PrivateKey(hex: "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80")
    edKey = try Ed25519.KeyPair(seed: [UInt8](repeating: 7, count: 32))
} catch {
    printError("key set-up failed: \(error)\n")
    exit(1)
}
let digest = Keccak256.hash(utf8: "x402secure-bench")
guard let secpSig = try? secpKey.sign(digest: digest) else {
    printError("secp256k1 sign failed\n")
    exit(1)
}
let edMessage = [UInt8](digest)
let edSig = edKey.sign(edMessage)
cases.append(Case("secp256k1 sign") { (try? secpKey.sign(digest: digest))?[0] ?? 0 })
cases.append(Case("secp256k1 recover address") {
    (try? Secp256k1.recoverAddress(digest: digest, signature: secpSig))?.bytes[0] ?? 0
})
cases.append(Case("ed25519 sign 32B") { edKey.sign(edMessage)[0] })
cases.append(Case("ed25519 verify 32B") {
    (try? Ed25519.verify(signature: edSig, message: edMessage, publicKey: edKey.publicKey)) == true ? 1 : 0
})

// x402 payments (EVM exact v2 create + header, verify; Solana exact v2 create + header).
do {
    let evmReq = X402Requirement.v2(X402PaymentRequirements(
        scheme: "exact", network: "eip155:84532", asset: "0x036CbD53842c5426634e7929541eC2318f3dCF7e", amount: "10000",
        payTo: "0x209693Bc6afc0C5328bA36FaF03C514EF312287C", maxTimeoutSeconds: 60,
        extra: JSONObject([("name", "USDC"), ("version", "2")])))
    let resource = X402ResourceInfo(url: "https://api.example.com/premium-data")
    let now: UInt64 = 1_740_672_000
    let header = try X402Client.createPayment(for: evmReq, resource: resource, signer: .evm(secpKey),
                                              options: X402PaymentOptions(now: now)).headerValue
    cases.append(Case("x402 evm exact v2 create header") {
        (try? X402Client.createPayment(for: evmReq, resource: resource, signer: .evm(secpKey),
                                       options: X402PaymentOptions(now: now)).headerValue.utf8.first) ?? 0
    })
    cases.append(Case("x402 evm exact v2 verify header") {
        (try? X402Verifier.verify(paymentHeader: header, requirements: evmReq, now: now))?.isValid == true ? 1 : 0
    })
    let svmReq = X402Requirement.v2(X402PaymentRequirements(
        scheme: "exact", network: Networks.solanaDevnet, asset: "4zMMC9srt5Ri5X14GAgXhaHii3GnPAEERYPJgZJDncDU", amount: "1000",
        payTo: "GyGKxMyg1p9SsHfm15MkNUu1u9TN2JtTspcdmrtGUdse", maxTimeoutSeconds: 60,
        extra: JSONObject([("feePayer", "9hSR6S7WPtxmTojgo6GG3k4yDPecgJY292j7xrsUGWBu"),
                           ("recentBlockhash", "US517G5965aydkZ46HS38QLi7UQiSojurfbQfKCELFx")])))
    let svmHeader = try X402Client.createPayment(for: svmReq, signer: .solana(edKey), options: X402PaymentOptions(now: now)).headerValue
    cases.append(Case("x402 svm exact v2 create header") {
        (try? X402Client.createPayment(for: svmReq, signer: .solana(edKey), options: X402PaymentOptions(now: now)).headerValue.utf8.first) ?? 0
    })
    cases.append(Case("x402 svm exact v2 verify header") {
        (try? X402Verifier.verify(paymentHeader: svmHeader, requirements: svmReq, now: now))?.isValid == true ? 1 : 0
    })
} catch {
    printError("x402 set-up failed: \(error)\n")
    exit(1)
}

// MARK: - run

for i in cases.indices { cases[i].calibrate(sampleMillis: sampleMillis) }
for _ in 0..<repeats {
    for i in cases.indices { cases[i].sample() }
}

@MainActor func med(_ name: String) -> Case? { cases.first { $0.name == name } }

func fmt(_ x: Double, _ digits: Int = 1) -> String {
    var buf = [CChar](repeating: 0, count: 64)
    _ = withVaList([x]) { vsnprintf(&buf, buf.count, "%.\(digits)f", $0) }
    return String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

if json {
    var parts: [String] = []
    var hashRows: [String] = []
    for (label, n) in sizes {
        guard let k = med("keccak256 \(label)"), let o = med("openssl sha3-256 \(label)") else { continue }
        hashRows.append("{\"size\":\"\(label)\",\"bytes\":\(n),\"keccak256_ns\":\(fmt(k.median)),\"keccak256_mb_s\":\(fmt(k.mbPerSecond))"
            + ",\"openssl_sha3_256_ns\":\(fmt(o.median)),\"openssl_sha3_256_mb_s\":\(fmt(o.mbPerSecond))"
            + ",\"time_ratio_ours_over_openssl\":\(fmt(k.median / o.median, 3))"
            + ",\"throughput_ratio_ours_over_openssl\":\(fmt(k.mbPerSecond / o.mbPerSecond, 3))}")
    }
    parts.append("\"tool\":\"x402secure-bench\"")
    parts.append("\"repeats\":\(repeats)")
    parts.append("\"statistic\":\"median\"")
    parts.append("\"clock\":\"\(wallClock ? "wall (CLOCK_MONOTONIC)" : "thread CPU time (CLOCK_THREAD_CPUTIME_ID)")\"")
    parts.append("\"hash\":[\(hashRows.joined(separator: ","))]")
    for (key, name) in [("secp256k1_sign_ns", "secp256k1 sign"), ("secp256k1_recover_address_ns", "secp256k1 recover address"),
                        ("ed25519_sign_32b_ns", "ed25519 sign 32B"), ("ed25519_verify_32b_ns", "ed25519 verify 32B"),
                        ("x402_evm_exact_v2_create_header_ns", "x402 evm exact v2 create header"),
                        ("x402_evm_exact_v2_verify_header_ns", "x402 evm exact v2 verify header"),
                        ("x402_svm_exact_v2_create_header_ns", "x402 svm exact v2 create header"),
                        ("x402_svm_exact_v2_verify_header_ns", "x402 svm exact v2 verify header")] {
        if let c = med(name) { parts.append("\"\(key)\":\(fmt(c.median))") }
    }
    print("{" + parts.joined(separator: ",") + "}")
} else {
    print("x402secure-bench: medians of \(repeats) interleaved repeats (~\(fmt(sampleMillis, 0)) ms per sample, "
        + (wallClock ? "wall clock)" : "thread CPU time)"))
    print("")
    func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
    func lpad(_ s: String, _ n: Int) -> String { s.count >= n ? s : String(repeating: " ", count: n - s.count) + s }
    print(pad("size", 6) + lpad("keccak256 ns", 14) + lpad("MB/s", 9) + lpad("sha3-256 ns", 14) + lpad("MB/s", 9)
        + lpad("time ratio", 12) + lpad("thru ratio", 12))
    for (label, _) in sizes {
        guard let k = med("keccak256 \(label)"), let o = med("openssl sha3-256 \(label)") else { continue }
        print(pad(label, 6) + lpad(fmt(k.median), 14) + lpad(fmt(k.mbPerSecond), 9) + lpad(fmt(o.median), 14)
            + lpad(fmt(o.mbPerSecond), 9) + lpad(fmt(k.median / o.median, 3), 12) + lpad(fmt(k.mbPerSecond / o.mbPerSecond, 3), 12))
    }
    print("(time ratio = ours / OpenSSL, lower is better; thru ratio = our MB/s / OpenSSL MB/s, higher is better)")
    print("")
    for name in ["secp256k1 sign", "secp256k1 recover address", "ed25519 sign 32B", "ed25519 verify 32B",
                 "x402 evm exact v2 create header", "x402 evm exact v2 verify header",
                 "x402 svm exact v2 create header", "x402 svm exact v2 verify header"] {
        if let c = med(name) { print(pad(name, 32) + lpad(fmt(c.median / 1000, 2), 10) + " us") }
    }
}
EVP_MD_CTX_free(mdCtx)
