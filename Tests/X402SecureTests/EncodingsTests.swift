import Foundation
import Testing
@testable import X402Secure

private typealias V = CryptoVectors

@Suite("Encodings")
struct EncodingsTests {
    static let vectors = CryptoVectors.load("encodings")

    @Test func vectorFileLoaded() {
        #expect(Self.vectors.count > 100)
    }

    @Test(arguments: vectors)
    func vector(_ v: CryptoVectors.Vector) throws {
        let codec = v.input["codec"] as? String ?? ""
        let op = v.input["op"] as? String ?? ""
        if op == "roundtrip" || op == "encode" {
            let bytes = V.bytes(v.input["bytes"])
            let text: String
            switch codec {
            case "hex": text = Hex.encode(bytes, prefix: v.input["prefix"] as? Bool ?? true)
            case "base64": text = Base64.encode(bytes)
            case "base64url": text = Base64.encodeURL(bytes, padding: v.input["padding"] as? Bool ?? false)
            case "base58": text = Base58.encode(bytes)
            default: Issue.record("unknown codec \(codec)"); return
            }
            #expect(text == v.expect["text"] as? String)
            if op == "roundtrip" {
                let back: [UInt8]
                switch codec {
                case "hex": back = try Hex.decode(text)
                case "base64": back = try Base64.decode(text)
                case "base64url": back = try Base64.decodeURL(text)
                default: back = try Base58.decode(text)
                }
                #expect(back == bytes)
            }
            return
        }
        #expect(op == "decode")
        let text = V.text(v.input["text"])
        let run: () throws -> [UInt8] = {
            switch codec {
            case "hex": return try Hex.decode(text, requirePrefix: v.input["requirePrefix"] as? Bool ?? false)
            case "base64": return try Base64.decode(text)
            case "base64url": return try Base64.decodeURL(text)
            case "base58": return try Base58.decode(text)
            case "base58_32": return try Base58.decode32(text)
            default: throw X402SError(.invalidArgument, "unknown codec")
            }
        }
        if let err = v.expectedError {
            #expect(thrownStatus(run) == err)
        } else {
            #expect(try run() == V.bytes(v.expect["bytes"]))
        }
    }

    @Test func hexEncodeAcceptsAnySequence() {
        #expect(Hex.encode([UInt8]()) == "0x")
        #expect(Hex.encode([UInt8](), prefix: false) == "")
        #expect(Hex.encode((0..<4).lazy.map { UInt8($0 * 0x11) }) == "0x00112233")
        #expect(Hex.encode([0xab, 0xcd][...]) == "0xabcd")
    }

    @Test func base64MatchesFoundationOnRandomInputs() throws {
        var g = SystemRandomNumberGenerator()
        for n in 0..<200 {
            let bytes = (0..<n).map { _ in UInt8.random(in: 0...255, using: &g) }
            let ours = Base64.encode(bytes)
            #expect(ours == Data(bytes).base64EncodedString())
            #expect(try Base64.decode(ours) == bytes)
            let url = Base64.encodeURL(bytes)
            #expect(try Base64.decodeURL(url) == bytes)
            #expect(try Base64.decodeURL(Base64.encodeURL(bytes, padding: true)) == bytes)
            let b58 = Base58.encode(bytes)
            #expect(try Base58.decode(b58) == bytes)
            #expect(try Hex.decode(Hex.encode(bytes)) == bytes)
        }
    }

    @Test func encodersAcceptNonContiguousCollections() {
        let c = Set<UInt8>([7])  // not contiguous storage
        #expect(Base64.encode(c) == "Bw==")
        #expect(Base58.encode(c) == "8")
        #expect(Base64.encodeURL(c) == "Bw")
    }
}
