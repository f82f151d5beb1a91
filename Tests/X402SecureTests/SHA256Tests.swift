import Testing
@testable import X402Secure

private typealias V = CryptoVectors

@Suite("SHA-256")
struct SHA256Tests {
    static let vectors = CryptoVectors.load("sha256")

    @Test func vectorFileLoaded() {
        #expect(Self.vectors.count >= 10)
    }

    @Test(arguments: vectors)
    func vector(_ v: CryptoVectors.Vector) {
        let expected = V.bytes(v.expect["digest"])
        #expect(expected.count == SHA256.byteCount)
        if let parts = v.input["parts"] as? [Any] {
            let pieces = parts.map { V.bytes($0) }
            #expect(SHA256.hash(parts: pieces) == expected)
            #expect(SHA256.hash(pieces.flatMap { $0 }) == expected)
        } else {
            let message = V.bytes(v.input["message"])
            #expect(SHA256.hash(message) == expected)
            #expect(message.withUnsafeBytes { SHA256.hash($0) } == expected)
            #expect(SHA256.hash(parts: [message]) == expected)
            var out = [UInt8](repeating: 0xee, count: 34)
            message.withUnsafeBytes { data in
                out.withUnsafeMutableBytes { SHA256.hash(data, into: $0.baseAddress! + 1) }
            }
            #expect(out[0] == 0xee && out[33] == 0xee, "wrote outside the 32 bytes")
            #expect(Array(out[1..<33]) == expected)
        }
    }

    @Test func emptyRawBufferWithoutBaseAddress() {
        let empty = UnsafeRawBufferPointer(start: nil, count: 0)
        #expect(Hex.encode(SHA256.hash(empty), prefix: false) ==
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }
}
