import Testing
@testable import X402Secure

private typealias V = CryptoVectors

@Suite("Ed25519")
struct Ed25519Tests {
    static let vectors = CryptoVectors.load("ed25519")

    @Test func vectorFileLoaded() {
        #expect(Self.vectors.count >= 20)
    }

    @Test(arguments: vectors)
    func vector(_ v: CryptoVectors.Vector) throws {
        let i = v.input
        let message = V.bytes(i["message"])
        switch i["op"] as? String {
        case "sign":
            let seed = V.bytes(i["seed"])
            if let err = v.expectedError {
                #expect(thrownStatus { try Ed25519.KeyPair(seed: seed) } == err)
                return
            }
            let kp = try Ed25519.KeyPair(seed: seed)
            #expect(V.hex(kp.publicKey) == v.expect["publicKey"] as? String)
            #expect(kp.solanaAddress == v.intermediate["solanaAddress"] as? String)
            let sig = kp.sign(message)
            #expect(V.hex(sig) == v.expect["signature"] as? String)
            #expect(try Ed25519.verify(signature: sig, message: message, publicKey: kp.publicKey))
        case "verify":
            let run = { () throws -> Bool in
                try Ed25519.verify(signature: V.bytes(i["signature"]), message: message, publicKey: V.bytes(i["publicKey"]))
            }
            if let err = v.expectedError {
                #expect(thrownStatus(run) == err)
            } else {
                #expect(try run() == v.expect["valid"] as? Bool)
            }
        default:
            Issue.record("unknown op in \(v.name)")
        }
    }

    @Test func descriptionHidesTheSeed() throws {
        let kp = try Ed25519.KeyPair(seed: [UInt8](repeating: 7, count: 32))
        #expect("\(kp)" == "Ed25519.KeyPair(\(kp.solanaAddress))")
    }
}
