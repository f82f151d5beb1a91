import Testing
@testable import X402Secure

@Test func keccakEmpty() {
    let h = Keccak256.hash([]).map { b in (b < 16 ? "0" : "") + String(b, radix: 16) }.joined()
    #expect(h == "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470")
}
