import CLibCrypto
import Testing
@testable import X402Secure

private typealias V = CryptoVectors

/// SHA3-256 through OpenSSL's EVP, only to show Keccak-256 is a different function.
private func opensslSHA3_256(_ data: [UInt8]) -> [UInt8] {
    var out = [UInt8](repeating: 0, count: 32)
    guard let ctx = EVP_MD_CTX_new() else { return [] }
    defer { EVP_MD_CTX_free(ctx) }
    var len: UInt32 = 0
    _ = EVP_DigestInit_ex(ctx, EVP_sha3_256(), nil)
    data.withUnsafeBytes { _ = EVP_DigestUpdate(ctx, $0.baseAddress, $0.count) }
    _ = EVP_DigestFinal_ex(ctx, &out, &len)
    return out
}

@Suite("Keccak-256")
struct KeccakTests {
    static let vectors = CryptoVectors.load("keccak256")

    @Test func vectorFileLoaded() {
        #expect(Self.vectors.count >= 15)
    }

    @Test(arguments: vectors)
    func vector(_ v: CryptoVectors.Vector) {
        let message = V.bytes(v.input["message"])
        let expected = v.expect["digest"] as? String
        #expect(V.hex(Keccak256.hash(message)) == expected)
        var out = [UInt8](repeating: 0xee, count: 34)
        message.withUnsafeBytes { data in
            out.withUnsafeMutableBytes { Keccak256.hash(data, into: $0.baseAddress! + 1) }
        }
        #expect(out[0] == 0xee && out[33] == 0xee, "wrote outside the 32 bytes")
        #expect(V.hex(Array(out[1..<33])) == expected)
        if let not = v.expect["notDigest"] as? String {
            #expect(expected != not)
            #expect(V.hex(opensslSHA3_256(message)) == not)
        }
    }

    @Test func unalignedInputAndEveryLengthMatchesReference() {
        // Unaligned input: hash a slice starting at offset 1..7 and compare with a copy.
        let base = (0..<1200).map { UInt8(truncatingIfNeeded: $0 &* 29 &+ 3) }
        for offset in 1..<8 {
            let slice = Array(base[offset..<(offset + 500)])
            let viaSlice = base.withUnsafeBytes { Keccak256.hash(UnsafeRawBufferPointer(rebasing: $0[offset..<(offset + 500)])) }
            #expect(viaSlice == Keccak256.hash(slice))
        }
        // Every length 0...700 (0 to 5 blocks, every padding position) against the
        // straightforward reference below.
        for n in 0...700 {
            let m = Array(base[0..<n])
            #expect(Keccak256.hash(m) == ReferenceKeccak256.hash(m), "length \(n)")
        }
    }

    @Test func utf8AndNilBase() {
        #expect(Keccak256.hash(utf8: "abc") == Keccak256.hash(Array("abc".utf8)))
        #expect(V.hex(Keccak256.hash(UnsafeRawBufferPointer(start: nil, count: 0))) ==
            "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470")
    }
}

/// The project's first, straightforward Keccak-256 (array state, looped rounds), kept as a
/// differential reference for the unrolled implementation.
private enum ReferenceKeccak256 {
    static let rc: [UInt64] = [
        0x0000000000000001, 0x0000000000008082, 0x800000000000808A, 0x8000000080008000,
        0x000000000000808B, 0x0000000080000001, 0x8000000080008081, 0x8000000000008009,
        0x000000000000008A, 0x0000000000000088, 0x0000000080008009, 0x000000008000000A,
        0x000000008000808B, 0x800000000000008B, 0x8000000000008089, 0x8000000000008003,
        0x8000000000008002, 0x8000000000000080, 0x000000000000800A, 0x800000008000000A,
        0x8000000080008081, 0x8000000000008080, 0x0000000080000001, 0x8000000080008008,
    ]
    static let rotc: [UInt64] = [1, 3, 6, 10, 15, 21, 28, 36, 45, 55, 2, 14, 27, 41, 56, 8, 25, 43, 62, 18, 39, 61, 20, 44]
    static let piln: [Int] = [10, 7, 11, 17, 18, 3, 5, 16, 8, 21, 24, 4, 15, 23, 19, 13, 12, 2, 20, 14, 22, 9, 6, 1]

    static func permute(_ st: inout [UInt64]) {
        var bc = [UInt64](repeating: 0, count: 5)
        for round in 0..<24 {
            for i in 0..<5 { bc[i] = st[i] ^ st[i + 5] ^ st[i + 10] ^ st[i + 15] ^ st[i + 20] }
            for i in 0..<5 {
                let t = bc[(i + 4) % 5] ^ ((bc[(i + 1) % 5] << 1) | (bc[(i + 1) % 5] >> 63))
                for j in stride(from: 0, to: 25, by: 5) { st[j + i] ^= t }
            }
            var t = st[1]
            for i in 0..<24 {
                let j = piln[i]
                let tmp = st[j]
                st[j] = (t << rotc[i]) | (t >> (64 - rotc[i]))
                t = tmp
            }
            for j in stride(from: 0, to: 25, by: 5) {
                for i in 0..<5 { bc[i] = st[j + i] }
                for i in 0..<5 { st[j + i] ^= (~bc[(i + 1) % 5]) & bc[(i + 2) % 5] }
            }
            st[0] ^= rc[round]
        }
    }

    static func hash(_ data: [UInt8]) -> [UInt8] {
        let rate = 136
        var st = [UInt64](repeating: 0, count: 25)
        var block = [UInt8](repeating: 0, count: rate)
        var offset = 0
        let n = data.count
        while n - offset >= rate {
            for i in 0..<(rate / 8) {
                var lane: UInt64 = 0
                for k in 0..<8 { lane |= UInt64(data[offset + i * 8 + k]) << (8 * UInt64(k)) }
                st[i] ^= lane
            }
            permute(&st)
            offset += rate
        }
        for i in 0..<(n - offset) { block[i] = data[offset + i] }
        block[n - offset] ^= 0x01
        block[rate - 1] ^= 0x80
        for i in 0..<(rate / 8) {
            var lane: UInt64 = 0
            for k in 0..<8 { lane |= UInt64(block[i * 8 + k]) << (8 * UInt64(k)) }
            st[i] ^= lane
        }
        permute(&st)
        return (0..<32).map { UInt8(truncatingIfNeeded: st[$0 / 8] >> (8 * UInt64($0 % 8))) }
    }
}
