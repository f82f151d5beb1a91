// Exported C functions for reusable payment signers (include/x402_secure.h, section
// "Signers"). A signer handle keeps a key object of the core (secret in SecretBytes, zeroed
// when the handle is released) together with its derived public key and address, so repeated
// payments by one wallet skip the scalar multiplication that deriving them costs.
import CX402Secure
import X402Secure

/// The object behind an `x402s_signer *` handle (Handles.swift).
final class FFISigner: FFIHandleObject {
    static var handleKind: FFIHandleKind { .signer }
    let signer: X402Signer

    init(_ signer: X402Signer) { self.signer = signer }
}

/// The key of a live signer handle, strongly referenced for the caller's use (a concurrent
/// x402s_signer_free releases it, and zeroes the secret, after the call). Also used by the
/// receipt functions of Evidence.swift.
@inline(__always)
func signerOf(_ handle: OpaquePointer?) throws(X402SError) -> X402Signer {
    try FFIHandles.object(handle, as: FFISigner.self, "signer").signer
}

@c @implementation
public func x402s_signer_new(
    _ signer: UnsafeMutablePointer<OpaquePointer?>?,
    _ key32: UnsafePointer<UInt8>?, _ key32_len: Int, _ key_kind: UInt32,
    _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        guard let signer else { throw X402SError(.nullArgument, "signer is NULL") }
        let key = try fixedInput(key32, key32_len, 32, "key32")
        let made: X402Signer
        switch key_kind {
        case X402S_KEY_SECP256K1:
            let k = try Secp256k1.PrivateKey(bytes: key)
            _ = k.address  // derive (and cache) the public key and address now
            made = .evm(k)
        case X402S_KEY_ED25519_SEED:
            made = .solana(try Ed25519.KeyPair(seed: key))
        default:
            throw X402SError(.invalidArgument, "unknown key kind")
        }
        signer.pointee = try FFIHandles.insert(FFISigner(made))
    }
}

@c @implementation
public func x402s_signer_free(_ signer: OpaquePointer?) {
    FFIHandles.free(signer, as: FFISigner.self)
}

@c @implementation
public func x402s_signer_address(
    _ out: UnsafeMutablePointer<UInt8>?, _ out_cap: Int, _ out_len: UnsafeMutablePointer<Int>?,
    _ signer: OpaquePointer?, _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        let address: String
        switch try signerOf(signer) {
        case .evm(let key): address = key.address.checksummed
        case .solana(let pair): address = pair.solanaAddress
        }
        try writeText(address, out, out_cap, out_len, "out")
    }
}

@c @implementation
public func x402s_x402_create_payment_with_signer(
    _ out: UnsafeMutablePointer<UInt8>?, _ out_cap: Int, _ out_len: UnsafeMutablePointer<Int>?,
    _ request_json: UnsafePointer<UInt8>?, _ request_json_len: Int,
    _ signer: OpaquePointer?,
    _ policy_json: UnsafePointer<UInt8>?, _ policy_json_len: Int,
    _ options_json: UnsafePointer<UInt8>?, _ options_json_len: Int,
    _ flags: UInt32,
    _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        guard flags & ~X402S_CREATE_HEADER_ONLY == 0 else { throw X402SError(.invalidArgument, "unknown flags") }
        let request = try jsonInput(request_json, request_json_len, "request_json")
        let key = try signerOf(signer)
        let policy = try optionalJSONInput(policy_json, policy_json_len, "policy_json")
            .map { p throws(X402SError) in try X402PaymentPolicy(json: p) } ?? X402PaymentPolicy()
        let options = try optionalJSONInput(options_json, options_json_len, "options_json")
            .map { o throws(X402SError) in try X402PaymentOptions(json: o) } ?? X402PaymentOptions()
        let created: X402CreatedPayment
        if request["accepts"] != nil {
            created = try X402Client.createPayment(
                answer: try X402Client.parsePaymentRequired(json: request), signer: key, policy: policy, options: options)
        } else {
            created = try X402Client.createPayment(for: try X402Requirement(json: request), signer: key, options: options)
        }
        var result = JSONObject([
            ("headerName", .string(created.headerName)),
            ("headerValue", .string(created.headerValue)),
        ])
        if flags & X402S_CREATE_HEADER_ONLY == 0 { result["payment"] = created.payment.json }
        try writeJSON(.object(result), out, out_cap, out_len)
    }
}

@c @implementation
public func x402s_signer_eip712_sign(
    _ sig65: UnsafeMutablePointer<UInt8>?, _ sig65_cap: Int,
    _ digest32: UnsafeMutablePointer<UInt8>?, _ digest32_cap: Int,
    _ signer: OpaquePointer?,
    _ json: UnsafePointer<UInt8>?, _ json_len: Int,
    _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        _ = try checkFixedOutput(sig65, sig65_cap, 65, "sig65")
        let digestOut = try optionalOutput(digest32, digest32_cap, "digest32")
        guard case .evm(let key) = try signerOf(signer) else {
            throw X402SError(.invalidKey, "signer is not a secp256k1 key")
        }
        let document = try boundedInput(json, json_len, "json", limit: maxDocument)
        let hashes = try EIP712.hash(json: document)
        try writeFixed(key.sign(digest: hashes.digest), sig65, sig65_cap, "sig65")
        if let digestOut { try writeFixed(hashes.digest, digestOut, 32, "digest32") }
    }
}
