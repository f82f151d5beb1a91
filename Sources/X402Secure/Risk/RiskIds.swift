/// A risk session id (`X-RISK-SESSION`, the `sid`) or risk trace id (`X-RISK-TRACE`,
/// the `tid`): an RFC 4122 UUID of version 1 or 4.
///
/// Parsing follows the x402-secure gateway (`uuid.UUID(value)` then a version check):
/// every `urn:` and then every `uuid:` is removed, `{` and `}` are stripped from both
/// ends, every `-` is removed, and exactly 32 hex digits (either case) must remain; the
/// variant must be RFC 4122 and the version 1 or 4. The normal form is the lowercase
/// `8-4-4-4-12` text (Python `str(uuid)`).
///
/// Stricter than Python on one point: Python hands the 32 characters to `int(s, 16)`,
/// which also takes surrounding whitespace, a sign, a `0x` prefix, `_` separators and
/// non-ASCII digits; those are rejected here.
public struct RiskUUID: Sendable, Hashable, CustomStringConvertible {
    /// The session header name.
    public static let sessionHeaderName = "X-RISK-SESSION"
    /// The trace header name.
    public static let traceHeaderName = "X-RISK-TRACE"

    /// The 16 bytes of the UUID.
    public let bytes: [UInt8]

    /// Parses and validates a UUID (see the type's documentation).
    ///
    /// - Parameter value: the header value or JSON field.
    /// - Throws: ``X402SStatus/riskInvalidUUID`` when it is empty, malformed, not an
    ///   RFC 4122 variant, or not version 1 or 4.
    public init(parsing value: String) throws(X402SError) {
        guard !value.isEmpty else {
            throw X402SError(.riskInvalidUUID, "the UUID is empty")
        }
        var s = value.replacingAll("urn:", with: "").replacingAll("uuid:", with: "")
        var b = Array(s.utf8)
        var lo = 0
        var hi = b.count
        while lo < hi, b[lo] == UInt8(ascii: "{") || b[lo] == UInt8(ascii: "}") { lo += 1 }
        while hi > lo, b[hi - 1] == UInt8(ascii: "{") || b[hi - 1] == UInt8(ascii: "}") { hi -= 1 }
        b = b[lo..<hi].filter { $0 != UInt8(ascii: "-") }
        s = ""
        guard b.count == 32 else {
            throw X402SError(.riskInvalidUUID, "badly formed hexadecimal UUID string")
        }
        var out = [UInt8](repeating: 0, count: 16)
        for i in 0..<16 {
            guard let h = Hex.nibble(b[2 * i]), let l = Hex.nibble(b[2 * i + 1]) else {
                throw X402SError(.riskInvalidUUID, "badly formed hexadecimal UUID string")
            }
            out[i] = h << 4 | l
        }
        guard out[8] & 0xC0 == 0x80 else {
            throw X402SError(.riskInvalidUUID, "the UUID is not an RFC 4122 variant")
        }
        let version = out[6] >> 4
        guard version == 1 || version == 4 else {
            throw X402SError(.riskInvalidUUID, "the UUID must be version 1 or 4 (got \(version))")
        }
        bytes = out
    }

    /// A random version-4 UUID.
    ///
    /// - Parameter random: the random source (default: the system CSPRNG); 16 bytes drawn.
    /// - Throws: ``X402SStatus/randomnessFailed`` if the source fails.
    public static func randomV4(random: RiskRandomSource = SecureRandom.bytes) throws(X402SError) -> RiskUUID {
        var b = try riskDraw(random, 16)
        b[6] = (b[6] & 0x0F) | 0x40
        b[8] = (b[8] & 0x3F) | 0x80
        return RiskUUID(unchecked: b)
    }

    init(unchecked bytes: [UInt8]) { self.bytes = bytes }

    /// The version (1 or 4).
    public var version: Int { Int(bytes[6] >> 4) }

    /// The normal form: lowercase `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`.
    public var string: String {
        let h = Hex.encode(bytes, prefix: false)
        let u = Array(h.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(36)
        for (i, c) in u.enumerated() {
            if i == 8 || i == 12 || i == 16 || i == 20 { out.append(UInt8(ascii: "-")) }
            out.append(c)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Same as ``string``.
    public var description: String { string }

    /// Validates and normalises a UUID (see ``init(parsing:)``).
    ///
    /// - Returns: the lowercase hyphenated form.
    /// - Throws: ``X402SStatus/riskInvalidUUID`` as ``init(parsing:)`` does.
    public static func normalize(_ value: String) throws(X402SError) -> String {
        try RiskUUID(parsing: value).string
    }
}

/// The risk ids of a paid request, validated as the gateway's `parse_risk_ids` does.
public struct RiskIds: Sendable, Hashable {
    /// The normalised session id (required).
    public let sid: String
    /// The normalised trace id from `X-RISK-TRACE`, if sent. (The 0.1.4 gateway validates
    /// this header but passes its original text on; here it is normalised too.)
    public let tid: String?

    /// Validates `X-RISK-SESSION` (required) and `X-RISK-TRACE` (optional; nil or empty =
    /// absent).
    ///
    /// - Throws: ``X402SStatus/riskInvalidUUID`` for a missing session id or any id that
    ///   is not a v1/v4 UUID.
    public init(session: String?, trace: String? = nil) throws(X402SError) {
        guard let session, !session.isEmpty else {
            throw X402SError(.riskInvalidUUID, "\(RiskUUID.sessionHeaderName) required")
        }
        sid = try RiskUUID.normalize(session)
        if let trace, !trace.isEmpty {
            tid = try RiskUUID.normalize(trace)
        } else {
            tid = nil
        }
    }
}

fileprivate extension String {
    /// Replaces every non-overlapping occurrence of `target` (scanning left to right, by
    /// UTF-8 bytes) with `replacement`, like Python's `str.replace`.
    func replacingAll(_ target: String, with replacement: String) -> String {
        let t = Array(target.utf8)
        let s = Array(utf8)
        guard !t.isEmpty, s.count >= t.count else { return self }
        var out: [UInt8] = []
        out.reserveCapacity(s.count)
        var i = 0
        while i < s.count {
            if i + t.count <= s.count, s[i..<(i + t.count)].elementsEqual(t) {
                out.append(contentsOf: replacement.utf8)
                i += t.count
            } else {
                out.append(s[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
