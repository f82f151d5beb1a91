import Testing
@testable import X402Secure

private typealias V = CryptoVectors

@Suite("secp256k1, EIP-191, EVM addresses")
struct Secp256k1Tests {
    static let vectors = CryptoVectors.load("secp256k1")

    @Test func vectorFileLoaded() {
        #expect(Self.vectors.count > 80)
        for op in ["sign", "recover", "verify", "eip191", "address"] {
            #expect(Self.vectors.contains { $0.input["op"] as? String == op }, "no \(op) vectors")
        }
    }

    @Test(arguments: vectors)
    func vector(_ v: CryptoVectors.Vector) throws {
        let i = v.input
        switch i["op"] as? String {
        case "sign":
            let key = V.bytes(i["privateKey"])
            let digest = V.bytes(i["digest"])
            let run = { () throws -> [UInt8] in try Secp256k1.PrivateKey(bytes: key).sign(digest: digest) }
            if let err = v.expectedError {
                #expect(thrownStatus(run) == err)
                #expect(Secp256k1.isValidPrivateKey(key) == (err != "X402S_ERR_INVALID_KEY" && key.count == 32))
                return
            }
            let pk = try Secp256k1.PrivateKey(bytes: key)
            #expect(Secp256k1.isValidPrivateKey(key))
            #expect(V.hex(pk.publicKey) == v.intermediate["publicKey"] as? String)
            #expect(pk.address.checksummed == v.intermediate["address"] as? String)
            let sig = try pk.sign(digest: digest)
            #expect(V.hex(sig) == v.expect["signature"] as? String)
            #expect(try Secp256k1.recoverAddress(digest: digest, signature: sig) == pk.address)
            #expect(try Secp256k1.verify(signature: sig, digest: digest, publicKey: pk.publicKey))
            #expect(V.hex(try Secp256k1.PrivateKey(hex: Hex.encode(key)).sign(digest: digest)) == V.hex(sig))
        case "recover":
            let digest = V.bytes(i["digest"])
            let sig = V.bytes(i["signature"])
            if let err = v.expectedError {
                #expect(thrownStatus { try Secp256k1.recoverPublicKey(digest: digest, signature: sig) } == err)
                #expect(thrownStatus { try Secp256k1.recoverAddress(digest: digest, signature: sig) } == err)
                return
            }
            #expect(try Secp256k1.recoverAddress(digest: digest, signature: sig).checksummed == v.expect["address"] as? String)
            if let pub = v.expect["publicKey"] as? String {
                #expect(V.hex(try Secp256k1.recoverPublicKey(digest: digest, signature: sig)) == pub)
            }
        case "verify":
            let run = { () throws -> Bool in
                try Secp256k1.verify(signature: V.bytes(i["signature"]), digest: V.bytes(i["digest"]),
                                     publicKey: V.bytes(i["publicKey"]))
            }
            if let err = v.expectedError {
                #expect(thrownStatus(run) == err)
            } else {
                #expect(try run() == v.expect["valid"] as? Bool)
            }
        case "eip191":
            let msg = V.bytes(i["message"])
            let hash = EIP191.personalMessageHash(msg)
            #expect(V.hex(hash) == v.expect["hash"] as? String)
            let key = try Secp256k1.PrivateKey(bytes: V.bytes(i["privateKey"]))
            #expect(V.hex(try key.sign(digest: hash)) == v.expect["signature"] as? String)
            #expect(key.address.checksummed == v.expect["address"] as? String)
        case "address":
            let text = i["text"] as? String ?? ""
            if let err = v.expectedError {
                #expect(thrownStatus { try EvmAddress(string: text) } == err)
                return
            }
            let a = try EvmAddress(string: text)
            #expect(V.hex(a.bytes) == v.expect["bytes"] as? String)
            #expect(a.checksummed == v.expect["checksummed"] as? String)
            #expect(a.lowercased == v.expect["lowercased"] as? String)
            #expect(try EvmAddress(bytes: a.bytes) == a)
            #expect(try EvmAddress(string: a.checksummed) == a)
        default:
            Issue.record("unknown op in \(v.name)")
        }
    }

    @Test func evmAddressFromBytesRejectsWrongLength() {
        #expect(thrownStatus { try EvmAddress(bytes: [UInt8](repeating: 1, count: 19)) } == "X402S_ERR_INVALID_ADDRESS")
        #expect(thrownStatus { try EvmAddress(bytes: [UInt8](repeating: 1, count: 21)) } == "X402S_ERR_INVALID_ADDRESS")
        #expect(thrownStatus { try EvmAddress(bytes: []) } == "X402S_ERR_INVALID_ADDRESS")
    }

    @Test func curveOrderConstant() {
        #expect(Hex.encode(Secp256k1.curveOrder, prefix: false) ==
            "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141")
        // n/2 rounded down, the low-s bound: 2 * half + 1 == n.
        var twice = [UInt8](repeating: 0, count: 32)
        var carry: UInt16 = 1
        for k in stride(from: 31, through: 0, by: -1) {
            let x = UInt16(Secp256k1.halfOrder[k]) * 2 + carry
            twice[k] = UInt8(x & 0xff)
            carry = x >> 8
        }
        #expect(twice == Secp256k1.curveOrder)
    }

    @Test func privateKeyHexErrorsAndDescription() throws {
        #expect(thrownStatus { try Secp256k1.PrivateKey(hex: "0xzz") } == "X402S_ERR_INVALID_HEX")
        #expect(thrownStatus { try Secp256k1.PrivateKey(hex: "0x01") } == "X402S_ERR_INVALID_LENGTH")
        let key = try Secp256k1.PrivateKey(hex: "0x0101010101010101010101010101010101010101010101010101010101010101")
        #expect("\(key)" == "Secp256k1.PrivateKey(0x1a642f0E3c3aF545E7AcBD38b07251B3990914F1)")
        #expect(!"\(key)".contains("0101010101"))
    }

    @Test func concurrentSigningSharesTheContext() async throws {
        let key = try Secp256k1.PrivateKey(hex: "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80")
        let digest = Keccak256.hash(Array("abc".utf8))
        let expected = try key.sign(digest: digest)
        let results = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<16 {
                group.addTask {
                    (try? key.sign(digest: digest)) == expected && key.address.checksummed == "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
                }
            }
            var all: [Bool] = []
            for await r in group { all.append(r) }
            return all
        }
        #expect(results.count == 16 && results.allSatisfy { $0 })
    }
}
