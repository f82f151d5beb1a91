/// x402 wire models (protocol v1 and v2).
///
/// Every model parses from a ``JSONValue`` (`init(json:)`) and renders back with `json`, in
/// the field order of x402 2.25.0's pydantic models, omitting absent optionals
/// (`model_dump(by_alias=True, exclude_none=True)`). Compact serialization of that JSON is
/// byte-identical to the official package's headers. Parsing is tolerant only where peers'
/// outputs differ: a missing or `null` optional member is absent, `extra` may be missing,
/// `maxTimeoutSeconds` may be a decimal string (pydantic lax mode). Unknown members are
/// ignored (pydantic's default), so they are not re-emitted.

/// `ResourceInfo` (v2): the resource being paid for.
///
/// Wire order: `url, description, mimeType, serviceName, tags, iconUrl`.
public struct X402ResourceInfo: Sendable, Equatable {
    /// The resource URL.
    public var url: String
    /// Human-readable description.
    public var description: String?
    /// MIME type of the resource.
    public var mimeType: String?
    /// Human-readable service name.
    public var serviceName: String?
    /// Topical tags.
    public var tags: [String]?
    /// Absolute http(s) URL of an icon.
    public var iconUrl: String?

    /// Creates resource info.
    public init(url: String, description: String? = nil, mimeType: String? = nil, serviceName: String? = nil,
                tags: [String]? = nil, iconUrl: String? = nil) {
        self.url = url
        self.description = description
        self.mimeType = mimeType
        self.serviceName = serviceName
        self.tags = tags
        self.iconUrl = iconUrl
    }

    /// Parses a `ResourceInfo` object.
    /// - Throws: `status` (default ``X402SStatus/x402InvalidRequirements``) if it is malformed.
    public init(json: JSONValue, status: X402SStatus = .x402InvalidRequirements) throws(X402SError) {
        let r = try X402Reader(json, "resource", status)
        url = try r.string("url")
        description = try r.optionalString("description")
        mimeType = try r.optionalString("mimeType")
        serviceName = try r.optionalString("serviceName")
        iconUrl = try r.optionalString("iconUrl")
        if let t = r.object["tags"], !t.isNull {
            guard case .array(let items) = t else { throw r.fail("\"tags\" must be an array of strings") }
            var tags: [String] = []
            for item in items {
                guard case .string(let s) = item else { throw r.fail("\"tags\" must be an array of strings") }
                tags.append(s)
            }
            self.tags = tags
        } else {
            tags = nil
        }
    }

    /// The wire JSON.
    public var json: JSONValue {
        var w = X402Writer()
        w.put("url", url)
        w.put("description", description)
        w.put("mimeType", mimeType)
        w.put("serviceName", serviceName)
        if let tags { w.put("tags", .array(tags.map { .string($0) })) }
        w.put("iconUrl", iconUrl)
        return w.value
    }
}

/// `PaymentRequirements` (v2): one entry of `accepts`.
///
/// Wire order: `scheme, network, asset, amount, payTo, maxTimeoutSeconds, extra`; `extra` is
/// always emitted (`{}` when empty), as x402 2.25.0 does.
public struct X402PaymentRequirements: Sendable, Equatable {
    /// Scheme, e.g. `exact` or `upto`.
    public var scheme: String
    /// CAIP-2 network id.
    public var network: String
    /// Token address or mint.
    public var asset: String
    /// Amount in atomic units (decimal string).
    public var amount: String
    /// Recipient address (EVM address or Solana owner wallet).
    public var payTo: String
    /// Maximum validity of a payment, in seconds.
    public var maxTimeoutSeconds: UInt64
    /// Scheme-specific data (EIP-712 `name`/`version`, `assetTransferMethod`, `feePayer`, ...),
    /// kept in its original key order.
    public var extra: JSONObject

    /// Creates requirements.
    public init(scheme: String, network: String, asset: String, amount: String, payTo: String,
                maxTimeoutSeconds: UInt64, extra: JSONObject = JSONObject()) {
        self.scheme = scheme
        self.network = network
        self.asset = asset
        self.amount = amount
        self.payTo = payTo
        self.maxTimeoutSeconds = maxTimeoutSeconds
        self.extra = extra
    }

    /// Parses a v2 `PaymentRequirements` object.
    /// - Throws: `status` (default ``X402SStatus/x402InvalidRequirements``) if it is malformed.
    public init(json: JSONValue, status: X402SStatus = .x402InvalidRequirements) throws(X402SError) {
        let r = try X402Reader(json, "payment requirements", status)
        scheme = try r.string("scheme")
        network = try r.string("network")
        asset = try r.string("asset")
        amount = try r.string("amount")
        payTo = try r.string("payTo")
        maxTimeoutSeconds = try r.unsigned("maxTimeoutSeconds")
        extra = try r.optionalObject("extra") ?? JSONObject()
    }

    /// The wire JSON.
    public var json: JSONValue {
        var w = X402Writer()
        w.put("scheme", scheme)
        w.put("network", network)
        w.put("asset", asset)
        w.put("amount", amount)
        w.put("payTo", payTo)
        w.put("maxTimeoutSeconds", maxTimeoutSeconds)
        w.put("extra", .object(extra))
        return w.value
    }
}

/// `PaymentRequirementsV1`: one entry of a v1 402 body's `accepts`.
///
/// Wire order: `scheme, network, maxAmountRequired, resource, description, mimeType, payTo,
/// maxTimeoutSeconds, asset, outputSchema, extra`.
public struct X402PaymentRequirementsV1: Sendable, Equatable {
    /// Scheme, `exact`.
    public var scheme: String
    /// v1 network name, e.g. `base-sepolia`.
    public var network: String
    /// The amount in atomic units (for v1 `exact`, *the* amount).
    public var maxAmountRequired: String
    /// Resource URL.
    public var resource: String
    /// Description of the resource.
    public var description: String?
    /// MIME type of the resource.
    public var mimeType: String?
    /// Recipient address.
    public var payTo: String
    /// Maximum validity of a payment, in seconds.
    public var maxTimeoutSeconds: UInt64
    /// Token address or mint.
    public var asset: String
    /// Output schema object, if any.
    public var outputSchema: JSONObject?
    /// Scheme-specific data, if any.
    public var extra: JSONObject?

    /// Creates v1 requirements.
    public init(scheme: String, network: String, maxAmountRequired: String, resource: String,
                description: String? = nil, mimeType: String? = nil, payTo: String, maxTimeoutSeconds: UInt64,
                asset: String, outputSchema: JSONObject? = nil, extra: JSONObject? = nil) {
        self.scheme = scheme
        self.network = network
        self.maxAmountRequired = maxAmountRequired
        self.resource = resource
        self.description = description
        self.mimeType = mimeType
        self.payTo = payTo
        self.maxTimeoutSeconds = maxTimeoutSeconds
        self.asset = asset
        self.outputSchema = outputSchema
        self.extra = extra
    }

    /// Parses a `PaymentRequirementsV1` object. `extra` must be an object (x402 2.25.0's model
    /// rejects a JSON-string `extra` too).
    /// - Throws: `status` (default ``X402SStatus/x402InvalidRequirements``) if it is malformed.
    public init(json: JSONValue, status: X402SStatus = .x402InvalidRequirements) throws(X402SError) {
        let r = try X402Reader(json, "v1 payment requirements", status)
        scheme = try r.string("scheme")
        network = try r.string("network")
        maxAmountRequired = try r.string("maxAmountRequired")
        resource = try r.string("resource")
        description = try r.optionalString("description")
        mimeType = try r.optionalString("mimeType")
        payTo = try r.string("payTo")
        maxTimeoutSeconds = try r.unsigned("maxTimeoutSeconds")
        asset = try r.string("asset")
        outputSchema = try r.optionalObject("outputSchema")
        extra = try r.optionalObject("extra")
    }

    /// The wire JSON.
    public var json: JSONValue {
        var w = X402Writer()
        w.put("scheme", scheme)
        w.put("network", network)
        w.put("maxAmountRequired", maxAmountRequired)
        w.put("resource", resource)
        w.put("description", description)
        w.put("mimeType", mimeType)
        w.put("payTo", payTo)
        w.put("maxTimeoutSeconds", maxTimeoutSeconds)
        w.put("asset", asset)
        w.put("outputSchema", outputSchema)
        w.put("extra", extra)
        return w.value
    }
}

/// One payment requirement of either protocol version, with version-independent accessors.
public enum X402Requirement: Sendable, Equatable {
    /// A v1 entry (`maxAmountRequired`, v1 network name).
    case v1(X402PaymentRequirementsV1)
    /// A v2 entry (`amount`, CAIP-2 network).
    case v2(X402PaymentRequirements)

    /// Parses one requirement, telling the versions apart by `maxAmountRequired` (v1) versus
    /// `amount` (v2).
    /// - Throws: ``X402SStatus/x402InvalidRequirements`` if it is neither.
    public init(json: JSONValue) throws(X402SError) {
        guard case .object(let o) = json else {
            throw X402SError(.x402InvalidRequirements, "payment requirements must be a JSON object")
        }
        if o["maxAmountRequired"] != nil {
            self = .v1(try X402PaymentRequirementsV1(json: json))
        } else {
            self = .v2(try X402PaymentRequirements(json: json))
        }
    }

    /// The protocol version (1 or 2).
    public var x402Version: Int { if case .v1 = self { return 1 } else { return 2 } }
    /// The scheme.
    public var scheme: String {
        switch self { case .v1(let r): return r.scheme; case .v2(let r): return r.scheme }
    }
    /// The network as written (v1 name or CAIP-2 id).
    public var network: String {
        switch self { case .v1(let r): return r.network; case .v2(let r): return r.network }
    }
    /// The amount in atomic units (`maxAmountRequired` in v1, `amount` in v2).
    public var amount: String {
        switch self { case .v1(let r): return r.maxAmountRequired; case .v2(let r): return r.amount }
    }
    /// The token address or mint.
    public var asset: String {
        switch self { case .v1(let r): return r.asset; case .v2(let r): return r.asset }
    }
    /// The recipient.
    public var payTo: String {
        switch self { case .v1(let r): return r.payTo; case .v2(let r): return r.payTo }
    }
    /// The maximum validity in seconds.
    public var maxTimeoutSeconds: UInt64 {
        switch self { case .v1(let r): return r.maxTimeoutSeconds; case .v2(let r): return r.maxTimeoutSeconds }
    }
    /// `extra` (empty when a v1 entry has none).
    public var extra: JSONObject {
        switch self { case .v1(let r): return r.extra ?? JSONObject(); case .v2(let r): return r.extra }
    }
    /// The wire JSON.
    public var json: JSONValue {
        switch self { case .v1(let r): return r.json; case .v2(let r): return r.json }
    }
}

/// `PaymentRequired` (v2), carried base64-encoded in the `PAYMENT-REQUIRED` header.
///
/// Wire order: `x402Version, error, resource, accepts, extensions`.
public struct X402PaymentRequired: Sendable, Equatable {
    /// Error text, e.g. `"Payment required"`.
    public var error: String?
    /// The resource being paid for.
    public var resource: X402ResourceInfo?
    /// The accepted ways to pay.
    public var accepts: [X402PaymentRequirements]
    /// Extensions declared by the server, kept verbatim.
    public var extensions: JSONObject?

    /// Creates a v2 402 answer.
    public init(error: String? = nil, resource: X402ResourceInfo? = nil, accepts: [X402PaymentRequirements],
                extensions: JSONObject? = nil) {
        self.error = error
        self.resource = resource
        self.accepts = accepts
        self.extensions = extensions
    }

    /// Parses a v2 `PaymentRequired` object.
    /// - Throws: ``X402SStatus/x402UnsupportedVersion`` unless `x402Version` is 2;
    ///   ``X402SStatus/x402InvalidRequirements`` if malformed.
    public init(json: JSONValue) throws(X402SError) {
        let r = try X402Reader(json, "payment required", .x402InvalidRequirements)
        try r.version(2)
        error = try r.optionalString("error")
        resource = try r.optionalObject("resource").map { o throws(X402SError) in try X402ResourceInfo(json: .object(o)) }
        var list: [X402PaymentRequirements] = []
        for item in try r.array("accepts") { list.append(try X402PaymentRequirements(json: item)) }
        accepts = list
        extensions = try r.optionalObject("extensions")
    }

    /// Decodes a `PAYMENT-REQUIRED` header value (strict base64 of JSON).
    public init(header: String) throws(X402SError) {
        try self.init(json: try X402Headers.decodeJSON(header))
    }

    /// The wire JSON.
    public var json: JSONValue {
        var w = X402Writer()
        w.put("x402Version", .number("2"))
        w.put("error", error)
        if let resource { w.put("resource", resource.json) }
        w.put("accepts", .array(accepts.map { $0.json }))
        w.put("extensions", extensions)
        return w.value
    }

    /// The `PAYMENT-REQUIRED` header value.
    public var headerValue: String { X402Headers.encode(json) }
}

/// `PaymentRequired` v1: the JSON body of a v1 402 answer.
///
/// Wire order: `x402Version, error, accepts`.
public struct X402PaymentRequiredV1: Sendable, Equatable {
    /// Error text, e.g. `"X-PAYMENT header is required"`.
    public var error: String?
    /// The accepted ways to pay.
    public var accepts: [X402PaymentRequirementsV1]

    /// Creates a v1 402 body.
    public init(error: String? = nil, accepts: [X402PaymentRequirementsV1]) {
        self.error = error
        self.accepts = accepts
    }

    /// Parses a v1 402 body.
    /// - Throws: ``X402SStatus/x402UnsupportedVersion`` unless `x402Version` is 1;
    ///   ``X402SStatus/x402InvalidRequirements`` if malformed.
    public init(json: JSONValue) throws(X402SError) {
        let r = try X402Reader(json, "v1 payment required body", .x402InvalidRequirements)
        try r.version(1)
        error = try r.optionalString("error")
        var list: [X402PaymentRequirementsV1] = []
        for item in try r.array("accepts") { list.append(try X402PaymentRequirementsV1(json: item)) }
        accepts = list
    }

    /// The wire JSON.
    public var json: JSONValue {
        var w = X402Writer()
        w.put("x402Version", .number("1"))
        w.put("error", error)
        w.put("accepts", .array(accepts.map { $0.json }))
        return w.value
    }
}

/// A 402 answer of either version.
public enum X402PaymentRequiredAnswer: Sendable, Equatable {
    /// A v1 JSON body.
    case v1(X402PaymentRequiredV1)
    /// A v2 `PAYMENT-REQUIRED` header.
    case v2(X402PaymentRequired)

    /// The protocol version (1 or 2).
    public var x402Version: Int { if case .v1 = self { return 1 } else { return 2 } }

    /// The requirements, in the server's order.
    public var accepts: [X402Requirement] {
        switch self {
        case .v1(let p): return p.accepts.map { .v1($0) }
        case .v2(let p): return p.accepts.map { .v2($0) }
        }
    }

    /// The wire JSON (v1 body or the decoded v2 header).
    public var json: JSONValue {
        switch self { case .v1(let p): return p.json; case .v2(let p): return p.json }
    }
}

/// `PaymentPayload` (v2), carried base64-encoded in the `PAYMENT-SIGNATURE` header.
///
/// Wire order: `x402Version, payload, accepted, resource, extensions`.
public struct X402PaymentPayload: Sendable, Equatable {
    /// The scheme payload (EIP-3009 `authorization`+`signature`, Permit2
    /// `permit2Authorization`+`signature`, or Solana `transaction`), kept in its key order.
    public var payload: JSONObject
    /// The requirements being fulfilled, as copied from `accepts`.
    public var accepted: X402PaymentRequirements
    /// The resource, copied from the 402 answer.
    public var resource: X402ResourceInfo?
    /// Extensions, copied from the 402 answer.
    public var extensions: JSONObject?

    /// Creates a v2 payment payload.
    public init(payload: JSONObject, accepted: X402PaymentRequirements, resource: X402ResourceInfo? = nil,
                extensions: JSONObject? = nil) {
        self.payload = payload
        self.accepted = accepted
        self.resource = resource
        self.extensions = extensions
    }

    /// Parses a v2 `PaymentPayload` object.
    /// - Throws: ``X402SStatus/x402UnsupportedVersion`` unless `x402Version` is 2;
    ///   ``X402SStatus/x402InvalidPayload`` if malformed.
    public init(json: JSONValue) throws(X402SError) {
        let r = try X402Reader(json, "payment payload", .x402InvalidPayload)
        try r.version(2)
        payload = try r.requiredObject("payload")
        guard let acc = r.object["accepted"], !acc.isNull else { throw r.fail("missing \"accepted\" object") }
        accepted = try X402PaymentRequirements(json: acc, status: .x402InvalidPayload)
        resource = try r.optionalObject("resource").map { o throws(X402SError) in
            try X402ResourceInfo(json: .object(o), status: .x402InvalidPayload)
        }
        extensions = try r.optionalObject("extensions")
    }

    /// The wire JSON.
    public var json: JSONValue {
        var w = X402Writer()
        w.put("x402Version", .number("2"))
        w.put("payload", .object(payload))
        w.put("accepted", accepted.json)
        if let resource { w.put("resource", resource.json) }
        w.put("extensions", extensions)
        return w.value
    }

    /// The `PAYMENT-SIGNATURE` header value.
    public var headerValue: String { X402Headers.encode(json) }
}

/// `PaymentPayloadV1`, carried base64-encoded in the `X-PAYMENT` header.
///
/// Wire order: `x402Version, scheme, network, payload`.
public struct X402PaymentPayloadV1: Sendable, Equatable {
    /// Scheme, `exact`.
    public var scheme: String
    /// v1 network name.
    public var network: String
    /// The scheme payload, kept in its key order.
    public var payload: JSONObject

    /// Creates a v1 payment payload.
    public init(scheme: String, network: String, payload: JSONObject) {
        self.scheme = scheme
        self.network = network
        self.payload = payload
    }

    /// Parses a v1 `PaymentPayload` object.
    /// - Throws: ``X402SStatus/x402UnsupportedVersion`` unless `x402Version` is 1;
    ///   ``X402SStatus/x402InvalidPayload`` if malformed.
    public init(json: JSONValue) throws(X402SError) {
        let r = try X402Reader(json, "v1 payment payload", .x402InvalidPayload)
        try r.version(1)
        scheme = try r.string("scheme")
        network = try r.string("network")
        payload = try r.requiredObject("payload")
    }

    /// The wire JSON.
    public var json: JSONValue {
        var w = X402Writer()
        w.put("x402Version", .number("1"))
        w.put("scheme", scheme)
        w.put("network", network)
        w.put("payload", .object(payload))
        return w.value
    }

    /// The `X-PAYMENT` header value.
    public var headerValue: String { X402Headers.encode(json) }
}

/// A payment of either protocol version, as decoded from `X-PAYMENT` or `PAYMENT-SIGNATURE`.
public enum X402Payment: Sendable, Equatable {
    /// A v1 payment (`X-PAYMENT`).
    case v1(X402PaymentPayloadV1)
    /// A v2 payment (`PAYMENT-SIGNATURE`).
    case v2(X402PaymentPayload)

    /// Parses a payment payload object of either version (by its `x402Version`).
    /// - Throws: ``X402SStatus/x402UnsupportedVersion``, ``X402SStatus/x402InvalidPayload``.
    public init(json: JSONValue) throws(X402SError) {
        switch try x402DetectVersion(json, "payment payload") {
        case 1: self = .v1(try X402PaymentPayloadV1(json: json))
        default: self = .v2(try X402PaymentPayload(json: json))
        }
    }

    /// Decodes an `X-PAYMENT` or `PAYMENT-SIGNATURE` header value.
    ///
    /// - Throws: ``X402SStatus/invalidBase64`` for anything but strict standard padded base64
    ///   (URL-safe, unpadded or whitespace-containing values are rejected, never decoded to
    ///   garbage), ``X402SStatus/inputTooLarge``, JSON errors, then the errors of
    ///   ``init(json:)``.
    public init(header: String) throws(X402SError) {
        try self.init(json: try X402Headers.decodeJSON(header))
    }

    /// The protocol version (1 or 2).
    public var x402Version: Int { if case .v1 = self { return 1 } else { return 2 } }
    /// The scheme (`accepted.scheme` in v2).
    public var scheme: String {
        switch self { case .v1(let p): return p.scheme; case .v2(let p): return p.accepted.scheme }
    }
    /// The network (`accepted.network` in v2).
    public var network: String {
        switch self { case .v1(let p): return p.network; case .v2(let p): return p.accepted.network }
    }
    /// The scheme payload.
    public var payload: JSONObject {
        switch self { case .v1(let p): return p.payload; case .v2(let p): return p.payload }
    }
    /// The header that carries this payment: `X-PAYMENT` (v1) or `PAYMENT-SIGNATURE` (v2).
    public var headerName: String {
        switch self { case .v1: return X402Headers.xPayment; case .v2: return X402Headers.paymentSignature }
    }
    /// The wire JSON.
    public var json: JSONValue {
        switch self { case .v1(let p): return p.json; case .v2(let p): return p.json }
    }
    /// The header value (compact JSON, strict base64).
    public var headerValue: String { X402Headers.encode(json) }
}

/// `SettleResponse`: the settlement receipt of `PAYMENT-RESPONSE` (v2) / `X-PAYMENT-RESPONSE` (v1).
///
/// Wire order: `success, errorReason, errorMessage, payer, transaction, network, amount,
/// extensions, extra`. Decoding accepts x402 2.25.0's spaced `json.dumps` output and x402
/// 1.0.0's explicit `null`s; a missing or `null` `transaction` reads as `""`.
public struct X402SettleResponse: Sendable, Equatable {
    /// Whether settlement succeeded.
    public var success: Bool
    /// Failure reason code (e.g. `settlement_pending`, which is not terminal).
    public var errorReason: String?
    /// Human-readable failure message.
    public var errorMessage: String?
    /// The payer.
    public var payer: String?
    /// Transaction hash (EVM) or signature (Solana); `""` on failure.
    public var transaction: String
    /// The network.
    public var network: String
    /// The settled amount in atomic units (`upto`).
    public var amount: String?
    /// Extensions, verbatim.
    public var extensions: JSONObject?
    /// Extra data, verbatim.
    public var extra: JSONObject?

    /// Creates a receipt.
    public init(success: Bool, errorReason: String? = nil, errorMessage: String? = nil, payer: String? = nil,
                transaction: String, network: String, amount: String? = nil, extensions: JSONObject? = nil,
                extra: JSONObject? = nil) {
        self.success = success
        self.errorReason = errorReason
        self.errorMessage = errorMessage
        self.payer = payer
        self.transaction = transaction
        self.network = network
        self.amount = amount
        self.extensions = extensions
        self.extra = extra
    }

    /// Parses a `SettleResponse` object.
    /// - Throws: ``X402SStatus/x402InvalidPayload`` if malformed.
    public init(json: JSONValue) throws(X402SError) {
        let r = try X402Reader(json, "settle response", .x402InvalidPayload)
        success = try r.bool("success")
        errorReason = try r.optionalString("errorReason")
        errorMessage = try r.optionalString("errorMessage")
        payer = try r.optionalString("payer")
        transaction = try r.optionalString("transaction") ?? ""
        network = try r.string("network")
        amount = try r.optionalString("amount")
        extensions = try r.optionalObject("extensions")
        extra = try r.optionalObject("extra")
    }

    /// Decodes a `PAYMENT-RESPONSE` / `X-PAYMENT-RESPONSE` header value.
    public init(header: String) throws(X402SError) {
        try self.init(json: try X402Headers.decodeJSON(header))
    }

    /// The wire JSON.
    public var json: JSONValue {
        var w = X402Writer()
        w.put("success", .bool(success))
        w.put("errorReason", errorReason)
        w.put("errorMessage", errorMessage)
        w.put("payer", payer)
        w.put("transaction", transaction)
        w.put("network", network)
        w.put("amount", amount)
        w.put("extensions", extensions)
        w.put("extra", extra)
        return w.value
    }

    /// The header value. The default style is compact UTF-8 (our documented form); pass
    /// ``JSONStyle/pythonSpaced`` to reproduce x402 2.25.0's `PAYMENT-RESPONSE` bytes exactly.
    public func headerValue(style: JSONStyle = .compact) -> String { X402Headers.encode(json, style: style) }
}

/// `VerifyResponse`: a facilitator's verdict.
///
/// Wire order: `isValid, invalidReason, invalidMessage, payer, extensions, extra`.
public struct X402VerifyResponse: Sendable, Equatable {
    /// Whether the payment is valid.
    public var isValid: Bool
    /// Reason code when invalid.
    public var invalidReason: String?
    /// Human-readable message when invalid.
    public var invalidMessage: String?
    /// The payer.
    public var payer: String?
    /// Extensions, verbatim.
    public var extensions: JSONObject?
    /// Extra data, verbatim.
    public var extra: JSONObject?

    /// Creates a verdict.
    public init(isValid: Bool, invalidReason: String? = nil, invalidMessage: String? = nil, payer: String? = nil,
                extensions: JSONObject? = nil, extra: JSONObject? = nil) {
        self.isValid = isValid
        self.invalidReason = invalidReason
        self.invalidMessage = invalidMessage
        self.payer = payer
        self.extensions = extensions
        self.extra = extra
    }

    /// Parses a `VerifyResponse` object.
    /// - Throws: ``X402SStatus/x402InvalidPayload`` if malformed.
    public init(json: JSONValue) throws(X402SError) {
        let r = try X402Reader(json, "verify response", .x402InvalidPayload)
        isValid = try r.bool("isValid")
        invalidReason = try r.optionalString("invalidReason")
        invalidMessage = try r.optionalString("invalidMessage")
        payer = try r.optionalString("payer")
        extensions = try r.optionalObject("extensions")
        extra = try r.optionalObject("extra")
    }

    /// The wire JSON.
    public var json: JSONValue {
        var w = X402Writer()
        w.put("isValid", .bool(isValid))
        w.put("invalidReason", invalidReason)
        w.put("invalidMessage", invalidMessage)
        w.put("payer", payer)
        w.put("extensions", extensions)
        w.put("extra", extra)
        return w.value
    }
}

/// x402 HTTP header names and the header encoding.
///
/// Encoding: standard RFC 4648 base64 with `=` padding over the UTF-8 bytes of compact JSON
/// (`,`/`:` separators, no spaces, non-ASCII as raw UTF-8), keys in each model's documented
/// order. This equals x402 2.25.0's `PAYMENT-SIGNATURE`, `X-PAYMENT` and `PAYMENT-REQUIRED` bytes.
public enum X402Headers {
    /// v2 server -> client: base64 `PaymentRequired`.
    public static let paymentRequired = "PAYMENT-REQUIRED"
    /// v2 client -> server: base64 `PaymentPayload`.
    public static let paymentSignature = "PAYMENT-SIGNATURE"
    /// v1 client -> server: base64 `PaymentPayloadV1`.
    public static let xPayment = "X-PAYMENT"
    /// v2 server -> client: base64 `SettleResponse`.
    public static let paymentResponse = "PAYMENT-RESPONSE"
    /// v1 server -> client: base64 `SettleResponse`.
    public static let xPaymentResponse = "X-PAYMENT-RESPONSE"
    /// Largest accepted header value, in bytes (64 KiB).
    public static let maxHeaderBytes = 65536

    /// Encodes JSON as a header value: base64 (standard, padded) of its serialization in `style`.
    public static func encode(_ json: JSONValue, style: JSONStyle = .compact) -> String {
        Base64.encode(json.serialized(style))
    }

    /// Decodes a header value to JSON.
    ///
    /// - Throws: ``X402SStatus/inputTooLarge`` above ``maxHeaderBytes``;
    ///   ``X402SStatus/invalidBase64`` unless the value is strict standard padded base64 (no
    ///   URL-safe alphabet, no missing padding, no whitespace); then UTF-8 / JSON errors.
    public static func decodeJSON(_ value: String) throws(X402SError) -> JSONValue {
        guard value.utf8.count <= maxHeaderBytes else {
            throw X402SError(.inputTooLarge, "header value longer than \(maxHeaderBytes) bytes")
        }
        guard !value.isEmpty else { throw X402SError(.invalidBase64, "empty header value") }
        let bytes: [UInt8]
        do {
            bytes = try Base64.decode(value)
        } catch {
            throw X402SError(.invalidBase64,
                "header is not standard padded base64 (URL-safe alphabet, missing padding and whitespace are rejected)")
        }
        return try JSONValue.parse(bytes)
    }
}
