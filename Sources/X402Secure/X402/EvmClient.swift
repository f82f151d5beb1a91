/// EVM payment creation: `exact` with EIP-3009 (v1 and v2), `exact` with Permit2 and `upto`
/// (v2), following x402 2.25.0's client (x402-protocol.md 3.1-3.7).
///
/// Time conventions (x402 2.25.0, documented in docs/VERIFY.md):
/// - v2 EIP-3009: `validAfter = "0"`, `validBefore = now + (maxTimeoutSeconds or 3600)`.
/// - v2 Permit2 (`exact` and `upto`): `witness.validAfter = "0"`,
///   `deadline = now + (maxTimeoutSeconds or 3600)`; `upto` rejects `maxTimeoutSeconds == 0`.
/// - v1 EIP-3009: `validAfter = now - 600` (0 if `now` < 600),
///   `validBefore = now + (maxTimeoutSeconds or 600)`.
enum X402EvmClient {
    /// The EIP-712 domain of an EIP-3009 requirement: `name`/`version` from `extra`, falling
    /// back to the network table for a known asset (as x402 2.25.0 does); version defaults to "1".
    static func eip712Domain(_ r: X402Requirement) throws(X402SError) -> (name: String, version: String) {
        let extra = r.extra
        var name: String?
        var version: String?
        if let n = extra["name"] {
            guard case .string(let s) = n else { throw X402SError(.x402InvalidRequirements, "extra.name must be a string") }
            name = s
        }
        if let v = extra["version"] {
            guard case .string(let s) = v else { throw X402SError(.x402InvalidRequirements, "extra.version must be a string") }
            version = s
        }
        let known = Networks.asset(network: r.network, address: r.asset).flatMap { a in
            a.eip712Name.map { (name: $0, version: a.eip712Version ?? "1") }
        }
        if r.x402Version == 2 {
            // 2.25.0: without extra.name, both name and version come from the table.
            if name == nil, let known { name = known.name; version = known.version }
        } else if name == nil || version == nil, let known {
            // 2.25.0 v1: fill whichever is missing from the table.
            name = name ?? known.name
            version = version ?? known.version
        }
        guard let name else {
            throw X402SError(.x402InvalidRequirements, "EIP-712 domain name required in extra (asset not in the network table)")
        }
        return (name, version ?? "1")
    }

    /// The chain id of a requirement: `eip155:<n>` for v2, a v1 EVM name for v1.
    static func chainId(_ r: X402Requirement) throws(X402SError) -> UInt64 {
        if r.x402Version == 2 {
            guard r.network.hasPrefix("eip155:") else {
                throw X402SError(.x402UnknownNetwork, "a v2 EVM network must be eip155:<chainId>")
            }
            return try Networks.evmChainId(r.network)
        }
        guard let n = Networks.lookup(r.network), n.family == .evm, let id = n.chainId, n.v1Names.contains(r.network) else {
            throw X402SError(.x402UnknownNetwork, "unknown v1 EVM network name")
        }
        return id
    }

    static func address(_ s: String, _ field: String) throws(X402SError) -> [UInt8] {
        guard let a = X402EvmParse.address(s) else {
            throw X402SError(.x402InvalidRequirements, "\(field) is not an EVM address (0x + 40 hex digits)")
        }
        return a
    }

    static func amountWord(_ r: X402Requirement) throws(X402SError) -> [UInt8] {
        guard let w = X402U256.word(decimal: r.amount, canonical: true) else {
            throw X402SError(.x402InvalidRequirements, "amount must be a canonical decimal string of atomic units below 2^256")
        }
        return w
    }

    static func checked(_ a: UInt64, plus b: UInt64) throws(X402SError) -> UInt64 {
        let (s, o) = a.addingReportingOverflow(b)
        if o { throw X402SError(.invalidArgument, "time window overflows 64 bits") }
        return s
    }

    /// EIP-3009 `exact` payload `{"authorization":{...},"signature":"0x..."}` for v1 or v2.
    static func eip3009(_ r: X402Requirement, key: Secp256k1.PrivateKey, now: UInt64, nonce: [UInt8])
        throws(X402SError) -> (payload: JSONObject, hashes: EIP712Hashes)
    {
        guard nonce.count == 32 else { throw X402SError(.invalidLength, "an EIP-3009 nonce is 32 bytes") }
        let chain = try chainId(r)
        let domain = try eip712Domain(r)
        let asset = try address(r.asset, "asset")
        let to = try address(r.payTo, "payTo")
        let value = try amountWord(r)
        let validAfter: UInt64
        let validBefore: UInt64
        if r.x402Version == 1 {
            validAfter = now >= 600 ? now - 600 : 0
            validBefore = try checked(now, plus: r.maxTimeoutSeconds == 0 ? 600 : r.maxTimeoutSeconds)
        } else {
            validAfter = 0
            validBefore = try checked(now, plus: r.maxTimeoutSeconds == 0 ? 3600 : r.maxTimeoutSeconds)
        }
        let from = key.address
        let ds = X402EvmHash.domainSeparator(name: domain.name, version: domain.version, chainId: chain, verifyingContract: asset)
        let sh = X402EvmHash.transferWithAuthorization(
            from: from.bytes, to: to, value: value, validAfter: X402U256.word(validAfter),
            validBefore: X402U256.word(validBefore), nonce: nonce)
        let hashes = X402EvmHash.hashes(domainSeparator: ds, structHash: sh)
        let signature = try key.sign(digest: hashes.digest)
        var auth = X402Writer()
        auth.put("from", from.checksummed)
        auth.put("to", r.payTo)
        auth.put("value", r.amount)
        auth.put("validAfter", String(validAfter))
        auth.put("validBefore", String(validBefore))
        auth.put("nonce", Hex.encode(nonce))
        var p = X402Writer()
        p.put("authorization", auth.value)
        p.put("signature", Hex.encode(signature))
        return (p.object, hashes)
    }

    /// Permit2 payload `{"permit2Authorization":{...},"signature":"0x..."}` for v2 `exact`
    /// (`upto == false`) or `upto`.
    static func permit2(_ r: X402PaymentRequirements, upto: Bool, key: Secp256k1.PrivateKey, now: UInt64, nonce: [UInt8])
        throws(X402SError) -> (payload: JSONObject, hashes: EIP712Hashes)
    {
        guard nonce.count == 32 else { throw X402SError(.invalidLength, "a Permit2 nonce is 32 bytes (uint256)") }
        let req = X402Requirement.v2(r)
        let chain = try chainId(req)
        let token = try address(r.asset, "asset")
        let to = try address(r.payTo, "payTo")
        let amount = try amountWord(req)
        var facilitator: [UInt8]?
        if upto {
            guard case .string(let f)? = r.extra["facilitatorAddress"], !f.isEmpty else {
                throw X402SError(.x402InvalidRequirements, "upto requires extra.facilitatorAddress")
            }
            facilitator = try address(f, "extra.facilitatorAddress")
            guard r.maxTimeoutSeconds > 0 else {
                throw X402SError(.x402InvalidRequirements, "upto requires maxTimeoutSeconds > 0")
            }
        }
        let deadline = try checked(now, plus: r.maxTimeoutSeconds == 0 ? 3600 : r.maxTimeoutSeconds)
        let spenderText = upto ? X402EvmConstants.uptoPermit2ProxyAddress : X402EvmConstants.exactPermit2ProxyAddress
        let spender = try address(spenderText, "spender")
        let zero = X402U256.word(0)
        let ds = X402EvmHash.permit2DomainSeparator(chainId: chain)
        let sh = X402EvmHash.permitWitnessTransferFrom(
            token: token, amount: amount, spender: spender, nonce: nonce, deadline: X402U256.word(deadline),
            witnessTo: to, facilitator: facilitator, validAfter: zero)
        let hashes = X402EvmHash.hashes(domainSeparator: ds, structHash: sh)
        let signature = try key.sign(digest: hashes.digest)
        var permitted = X402Writer()
        permitted.put("token", try EvmAddress(bytes: token).checksummed)
        permitted.put("amount", r.amount)
        var witness = X402Writer()
        witness.put("to", try EvmAddress(bytes: to).checksummed)
        if let facilitator { witness.put("facilitator", try EvmAddress(bytes: facilitator).checksummed) }
        witness.put("validAfter", "0")
        var auth = X402Writer()
        auth.put("from", key.address.checksummed)
        auth.put("permitted", permitted.value)
        auth.put("spender", spenderText)
        auth.put("nonce", X402U256.decimal(bigEndian: nonce))
        auth.put("deadline", String(deadline))
        auth.put("witness", witness.value)
        var p = X402Writer()
        p.put("permit2Authorization", auth.value)
        p.put("signature", Hex.encode(signature))
        return (p.object, hashes)
    }
}
