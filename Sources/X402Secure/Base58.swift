/// Base58 with the Bitcoin alphabet (as used for Solana addresses and signatures).
///
/// Each leading zero byte is written as one leading `1`. Decoding is strict:
/// only characters of the alphabet are accepted (no whitespace).
public enum Base58 {
    /// Longest text ``decode(_:)`` accepts, in characters. Base58 conversion is
    /// quadratic; Solana values are at most 88 characters.
    public static let maxDecodeLength = 4096

    @inline(__always)
    static func symbol(_ v: UInt8) -> UInt8 {
        // "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
        switch v {
        case 0..<9: return v &+ 0x31             // 1-9
        case 9..<17: return v &- 9 &+ 0x41       // A-H
        case 17..<22: return v &- 17 &+ 0x4a     // J-N
        case 22..<33: return v &- 22 &+ 0x50     // P-Z
        case 33..<44: return v &- 33 &+ 0x61     // a-k
        default: return v &- 44 &+ 0x6d          // m-z
        }
    }

    /// 0...57 for a symbol of the alphabet, 0xFF otherwise.
    @inline(__always)
    static func value(_ c: UInt8) -> UInt8 {
        switch c {
        case 0x31...0x39: return c &- 0x31
        case 0x41...0x48: return c &- 0x41 &+ 9
        case 0x4a...0x4e: return c &- 0x4a &+ 17
        case 0x50...0x5a: return c &- 0x50 &+ 22
        case 0x61...0x6b: return c &- 0x61 &+ 33
        case 0x6d...0x7a: return c &- 0x6d &+ 44
        default: return 0xff
        }
    }

    /// Encodes `bytes` as base58 (Bitcoin alphabet).
    ///
    /// - Parameter bytes: the bytes to encode.
    /// - Returns: the base58 text; empty input gives the empty string.
    public static func encode(_ bytes: some Collection<UInt8>) -> String {
        if let s = bytes.withContiguousStorageIfAvailable({ encodeBuffer(UnsafeRawBufferPointer($0)) }) {
            return s
        }
        let array = Array(bytes)
        return array.withUnsafeBytes { encodeBuffer($0) }
    }

    static func encodeBuffer(_ buf: UnsafeRawBufferPointer) -> String {
        let n = buf.count
        var zeros = 0
        while zeros < n && buf[zeros] == 0 { zeros += 1 }
        // log(256)/log(58) < 1.3658; digits are little-endian base 58.
        let cap = (n - zeros) * 138 / 100 + 1
        var digits = [UInt8](repeating: 0, count: cap)
        var used = 0
        digits.withUnsafeMutableBufferPointer { d in
            for i in zeros..<n {
                var carry = UInt32(buf[i])
                var k = 0
                while k < used || carry != 0 {
                    // k < cap always holds: the value fits in cap digits.
                    if k >= d.count { break }
                    if k < used { carry &+= UInt32(d[k]) &<< 8 }
                    d[k] = UInt8(truncatingIfNeeded: carry % 58)
                    carry /= 58
                    k += 1
                }
                used = k
            }
        }
        let total = zeros + used
        if total == 0 { return "" }
        return String(unsafeUninitializedCapacity: total) { out in
            for i in 0..<zeros { out[i] = 0x31 }
            for i in 0..<used { out[zeros + i] = symbol(digits[used - 1 - i]) }
            return total
        }
    }

    /// Decodes base58 text (Bitcoin alphabet).
    ///
    /// - Parameter string: base58 text; the empty string decodes to no bytes.
    /// - Returns: the decoded bytes, with one zero byte per leading `1`.
    /// - Throws: ``X402SError`` with status ``X402SStatus/invalidBase58`` for a character
    ///   outside the alphabet (`0`, `O`, `I`, `l`, whitespace, ...), or
    ///   ``X402SStatus/inputTooLarge`` for text longer than ``maxDecodeLength``.
    public static func decode(_ string: String) throws(X402SError) -> [UInt8] {
        var s = string
        let r = s.withUTF8 { decodeBuffer(UnsafeRawBufferPointer($0)) }
        return try r.get()
    }

    /// Decodes base58 text that must hold exactly 32 bytes (a Solana public key or hash).
    ///
    /// - Parameter string: base58 text.
    /// - Returns: the 32 decoded bytes.
    /// - Throws: ``X402SError`` with status ``X402SStatus/invalidBase58`` if the text is not
    ///   valid base58 or does not decode to exactly 32 bytes.
    public static func decode32(_ string: String) throws(X402SError) -> [UInt8] {
        // 32 bytes take at most 44 characters; longer text cannot be 32 bytes.
        if string.utf8.count > 44 {
            throw X402SError(.invalidBase58, "base58 value is not 32 bytes")
        }
        let bytes = try decode(string)
        if bytes.count != 32 {
            throw X402SError(.invalidBase58, "base58 value is not 32 bytes")
        }
        return bytes
    }

    static func decodeBuffer(_ buf: UnsafeRawBufferPointer) -> Result<[UInt8], X402SError> {
        let n = buf.count
        if n > maxDecodeLength {
            return .failure(X402SError(.inputTooLarge, "base58 text is longer than \(maxDecodeLength) characters"))
        }
        var ones = 0
        while ones < n && buf[ones] == 0x31 { ones += 1 }
        // log(58)/log(256) < 0.7323; bytes are little-endian base 256.
        let cap = (n - ones) * 733 / 1000 + 1
        var bytes = [UInt8](repeating: 0, count: cap)
        var used = 0
        var bad = false
        bytes.withUnsafeMutableBufferPointer { d in
            for i in ones..<n {
                let v = value(buf[i])
                if v == 0xff {
                    bad = true
                    return
                }
                var carry = UInt32(v)
                var k = 0
                while k < used || carry != 0 {
                    if k >= d.count { break }
                    if k < used { carry &+= UInt32(d[k]) &* 58 }
                    d[k] = UInt8(truncatingIfNeeded: carry)
                    carry >>= 8
                    k += 1
                }
                used = k
            }
        }
        if bad {
            return .failure(X402SError(.invalidBase58, "base58 text contains a character outside the alphabet"))
        }
        var out = [UInt8](repeating: 0, count: ones + used)
        for i in 0..<used { out[ones + i] = bytes[used - 1 - i] }
        return .success(out)
    }
}
