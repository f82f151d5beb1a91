import Foundation
import Testing

@testable import X402Secure

/// Loads `test-vectors/solana_*.json` (found by walking up from this file) for the Solana tests.
enum SolanaVectors {
    struct Vector: @unchecked Sendable, CustomTestStringConvertible {
        let name: String
        let input: [String: Any]
        let expect: [String: Any]
        var testDescription: String { name }

        func string(_ key: String) -> String? { input[key] as? String }
        var expectedError: String? { expect["error"] as? String }
    }

    static func directory() -> URL {
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        for _ in 0..<6 {
            let candidate = dir.appendingPathComponent("test-vectors")
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("solana_exact.json").path) {
                return candidate
            }
            dir = dir.deletingLastPathComponent()
        }
        return dir.appendingPathComponent("test-vectors")
    }

    static func load(_ file: String, op: String? = nil) -> [Vector] {
        guard let data = try? Data(contentsOf: directory().appendingPathComponent(file)),
            let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let list = root["vectors"] as? [[String: Any]]
        else { return [] }
        return list.compactMap { v in
            guard let name = v["name"] as? String, let input = v["input"] as? [String: Any],
                let expect = v["expect"] as? [String: Any]
            else { return nil }
            if let op, input["op"] as? String != op { return nil }
            return Vector(name: name, input: input, expect: expect)
        }
    }

    static func schema(_ file: String) -> String? {
        guard let data = try? Data(contentsOf: directory().appendingPathComponent(file)),
            let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return nil }
        return root["schema"] as? String
    }

    static func hex(_ s: String?) throws -> [UInt8] {
        try Hex.decode(s ?? "")
    }

    static func key(_ s: String?) throws -> SolanaPublicKey {
        try SolanaPublicKey(base58: s ?? "")
    }

    /// Runs `body`, expecting the X402SError whose status name is `name`.
    static func expectError(_ name: String, _ body: () throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            try body()
            Issue.record("expected \(name), got success", sourceLocation: sourceLocation)
        } catch let e as X402SError {
            #expect(e.status.name == name, sourceLocation: sourceLocation)
        } catch {
            Issue.record("expected \(name), got \(error)", sourceLocation: sourceLocation)
        }
    }
}

@Suite struct SolanaPDATests {
    @Test func vectorFilesArePresent() {
        #expect(SolanaVectors.schema("solana_pda.json") == "x402s.vectors.solana_pda@1")
        #expect(SolanaVectors.load("solana_pda.json").count > 200)
    }

    @Test(arguments: SolanaVectors.load("solana_pda.json", op: "isOnCurve"))
    func isOnCurve(_ v: SolanaVectors.Vector) throws {
        let bytes = try SolanaVectors.hex(v.string("bytes"))
        #expect(SolanaPublicKey.isOnCurve(bytes) == (v.expect["onCurve"] as? Bool))
    }

    /// The bulk differential test against solders: the inputs are derived as the file's
    /// "source" text describes, the results are compared through a bitmap hash.
    @Test(arguments: SolanaVectors.load("solana_pda.json", op: "isOnCurveBulk"))
    func isOnCurveBulk(_ v: SolanaVectors.Vector) throws {
        let count = try #require(v.input["count"] as? Int)
        var bitmap = [UInt8](repeating: 0, count: (count + 7) / 8)
        var onCurve = 0
        for i in 0..<count {
            var b = SHA256.hash(Array("x402s-oncurve-\(i)".utf8))
            switch i % 4 {
            case 1: b[31] ^= 0x80
            case 2:
                for k in 1..<31 { b[k] = 0xff }
                b[31] = 0x7f | (b[31] & 0x80)
            case 3:
                for k in 2..<32 { b[k] = 0 }
            default: break
            }
            if SolanaPublicKey.isOnCurve(b) {
                bitmap[i / 8] |= 1 << UInt8(i % 8)
                onCurve += 1
            }
        }
        #expect(onCurve == v.expect["onCurveCount"] as? Int)
        #expect(Hex.encode(SHA256.hash(bitmap)) == v.expect["bitmapSha256"] as? String)
    }

    @Test(arguments: SolanaVectors.load("solana_pda.json", op: "findProgramAddress"))
    func findProgramAddress(_ v: SolanaVectors.Vector) throws {
        let seeds = try (v.input["seeds"] as? [String] ?? []).map { try Hex.decode($0) }
        let program = try SolanaVectors.key(v.string("programId"))
        if let error = v.expectedError {
            SolanaVectors.expectError(error) { _ = try SolanaPublicKey.findProgramAddress(seeds: seeds, programId: program) }
            return
        }
        let found = try SolanaPublicKey.findProgramAddress(seeds: seeds, programId: program)
        #expect(found.address.base58 == v.expect["address"] as? String)
        #expect(Int(found.bump) == v.expect["bump"] as? Int)
        #expect(!found.address.isOnCurve)
    }

    @Test(arguments: SolanaVectors.load("solana_pda.json", op: "createProgramAddress"))
    func createProgramAddress(_ v: SolanaVectors.Vector) throws {
        let seeds = try (v.input["seeds"] as? [String] ?? []).map { try Hex.decode($0) }
        let program = try SolanaVectors.key(v.string("programId"))
        if let error = v.expectedError {
            SolanaVectors.expectError(error) { _ = try SolanaPublicKey.createProgramAddress(seeds: seeds, programId: program) }
            return
        }
        let address = try SolanaPublicKey.createProgramAddress(seeds: seeds, programId: program)
        #expect(address.base58 == v.expect["address"] as? String)
    }

    @Test func createProgramAddressLimits() throws {
        SolanaVectors.expectError("X402S_ERR_INVALID_ARGUMENT") {
            _ = try SolanaPublicKey.createProgramAddress(seeds: Array(repeating: [1], count: 17), programId: .systemProgram)
        }
        SolanaVectors.expectError("X402S_ERR_INVALID_ARGUMENT") {
            _ = try SolanaPublicKey.createProgramAddress(seeds: [[UInt8](repeating: 1, count: 33)], programId: .systemProgram)
        }
    }

    @Test(arguments: SolanaVectors.load("solana_pda.json", op: "associatedTokenAddress"))
    func associatedTokenAddress(_ v: SolanaVectors.Vector) throws {
        let address = try SolanaPublicKey.associatedTokenAddress(
            owner: SolanaVectors.key(v.string("owner")), mint: SolanaVectors.key(v.string("mint")),
            tokenProgram: SolanaVectors.key(v.string("tokenProgram")))
        #expect(address.base58 == v.expect["address"] as? String)
    }

    @Test(arguments: SolanaVectors.load("solana_pda.json", op: "publicKeyFromBase58"))
    func publicKeyFromBase58(_ v: SolanaVectors.Vector) throws {
        let text = v.string("base58") ?? ""
        if let error = v.expectedError {
            SolanaVectors.expectError(error) { _ = try SolanaPublicKey(base58: text) }
            return
        }
        let key = try SolanaPublicKey(base58: text)
        #expect(Hex.encode(key.bytes) == v.expect["bytes"] as? String)
        #expect(key.base58 == text)
    }

    @Test func publicKeyFromBytes() throws {
        SolanaVectors.expectError("X402S_ERR_SOLANA_INVALID_PUBLIC_KEY") { _ = try SolanaPublicKey(bytes: [UInt8](repeating: 1, count: 31)) }
        SolanaVectors.expectError("X402S_ERR_SOLANA_INVALID_PUBLIC_KEY") { _ = try SolanaPublicKey(bytes: []) }
        SolanaVectors.expectError("X402S_ERR_SOLANA_INVALID_PUBLIC_KEY") {
            _ = try SolanaPublicKey(base58: String(repeating: "1", count: 10_000))
        }
        let k = try SolanaPublicKey(bytes: [UInt8](repeating: 0, count: 32))
        #expect(k == .systemProgram)
        #expect(k.description == "11111111111111111111111111111111")
    }

    @Test func wellKnownProgramIds() {
        #expect(SolanaPublicKey.tokenProgram.base58 == "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA")
        #expect(SolanaPublicKey.token2022Program.base58 == "TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb")
        #expect(SolanaPublicKey.computeBudgetProgram.base58 == "ComputeBudget111111111111111111111111111111")
        #expect(SolanaPublicKey.memoProgram.base58 == "MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr")
        #expect(SolanaPublicKey.lighthouseProgram.base58 == "L2TExMFKdjpN9kozasaurPirfHy9P8sbXoAN1qA3S95")
        #expect(SolanaPublicKey.associatedTokenProgram.base58 == "ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL")
        #expect(SolanaPublicKey.systemProgram.base58 == "11111111111111111111111111111111")
    }

    /// d * 121666 + 121665 = 0 in GF(p), and field arithmetic agrees with a few identities.
    @Test func fieldConstants() throws {
        func small(_ n: UInt64) -> Field25519 { Field25519(l0: n, l1: 0, l2: 0, l3: 0, l4: 0) }
        #expect((Field25519.edwardsD * small(121_666) + small(121_665)).isEqual(to: .zero))
        // p itself (all-ones limbs but l0 = 2^51 - 19) is zero; p - 1 squared is one.
        let p = Field25519(l0: (1 << 51) - 19, l1: Field25519.mask51, l2: Field25519.mask51, l3: Field25519.mask51, l4: Field25519.mask51)
        #expect(p.isEqual(to: .zero))
        let minusOne = Field25519.zero - .one
        #expect(minusOne.squared().isEqual(to: .one))
        // -1 is a square mod p (p = 1 mod 4), 2 is not (p = 5 mod 8).
        #expect(minusOne.legendreSymbolPower().isEqual(to: .one))
        #expect(small(2).legendreSymbolPower().isEqual(to: minusOne))
        #expect(small(4).legendreSymbolPower().isEqual(to: .one))
    }
}
