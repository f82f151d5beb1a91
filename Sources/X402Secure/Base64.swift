/// Base64 (RFC 4648) encoding and strict decoding.
///
/// ``encode(_:)``/``decode(_:)`` use the standard alphabet (`+`, `/`) with `=` padding,
/// as x402 headers do. ``encodeURL(_:padding:)``/``decodeURL(_:)`` use the URL-safe
/// alphabet (`-`, `_`). Decoders are canonical: they reject whitespace, characters
/// outside the alphabet, misplaced padding and non-zero trailing bits, so every byte
/// string has exactly one accepted encoding per variant.
public enum Base64 {
    @inline(__always)
    static func symbol(_ v: UInt8, url: Bool) -> UInt8 {
        switch v {
        case 0..<26: return v &+ 0x41            // A-Z
        case 26..<52: return v &+ (0x61 &- 26)   // a-z
        case 52..<62: return v &- (52 &- 0x30)   // 0-9
        case 62: return url ? 0x2d : 0x2b        // - or +
        default: return url ? 0x5f : 0x2f        // _ or /
        }
    }

    /// 0...63 for a symbol of the alphabet, 0xFF otherwise.
    @inline(__always)
    static func value(_ c: UInt8, url: Bool) -> UInt8 {
        switch c {
        case 0x41...0x5a: return c &- 0x41
        case 0x61...0x7a: return c &- 0x61 &+ 26
        case 0x30...0x39: return c &- 0x30 &+ 52
        case 0x2b: return url ? 0xff : 62
        case 0x2f: return url ? 0xff : 63
        case 0x2d: return url ? 62 : 0xff
        case 0x5f: return url ? 63 : 0xff
        default: return 0xff
        }
    }

    /// Encodes `bytes` as standard, padded base64 (RFC 4648 section 4).
    ///
    /// - Parameter bytes: the bytes to encode.
    /// - Returns: the base64 text; empty input gives the empty string.
    public static func encode(_ bytes: some Collection<UInt8>) -> String {
        encodeAny(bytes, url: false, padding: true)
    }

    /// Encodes `bytes` with the URL-safe alphabet (RFC 4648 section 5).
    ///
    /// - Parameters:
    ///   - bytes: the bytes to encode.
    ///   - padding: append `=` padding to a multiple of 4 characters (default `false`).
    /// - Returns: the base64url text.
    public static func encodeURL(_ bytes: some Collection<UInt8>, padding: Bool = false) -> String {
        encodeAny(bytes, url: true, padding: padding)
    }

    static func encodeAny(_ bytes: some Collection<UInt8>, url: Bool, padding: Bool) -> String {
        if let s = bytes.withContiguousStorageIfAvailable({ encodeBuffer(UnsafeRawBufferPointer($0), url: url, padding: padding) }) {
            return s
        }
        let array = Array(bytes)
        return array.withUnsafeBytes { encodeBuffer($0, url: url, padding: padding) }
    }

    static func encodeBuffer(_ buf: UnsafeRawBufferPointer, url: Bool, padding: Bool) -> String {
        let n = buf.count
        let full = n / 3
        let rem = n % 3
        let total: Int
        if padding || rem == 0 {
            total = (full + (rem == 0 ? 0 : 1)) * 4
        } else {
            total = full * 4 + rem + 1
        }
        if total == 0 { return "" }
        return String(unsafeUninitializedCapacity: total) { out in
            var i = 0
            var j = 0
            for _ in 0..<full {
                let b0 = buf[i], b1 = buf[i + 1], b2 = buf[i + 2]
                out[j] = symbol(b0 >> 2, url: url)
                out[j + 1] = symbol(((b0 & 0x03) << 4) | (b1 >> 4), url: url)
                out[j + 2] = symbol(((b1 & 0x0f) << 2) | (b2 >> 6), url: url)
                out[j + 3] = symbol(b2 & 0x3f, url: url)
                i += 3
                j += 4
            }
            if rem == 1 {
                let b0 = buf[i]
                out[j] = symbol(b0 >> 2, url: url)
                out[j + 1] = symbol((b0 & 0x03) << 4, url: url)
                j += 2
                if padding {
                    out[j] = 0x3d
                    out[j + 1] = 0x3d
                    j += 2
                }
            } else if rem == 2 {
                let b0 = buf[i], b1 = buf[i + 1]
                out[j] = symbol(b0 >> 2, url: url)
                out[j + 1] = symbol(((b0 & 0x03) << 4) | (b1 >> 4), url: url)
                out[j + 2] = symbol((b1 & 0x0f) << 2, url: url)
                j += 3
                if padding {
                    out[j] = 0x3d
                    j += 1
                }
            }
            return j
        }
    }

    /// Decodes standard, padded base64 strictly.
    ///
    /// - Parameter string: base64 text over `A-Z a-z 0-9 + /`, length a multiple of 4,
    ///   with one or two `=` only at the end. The empty string decodes to no bytes.
    /// - Returns: the decoded bytes.
    /// - Throws: ``X402SError`` with status ``X402SStatus/invalidBase64`` for a character
    ///   outside the alphabet (including whitespace and URL-safe `-`/`_`), a wrong length,
    ///   wrong or misplaced padding, or non-zero unused bits in the last symbol.
    public static func decode(_ string: String) throws(X402SError) -> [UInt8] {
        var s = string
        let r = s.withUTF8 { decodeBuffer(UnsafeRawBufferPointer($0), url: false) }
        return try r.get()
    }

    /// Decodes base64url (RFC 4648 section 5); padding is optional.
    ///
    /// - Parameter string: text over `A-Z a-z 0-9 - _`. If `=` padding is present it must
    ///   complete the text to a multiple of 4 characters; without padding the length must
    ///   not be 1 more than a multiple of 4.
    /// - Returns: the decoded bytes.
    /// - Throws: ``X402SError`` with status ``X402SStatus/invalidBase64`` for a character
    ///   outside the alphabet (including `+`, `/` and whitespace), a wrong length or padding,
    ///   or non-zero unused bits in the last symbol.
    public static func decodeURL(_ string: String) throws(X402SError) -> [UInt8] {
        var s = string
        let r = s.withUTF8 { decodeBuffer(UnsafeRawBufferPointer($0), url: true) }
        return try r.get()
    }

    static func decodeBuffer(_ buf: UnsafeRawBufferPointer, url: Bool) -> Result<[UInt8], X402SError> {
        var n = buf.count
        var pad = 0
        while n > 0 && buf[n - 1] == 0x3d && pad < 3 {
            n -= 1
            pad += 1
        }
        if url {
            if pad > 0 && (buf.count % 4 != 0 || pad > 2) {
                return .failure(X402SError(.invalidBase64, "base64url padding is wrong"))
            }
        } else {
            if buf.count % 4 != 0 {
                return .failure(X402SError(.invalidBase64, "base64 length is not a multiple of 4"))
            }
            if pad > 2 {
                return .failure(X402SError(.invalidBase64, "base64 has too much padding"))
            }
        }
        // n = number of data symbols.
        let rem = n % 4
        if rem == 1 {
            return .failure(X402SError(.invalidBase64, "base64 length is impossible"))
        }
        if pad > 0 && rem + pad != 4 {
            return .failure(X402SError(.invalidBase64, "base64 padding is wrong"))
        }
        let full = n / 4
        let outCount = full * 3 + (rem == 0 ? 0 : rem - 1)
        var error: X402SError? = nil
        let out = [UInt8](unsafeUninitializedCapacity: outCount) { out, initialized in
            initialized = 0
            var i = 0
            var j = 0
            for _ in 0..<full {
                let a = value(buf[i], url: url), b = value(buf[i + 1], url: url)
                let c = value(buf[i + 2], url: url), d = value(buf[i + 3], url: url)
                if (a | b | c | d) & 0xc0 != 0 {
                    error = X402SError(.invalidBase64, "base64 contains a character outside the alphabet")
                    return
                }
                out[j] = (a << 2) | (b >> 4)
                out[j + 1] = (b << 4) | (c >> 2)
                out[j + 2] = (c << 6) | d
                i += 4
                j += 3
                initialized = j
            }
            if rem == 2 {
                let a = value(buf[i], url: url), b = value(buf[i + 1], url: url)
                if (a | b) & 0xc0 != 0 {
                    error = X402SError(.invalidBase64, "base64 contains a character outside the alphabet")
                    return
                }
                if b & 0x0f != 0 {
                    error = X402SError(.invalidBase64, "base64 has non-zero trailing bits (not canonical)")
                    return
                }
                out[j] = (a << 2) | (b >> 4)
                initialized = j + 1
            } else if rem == 3 {
                let a = value(buf[i], url: url), b = value(buf[i + 1], url: url)
                let c = value(buf[i + 2], url: url)
                if (a | b | c) & 0xc0 != 0 {
                    error = X402SError(.invalidBase64, "base64 contains a character outside the alphabet")
                    return
                }
                if c & 0x03 != 0 {
                    error = X402SError(.invalidBase64, "base64 has non-zero trailing bits (not canonical)")
                    return
                }
                out[j] = (a << 2) | (b >> 4)
                out[j + 1] = (b << 4) | (c >> 2)
                initialized = j + 2
            }
        }
        if let error { return .failure(error) }
        return .success(out)
    }
}
