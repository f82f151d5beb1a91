import Foundation
import Testing
@testable import X402Secure

/// A random-input run over the header decoders and the verifier: mutated official headers,
/// mutated JSON inside valid base64, and random text. The property is "no trap, no hang";
/// every outcome must be a value or an `X402SError`.
///
/// The default run is short; set `X402S_FUZZ_ITERATIONS` (e.g. 1000000) for a long run.
@Suite struct X402FuzzTests {
    /// xorshift64*: deterministic, seedable.
    struct Rng {
        var state: UInt64
        mutating func next() -> UInt64 {
            state ^= state >> 12; state ^= state << 25; state ^= state >> 27
            return state &* 2685821657736338717
        }
        mutating func below(_ n: Int) -> Int { n <= 1 ? 0 : Int(next() % UInt64(n)) }
    }

    static var iterations: Int {
        Int(ProcessInfo.processInfo.environment["X402S_FUZZ_ITERATIONS"] ?? "") ?? 1500
    }

    static let seeds: [(header: String, requirement: X402Requirement)] = {
        var out: [(String, X402Requirement)] = []
        for v in X402Vector.all("x402_verify") {
            guard let h = v.inputValue("header")?.stringValue, let r = v.inputValue("requirements"),
                  let req = try? X402Requirement(json: r) else { continue }
            out.append((h, req))
        }
        return out
    }()

    static let tokens: [String] = ["{", "}", "[", "]", ",", ":", "\"", "\\", "null", "true", "-1", "1e999", "0x", "\u{0}",
                                   "\"x402Version\":2", "\"payload\":", "\"accepted\":", "\"authorization\":", "\"signature\":\"0x\"",
                                   "\"transaction\":\"AAAA\"", "99999999999999999999999999999999999999999999999999999999999999999999999999999999"]

    static func exercise(_ header: String, _ req: X402Requirement, guardian: X402ReplayGuard) {
        _ = try? X402Payment(header: header)
        _ = try? X402PaymentRequired(header: header)
        _ = try? X402SettleResponse(header: header)
        _ = try? X402Verifier.verify(paymentHeader: header, requirements: req, now: 1_740_672_000,
                                     options: X402VerifyOptions(facilitatorAddresses: ["0x5050A4F4b3f9338C3472dcC01A87C76A144b3c9c"],
                                                                replayGuard: guardian))
    }

    @Test func mutatedHeadersNeverTrap() {
        guard !Self.seeds.isEmpty else { Issue.record("no seeds"); return }
        var rng = Rng(state: 0x9E37_79B9_7F4A_7C15)
        let guardian = X402ReplayGuard(capacity: 64)
        for _ in 0..<Self.iterations {
            let seed = Self.seeds[rng.below(Self.seeds.count)]
            var header = seed.header
            switch rng.below(4) {
            case 0:  // flip/replace characters of the base64 text
                var b = Array(header.utf8)
                for _ in 0...rng.below(4) where !b.isEmpty {
                    b[rng.below(b.count)] = UInt8(truncatingIfNeeded: rng.next())
                }
                header = String(decoding: b, as: UTF8.self)
            case 1:  // mutate the JSON, re-encode strictly
                var json = Array((try? Base64.decode(header)) ?? [])
                for _ in 0...rng.below(6) {
                    let op = rng.below(3)
                    let at = json.isEmpty ? 0 : rng.below(json.count)
                    if op == 0, !json.isEmpty { json[at] = UInt8(truncatingIfNeeded: rng.next()) }
                    if op == 1, !json.isEmpty { json.removeSubrange(at..<min(json.count, at + rng.below(16) + 1)) }
                    if op == 2 { json.insert(contentsOf: Array(Self.tokens[rng.below(Self.tokens.count)].utf8), at: at) }
                }
                header = Base64.encode(json)
            case 2:  // truncate
                let b = Array(header.utf8)
                header = String(decoding: b.prefix(rng.below(b.count + 1)), as: UTF8.self)
            default:  // random base64 of random bytes
                header = Base64.encode((0..<rng.below(600)).map { _ in UInt8(truncatingIfNeeded: rng.next()) })
            }
            Self.exercise(header, seed.requirement, guardian: guardian)
        }
    }

    /// Structure-aware: change one JSON value of a decoded payment to another JSON kind.
    @Test func retypedFieldsNeverTrap() throws {
        let kinds: [JSONValue] = [.null, .bool(true), .number("0"), .number("-5"), .number("1.5e400"), .string(""),
                                  .string("0x"), .string(String(repeating: "f", count: 200)), .array([]), .object(JSONObject())]
        var rng = Rng(state: 42)
        let guardian = X402ReplayGuard(capacity: 64)
        func paths(_ v: JSONValue, _ prefix: [String]) -> [[String]] {
            guard case .object(let o) = v else { return [prefix] }
            return [prefix] + o.entries.flatMap { paths($0.value, prefix + [$0.key]) }
        }
        func replacing(_ v: JSONValue, _ path: ArraySlice<String>, _ new: JSONValue) -> JSONValue {
            guard let k = path.first else { return new }
            guard case .object(var o) = v else { return v }
            o[k] = replacing(o[k] ?? .null, path.dropFirst(), new)
            return .object(o)
        }
        for seed in Self.seeds {
            guard let json = try? X402Headers.decodeJSON(seed.header) else { continue }
            for p in paths(json, []) where !p.isEmpty {
                let mutated = replacing(json, p[...], kinds[rng.below(kinds.count)])
                Self.exercise(X402Headers.encode(mutated), seed.requirement, guardian: guardian)
            }
        }
    }
}
