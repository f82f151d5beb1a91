import Foundation
import Testing

@testable import X402Secure

@Suite struct SolanaMessageTests {
    @Test func vectorFileIsPresent() {
        #expect(SolanaVectors.schema("solana_message.json") == "x402s.vectors.solana_message@1")
        #expect(SolanaVectors.load("solana_message.json").count > 50)
    }

    @Test(arguments: SolanaVectors.load("solana_message.json", op: "compileV0"))
    func compileV0(_ v: SolanaVectors.Vector) throws {
        let payer = try SolanaVectors.key(v.string("payer"))
        let blockhash = try Base58.decode(v.string("recentBlockhash") ?? "")
        var instructions: [SolanaInstruction] = []
        for ix in v.input["instructions"] as? [[String: Any]] ?? [] {
            var metas: [SolanaAccountMeta] = []
            for a in ix["accounts"] as? [[String: Any]] ?? [] {
                metas.append(SolanaAccountMeta(
                    publicKey: try SolanaVectors.key(a["publicKey"] as? String),
                    isSigner: a["isSigner"] as? Bool ?? false, isWritable: a["isWritable"] as? Bool ?? false))
            }
            instructions.append(SolanaInstruction(
                programId: try SolanaVectors.key(ix["programId"] as? String), accounts: metas,
                data: try SolanaVectors.hex(ix["data"] as? String)))
        }
        if let error = v.expectedError {
            SolanaVectors.expectError(error) {
                _ = try SolanaMessage.compileV0(payer: payer, instructions: instructions, recentBlockhash: blockhash)
            }
            return
        }
        let message = try SolanaMessage.compileV0(payer: payer, instructions: instructions, recentBlockhash: blockhash)
        let bytes = try message.serialize()
        #expect(Hex.encode(bytes) == v.expect["messageHex"] as? String)
        #expect(message.accountKeys.map(\.base58) == v.expect["accountKeys"] as? [String])
        let header = message.header
        #expect([Int(header.numRequiredSignatures), Int(header.numReadonlySignedAccounts), Int(header.numReadonlyUnsignedAccounts)]
            == v.expect["header"] as? [Int])
        // Parse round trip.
        #expect(try SolanaMessage(bytes: bytes) == message)
    }

    @Test(arguments: SolanaVectors.load("solana_message.json", op: "parseTransaction"))
    func parseTransaction(_ v: SolanaVectors.Vector) throws {
        let bytes = try SolanaVectors.hex(v.string("bytes"))
        if let error = v.expectedError {
            SolanaVectors.expectError(error) { _ = try SolanaTransaction(bytes: bytes) }
            return
        }
        let tx = try SolanaTransaction(bytes: bytes)
        let m = tx.message
        #expect((m.version == .v0 ? "v0" : "legacy") == v.expect["version"] as? String)
        #expect(tx.signatures.count == v.expect["numSignatures"] as? Int)
        #expect([Int(m.header.numRequiredSignatures), Int(m.header.numReadonlySignedAccounts), Int(m.header.numReadonlyUnsignedAccounts)]
            == v.expect["header"] as? [Int])
        #expect(m.accountKeys.map(\.base58) == v.expect["accountKeys"] as? [String])
        #expect(Base58.encode(m.recentBlockhash) == v.expect["recentBlockhash"] as? String)
        let ixs = v.expect["instructions"] as? [[String: Any]] ?? []
        #expect(ixs.count == m.instructions.count)
        for (ix, e) in zip(m.instructions, ixs) {
            #expect(Int(ix.programIdIndex) == e["programIdIndex"] as? Int)
            #expect(ix.accounts.map(Int.init) == e["accounts"] as? [Int])
            #expect(Hex.encode(ix.data) == e["data"] as? String)
        }
        #expect(m.addressTableLookups.count == v.expect["addressTableLookups"] as? Int)
        #expect(Hex.encode(tx.messageBytes) == v.expect["messageHex"] as? String)
        #expect(Base64.encode(tx.messageHash) == v.expect["messageHashBase64"] as? String)
        #expect(tx.serialize() == bytes)
        #expect(try m.serialize() == tx.messageBytes)
        let sanitizes = (try? tx.sanitize()) != nil
        #expect(sanitizes == v.expect["sanitizeOk"] as? Bool)
    }

    @Test(arguments: SolanaVectors.load("solana_message.json", op: "sanitizeTransaction"))
    func sanitizeTransaction(_ v: SolanaVectors.Vector) throws {
        let tx = try SolanaTransaction(bytes: SolanaVectors.hex(v.string("bytes")))
        if let error = v.expectedError {
            SolanaVectors.expectError(error) { try tx.sanitize() }
        } else {
            try tx.sanitize()
        }
    }

    @Test func compactU16() throws {
        let cases: [(Int, [UInt8])] = [
            (0, [0x00]), (1, [0x01]), (0x7f, [0x7f]), (0x80, [0x80, 0x01]), (0xff, [0xff, 0x01]),
            (0x3fff, [0xff, 0x7f]), (0x4000, [0x80, 0x80, 0x01]), (0xffff, [0xff, 0xff, 0x03]),
        ]
        for (value, bytes) in cases {
            #expect(CompactU16.encoded(value) == bytes)
            var r = SolanaByteReader(bytes)
            #expect(try r.readCompactU16("test") == value)
            #expect(r.isAtEnd)
        }
        for bad: [UInt8] in [[], [0x80], [0x80, 0x00], [0xff, 0x80, 0x00], [0xff, 0xff, 0x04], [0x80, 0x80, 0x80], [0xff, 0xff, 0xff, 0x01]] {
            var r = SolanaByteReader(bad)
            SolanaVectors.expectError("X402S_ERR_SOLANA_INVALID_TRANSACTION") { _ = try r.readCompactU16("test") }
        }
    }

    /// Every truncation and every single-byte change of a real transaction either parses or
    /// throws `.solanaInvalidTransaction`: nothing traps, nothing else is thrown.
    @Test func mutationsNeverTrap() throws {
        let v = try #require(SolanaVectors.load("solana_message.json", op: "parseTransaction").first)
        let good = try SolanaVectors.hex(v.string("bytes"))
        var parsed = 0
        for cut in 0..<good.count {
            if (try? SolanaTransaction(bytes: Array(good[..<cut]))) != nil { parsed += 1 }
        }
        #expect(parsed == 0)
        for i in 0..<good.count {
            for delta: UInt8 in [1, 0x80, 0xff] {
                var m = good
                m[i] = m[i] &+ delta
                do {
                    let tx = try SolanaTransaction(bytes: m)
                    _ = try? tx.sanitize()
                    #expect(tx.serialize() == m)
                } catch {
                    #expect(error.status == .solanaInvalidTransaction)
                }
            }
        }
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let n = Int.random(in: 0..<600, using: &rng)
            let junk = (0..<n).map { _ in UInt8.random(in: 0...255, using: &rng) }
            do {
                let tx = try SolanaTransaction(bytes: junk)
                _ = try? tx.sanitize()
            } catch {
                #expect(error.status == .solanaInvalidTransaction)
            }
        }
    }

    @Test func serializeRejectsBadParts() throws {
        let header = SolanaMessageHeader(numRequiredSignatures: 1, numReadonlySignedAccounts: 0, numReadonlyUnsignedAccounts: 0)
        let short = SolanaMessage(version: .v0, header: header, accountKeys: [.systemProgram], recentBlockhash: [1, 2], instructions: [])
        SolanaVectors.expectError("X402S_ERR_INVALID_LENGTH") { _ = try short.serialize() }
        let legacyWithLookup = SolanaMessage(
            version: .legacy, header: header, accountKeys: [.systemProgram], recentBlockhash: [UInt8](repeating: 0, count: 32),
            instructions: [], addressTableLookups: [SolanaAddressTableLookup(accountKey: .memoProgram, writableIndexes: [0], readonlyIndexes: [])])
        SolanaVectors.expectError("X402S_ERR_INVALID_ARGUMENT") { _ = try legacyWithLookup.serialize() }
        let ok = SolanaMessage(version: .v0, header: header, accountKeys: [.systemProgram], recentBlockhash: [UInt8](repeating: 0, count: 32), instructions: [])
        SolanaVectors.expectError("X402S_ERR_INVALID_ARGUMENT") { _ = try SolanaTransaction(message: ok, signatures: [[0]]) }
        let unsigned = try SolanaTransaction(unsigned: ok)
        #expect(unsigned.signatures == [[UInt8](repeating: 0, count: 64)])
        try unsigned.sanitize()
        let stranger = try Ed25519.KeyPair(seed: [UInt8](repeating: 9, count: 32))
        SolanaVectors.expectError("X402S_ERR_INVALID_ARGUMENT") { _ = try unsigned.signed(by: stranger) }
    }

    @Test func compileLimits() throws {
        let payer = SolanaPublicKey.systemProgram
        var metas: [SolanaAccountMeta] = []
        for i in 0..<300 {
            var b = [UInt8](repeating: 0, count: 32)
            b[0] = UInt8(i & 0xff)
            b[1] = UInt8(i >> 8)
            b[2] = 1
            metas.append(SolanaAccountMeta(publicKey: try SolanaPublicKey(bytes: b), isSigner: false, isWritable: false))
        }
        let ix = SolanaInstruction(programId: .memoProgram, accounts: metas, data: [])
        SolanaVectors.expectError("X402S_ERR_INVALID_ARGUMENT") {
            _ = try SolanaMessage.compileV0(payer: payer, instructions: [ix], recentBlockhash: [UInt8](repeating: 0, count: 32))
        }
        let big = SolanaInstruction(programId: .memoProgram, accounts: [], data: [UInt8](repeating: 0, count: 70_000))
        SolanaVectors.expectError("X402S_ERR_INPUT_TOO_LARGE") {
            _ = try SolanaMessage.compileV0(payer: payer, instructions: [big], recentBlockhash: [UInt8](repeating: 0, count: 32))
        }
    }
}
