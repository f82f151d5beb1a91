// Exported C functions for the Solana helpers and the price-by-decimals conversion
// (include/x402_secure.h, section "Solana accounts and transactions, price units").
// Glue only: every rule lives in Sources/X402Secure/Solana and Sources/X402Secure/X402.
import CX402Secure
import X402Secure

// MARK: - small JSON readers (inputs are caller data: every shape is checked)

/// A required string member of a JSON request object.
private func member(_ object: JSONValue, _ key: String) throws(X402SError) -> String {
    guard case .string(let s)? = object[key] else {
        throw X402SError(.invalidArgument, "request.\(key) is missing or not a string")
    }
    return s
}

/// An optional string member (absent or null means nil).
private func optionalMember(_ object: JSONValue, _ key: String) throws(X402SError) -> String? {
    switch object[key] {
    case nil, .null?: return nil
    case .string(let s)?: return s
    default: throw X402SError(.invalidArgument, "request.\(key) must be a string")
    }
}

/// An optional small unsigned integer member (JSON number), at most `limit`.
private func optionalInteger(_ object: JSONValue, _ key: String, limit: UInt64) throws(X402SError) -> UInt64? {
    switch object[key] {
    case nil, .null?: return nil
    case let value?:
        guard let n = value.uint64Value, n <= limit else {
            throw X402SError(.invalidArgument, "request.\(key) must be an integer in 0...\(limit)")
        }
        return n
    }
}

/// A decimal string of digits only that fits a u64 (an SPL amount).
private func decimalUInt64(_ text: String) -> UInt64? {
    guard !text.isEmpty, text.utf8.count <= 40 else { return nil }
    var value: UInt64 = 0
    for c in text.utf8 {
        guard c >= 0x30, c <= 0x39 else { return nil }
        let (m, o1) = value.multipliedReportingOverflow(by: 10)
        let (a, o2) = m.addingReportingOverflow(UInt64(c - 0x30))
        if o1 || o2 { return nil }
        value = a
    }
    return value
}

/// A base58 Solana public key from a request member.
private func publicKey(_ text: String) throws(X402SError) -> SolanaPublicKey {
    try SolanaPublicKey(base58: text)
}

/// A JSON array of "0x"-hex strings (program-derived-address seeds).
private func seedList(_ json: JSONValue) throws(X402SError) -> [[UInt8]] {
    guard case .array(let items) = json else {
        throw X402SError(.invalidArgument, "seeds must be a JSON array of 0x-hex strings")
    }
    guard items.count <= 64 else { throw X402SError(.invalidArgument, "too many seeds") }
    var seeds: [[UInt8]] = []
    seeds.reserveCapacity(items.count)
    for item in items {
        guard case .string(let s) = item else {
            throw X402SError(.invalidArgument, "every seed must be a 0x-hex string")
        }
        seeds.append(try Hex.decode(s, requirePrefix: true))
    }
    return seeds
}

/// Byte input that may be empty (NULL with length 0) and is at most `limit` bytes.
private func boundedBytes(
    _ pointer: UnsafePointer<UInt8>?, _ length: Int, _ name: StaticString, limit: Int
) throws(X402SError) -> [UInt8] {
    guard length >= 0, length <= limit else { throw X402SError(.inputTooLarge, "\(name) is larger than \(limit) bytes") }
    if length == 0 { return [] }
    guard let pointer else { throw X402SError(.nullArgument, "\(name) is NULL") }
    return Array(UnsafeBufferPointer(start: pointer, count: length))
}

/// The JSON view of a transaction (x402s_solana_decode_transaction).
private func transactionJSON(_ tx: SolanaTransaction) -> JSONValue {
    let m = tx.message
    let header: JSONValue = .array([
        .integer(Int(m.header.numRequiredSignatures)), .integer(Int(m.header.numReadonlySignedAccounts)),
        .integer(Int(m.header.numReadonlyUnsignedAccounts)),
    ])
    let instructions: [JSONValue] = m.instructions.map { ix in
        .object(JSONObject([
            ("programIdIndex", .integer(Int(ix.programIdIndex))),
            ("accounts", .array(ix.accounts.map { .integer(Int($0)) })),
            ("data", .string(Hex.encode(ix.data))),
        ]))
    }
    let lookups: [JSONValue] = m.addressTableLookups.map { l in
        .object(JSONObject([
            ("accountKey", .string(l.accountKey.base58)),
            ("writableIndexes", .array(l.writableIndexes.map { .integer(Int($0)) })),
            ("readonlyIndexes", .array(l.readonlyIndexes.map { .integer(Int($0)) })),
        ]))
    }
    let sanitizeOk = (try? tx.sanitize()) != nil
    return .object(JSONObject([
        ("version", .string(m.version == .v0 ? "v0" : "legacy")),
        ("numSignatures", .integer(tx.signatures.count)),
        ("signatures", .array(tx.signatures.map { .string(Base58.encode($0)) })),
        ("header", header),
        ("accountKeys", .array(m.accountKeys.map { .string($0.base58) })),
        ("recentBlockhash", .string(Base58.encode(m.recentBlockhash))),
        ("instructions", .array(instructions)),
        ("addressTableLookups", .array(lookups)),
        ("messageHex", .string(Hex.encode(tx.messageBytes))),
        ("messageHashBase64", .string(Base64.encode(tx.messageHash))),
        ("sanitizeOk", .bool(sanitizeOk)),
    ]))
}

// MARK: - prices

@c @implementation
public func x402s_x402_price_to_atomic_units(
    _ out: UnsafeMutablePointer<UInt8>?, _ out_cap: Int, _ out_len: UnsafeMutablePointer<Int>?,
    _ price: UnsafePointer<UInt8>?, _ price_len: Int, _ decimals: UInt32,
    _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        let text = try textInput(price, price_len, "price", limit: 256)
        guard decimals <= 255 else { throw X402SError(.invalidArgument, "decimals is out of range") }
        try writeText(try X402Price.atomicUnits(text, decimals: Int(decimals)), out, out_cap, out_len, "out")
    }
}

// MARK: - accounts

@c @implementation
public func x402s_solana_is_on_curve(
    _ bytes32: UnsafePointer<UInt8>?, _ bytes32_len: Int, _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        let bytes = try boundedBytes(bytes32, bytes32_len, "bytes32", limit: 4096)
        guard bytes.count == 32, SolanaPublicKey.isOnCurve(bytes) else {
            throw X402SError(.verifyFailed, "the bytes are not a point of the Ed25519 curve")
        }
    }
}

@c @implementation
public func x402s_solana_public_key_decode(
    _ out32: UnsafeMutablePointer<UInt8>?, _ out32_cap: Int,
    _ text: UnsafePointer<UInt8>?, _ text_len: Int, _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        _ = try checkFixedOutput(out32, out32_cap, 32, "out32")
        let s = try textInput(text, text_len, "text", limit: 4096)
        try writeFixed(try SolanaPublicKey(base58: s).bytes, out32, out32_cap, "out32")
    }
}

@c @implementation
public func x402s_solana_create_program_address(
    _ out: UnsafeMutablePointer<UInt8>?, _ out_cap: Int, _ out_len: UnsafeMutablePointer<Int>?,
    _ seeds_json: UnsafePointer<UInt8>?, _ seeds_json_len: Int,
    _ program_id: UnsafePointer<UInt8>?, _ program_id_len: Int,
    _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        let seeds = try seedList(try jsonInput(seeds_json, seeds_json_len, "seeds_json"))
        let program = try publicKey(try textInput(program_id, program_id_len, "program_id", limit: 256))
        let address = try SolanaPublicKey.createProgramAddress(seeds: seeds, programId: program)
        try writeText(address.base58, out, out_cap, out_len, "out")
    }
}

@c @implementation
public func x402s_solana_find_program_address(
    _ out: UnsafeMutablePointer<UInt8>?, _ out_cap: Int, _ out_len: UnsafeMutablePointer<Int>?,
    _ seeds_json: UnsafePointer<UInt8>?, _ seeds_json_len: Int,
    _ program_id: UnsafePointer<UInt8>?, _ program_id_len: Int,
    _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        let seeds = try seedList(try jsonInput(seeds_json, seeds_json_len, "seeds_json"))
        let program = try publicKey(try textInput(program_id, program_id_len, "program_id", limit: 256))
        let found = try SolanaPublicKey.findProgramAddress(seeds: seeds, programId: program)
        let result = JSONObject([("address", .string(found.address.base58)), ("bump", .integer(Int(found.bump)))])
        try writeJSON(.object(result), out, out_cap, out_len)
    }
}

@c @implementation
public func x402s_solana_associated_token_address(
    _ out: UnsafeMutablePointer<UInt8>?, _ out_cap: Int, _ out_len: UnsafeMutablePointer<Int>?,
    _ owner: UnsafePointer<UInt8>?, _ owner_len: Int,
    _ mint: UnsafePointer<UInt8>?, _ mint_len: Int,
    _ token_program: UnsafePointer<UInt8>?, _ token_program_len: Int,
    _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        let ownerKey = try publicKey(try textInput(owner, owner_len, "owner", limit: 256))
        let mintKey = try publicKey(try textInput(mint, mint_len, "mint", limit: 256))
        let program = try optionalTextInput(token_program, token_program_len, "token_program")
            .map { p throws(X402SError) in try publicKey(p) } ?? .tokenProgram
        let address = try SolanaPublicKey.associatedTokenAddress(owner: ownerKey, mint: mintKey, tokenProgram: program)
        try writeText(address.base58, out, out_cap, out_len, "out")
    }
}

// MARK: - messages and transactions

@c @implementation
public func x402s_solana_compile_message_v0(
    _ out: UnsafeMutablePointer<UInt8>?, _ out_cap: Int, _ out_len: UnsafeMutablePointer<Int>?,
    _ request_json: UnsafePointer<UInt8>?, _ request_json_len: Int,
    _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        let request = try jsonInput(request_json, request_json_len, "request_json")
        let payer = try publicKey(try member(request, "payer"))
        let blockhash = try Base58.decode(try member(request, "recentBlockhash"))
        guard case .array(let list)? = request["instructions"] else {
            throw X402SError(.invalidArgument, "request.instructions must be an array")
        }
        var instructions: [SolanaInstruction] = []
        for ix in list {
            guard case .object = ix else { throw X402SError(.invalidArgument, "every instruction must be an object") }
            var metas: [SolanaAccountMeta] = []
            if let accounts = ix["accounts"] {
                guard case .array(let items) = accounts else {
                    throw X402SError(.invalidArgument, "instruction.accounts must be an array")
                }
                for a in items {
                    guard case .object = a else { throw X402SError(.invalidArgument, "every account must be an object") }
                    func flag(_ key: String) throws(X402SError) -> Bool {
                        switch a[key] {
                        case nil, .null?: return false
                        case .bool(let b)?: return b
                        default: throw X402SError(.invalidArgument, "account.\(key) must be a boolean")
                        }
                    }
                    metas.append(SolanaAccountMeta(
                        publicKey: try publicKey(try member(a, "publicKey")),
                        isSigner: try flag("isSigner"), isWritable: try flag("isWritable")))
                }
            }
            let data = try optionalMember(ix, "data").map { d throws(X402SError) in try Hex.decode(d) } ?? []
            instructions.append(SolanaInstruction(programId: try publicKey(try member(ix, "programId")), accounts: metas, data: data))
        }
        let message = try SolanaMessage.compileV0(payer: payer, instructions: instructions, recentBlockhash: blockhash)
        let bytes = try message.serialize()
        let h = message.header
        let result = JSONObject([
            ("messageHex", .string(Hex.encode(bytes))),
            ("accountKeys", .array(message.accountKeys.map { .string($0.base58) })),
            ("header", .array([
                .integer(Int(h.numRequiredSignatures)), .integer(Int(h.numReadonlySignedAccounts)),
                .integer(Int(h.numReadonlyUnsignedAccounts)),
            ])),
        ])
        try writeJSON(.object(result), out, out_cap, out_len)
    }
}

@c @implementation
public func x402s_solana_decode_transaction(
    _ out: UnsafeMutablePointer<UInt8>?, _ out_cap: Int, _ out_len: UnsafeMutablePointer<Int>?,
    _ tx: UnsafePointer<UInt8>?, _ tx_len: Int,
    _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        let bytes = try boundedBytes(tx, tx_len, "tx", limit: Int(X402S_MAX_DOCUMENT_BYTES))
        try writeJSON(transactionJSON(try SolanaTransaction(bytes: bytes)), out, out_cap, out_len)
    }
}

@c @implementation
public func x402s_solana_sanitize_transaction(
    _ tx: UnsafePointer<UInt8>?, _ tx_len: Int, _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        let bytes = try boundedBytes(tx, tx_len, "tx", limit: Int(X402S_MAX_DOCUMENT_BYTES))
        try SolanaTransaction(bytes: bytes).sanitize()
    }
}

@c @implementation
public func x402s_solana_sign_transaction(
    _ out: UnsafeMutablePointer<UInt8>?, _ out_cap: Int, _ out_len: UnsafeMutablePointer<Int>?,
    _ tx: UnsafePointer<UInt8>?, _ tx_len: Int,
    _ seed32: UnsafePointer<UInt8>?, _ seed32_len: Int,
    _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        let bytes = try boundedBytes(tx, tx_len, "tx", limit: Int(X402S_MAX_DOCUMENT_BYTES))
        let keyPair = try Ed25519.KeyPair(seed: try fixedInput(seed32, seed32_len, 32, "seed32"))
        let signed = try SolanaTransaction(bytes: bytes).signed(by: keyPair)
        try writeVariable(signed.serialize(), out, out_cap, out_len, "out")
    }
}

// MARK: - the x402 exact scheme on Solana, with raw parameters

@c @implementation
public func x402s_solana_exact_build(
    _ out: UnsafeMutablePointer<UInt8>?, _ out_cap: Int, _ out_len: UnsafeMutablePointer<Int>?,
    _ request_json: UnsafePointer<UInt8>?, _ request_json_len: Int,
    _ seed32: UnsafePointer<UInt8>?, _ seed32_len: Int,
    _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        let request = try jsonInput(request_json, request_json_len, "request_json")
        let signer = try Ed25519.KeyPair(seed: try fixedInput(seed32, seed32_len, 32, "seed32"))
        guard let amount = decimalUInt64(try member(request, "amount")) else {
            throw X402SError(.x402InvalidAmount, "request.amount must be a decimal string that fits a u64")
        }
        guard let decimals = try optionalInteger(request, "decimals", limit: 255) else {
            throw X402SError(.invalidArgument, "request.decimals is missing")
        }
        let program = try optionalMember(request, "tokenProgram").map { p throws(X402SError) in try publicKey(p) } ?? .tokenProgram
        let blockhashText = try member(request, "recentBlockhash")
        let blockhash = blockhashText.hasPrefix("0x") ? try Hex.decode(blockhashText) : try Base58.decode(blockhashText)
        let memoNonce = try optionalMember(request, "memoNonce").map { n throws(X402SError) in try Hex.decode(n) }
        let tx = try SolanaExact.buildPaymentTransaction(
            signer: signer, feePayer: try publicKey(try member(request, "feePayer")),
            payTo: try publicKey(try member(request, "payTo")), mint: try publicKey(try member(request, "mint")),
            decimals: UInt8(decimals), tokenProgram: program, amount: amount,
            memo: try optionalMember(request, "memo"), recentBlockhash: blockhash, memoNonce: memoNonce)
        try writeVariable(tx, out, out_cap, out_len, "out")
    }
}

@c @implementation
public func x402s_solana_exact_verify(
    _ out: UnsafeMutablePointer<UInt8>?, _ out_cap: Int, _ out_len: UnsafeMutablePointer<Int>?,
    _ request_json: UnsafePointer<UInt8>?, _ request_json_len: Int,
    _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        let request = try jsonInput(request_json, request_json_len, "request_json")
        var signers: [SolanaPublicKey]?
        switch request["facilitatorSigners"] {
        case nil, .null?: signers = nil
        case .array(let items)?:
            var keys: [SolanaPublicKey] = []
            for item in items {
                guard case .string(let s) = item else {
                    throw X402SError(.invalidArgument, "request.facilitatorSigners must hold base58 strings")
                }
                keys.append(try publicKey(s))
            }
            signers = keys
        default: throw X402SError(.invalidArgument, "request.facilitatorSigners must be an array")
        }
        let v = try SolanaExact.verify(
            transactionBase64: try member(request, "transactionBase64"), network: try member(request, "network"),
            asset: try member(request, "asset"), payTo: try member(request, "payTo"), amount: try member(request, "amount"),
            feePayer: try optionalMember(request, "feePayer"), memo: try optionalMember(request, "memo"),
            decimals: try optionalInteger(request, "decimals", limit: 255).map { UInt8($0) },
            facilitatorSigners: signers)
        var result = JSONObject([("isValid", .bool(v.isValid))])
        if let reason = v.reason { result["reason"] = .string(reason.rawValue) }
        if let payer = v.payer { result["payer"] = .string(payer) }
        if let hash = v.messageHashBase64 { result["messageHashBase64"] = .string(hash) }
        result["message"] = .string(v.message)
        try writeJSON(.object(result), out, out_cap, out_len)
        guard v.isValid else {
            throw X402SError(.x402PaymentInvalid, "payment is invalid: \(v.reason?.rawValue ?? "unknown")")
        }
    }
}
