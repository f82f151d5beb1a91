/// The x402-secure `X-PAYMENT-SECURE` header: `w3c.v1;tp=<traceparent>[;ts=<value>]`.
///
/// Building is byte-identical to `x402_secure_client.build_payment_secure_header` of
/// x402-secure 0.1.4: with an agent trace context, `ts` is the percent-encoded
/// (`quote(safe="")`) standard padded base64 of the context's compact JSON
/// (`","`/`":"`, keys in the given order, non-ASCII as raw UTF-8); without one, `ts` is
/// the raw W3C `tracestate`, if any. The value may not exceed 4096 bytes.
///
/// Parsing applies the 0.1.4 gateway's rules (`parse_x_payment_secure`): at most 4096
/// bytes; split on `;`, strip, drop empty parts; the first part must be `w3c.v1`; every
/// other part needs a `=` (split on the first one, a repeated key replaces the earlier
/// one, unknown keys are ignored); `tp` is required and must be a valid
/// ``Traceparent``; an empty `ts` counts as absent; `ts` is kept verbatim.
public struct PaymentSecureHeader: Sendable, Hashable {
    /// The HTTP header name.
    public static let headerName = "X-PAYMENT-SECURE"
    /// The version tag, the first `;`-separated part.
    public static let versionTag = "w3c.v1"
    /// The largest accepted value, in bytes (the gateway counts characters of the
    /// latin-1-decoded header, which is the byte count).
    public static let maxLength = 4096

    /// The trace context of the paid request.
    public let traceparent: Traceparent
    /// The `ts` member exactly as on the wire (still percent-encoded), or nil when absent
    /// or empty.
    public let ts: String?

    /// Creates a parsed header from its parts (no validation of `ts`).
    public init(traceparent: Traceparent, ts: String?) {
        self.traceparent = traceparent
        self.ts = (ts?.isEmpty ?? true) ? nil : ts
    }

    /// Builds the header value.
    ///
    /// - Parameters:
    ///   - traceparent: the trace context of the payment span.
    ///   - agentTraceContext: a JSON value (0.1.4 always sends `{"tid": <trace id>}`);
    ///     when given it replaces any `tracestate`. Numbers are written as their stored
    ///     text, so use integers or strings for byte-identical output with Python.
    ///   - tracestate: a W3C tracestate passed through raw when there is no context
    ///     (visible ASCII or spaces, no `;`, no leading or trailing space); empty = none.
    /// - Returns: the header value.
    /// - Throws: ``X402SStatus/invalidArgument`` for a tracestate that would not survive
    ///   parsing; ``X402SStatus/riskHeaderTooLong`` above ``maxLength`` bytes.
    public static func build(
        traceparent: Traceparent,
        agentTraceContext: JSONValue? = nil,
        tracestate: String? = nil
    ) throws(X402SError) -> String {
        var ts: String? = nil
        if let ctx = agentTraceContext {
            ts = RiskText.percentEncode(Base64.encode(ctx.serialized(.compact)))
        } else if let state = tracestate, !state.isEmpty {
            let b = Array(state.utf8)
            let ok = b.allSatisfy { $0 >= 0x20 && $0 <= 0x7E && $0 != UInt8(ascii: ";") }
            guard ok, let f = b.first, let l = b.last, f != 0x20, l != 0x20 else {
                throw X402SError(.invalidArgument, "tracestate must be printable ASCII without ';' or outer spaces")
            }
            ts = state
        }
        var value = "\(versionTag);tp=\(traceparent.value)"
        if let ts { value += ";ts=\(ts)" }
        guard value.utf8.count <= maxLength else {
            throw X402SError(.riskHeaderTooLong, "\(headerName) would be \(value.utf8.count) bytes; the limit is \(maxLength)")
        }
        return value
    }

    /// Builds the header exactly as the 0.1.4 `BuyerClient` does: the context is
    /// `{"tid": tid}`.
    ///
    /// - Throws: ``X402SStatus/riskHeaderTooLong`` above ``maxLength`` bytes.
    public static func build(traceparent: Traceparent, tid: String) throws(X402SError) -> String {
        try build(traceparent: traceparent, agentTraceContext: .object(JSONObject([("tid", .string(tid))])))
    }

    /// Parses a header value with the gateway's rules (see the type's documentation).
    ///
    /// - Throws: ``X402SStatus/riskHeaderTooLong`` above 4096 bytes;
    ///   ``X402SStatus/riskInvalidHeader`` for a wrong version tag, a part without `=`, or
    ///   a missing `tp`; ``X402SStatus/riskInvalidTraceparent`` for a bad `tp`.
    public static func parse(_ value: String) throws(X402SError) -> PaymentSecureHeader {
        let members = try RiskText.parseMembers(value, tag: versionTag, maxLength: maxLength, header: headerName)
        guard let tp = RiskText.member(members, "tp") else {
            throw X402SError(.riskInvalidHeader, "\(headerName) requires tp (traceparent)")
        }
        let traceparent = try Traceparent(parsing: tp)
        return PaymentSecureHeader(traceparent: traceparent, ts: RiskText.member(members, "ts"))
    }

    /// The risk trace id carried in `ts`, extracted as the 0.1.4 gateway does: percent-
    /// decode leniently (`unquote`), base64-decode leniently (`b64decode`, which skips
    /// characters outside the alphabet), parse JSON, take `tid`. Any failure gives `nil`,
    /// never an error; a `tid` that is not a non-empty string also gives `nil`.
    ///
    /// Unlike Python's `json.loads`, the JSON step is strict (no `NaN`, duplicate keys,
    /// BOM or UTF-16), so such inputs give `nil` here.
    public var tid: String? {
        guard let ts else { return nil }
        let unquoted = RiskText.percentDecodeLenient(ts)
        guard let raw = RiskText.base64DecodeLenient(unquoted),
            let json = try? JSONValue.parse(raw),
            case .string(let t)? = json["tid"], !t.isEmpty
        else { return nil }
        return t
    }

    /// Decodes `ts` strictly as an agent trace context: percent-decoding, standard
    /// padded base64, then JSON.
    ///
    /// - Returns: the decoded JSON value, or `nil` when there is no `ts`.
    /// - Throws: ``X402SStatus/riskInvalidHeader`` for a malformed `%` escape;
    ///   ``X402SStatus/invalidBase64`` when it is not canonical base64 (for example a raw
    ///   W3C tracestate); ``X402SStatus/invalidUTF8``, ``X402SStatus/invalidJSON`` or
    ///   ``X402SStatus/jsonTooDeep`` for bad JSON.
    public func agentTraceContext() throws(X402SError) -> JSONValue? {
        guard let ts else { return nil }
        let bytes = try RiskText.percentDecodeStrict(ts, what: "ts")
        let raw = try Base64.decode(String(decoding: bytes, as: UTF8.self))
        return try JSONValue.parse(raw)
    }

    /// `{"tp", "traceId", "spanId", "flags", "ts"?, "tid"?}` (strings); `tid` as given by
    /// ``tid``.
    public var json: JSONValue {
        var o = JSONObject([
            ("tp", .string(traceparent.value)), ("traceId", .string(traceparent.traceIdHex)),
            ("spanId", .string(traceparent.spanIdHex)), ("flags", .string(traceparent.flagsHex)),
        ])
        if let ts { o["ts"] = .string(ts) }
        if let tid { o["tid"] = .string(tid) }
        return .object(o)
    }
}
