// Exported C functions for the x402 protocol (include/x402_secure.h). Glue only: JSON in,
// JSON out, every rule lives in Sources/X402Secure/X402.
import CX402Secure
import X402Secure

/// A JSON document input (at most X402S_MAX_DOCUMENT_BYTES).
@inline(__always)
func jsonInput(_ pointer: UnsafePointer<UInt8>?, _ length: Int, _ name: StaticString) throws(X402SError) -> JSONValue {
    try JSONValue.parse(try boundedInput(pointer, length, name, limit: maxDocument))
}

/// An optional JSON document: NULL with length 0 means absent.
@inline(__always)
func optionalJSONInput(
    _ pointer: UnsafePointer<UInt8>?, _ length: Int, _ name: StaticString
) throws(X402SError) -> JSONValue? {
    if pointer == nil && length == 0 { return nil }
    return try jsonInput(pointer, length, name)
}

/// Optional text: NULL with length 0 means absent.
@inline(__always)
func optionalTextInput(
    _ pointer: UnsafePointer<UInt8>?, _ length: Int, _ name: StaticString
) throws(X402SError) -> String? {
    if pointer == nil && length == 0 { return nil }
    return try textInput(pointer, length, name)
}

@inline(__always)
func writeJSON(
    _ json: JSONValue, _ out: UnsafeMutablePointer<UInt8>?, _ capacity: Int,
    _ outLen: UnsafeMutablePointer<Int>?
) throws(X402SError) {
    try writeVariable(json.serialized(.compact), out, capacity, outLen, "out")
}

@c @implementation
public func x402s_x402_networks(
    _ out: UnsafeMutablePointer<UInt8>?, _ out_cap: Int, _ out_len: UnsafeMutablePointer<Int>?,
    _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        try writeJSON(Networks.tableJSON(), out, out_cap, out_len)
    }
}

@c @implementation
public func x402s_x402_network_lookup(
    _ out: UnsafeMutablePointer<UInt8>?, _ out_cap: Int, _ out_len: UnsafeMutablePointer<Int>?,
    _ network: UnsafePointer<UInt8>?, _ network_len: Int,
    _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        let id = try textInput(network, network_len, "network", limit: 256)
        try writeJSON(try Networks.network(id).json, out, out_cap, out_len)
    }
}

@c @implementation
public func x402s_x402_price_to_atomic(
    _ out: UnsafeMutablePointer<UInt8>?, _ out_cap: Int, _ out_len: UnsafeMutablePointer<Int>?,
    _ price: UnsafePointer<UInt8>?, _ price_len: Int,
    _ network: UnsafePointer<UInt8>?, _ network_len: Int,
    _ asset: UnsafePointer<UInt8>?, _ asset_len: Int,
    _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        let priceText = try textInput(price, price_len, "price", limit: 256)
        let networkId = try textInput(network, network_len, "network", limit: 256)
        let assetId = try optionalTextInput(asset, asset_len, "asset")
        let amount = try X402Price.atomicUnits(priceText, network: networkId, asset: assetId)
        let result = JSONObject([("asset", amount.asset.json), ("amount", .string(amount.amount))])
        try writeJSON(.object(result), out, out_cap, out_len)
    }
}

@c @implementation
public func x402s_x402_payment_required(
    _ out: UnsafeMutablePointer<UInt8>?, _ out_cap: Int, _ out_len: UnsafeMutablePointer<Int>?,
    _ request_json: UnsafePointer<UInt8>?, _ request_json_len: Int,
    _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        let answer = try X402Seller.paymentRequired(json: try jsonInput(request_json, request_json_len, "request_json"))
        var result = JSONObject([
            ("x402Version", .number(String(answer.x402Version))),
            ("paymentRequired", answer.json),
        ])
        if case .v2(let required) = answer { result["header"] = .string(required.headerValue) }
        try writeJSON(.object(result), out, out_cap, out_len)
    }
}

@c @implementation
public func x402s_x402_parse_payment_required(
    _ out: UnsafeMutablePointer<UInt8>?, _ out_cap: Int, _ out_len: UnsafeMutablePointer<Int>?,
    _ header: UnsafePointer<UInt8>?, _ header_len: Int,
    _ body: UnsafePointer<UInt8>?, _ body_len: Int,
    _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        let headerText = try optionalTextInput(header, header_len, "header")
        let bodyBytes: [UInt8]? = (body == nil && body_len == 0)
            ? nil : Array(try boundedInput(body, body_len, "body", limit: maxDocument))
        guard headerText != nil || bodyBytes != nil else {
            throw X402SError(.nullArgument, "neither a PAYMENT-REQUIRED header nor a body was given")
        }
        let answer = try X402Client.parsePaymentRequired(header: headerText, body: bodyBytes)
        try writeJSON(answer.json, out, out_cap, out_len)
    }
}

@c @implementation
public func x402s_x402_select_requirement(
    _ out: UnsafeMutablePointer<UInt8>?, _ out_cap: Int, _ out_len: UnsafeMutablePointer<Int>?,
    _ payment_required_json: UnsafePointer<UInt8>?, _ payment_required_json_len: Int,
    _ policy_json: UnsafePointer<UInt8>?, _ policy_json_len: Int,
    _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        let answer = try X402Client.parsePaymentRequired(
            json: try jsonInput(payment_required_json, payment_required_json_len, "payment_required_json"))
        let policy = try optionalJSONInput(policy_json, policy_json_len, "policy_json")
            .map { p throws(X402SError) in try X402PaymentPolicy(json: p) } ?? X402PaymentPolicy()
        let accepts = answer.accepts
        let chosen = try X402Client.select(accepts, policy: policy)
        let index = accepts.firstIndex(of: chosen) ?? 0
        let result = JSONObject([("index", .number(String(index))), ("requirement", chosen.json)])
        try writeJSON(.object(result), out, out_cap, out_len)
    }
}

@c @implementation
public func x402s_x402_create_payment(
    _ out: UnsafeMutablePointer<UInt8>?, _ out_cap: Int, _ out_len: UnsafeMutablePointer<Int>?,
    _ request_json: UnsafePointer<UInt8>?, _ request_json_len: Int,
    _ key32: UnsafePointer<UInt8>?, _ key32_len: Int, _ key_kind: UInt32,
    _ policy_json: UnsafePointer<UInt8>?, _ policy_json_len: Int,
    _ options_json: UnsafePointer<UInt8>?, _ options_json_len: Int,
    _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        let request = try jsonInput(request_json, request_json_len, "request_json")
        let key = try fixedInput(key32, key32_len, 32, "key32")
        let signer: X402Signer
        switch key_kind {
        case X402S_KEY_SECP256K1: signer = .evm(try Secp256k1.PrivateKey(bytes: key))
        case X402S_KEY_ED25519_SEED: signer = .solana(try Ed25519.KeyPair(seed: key))
        default: throw X402SError(.invalidArgument, "unknown key kind")
        }
        let policy = try optionalJSONInput(policy_json, policy_json_len, "policy_json")
            .map { p throws(X402SError) in try X402PaymentPolicy(json: p) } ?? X402PaymentPolicy()
        let options = try optionalJSONInput(options_json, options_json_len, "options_json")
            .map { o throws(X402SError) in try X402PaymentOptions(json: o) } ?? X402PaymentOptions()
        let created: X402CreatedPayment
        if request["accepts"] != nil {
            created = try X402Client.createPayment(
                answer: try X402Client.parsePaymentRequired(json: request), signer: signer, policy: policy,
                options: options)
        } else {
            created = try X402Client.createPayment(for: try X402Requirement(json: request), signer: signer, options: options)
        }
        let result = JSONObject([
            ("headerName", .string(created.headerName)),
            ("headerValue", .string(created.headerValue)),
            ("payment", created.payment.json),
        ])
        try writeJSON(.object(result), out, out_cap, out_len)
    }
}

@c @implementation
public func x402s_x402_decode_payment(
    _ out: UnsafeMutablePointer<UInt8>?, _ out_cap: Int, _ out_len: UnsafeMutablePointer<Int>?,
    _ header: UnsafePointer<UInt8>?, _ header_len: Int,
    _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        let value = try textInput(header, header_len, "header")
        try writeJSON(try X402Payment(header: value).json, out, out_cap, out_len)
    }
}

@c @implementation
public func x402s_replay_guard_new(
    _ guard_: UnsafeMutablePointer<OpaquePointer?>?, _ capacity: Int,
    _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        guard let guard_ else { throw X402SError(.nullArgument, "guard is NULL") }
        guard capacity >= 0, capacity <= 100_000_000 else {
            throw X402SError(.invalidArgument, "capacity must be at most 100,000,000")
        }
        let replayGuard = X402ReplayGuard(capacity: capacity == 0 ? X402ReplayGuard.defaultCapacity : capacity)
        guard_.pointee = try FFIHandles.insert(replayGuard)
    }
}

@c @implementation
public func x402s_replay_guard_free(_ guard_: OpaquePointer?) {
    FFIHandles.free(guard_, as: X402ReplayGuard.self)
}

@c @implementation
public func x402s_x402_verify(
    _ out: UnsafeMutablePointer<UInt8>?, _ out_cap: Int, _ out_len: UnsafeMutablePointer<Int>?,
    _ header: UnsafePointer<UInt8>?, _ header_len: Int,
    _ requirements_json: UnsafePointer<UInt8>?, _ requirements_json_len: Int,
    _ now: UInt64,
    _ options_json: UnsafePointer<UInt8>?, _ options_json_len: Int,
    _ guard_: OpaquePointer?,
    _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        // The output must be known to fit BEFORE verifying: a valid payment is recorded in the
        // replay guard, so a retry after BUFFER_TOO_SMALL would otherwise see a duplicate.
        let verifyOutBytes = Int(X402S_X402_VERIFY_OUT_BYTES)
        guard let out_len else { throw X402SError(.nullArgument, "out_len is NULL") }
        guard out_cap >= verifyOutBytes else {
            out_len.pointee = verifyOutBytes
            throw X402SError(.bufferTooSmall, "out needs \(verifyOutBytes) bytes")
        }
        guard out != nil else { throw X402SError(.nullArgument, "out is NULL") }
        let value = try textInput(header, header_len, "header")
        let requirements = try jsonInput(requirements_json, requirements_json_len, "requirements_json")
        var options = try optionalJSONInput(options_json, options_json_len, "options_json")
            .map { o throws(X402SError) in try X402VerifyOptions(json: o) } ?? X402VerifyOptions()
        if let guard_ {
            // a strong reference for the whole call: a concurrent x402s_replay_guard_free waits for it
            options.replayGuard = try FFIHandles.object(guard_, as: X402ReplayGuard.self, "guard")
        }
        let result = try X402Verifier.verify(paymentHeader: value, requirements: requirements, now: now, options: options)
        var response = result.response
        if response.json.serialized(.compact).count > verifyOutBytes {
            // Cannot happen with the core's bounded messages; keep the verdict, drop the prose.
            response.invalidMessage = nil
        }
        try writeJSON(response.json, out, out_cap, out_len)
        guard result.isValid else {
            throw X402SError(.x402PaymentInvalid, "payment is invalid: \(result.invalidReason?.rawValue ?? "unknown")")
        }
    }
}

@c @implementation
public func x402s_x402_encode_settle_response(
    _ out: UnsafeMutablePointer<UInt8>?, _ out_cap: Int, _ out_len: UnsafeMutablePointer<Int>?,
    _ settle_json: UnsafePointer<UInt8>?, _ settle_json_len: Int, _ style: UInt32,
    _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        let jsonStyle: JSONStyle
        switch style {
        case X402S_JSON_COMPACT: jsonStyle = .compact
        case X402S_JSON_PYTHON_SPACED: jsonStyle = .pythonSpaced
        default: throw X402SError(.invalidArgument, "unknown JSON style")
        }
        let response = try X402SettleResponse(json: try jsonInput(settle_json, settle_json_len, "settle_json"))
        try writeText(response.headerValue(style: jsonStyle), out, out_cap, out_len, "out")
    }
}

@c @implementation
public func x402s_x402_decode_settle_response(
    _ out: UnsafeMutablePointer<UInt8>?, _ out_cap: Int, _ out_len: UnsafeMutablePointer<Int>?,
    _ header: UnsafePointer<UInt8>?, _ header_len: Int,
    _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        let value = try textInput(header, header_len, "header")
        try writeJSON(try X402SettleResponse(header: value).json, out, out_cap, out_len)
    }
}
