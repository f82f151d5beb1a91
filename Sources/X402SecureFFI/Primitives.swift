// Exported C functions for the primitives (include/x402_secure.h). Glue only: each body
// checks pointers and sizes and calls the Swift core.
import CX402Secure
import X402Secure

let maxDocument = Int(X402S_MAX_DOCUMENT_BYTES)

@c @implementation
public func x402s_abi_version() -> UInt32 {
    (UInt32(X402S_ABI_VERSION_MAJOR) << 16) | UInt32(X402S_ABI_VERSION_MINOR)
}

@c @implementation
public func x402s_version_string() -> UnsafePointer<CChar> {
    UnsafeRawPointer(X402SecureVersion.string.utf8Start).assumingMemoryBound(to: CChar.self)
}

@c @implementation
public func x402s_status_name(_ status: Int32) -> UnsafePointer<CChar>? {
    statusNames.names[status]
}

@c @implementation
public func x402s_init(_ err: UnsafeMutablePointer<x402s_error>?) -> Int32 {
    ffiCall(err) { () throws(X402SError) in try x402sInitialize() }
}

@c @implementation public func x402s_keccak256_bytes() -> Int { Int(X402S_KECCAK256_BYTES) }
@c @implementation public func x402s_sha256_bytes() -> Int { Int(X402S_SHA256_BYTES) }
@c @implementation public func x402s_secp256k1_seckey_bytes() -> Int { Int(X402S_SECP256K1_SECKEY_BYTES) }
@c @implementation public func x402s_secp256k1_pubkey_bytes() -> Int { Int(X402S_SECP256K1_PUBKEY_BYTES) }
@c @implementation public func x402s_secp256k1_recoverable_sig_bytes() -> Int { Int(X402S_SECP256K1_RECOVERABLE_SIG_BYTES) }
@c @implementation public func x402s_evm_address_text_bytes() -> Int { Int(X402S_EVM_ADDRESS_TEXT_BYTES) }
@c @implementation public func x402s_ed25519_seed_bytes() -> Int { Int(X402S_ED25519_SEED_BYTES) }
@c @implementation public func x402s_ed25519_pubkey_bytes() -> Int { Int(X402S_ED25519_PUBKEY_BYTES) }
@c @implementation public func x402s_ed25519_sig_bytes() -> Int { Int(X402S_ED25519_SIG_BYTES) }
@c @implementation public func x402s_max_document_bytes() -> Int { maxDocument }

// MARK: hashes

@c @implementation
public func x402s_keccak256(
    _ out32: UnsafeMutablePointer<UInt8>?, _ out32_cap: Int,
    _ data: UnsafePointer<UInt8>?, _ data_len: Int,
    _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        let out = try checkFixedOutput(out32, out32_cap, 32, "out32")
        let bytes = try input(data, data_len, "data")
        Keccak256.hash(bytes, into: UnsafeMutableRawPointer(out))
    }
}

@c @implementation
public func x402s_sha256(
    _ out32: UnsafeMutablePointer<UInt8>?, _ out32_cap: Int,
    _ data: UnsafePointer<UInt8>?, _ data_len: Int,
    _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        _ = try checkFixedOutput(out32, out32_cap, 32, "out32")
        let bytes = try input(data, data_len, "data")
        try writeFixed(SHA256.hash(bytes), out32, out32_cap, "out32")
    }
}

// MARK: encodings

@inline(__always)
func boundedInput(
    _ pointer: UnsafePointer<UInt8>?, _ length: Int, _ name: StaticString, limit: Int
) throws(X402SError) -> UnsafeRawBufferPointer {
    let raw = try input(pointer, length, name)
    guard raw.count <= limit else {
        throw X402SError(.inputTooLarge, "\(name) is larger than \(limit) bytes")
    }
    return raw
}

@c @implementation
public func x402s_hex_encode(
    _ out: UnsafeMutablePointer<UInt8>?, _ out_cap: Int, _ out_len: UnsafeMutablePointer<Int>?,
    _ data: UnsafePointer<UInt8>?, _ data_len: Int,
    _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        let bytes = try boundedInput(data, data_len, "data", limit: maxDocument)
        try writeText(Hex.encode(bytes), out, out_cap, out_len, "out")
    }
}

@c @implementation
public func x402s_hex_decode(
    _ out: UnsafeMutablePointer<UInt8>?, _ out_cap: Int, _ out_len: UnsafeMutablePointer<Int>?,
    _ text: UnsafePointer<UInt8>?, _ text_len: Int,
    _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        let string = try textInput(text, text_len, "text", limit: 2 * maxDocument + 2)
        try writeVariable(Hex.decode(string), out, out_cap, out_len, "out")
    }
}

@c @implementation
public func x402s_base64_encode(
    _ out: UnsafeMutablePointer<UInt8>?, _ out_cap: Int, _ out_len: UnsafeMutablePointer<Int>?,
    _ data: UnsafePointer<UInt8>?, _ data_len: Int, _ flags: UInt32,
    _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        let bytes = try boundedInput(data, data_len, "data", limit: maxDocument)
        switch flags {
        case X402S_BASE64_STANDARD: try writeText(Base64.encode(bytes), out, out_cap, out_len, "out")
        case X402S_BASE64_URL: try writeText(Base64.encodeURL(bytes), out, out_cap, out_len, "out")
        default: throw X402SError(.invalidArgument, "unknown base64 flags")
        }
    }
}

@c @implementation
public func x402s_base64_decode(
    _ out: UnsafeMutablePointer<UInt8>?, _ out_cap: Int, _ out_len: UnsafeMutablePointer<Int>?,
    _ text: UnsafePointer<UInt8>?, _ text_len: Int, _ flags: UInt32,
    _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        guard flags == X402S_BASE64_STANDARD || flags == X402S_BASE64_URL else {
            throw X402SError(.invalidArgument, "unknown base64 flags")
        }
        let string = try textInput(text, text_len, "text", limit: 2 * maxDocument)
        let decoded = flags == X402S_BASE64_URL ? try Base64.decodeURL(string) : try Base64.decode(string)
        try writeVariable(decoded, out, out_cap, out_len, "out")
    }
}

@c @implementation
public func x402s_base58_encode(
    _ out: UnsafeMutablePointer<UInt8>?, _ out_cap: Int, _ out_len: UnsafeMutablePointer<Int>?,
    _ data: UnsafePointer<UInt8>?, _ data_len: Int,
    _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        let bytes = try boundedInput(data, data_len, "data", limit: 1024)
        try writeText(Base58.encode(bytes), out, out_cap, out_len, "out")
    }
}

@c @implementation
public func x402s_base58_decode(
    _ out: UnsafeMutablePointer<UInt8>?, _ out_cap: Int, _ out_len: UnsafeMutablePointer<Int>?,
    _ text: UnsafePointer<UInt8>?, _ text_len: Int,
    _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        let string = try textInput(text, text_len, "text", limit: 2048)
        try writeVariable(Base58.decode(string), out, out_cap, out_len, "out")
    }
}

// MARK: EIP-712 / EIP-191

@inline(__always)
func optionalOutput(
    _ out: UnsafeMutablePointer<UInt8>?, _ capacity: Int, _ name: StaticString
) throws(X402SError) -> UnsafeMutablePointer<UInt8>? {
    guard let out else { return nil }
    guard capacity >= 32 else { throw X402SError(.bufferTooSmall, "\(name) needs 32 bytes") }
    return out
}

@c @implementation
public func x402s_eip712_hash(
    _ digest32: UnsafeMutablePointer<UInt8>?, _ digest32_cap: Int,
    _ domain_separator32: UnsafeMutablePointer<UInt8>?, _ domain_separator32_cap: Int,
    _ struct_hash32: UnsafeMutablePointer<UInt8>?, _ struct_hash32_cap: Int,
    _ json: UnsafePointer<UInt8>?, _ json_len: Int,
    _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        _ = try checkFixedOutput(digest32, digest32_cap, 32, "digest32")
        let ds = try optionalOutput(domain_separator32, domain_separator32_cap, "domain_separator32")
        let sh = try optionalOutput(struct_hash32, struct_hash32_cap, "struct_hash32")
        let document = try boundedInput(json, json_len, "json", limit: maxDocument)
        let hashes = try EIP712.hash(json: document)
        try writeFixed(hashes.digest, digest32, digest32_cap, "digest32")
        if let ds { try writeFixed(hashes.domainSeparator, ds, 32, "domain_separator32") }
        if let sh { try writeFixed(hashes.structHash, sh, 32, "struct_hash32") }
    }
}

@c @implementation
public func x402s_eip191_hash(
    _ digest32: UnsafeMutablePointer<UInt8>?, _ digest32_cap: Int,
    _ message: UnsafePointer<UInt8>?, _ message_len: Int,
    _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        _ = try checkFixedOutput(digest32, digest32_cap, 32, "digest32")
        let bytes = try boundedInput(message, message_len, "message", limit: maxDocument)
        try writeFixed(EIP191.personalMessageHash(Array(bytes)), digest32, digest32_cap, "digest32")
    }
}

// MARK: secp256k1 / EVM

@inline(__always)
func privateKey(_ pointer: UnsafePointer<UInt8>?, _ length: Int) throws(X402SError) -> Secp256k1.PrivateKey {
    try Secp256k1.PrivateKey(bytes: try fixedInput(pointer, length, 32, "seckey32"))
}

@c @implementation
public func x402s_secp256k1_seckey_verify(
    _ seckey32: UnsafePointer<UInt8>?, _ seckey32_len: Int,
    _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        let key = try fixedInput(seckey32, seckey32_len, 32, "seckey32")
        guard Secp256k1.isValidPrivateKey(key) else {
            throw X402SError(.invalidKey, "secret key is zero or not below the curve order")
        }
    }
}

@c @implementation
public func x402s_secp256k1_pubkey(
    _ pubkey65: UnsafeMutablePointer<UInt8>?, _ pubkey65_cap: Int,
    _ seckey32: UnsafePointer<UInt8>?, _ seckey32_len: Int,
    _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        _ = try checkFixedOutput(pubkey65, pubkey65_cap, 65, "pubkey65")
        let key = try privateKey(seckey32, seckey32_len)
        try writeFixed(key.publicKey, pubkey65, pubkey65_cap, "pubkey65")
    }
}

@c @implementation
public func x402s_secp256k1_sign(
    _ sig65: UnsafeMutablePointer<UInt8>?, _ sig65_cap: Int,
    _ digest32: UnsafePointer<UInt8>?, _ digest32_len: Int,
    _ seckey32: UnsafePointer<UInt8>?, _ seckey32_len: Int,
    _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        _ = try checkFixedOutput(sig65, sig65_cap, 65, "sig65")
        let digest = try fixedBytes(digest32, digest32_len, 32, "digest32")
        let key = try privateKey(seckey32, seckey32_len)
        try writeFixed(key.sign(digest: digest), sig65, sig65_cap, "sig65")
    }
}

@c @implementation
public func x402s_secp256k1_recover(
    _ pubkey65: UnsafeMutablePointer<UInt8>?, _ pubkey65_cap: Int,
    _ digest32: UnsafePointer<UInt8>?, _ digest32_len: Int,
    _ sig65: UnsafePointer<UInt8>?, _ sig65_len: Int,
    _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        _ = try checkFixedOutput(pubkey65, pubkey65_cap, 65, "pubkey65")
        let digest = try fixedBytes(digest32, digest32_len, 32, "digest32")
        let sig = Array(try boundedInput(sig65, sig65_len, "sig65", limit: 1024))
        try writeFixed(Secp256k1.recoverPublicKey(digest: digest, signature: sig), pubkey65, pubkey65_cap, "pubkey65")
    }
}

@c @implementation
public func x402s_secp256k1_verify(
    _ sig: UnsafePointer<UInt8>?, _ sig_len: Int,
    _ digest32: UnsafePointer<UInt8>?, _ digest32_len: Int,
    _ pubkey: UnsafePointer<UInt8>?, _ pubkey_len: Int,
    _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        let signature = Array(try boundedInput(sig, sig_len, "sig", limit: 1024))
        let digest = Array(try boundedInput(digest32, digest32_len, "digest32", limit: 1024))
        let publicKey = Array(try boundedInput(pubkey, pubkey_len, "pubkey", limit: 1024))
        let ok = try Secp256k1.verify(signature: signature, digest: digest, publicKey: publicKey)
        guard ok else { throw X402SError(.verifyFailed, "signature does not verify") }
    }
}

@c @implementation
public func x402s_evm_address(
    _ address42: UnsafeMutablePointer<UInt8>?, _ address42_cap: Int,
    _ seckey32: UnsafePointer<UInt8>?, _ seckey32_len: Int,
    _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        _ = try checkFixedOutput(address42, address42_cap, 42, "address42")
        let key = try privateKey(seckey32, seckey32_len)
        try writeFixed(Array(key.address.checksummed.utf8), address42, address42_cap, "address42")
    }
}

@c @implementation
public func x402s_evm_checksum_address(
    _ address42: UnsafeMutablePointer<UInt8>?, _ address42_cap: Int,
    _ text: UnsafePointer<UInt8>?, _ text_len: Int,
    _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        _ = try checkFixedOutput(address42, address42_cap, 42, "address42")
        let string = try textInput(text, text_len, "text", limit: 64)
        let address = try EvmAddress(string: string)
        try writeFixed(Array(address.checksummed.utf8), address42, address42_cap, "address42")
    }
}

@c @implementation
public func x402s_evm_recover_address(
    _ address42: UnsafeMutablePointer<UInt8>?, _ address42_cap: Int,
    _ digest32: UnsafePointer<UInt8>?, _ digest32_len: Int,
    _ sig65: UnsafePointer<UInt8>?, _ sig65_len: Int,
    _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        _ = try checkFixedOutput(address42, address42_cap, 42, "address42")
        let digest = try fixedBytes(digest32, digest32_len, 32, "digest32")
        let sig = Array(try boundedInput(sig65, sig65_len, "sig65", limit: 1024))
        let address = try Secp256k1.recoverAddress(digest: digest, signature: sig)
        try writeFixed(Array(address.checksummed.utf8), address42, address42_cap, "address42")
    }
}

@c @implementation
public func x402s_eip712_sign(
    _ sig65: UnsafeMutablePointer<UInt8>?, _ sig65_cap: Int,
    _ digest32: UnsafeMutablePointer<UInt8>?, _ digest32_cap: Int,
    _ json: UnsafePointer<UInt8>?, _ json_len: Int,
    _ seckey32: UnsafePointer<UInt8>?, _ seckey32_len: Int,
    _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        _ = try checkFixedOutput(sig65, sig65_cap, 65, "sig65")
        let digestOut = try optionalOutput(digest32, digest32_cap, "digest32")
        let key = try privateKey(seckey32, seckey32_len)
        let document = try boundedInput(json, json_len, "json", limit: maxDocument)
        let hashes = try EIP712.hash(json: document)
        try writeFixed(key.sign(digest: hashes.digest), sig65, sig65_cap, "sig65")
        if let digestOut { try writeFixed(hashes.digest, digestOut, 32, "digest32") }
    }
}

// MARK: Ed25519 / Solana

@c @implementation
public func x402s_ed25519_pubkey(
    _ pubkey32: UnsafeMutablePointer<UInt8>?, _ pubkey32_cap: Int,
    _ seed32: UnsafePointer<UInt8>?, _ seed32_len: Int,
    _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        _ = try checkFixedOutput(pubkey32, pubkey32_cap, 32, "pubkey32")
        let pair = try Ed25519.KeyPair(seed: try fixedInput(seed32, seed32_len, 32, "seed32"))
        try writeFixed(pair.publicKey, pubkey32, pubkey32_cap, "pubkey32")
    }
}

@c @implementation
public func x402s_ed25519_sign(
    _ sig64: UnsafeMutablePointer<UInt8>?, _ sig64_cap: Int,
    _ message: UnsafePointer<UInt8>?, _ message_len: Int,
    _ seed32: UnsafePointer<UInt8>?, _ seed32_len: Int,
    _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        _ = try checkFixedOutput(sig64, sig64_cap, 64, "sig64")
        let bytes = try boundedInput(message, message_len, "message", limit: maxDocument)
        let pair = try Ed25519.KeyPair(seed: try fixedInput(seed32, seed32_len, 32, "seed32"))
        try writeFixed(pair.sign(Array(bytes)), sig64, sig64_cap, "sig64")
    }
}

@c @implementation
public func x402s_ed25519_verify(
    _ sig64: UnsafePointer<UInt8>?, _ sig64_len: Int,
    _ message: UnsafePointer<UInt8>?, _ message_len: Int,
    _ pubkey32: UnsafePointer<UInt8>?, _ pubkey32_len: Int,
    _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        let sig = Array(try boundedInput(sig64, sig64_len, "sig64", limit: 1024))
        let bytes = try boundedInput(message, message_len, "message", limit: maxDocument)
        let pub = Array(try boundedInput(pubkey32, pubkey32_len, "pubkey32", limit: 1024))
        guard try Ed25519.verify(signature: sig, message: Array(bytes), publicKey: pub) else {
            throw X402SError(.verifyFailed, "signature does not verify")
        }
    }
}

@c @implementation
public func x402s_solana_address(
    _ out: UnsafeMutablePointer<UInt8>?, _ out_cap: Int, _ out_len: UnsafeMutablePointer<Int>?,
    _ seed32: UnsafePointer<UInt8>?, _ seed32_len: Int,
    _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        let pair = try Ed25519.KeyPair(seed: try fixedInput(seed32, seed32_len, 32, "seed32"))
        try writeText(pair.solanaAddress, out, out_cap, out_len, "out")
    }
}
