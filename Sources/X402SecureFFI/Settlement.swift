// Exported C functions for settlement (include/x402_secure.h, section "Settlement: RLP,
// EIP-1559 transactions, ABI calls, Solana submission"). Glue only: every rule lives in
// Sources/X402Secure/EVM, X402/Settlement.swift and Solana/SolanaTransaction.swift.
import CX402Secure
import X402Secure

@c @implementation
public func x402s_rlp_encode(
    _ out: UnsafeMutablePointer<UInt8>?, _ out_cap: Int, _ out_len: UnsafeMutablePointer<Int>?,
    _ item_json: UnsafePointer<UInt8>?, _ item_json_len: Int,
    _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        let item = try RLP.item(json: try jsonInput(item_json, item_json_len, "item_json"))
        try writeVariable(RLP.encode(item), out, out_cap, out_len, "out")
    }
}

@c @implementation
public func x402s_rlp_decode(
    _ out: UnsafeMutablePointer<UInt8>?, _ out_cap: Int, _ out_len: UnsafeMutablePointer<Int>?,
    _ rlp: UnsafePointer<UInt8>?, _ rlp_len: Int,
    _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        let bytes = Array(try boundedInput(rlp, rlp_len, "rlp", limit: maxDocument))
        try writeJSON(RLP.json(try RLP.decode(bytes)), out, out_cap, out_len)
    }
}

@c @implementation
public func x402s_evm_tx_sign(
    _ out: UnsafeMutablePointer<UInt8>?, _ out_cap: Int, _ out_len: UnsafeMutablePointer<Int>?,
    _ tx_json: UnsafePointer<UInt8>?, _ tx_json_len: Int,
    _ signer: OpaquePointer?,
    _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        let json = try jsonInput(tx_json, tx_json_len, "tx_json")
        guard case .evm(let key) = try signerOf(signer) else {
            throw X402SError(.invalidKey, "signer is not a secp256k1 key")
        }
        let tx = try EIP1559Transaction(json: json)
        if case .string(let from)? = json["from"] {
            guard (try? EvmAddress(string: from)) == key.address else {
                throw X402SError(.invalidArgument, "tx_json.from is not the signer's address")
            }
        } else if let from = json["from"], !from.isNull {
            throw X402SError(.evmInvalidTransaction, "from must be an address string")
        }
        let signed = try tx.signed(by: key)
        try writeJSON(signed.json(sender: key.address), out, out_cap, out_len)
    }
}

@c @implementation
public func x402s_evm_tx_decode(
    _ out: UnsafeMutablePointer<UInt8>?, _ out_cap: Int, _ out_len: UnsafeMutablePointer<Int>?,
    _ raw: UnsafePointer<UInt8>?, _ raw_len: Int,
    _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        let bytes = Array(try boundedInput(raw, raw_len, "raw", limit: maxDocument))
        let signed = try SignedEIP1559Transaction(raw: bytes)
        try writeJSON(signed.json(sender: try signed.sender()), out, out_cap, out_len)
    }
}

@c @implementation
public func x402s_evm_abi_encode_call(
    _ out: UnsafeMutablePointer<UInt8>?, _ out_cap: Int, _ out_len: UnsafeMutablePointer<Int>?,
    _ signature: UnsafePointer<UInt8>?, _ signature_len: Int,
    _ args_json: UnsafePointer<UInt8>?, _ args_json_len: Int,
    _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        let text = try textInput(signature, signature_len, "signature", limit: 1024)
        let (name, inputs) = try ABI.parseSignature(text)
        guard case .array(let items) = try jsonInput(args_json, args_json_len, "args_json") else {
            throw X402SError(.abiInvalidValue, "args_json must be a JSON array")
        }
        guard items.count == inputs.count else {
            throw X402SError(.abiInvalidValue, "the function takes \(inputs.count) arguments, got \(items.count)")
        }
        var values: [ABIValue] = []
        for (t, v) in zip(inputs, items) { values.append(try ABI.value(t, json: v)) }
        let data = ABI.selector(ABI.canonicalSignature(name: name, inputs: inputs)) + (try ABI.encode(inputs, values))
        try writeVariable(data, out, out_cap, out_len, "out")
    }
}

@c @implementation
public func x402s_evm_abi_decode(
    _ out: UnsafeMutablePointer<UInt8>?, _ out_cap: Int, _ out_len: UnsafeMutablePointer<Int>?,
    _ types: UnsafePointer<UInt8>?, _ types_len: Int,
    _ data: UnsafePointer<UInt8>?, _ data_len: Int,
    _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        let text = try textInput(types, types_len, "types", limit: 1024)
        guard case .tuple(let ts) = try ABI.parseType(text) else {
            throw X402SError(.abiInvalidType, "types must be a tuple such as (uint256) or (bool,string)")
        }
        let bytes = Array(try boundedInput(data, data_len, "data", limit: maxDocument))
        let values = try ABI.decode(ts, bytes)
        try writeJSON(.array(values.map(ABI.json)), out, out_cap, out_len)
    }
}

@c @implementation
public func x402s_evm_abi_decode_revert(
    _ out: UnsafeMutablePointer<UInt8>?, _ out_cap: Int, _ out_len: UnsafeMutablePointer<Int>?,
    _ data: UnsafePointer<UInt8>?, _ data_len: Int,
    _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        let bytes = Array(try boundedInput(data, data_len, "data", limit: maxDocument))
        try writeJSON(ABI.decodeRevert(bytes).json, out, out_cap, out_len)
    }
}

@c @implementation
public func x402s_x402_evm_settle_call(
    _ out: UnsafeMutablePointer<UInt8>?, _ out_cap: Int, _ out_len: UnsafeMutablePointer<Int>?,
    _ payment_json: UnsafePointer<UInt8>?, _ payment_json_len: Int,
    _ requirements_json: UnsafePointer<UInt8>?, _ requirements_json_len: Int,
    _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        let payment = try X402Payment(json: try jsonInput(payment_json, payment_json_len, "payment_json"))
        let requirements = try X402Requirement(json: try jsonInput(requirements_json, requirements_json_len, "requirements_json"))
        try writeJSON(try X402EvmSettlement.call(payment: payment, requirements: requirements).json, out, out_cap, out_len)
    }
}

@c @implementation
public func x402s_solana_submission(
    _ out: UnsafeMutablePointer<UInt8>?, _ out_cap: Int, _ out_len: UnsafeMutablePointer<Int>?,
    _ tx: UnsafePointer<UInt8>?, _ tx_len: Int,
    _ signer: OpaquePointer?,
    _ message_hash32: UnsafePointer<UInt8>?, _ message_hash32_len: Int,
    _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        let bytes = Array(try boundedInput(tx, tx_len, "tx", limit: maxDocument))
        var feePayer: Ed25519.KeyPair?
        if signer != nil {
            guard case .solana(let pair) = try signerOf(signer) else {
                throw X402SError(.invalidKey, "signer is not an Ed25519 key")
            }
            feePayer = pair
        }
        var expected: [UInt8]?
        if message_hash32 != nil || message_hash32_len != 0 {
            expected = try fixedBytes(message_hash32, message_hash32_len, 32, "message_hash32")
        }
        let submission = try SolanaSubmission(transaction: bytes, feePayer: feePayer, expectedMessageHash: expected)
        try writeJSON(submission.json, out, out_cap, out_len)
    }
}
