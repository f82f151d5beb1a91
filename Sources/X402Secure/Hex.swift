/// Hexadecimal encoding and decoding of byte strings.
///
/// Encoding is always lowercase. Decoding accepts an optional `0x`/`0X` prefix,
/// upper- or lowercase digits, and requires an even number of digits.
public enum Hex {
    @inline(__always)
    static func digit(_ v: UInt8) -> UInt8 {
        // v is in 0...15; "0"..."9" then "a"..."f".
        v < 10 ? v &+ 0x30 : v &+ 0x57
    }

    /// Encodes `bytes` as lowercase hexadecimal.
    ///
    /// - Parameters:
    ///   - bytes: the bytes to encode.
    ///   - prefix: when `true` (the default) the result starts with `0x`.
    /// - Returns: `"0x"` followed by two lowercase digits per byte (or without `0x`).
    public static func encode(_ bytes: some Sequence<UInt8>, prefix: Bool = true) -> String {
        if let s = bytes.withContiguousStorageIfAvailable({ encodeBuffer(UnsafeRawBufferPointer($0), prefix: prefix) }) {
            return s
        }
        let array = Array(bytes)
        return array.withUnsafeBytes { encodeBuffer($0, prefix: prefix) }
    }

    static func encodeBuffer(_ buf: UnsafeRawBufferPointer, prefix: Bool) -> String {
        let p = prefix ? 2 : 0
        // A buffer in memory is far below Int.max / 2, so this cannot overflow.
        let total = p + buf.count * 2
        if total == 0 { return "" }
        return String(unsafeUninitializedCapacity: total) { out in
            var j = 0
            if prefix {
                out[0] = 0x30
                out[1] = 0x78
                j = 2
            }
            for b in buf {
                out[j] = digit(b >> 4)
                out[j + 1] = digit(b & 0x0f)
                j += 2
            }
            return total
        }
    }

    @inline(__always)
    static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: return c &- 0x30
        case 0x61...0x66: return c &- 0x57
        case 0x41...0x46: return c &- 0x37
        default: return nil
        }
    }

    /// Decodes a hexadecimal string.
    ///
    /// - Parameters:
    ///   - string: hex digits (either case), optionally prefixed by `0x` or `0X`.
    ///     The empty string and a bare `0x` decode to no bytes.
    ///   - requirePrefix: when `true`, a missing `0x`/`0X` prefix is an error.
    /// - Returns: the decoded bytes.
    /// - Throws: ``X402SError`` with status ``X402SStatus/invalidHex`` if the prefix is
    ///   missing while required, a character is not a hex digit, or the digit count is odd.
    public static func decode(_ string: String, requirePrefix: Bool = false) throws(X402SError) -> [UInt8] {
        var s = string
        let result: Result<[UInt8], X402SError> = s.withUTF8 { utf8 in
            decodeBuffer(UnsafeRawBufferPointer(utf8), requirePrefix: requirePrefix)
        }
        return try result.get()
    }

    static func decodeBuffer(_ buf: UnsafeRawBufferPointer, requirePrefix: Bool) -> Result<[UInt8], X402SError> {
        var start = 0
        if buf.count >= 2 && buf[0] == 0x30 && (buf[1] == 0x78 || buf[1] == 0x58) {
            start = 2
        } else if requirePrefix {
            return .failure(X402SError(.invalidHex, "hex string must start with 0x"))
        }
        let digitCount = buf.count - start
        if digitCount % 2 != 0 {
            return .failure(X402SError(.invalidHex, "hex string has an odd number of digits"))
        }
        let n = digitCount / 2
        var bad = false
        let out = [UInt8](unsafeUninitializedCapacity: n) { out, initialized in
            var i = start
            for k in 0..<n {
                guard let hi = nibble(buf[i]), let lo = nibble(buf[i + 1]) else {
                    bad = true
                    initialized = k
                    return
                }
                out[k] = (hi << 4) | lo
                i += 2
            }
            initialized = n
        }
        if bad {
            return .failure(X402SError(.invalidHex, "hex string contains a non-hex character"))
        }
        return .success(out)
    }
}
