/// Byte-level text helpers shared by the risk-header grammars.
///
/// Everything here works on UTF-8 bytes with bounds-checked indexing; nothing traps
/// on caller input.
enum RiskText {
    /// `true` for the ASCII characters Python's `str.isspace()` accepts:
    /// TAB, LF, VT, FF, CR, U+001C...U+001F and SPACE.
    @inline(__always)
    static func isPythonASCIISpace(_ c: UInt8) -> Bool {
        c == 0x20 || (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x1F)
    }

    /// Exact equality by UTF-8 bytes (Python `==` on `str`), not Swift's canonical
    /// equivalence (under which, for example, U+212A KELVIN SIGN equals `K`).
    @inline(__always)
    static func same(_ a: String, _ b: String) -> Bool { a.utf8.elementsEqual(b.utf8) }

    /// ASCII-lowercased UTF-8 bytes of `s` (other bytes unchanged).
    static func asciiLowerBytes(_ s: String) -> [UInt8] {
        s.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
    }

    /// `true` when `needle` occurs in `haystack` (byte substring search).
    static func containsBytes(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty else { return true }
        guard haystack.count >= needle.count else { return false }
        for i in 0...(haystack.count - needle.count) where haystack[i] == needle[0] {
            if haystack[i..<(i + needle.count)].elementsEqual(needle) { return true }
        }
        return false
    }

    /// `bytes` without leading and trailing ASCII whitespace (Python `str.strip()` on
    /// the ASCII range).
    static func strip(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var lo = bytes.startIndex
        var hi = bytes.endIndex
        while lo < hi, isPythonASCIISpace(bytes[lo]) { lo += 1 }
        while hi > lo, isPythonASCIISpace(bytes[hi - 1]) { hi -= 1 }
        return bytes[lo..<hi]
    }

    /// The key/value members of a `tag;k=v;k=v` header, exactly as the x402-secure
    /// gateway splits them: split on `;`, strip each part, drop empty parts, require the
    /// first part to equal `tag`, split every other part on its first `=` (a part without
    /// `=` is an error), and let a repeated key replace the earlier value.
    ///
    /// - Throws: ``X402SStatus/riskHeaderTooLong`` above `maxLength` UTF-8 bytes,
    ///   ``X402SStatus/riskInvalidHeader`` for a wrong version tag or a part without `=`.
    static func parseMembers(_ value: String, tag: String, maxLength: Int, header: String)
        throws(X402SError) -> [(key: String, value: String)]
    {
        let bytes = Array(value.utf8)
        guard bytes.count <= maxLength else {
            throw X402SError(.riskHeaderTooLong, "\(header) is \(bytes.count) bytes; the limit is \(maxLength)")
        }
        var parts: [ArraySlice<UInt8>] = []
        var start = 0
        for i in 0...bytes.count {
            if i == bytes.count || bytes[i] == UInt8(ascii: ";") {
                let part = strip(bytes[start..<i])
                if !part.isEmpty { parts.append(part) }
                start = i + 1
            }
        }
        guard let first = parts.first, first.elementsEqual(tag.utf8) else {
            throw X402SError(.riskInvalidHeader, "\(header) must start with the version tag \(tag)")
        }
        var members: [(key: String, value: String)] = []
        for part in parts.dropFirst() {
            guard let eq = part.firstIndex(of: UInt8(ascii: "=")) else {
                throw X402SError(.riskInvalidHeader, "\(header) has a segment without '='")
            }
            let k = String(decoding: part[part.startIndex..<eq], as: UTF8.self)
            let v = String(decoding: part[(eq + 1)..<part.endIndex], as: UTF8.self)
            if let idx = members.firstIndex(where: { same($0.key, k) }) {
                members[idx].value = v
            } else {
                members.append((k, v))
            }
        }
        return members
    }

    /// The value of `key` among `members`, if present.
    static func member(_ members: [(key: String, value: String)], _ key: String) -> String? {
        members.first(where: { same($0.key, key) })?.value
    }

    /// Checks that a value to be written into a `;`-separated header survives a parse:
    /// non-empty, visible ASCII (U+0021...U+007E) only, and no `;`.
    static func checkHeaderToken(_ value: String, what: String) throws(X402SError) {
        guard !value.isEmpty else {
            throw X402SError(.invalidArgument, "\(what) must not be empty")
        }
        for c in value.utf8 where c < 0x21 || c > 0x7E || c == UInt8(ascii: ";") {
            throw X402SError(.invalidArgument, "\(what) must be visible ASCII without ';'")
        }
    }

    /// `true` when `s` is one or more ASCII decimal digits.
    static func isASCIIDigits(_ s: String) -> Bool {
        !s.isEmpty && s.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }

    /// Parses ASCII decimal digits into a `UInt64` without overflow.
    static func parseUInt64(_ s: String) -> UInt64? {
        guard isASCIIDigits(s) else { return nil }
        var v: UInt64 = 0
        for c in s.utf8 {
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(UInt64(c &- 0x30))
            if o1 || o2 { return nil }
            v = a
        }
        return v
    }

    // MARK: Percent-encoding

    private static let upperHex: [UInt8] = Array("0123456789ABCDEF".utf8)

    /// Python `urllib.parse.quote(s, safe="")`: every byte except `A-Z a-z 0-9 _ . - ~`
    /// becomes `%XX` (uppercase hex).
    static func percentEncode(_ s: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count + 8)
        for c in s.utf8 {
            switch c {
            case 0x41...0x5A, 0x61...0x7A, 0x30...0x39, UInt8(ascii: "_"), UInt8(ascii: "."),
                UInt8(ascii: "-"), UInt8(ascii: "~"):
                out.append(c)
            default:
                out.append(UInt8(ascii: "%"))
                out.append(upperHex[Int(c >> 4)])
                out.append(upperHex[Int(c & 0x0F)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Strict percent-decoding: every `%` must start a `%XX` escape (either hex case).
    ///
    /// - Throws: ``X402SStatus/riskInvalidHeader`` for a `%` not followed by two hex digits.
    static func percentDecodeStrict(_ s: String, what: String) throws(X402SError) -> [UInt8] {
        let b = Array(s.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(b.count)
        var i = 0
        while i < b.count {
            if b[i] == UInt8(ascii: "%") {
                guard i + 2 < b.count, let hi = Hex.nibble(b[i + 1]), let lo = Hex.nibble(b[i + 2])
                else {
                    throw X402SError(.riskInvalidHeader, "\(what) has a malformed percent-escape")
                }
                out.append(hi << 4 | lo)
                i += 3
            } else {
                out.append(b[i])
                i += 1
            }
        }
        return out
    }

    /// Python `urllib.parse.unquote_to_bytes`: a `%` followed by two hex digits becomes
    /// that byte; any other `%` is kept literally.
    static func percentDecodeLenient(_ s: String) -> [UInt8] {
        let b = Array(s.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(b.count)
        var i = 0
        while i < b.count {
            if b[i] == UInt8(ascii: "%"), i + 2 < b.count,
                let hi = Hex.nibble(b[i + 1]), let lo = Hex.nibble(b[i + 2])
            {
                out.append(hi << 4 | lo)
                i += 3
            } else {
                out.append(b[i])
                i += 1
            }
        }
        return out
    }

    // MARK: Lenient base64

    /// CPython's non-strict `binascii.a2b_base64` (what `base64.b64decode(s)` runs):
    /// characters outside the standard alphabet are skipped, a complete pad sequence ends
    /// decoding, unused trailing bits are dropped, and a final partial quantum of 1
    /// symbol or of 2-3 symbols without enough padding is an error (`nil`).
    /// The input must be ASCII (`b64decode` raises on non-ASCII text), else `nil`.
    static func base64DecodeLenient(_ input: [UInt8]) -> [UInt8]? {
        guard input.allSatisfy({ $0 < 0x80 }) else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(input.count / 4 * 3 + 3)
        var quadPos = 0
        var left: UInt8 = 0
        var pads = 0
        for c in input {
            if c == UInt8(ascii: "=") {
                if quadPos >= 2 {
                    pads += 1
                    if quadPos + pads >= 4 { return out }
                }
                continue
            }
            let v = Base64.value(c, url: false)
            if v >= 64 { continue }
            pads = 0
            switch quadPos {
            case 0:
                quadPos = 1
                left = v
            case 1:
                quadPos = 2
                out.append((left << 2) | (v >> 4))
                left = v & 0x0F
            case 2:
                quadPos = 3
                out.append((left << 4) | (v >> 2))
                left = v & 0x03
            default:
                quadPos = 0
                out.append((left << 6) | v)
                left = 0
            }
        }
        return quadPos == 0 ? out : nil
    }
}
