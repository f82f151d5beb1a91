/// Keccak-256 as used by Ethereum (original Keccak padding 0x01, not SHA3's 0x06).
///
/// Interim straightforward implementation; replaced by the optimised one.
public enum Keccak256 {
    public static let byteCount = 32

    private static let rc: [UInt64] = [
        0x0000000000000001, 0x0000000000008082, 0x800000000000808A, 0x8000000080008000,
        0x000000000000808B, 0x0000000080000001, 0x8000000080008081, 0x8000000000008009,
        0x000000000000008A, 0x0000000000000088, 0x0000000080008009, 0x000000008000000A,
        0x000000008000808B, 0x800000000000008B, 0x8000000000008089, 0x8000000000008003,
        0x8000000000008002, 0x8000000000000080, 0x000000000000800A, 0x800000008000000A,
        0x8000000080008081, 0x8000000000008080, 0x0000000080000001, 0x8000000080008008,
    ]
    private static let rotc: [UInt64] = [1, 3, 6, 10, 15, 21, 28, 36, 45, 55, 2, 14, 27, 41, 56, 8, 25, 43, 62, 18, 39, 61, 20, 44]
    private static let piln: [Int] = [10, 7, 11, 17, 18, 3, 5, 16, 8, 21, 24, 4, 15, 23, 19, 13, 12, 2, 20, 14, 22, 9, 6, 1]

    private static func permute(_ st: inout [UInt64]) {
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

    /// Keccak-256 of `data`.
    public static func hash(_ data: UnsafeRawBufferPointer) -> [UInt8] {
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
        for i in 0..<rate { block[i] = 0 }
        for i in 0..<(n - offset) { block[i] = data[offset + i] }
        block[n - offset] ^= 0x01
        block[rate - 1] ^= 0x80
        for i in 0..<(rate / 8) {
            var lane: UInt64 = 0
            for k in 0..<8 { lane |= UInt64(block[i * 8 + k]) << (8 * UInt64(k)) }
            st[i] ^= lane
        }
        permute(&st)
        var out = [UInt8](repeating: 0, count: 32)
        for i in 0..<32 { out[i] = UInt8(truncatingIfNeeded: st[i / 8] >> (8 * UInt64(i % 8))) }
        return out
    }

    /// Keccak-256 of a byte array.
    public static func hash(_ data: [UInt8]) -> [UInt8] {
        data.withUnsafeBytes { hash($0) }
    }

    /// Keccak-256 of the UTF-8 bytes of `string`.
    public static func hash(utf8 string: String) -> [UInt8] {
        var s = string
        return s.withUTF8 { hash(UnsafeRawBufferPointer($0)) }
    }
}
