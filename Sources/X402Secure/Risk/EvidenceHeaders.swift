/// The `X-AP2-EVIDENCE` mandate reference header:
/// `evd.v1;mr=<mandate ref>;ms=<base64url SHA-256>;mt=application/json;sz=<bytes>`.
///
/// `ms` is the unpadded base64url SHA-256 of the raw mandate bytes and `sz` their
/// length. Parsing follows the 0.1.4 gateway's `parse_x_ap2_evidence`: at most 2048
/// bytes, the `;`/`=` rules of ``PaymentSecureHeader``, `mr`, `ms`, `mt` and `sz` all
/// required, `mt` exactly `application/json`, `sz` decimal digits; unknown keys ignored.
/// (0.1.4 ships no builder; the grammar matches the repository's later helper.)
public struct AP2EvidenceHeader: Sendable, Hashable {
    /// The HTTP header name.
    public static let headerName = "X-AP2-EVIDENCE"
    /// The version tag.
    public static let versionTag = "evd.v1"
    /// The largest accepted value, in bytes.
    public static let maxLength = 2048
    /// The only media type the gateway accepts.
    public static let mediaType = "application/json"

    /// `mr`: an opaque mandate reference (a storage key or an HTTPS URL).
    public let mandateRef: String
    /// `ms`: the base64url SHA-256 of the mandate bytes, as sent.
    public let mandateSHA256: String
    /// `mt`: the media type (always `application/json` once parsed).
    public let mediaTypeValue: String
    /// `sz`: the mandate size in bytes.
    public let size: UInt64

    /// Builds the header value from the mandate document's bytes.
    ///
    /// - Parameters:
    ///   - mandateRef: the reference (visible ASCII, no `;`).
    ///   - mandate: the exact mandate bytes that are hashed and counted.
    /// - Throws: ``X402SStatus/invalidArgument`` for an empty or unsafe reference;
    ///   ``X402SStatus/riskHeaderTooLong`` above 2048 bytes.
    public static func build(mandateRef: String, mandate: [UInt8]) throws(X402SError) -> String {
        try build(mandateRef: mandateRef, mandateSHA256: Base64.encodeURL(SHA256.hash(mandate)),
                  size: UInt64(mandate.count))
    }

    /// Builds the header value from a precomputed digest.
    ///
    /// - Parameters:
    ///   - mandateRef: the reference (visible ASCII, no `;`).
    ///   - mandateSHA256: unpadded base64url of the 32-byte SHA-256.
    ///   - size: the mandate's size in bytes.
    /// - Throws: ``X402SStatus/invalidArgument`` for an empty or unsafe reference or a
    ///   digest that is not 43 base64url characters decoding to 32 bytes;
    ///   ``X402SStatus/riskHeaderTooLong`` above 2048 bytes.
    public static func build(mandateRef: String, mandateSHA256: String, size: UInt64) throws(X402SError) -> String {
        try RiskText.checkHeaderToken(mandateRef, what: "mandate reference")
        guard mandateSHA256.utf8.count == 43, (try? Base64.decodeURL(mandateSHA256))?.count == 32 else {
            throw X402SError(.invalidArgument, "ms must be the unpadded base64url of a 32-byte SHA-256")
        }
        let value = "\(versionTag);mr=\(mandateRef);ms=\(mandateSHA256);mt=\(mediaType);sz=\(size)"
        guard value.utf8.count <= maxLength else {
            throw X402SError(.riskHeaderTooLong, "\(headerName) would be \(value.utf8.count) bytes; the limit is \(maxLength)")
        }
        return value
    }

    /// Parses a header value with the gateway's rules (see the type's documentation).
    ///
    /// - Throws: ``X402SStatus/riskHeaderTooLong`` above 2048 bytes;
    ///   ``X402SStatus/riskInvalidHeader`` for a wrong version tag, a part without `=`, a
    ///   missing key, another media type, or a size that is not decimal digits (or does
    ///   not fit 64 bits).
    public static func parse(_ value: String) throws(X402SError) -> AP2EvidenceHeader {
        let m = try RiskText.parseMembers(value, tag: versionTag, maxLength: maxLength, header: headerName)
        guard let mr = RiskText.member(m, "mr"), let ms = RiskText.member(m, "ms"),
            let mt = RiskText.member(m, "mt"), let sz = RiskText.member(m, "sz")
        else {
            throw X402SError(.riskInvalidHeader, "\(headerName) requires mr, ms, mt and sz")
        }
        guard RiskText.same(mt, mediaType) else {
            throw X402SError(.riskInvalidHeader, "\(headerName) mt must be application/json")
        }
        guard let size = RiskText.parseUInt64(sz) else {
            throw X402SError(.riskInvalidHeader, "\(headerName) sz must be a decimal size")
        }
        return AP2EvidenceHeader(mandateRef: mr, mandateSHA256: ms, mediaTypeValue: mt, size: size)
    }

    /// `true` when `mandate` has exactly the announced digest and size.
    public func matches(mandate: [UInt8]) -> Bool {
        UInt64(mandate.count) == size && Base64.encodeURL(SHA256.hash(mandate)) == mandateSHA256
    }

    /// `{"mr","ms","mt","sz"}` with `sz` a number (the gateway's `mandate` mapping uses
    /// `ref`/`sha256_b64url`/`mime`/`size` for the same values).
    public var json: JSONValue {
        .object(JSONObject([
            ("mr", .string(mandateRef)), ("ms", .string(mandateSHA256)),
            ("mt", .string(mediaTypeValue)), ("sz", .integer(size)),
        ]))
    }
}

/// The `X-VERIFIABLE-INTENT` reference header:
/// `vi.v1;ref=<ref>;sha256=sha256:<64 lowercase hex>;mt=<media type>;sz=<bytes>`.
///
/// Not part of 0.1.4; the grammar and limits follow the repository's later helper and
/// gateway parser: at most 4096 bytes, `ref`, `sha256`, `mt`, `sz` required, `sha256`
/// in `sha256:<64 lowercase hex>` form, `sz` decimal digits, any media type.
public struct VerifiableIntentHeader: Sendable, Hashable {
    /// The HTTP header name.
    public static let headerName = "X-VERIFIABLE-INTENT"
    /// The version tag.
    public static let versionTag = "vi.v1"
    /// The largest accepted value, in bytes.
    public static let maxLength = 4096

    /// `ref`: the evidence reference.
    public let reference: String
    /// The 32-byte SHA-256 of the evidence (`sha256` without its prefix).
    public let sha256: [UInt8]
    /// `mt`: the media type.
    public let mediaType: String
    /// `sz`: the evidence size in bytes.
    public let size: UInt64

    /// Builds the header from the evidence bytes (hashed and counted as given).
    ///
    /// - Throws: ``X402SStatus/invalidArgument`` for an empty or unsafe reference or media
    ///   type; ``X402SStatus/riskHeaderTooLong`` above 4096 bytes.
    public static func build(reference: String, evidence: [UInt8], mediaType: String = "application/json") throws(X402SError) -> String {
        try build(reference: reference, sha256: SHA256.hash(evidence), size: UInt64(evidence.count), mediaType: mediaType)
    }

    /// Builds the header from a JSON evidence document, hashed as canonical JSON
    /// (``CanonicalJSON``), as the later Python helper does for non-string evidence.
    ///
    /// - Throws: as ``build(reference:evidence:mediaType:)-([UInt8],_)``.
    public static func build(reference: String, evidence: JSONValue, mediaType: String = "application/json") throws(X402SError) -> String {
        try build(reference: reference, evidence: CanonicalJSON.bytes(evidence), mediaType: mediaType)
    }

    /// Builds the header from a precomputed 32-byte digest and size.
    ///
    /// - Throws: ``X402SStatus/invalidLength`` unless `sha256` is 32 bytes;
    ///   ``X402SStatus/invalidArgument`` for an empty or unsafe reference or media type;
    ///   ``X402SStatus/riskHeaderTooLong`` above 4096 bytes.
    public static func build(reference: String, sha256: [UInt8], size: UInt64, mediaType: String = "application/json") throws(X402SError) -> String {
        try RiskText.checkHeaderToken(reference, what: "reference")
        try RiskText.checkHeaderToken(mediaType, what: "media type")
        guard sha256.count == 32 else {
            throw X402SError(.invalidLength, "a SHA-256 digest is 32 bytes")
        }
        let value = "\(versionTag);ref=\(reference);sha256=sha256:\(Hex.encode(sha256, prefix: false));mt=\(mediaType);sz=\(size)"
        guard value.utf8.count <= maxLength else {
            throw X402SError(.riskHeaderTooLong, "\(headerName) would be \(value.utf8.count) bytes; the limit is \(maxLength)")
        }
        return value
    }

    /// Parses a header value (see the type's documentation).
    ///
    /// - Throws: ``X402SStatus/riskHeaderTooLong`` above 4096 bytes;
    ///   ``X402SStatus/riskInvalidHeader`` for a wrong version tag, a part without `=`, a
    ///   missing key, a digest not in `sha256:<64 lowercase hex>` form, or a bad size.
    public static func parse(_ value: String) throws(X402SError) -> VerifiableIntentHeader {
        let m = try RiskText.parseMembers(value, tag: versionTag, maxLength: maxLength, header: headerName)
        guard let ref = RiskText.member(m, "ref"), let sha = RiskText.member(m, "sha256"),
            let mt = RiskText.member(m, "mt"), let sz = RiskText.member(m, "sz")
        else {
            throw X402SError(.riskInvalidHeader, "\(headerName) requires ref, sha256, mt and sz")
        }
        let u = Array(sha.utf8)
        guard u.count == 71, u[0..<7].elementsEqual("sha256:".utf8),
            let digest = Traceparent.lowerHex(sha.utf8.dropFirst(7), count: 32)
        else {
            throw X402SError(.riskInvalidHeader, "\(headerName) sha256 must use sha256:<64 lowercase hex>")
        }
        guard let size = RiskText.parseUInt64(sz) else {
            throw X402SError(.riskInvalidHeader, "\(headerName) sz must be a decimal size")
        }
        return VerifiableIntentHeader(reference: ref, sha256: digest, mediaType: mt, size: size)
    }

    /// `true` when `evidence` has exactly the announced digest and size.
    public func matches(evidence: [UInt8]) -> Bool {
        UInt64(evidence.count) == size && SHA256.hash(evidence) == sha256
    }

    /// `{"ref","sha256","mt","sz"}`; `sha256` in its `sha256:<hex>` wire form, `sz` a number.
    public var json: JSONValue {
        .object(JSONObject([
            ("ref", .string(reference)), ("sha256", .string("sha256:" + Hex.encode(sha256, prefix: false))),
            ("mt", .string(mediaType)), ("sz", .integer(size)),
        ]))
    }
}

/// Canonical JSON, the one serialization every digest of the risk layer uses:
/// object keys sorted by Unicode code point (recursively), no whitespace, `","` and
/// `":"` separators, strings as raw UTF-8 with only `"`, `\` and control characters
/// escaped, numbers as their exact source text. Byte-identical to Python
/// `json.dumps(v, sort_keys=True, separators=(",", ":"), ensure_ascii=False)` for
/// documents whose numbers are integers (or already in Python's float `repr` form).
public enum CanonicalJSON {
    /// The canonical UTF-8 bytes of `value`.
    public static func bytes(_ value: JSONValue) -> [UInt8] {
        value.serialized(.canonical)
    }

    /// SHA-256 of the canonical bytes.
    public static func sha256(_ value: JSONValue) -> [UInt8] {
        SHA256.hash(bytes(value))
    }

    /// `"sha256:" + lowercase hex` of the canonical bytes (the form x402-secure uses for
    /// payment-requirement fingerprints).
    public static func sha256Tagged(_ value: JSONValue) -> String {
        "sha256:" + Hex.encode(sha256(value), prefix: false)
    }
}
