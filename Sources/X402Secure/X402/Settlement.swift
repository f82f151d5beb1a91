/// The transaction a facilitator sends to settle an EVM x402 payment: what to call, on which
/// contract, and the key that identifies the authorization (so one authorization is settled
/// once).
public struct X402EvmSettleCall: Sendable, Equatable {
    /// How the payment settles: `eip3009` (v, r, s overload), `eip3009Bytes` (`bytes
    /// signature` overload: EIP-1271 / ERC-6492 signatures of another length), `permit2`
    /// (x402ExactPermit2Proxy.settle), `upto` (x402UptoPermit2Proxy.settle).
    public let method: String
    /// The chain id of the network.
    public let chainId: UInt64
    /// The contract called: the token (EIP-3009) or the Permit2 proxy.
    public let to: EvmAddress
    /// The function signature called (canonical text).
    public let function: String
    /// The calldata: selector and ABI-encoded arguments.
    public let data: [UInt8]
    /// The payer (`authorization.from` / `permit2Authorization.from`).
    public let payer: EvmAddress
    /// The token.
    public let asset: EvmAddress
    /// The recipient (`payTo`).
    public let recipient: EvmAddress
    /// The amount the transfer moves.
    public let amount: UInt256
    /// Identifies the authorization on its chain (the replay guard's key): EIP-3009
    /// `0x01 || chainId || asset || from || nonce`, Permit2 `0x03 || chainId || from || nonce`.
    public let settlementKey: [UInt8]
    /// The authorization nonce (EIP-3009: 32 bytes; Permit2: the uint256 word).
    public let nonce: [UInt8]

    /// Calldata of the token's `balanceOf(payer)` (a facilitator's balance check).
    public var balanceOfData: [UInt8] {
        (try? ABI.encodeCall(signature: X402EvmSettlement.balanceOf, args: [.address(payer)])) ?? []
    }

    /// Calldata of `authorizationState(payer, nonce)` (EIP-3009 only: nil for Permit2).
    public var authorizationStateData: [UInt8]? {
        guard method.hasPrefix("eip3009") else { return nil }
        return try? ABI.encodeCall(signature: X402EvmSettlement.authorizationState,
                                   args: [.address(payer), .fixedBytes(nonce)])
    }

    /// The JSON view: `{"method", "chainId", "to", "function", "data", "payer", "asset",
    /// "recipient", "amount", "settlementKey", "nonce", "balanceOfData", "authorizationStateData"?}`
    /// (addresses checksummed, bytes "0x" hex, amount and chain id as decimal strings).
    public var json: JSONValue {
        var o = JSONObject([
            ("method", .string(method)),
            ("chainId", .string(String(chainId))),
            ("to", .string(to.checksummed)),
            ("function", .string(function)),
            ("data", .string(Hex.encode(data))),
            ("payer", .string(payer.checksummed)),
            ("asset", .string(asset.checksummed)),
            ("recipient", .string(recipient.checksummed)),
            ("amount", .string(amount.decimalString)),
            ("settlementKey", .string(Hex.encode(settlementKey))),
            ("nonce", .string(Hex.encode(nonce))),
            ("balanceOfData", .string(Hex.encode(balanceOfData))),
        ])
        if let a = authorizationStateData { o["authorizationStateData"] = .string(Hex.encode(a)) }
        return .object(o)
    }
}

/// Builds the settlement call of a verified EVM payment (x402-protocol.md 3.5 settle, 3.6, 3.7).
public enum X402EvmSettlement {
    /// FiatToken / EIP-3009, 65-byte ECDSA signature split into v, r, s.
    public static let transferWithAuthorizationVRS =
        "transferWithAuthorization(address,address,uint256,uint256,uint256,bytes32,uint8,bytes32,bytes32)"
    /// FiatToken v2.2 overload for signatures of any length (EIP-1271 wallets).
    public static let transferWithAuthorizationBytes =
        "transferWithAuthorization(address,address,uint256,uint256,uint256,bytes32,bytes)"
    /// x402ExactPermit2Proxy.settle(permit, owner, witness, signature).
    public static let exactPermit2Settle = "settle(((address,uint256),uint256,uint256),address,(address,uint256),bytes)"
    /// x402UptoPermit2Proxy.settle(permit, amount, owner, witness, signature).
    public static let uptoPermit2Settle =
        "settle(((address,uint256),uint256,uint256),uint256,address,(address,address,uint256),bytes)"
    /// ERC-20 balanceOf(owner).
    public static let balanceOf = "balanceOf(address)"
    /// EIP-3009 authorizationState(authorizer, nonce): true once the nonce is used or canceled.
    public static let authorizationState = "authorizationState(address,bytes32)"

    static func invalid(_ m: String) -> X402SError { X402SError(.x402InvalidPayload, m) }

    /// The call that settles `payment` against `requirements`.
    ///
    /// It does not verify: call ``X402Verifier`` first (and the chain checks). It parses the
    /// same fields strictly and throws when they cannot make a call.
    /// - Throws: ``X402SStatus/x402InvalidPayload`` (missing or malformed authorization
    ///   fields), ``X402SStatus/x402InvalidRequirements`` (asset, payTo, amount),
    ///   ``X402SStatus/x402UnknownNetwork`` (not an EVM network),
    ///   ``X402SStatus/x402UnsupportedScheme``, ``X402SStatus/x402PaymentInvalid`` (upto:
    ///   the amount to settle exceeds the signed maximum).
    public static func call(payment: X402Payment, requirements r: X402Requirement) throws(X402SError) -> X402EvmSettleCall {
        let chainId: UInt64
        do { chainId = try X402EvmClient.chainId(r) } catch {
            throw X402SError(.x402UnknownNetwork, "the requirements' network is not an EVM network")
        }
        guard let asset = X402EvmParse.address(r.asset), let payTo = X402EvmParse.address(r.payTo) else {
            throw X402SError(.x402InvalidRequirements, "the requirements' asset and payTo must be EVM addresses")
        }
        guard let amountWord = X402U256.word(decimal: r.amount) else {
            throw X402SError(.x402InvalidRequirements, "the requirements' amount is not a decimal integer")
        }
        let amount = (try? UInt256(bigEndian: amountWord)) ?? .zero
        let p = payment.payload
        guard case .string(let sigText)? = p["signature"], let sig = X402EvmParse.hexBytes(sigText), !sig.isEmpty else {
            throw invalid("payload.signature is missing or not hex")
        }
        if case .object(let auth)? = p["authorization"], payment.scheme == "exact" {
            return try eip3009(auth, sig: sig, chainId: chainId, asset: asset, payTo: payTo, amount: amount)
        }
        if case .object(let auth)? = p["permit2Authorization"], payment.x402Version == 2,
           payment.scheme == "exact" || payment.scheme == "upto" {
            return try permit2(auth, sig: sig, upto: payment.scheme == "upto", chainId: chainId, asset: asset,
                               payTo: payTo, amount: amount)
        }
        throw X402SError(.x402UnsupportedScheme, "not an EVM exact (EIP-3009, Permit2) or upto payment")
    }

    static func address(_ o: JSONObject, _ k: String) throws(X402SError) -> EvmAddress {
        guard case .string(let s)? = o[k], let b = X402EvmParse.address(s) else { throw invalid("\(k) is not an EVM address") }
        return EvmAddress(unchecked: b)
    }

    static func uint(_ o: JSONObject, _ k: String) throws(X402SError) -> UInt256 {
        guard let w = X402EvmParse.uint(o[k]), let v = try? UInt256(bigEndian: w) else {
            throw invalid("\(k) is not a decimal integer below 2^256")
        }
        return v
    }

    static func eip3009(_ auth: JSONObject, sig: [UInt8], chainId: UInt64, asset: [UInt8], payTo: [UInt8],
                        amount: UInt256) throws(X402SError) -> X402EvmSettleCall {
        let from = try address(auth, "from"), to = try address(auth, "to")
        let value = try uint(auth, "value"), validAfter = try uint(auth, "validAfter"), validBefore = try uint(auth, "validBefore")
        guard case .string(let nt)? = auth["nonce"], let nonce = X402EvmParse.hexBytes(nt), nonce.count == 32 else {
            throw invalid("authorization.nonce must be 32 bytes of hex")
        }
        guard to.bytes == payTo else { throw invalid("authorization.to differs from payTo") }
        guard value == amount else { throw invalid("authorization.value differs from the required amount") }
        let head: [ABIValue] = [.address(from), .address(to), .uint(value), .uint(validAfter), .uint(validBefore), .fixedBytes(nonce)]
        let function: String, args: [ABIValue], method: String
        if sig.count == 65 {
            var v = sig[64]
            if v == 0 || v == 1 { v += 27 }
            guard v == 27 || v == 28 else { throw invalid("signature v must be 27, 28, 0 or 1") }
            function = transferWithAuthorizationVRS
            args = head + [.uint(UInt256(UInt64(v))), .fixedBytes(Array(sig[0..<32])), .fixedBytes(Array(sig[32..<64]))]
            method = "eip3009"
        } else {
            function = transferWithAuthorizationBytes
            args = head + [.bytes(sig)]
            method = "eip3009Bytes"
        }
        let data = try ABI.encodeCall(signature: function, args: args)
        let assetAddress = EvmAddress(unchecked: asset)
        return X402EvmSettleCall(
            method: method, chainId: chainId, to: assetAddress, function: function, data: data, payer: from,
            asset: assetAddress, recipient: to, amount: value,
            settlementKey: X402ReplayGuard.eip3009Key(chainId: chainId, asset: asset, payer: from.bytes, nonce: nonce),
            nonce: nonce)
    }

    static func permit2(_ auth: JSONObject, sig: [UInt8], upto: Bool, chainId: UInt64, asset: [UInt8], payTo: [UInt8],
                        amount: UInt256) throws(X402SError) -> X402EvmSettleCall {
        let from = try address(auth, "from")
        guard case .object(let permitted)? = auth["permitted"], case .object(let witness)? = auth["witness"] else {
            throw invalid("permit2Authorization needs permitted and witness objects")
        }
        let token = try address(permitted, "token"), permittedAmount = try uint(permitted, "amount")
        let nonce = try uint(auth, "nonce"), deadline = try uint(auth, "deadline")
        let to = try address(witness, "to"), validAfter = try uint(witness, "validAfter")
        guard token.bytes == asset else { throw invalid("permitted.token differs from the asset") }
        guard to.bytes == payTo else { throw invalid("witness.to differs from payTo") }
        let permit: ABIValue = .tuple([.tuple([.address(token), .uint(permittedAmount)]), .uint(nonce), .uint(deadline)])
        let proxyText = upto ? X402EvmConstants.uptoPermit2ProxyAddress : X402EvmConstants.exactPermit2ProxyAddress
        let proxy = EvmAddress(unchecked: X402EvmParse.address(proxyText) ?? [])
        let function: String, args: [ABIValue]
        if upto {
            let facilitator = try address(witness, "facilitator")
            guard amount <= permittedAmount else {
                throw X402SError(.x402PaymentInvalid, "the amount to settle exceeds the signed maximum")
            }
            function = uptoPermit2Settle
            args = [permit, .uint(amount), .address(from), .tuple([.address(to), .address(facilitator), .uint(validAfter)]), .bytes(sig)]
        } else {
            guard permittedAmount == amount else { throw invalid("permitted.amount differs from the required amount") }
            function = exactPermit2Settle
            args = [permit, .address(from), .tuple([.address(to), .uint(validAfter)]), .bytes(sig)]
        }
        let nonceWord = nonce.bigEndianBytes
        return X402EvmSettleCall(
            method: upto ? "upto" : "permit2", chainId: chainId, to: proxy, function: function,
            data: try ABI.encodeCall(signature: function, args: args), payer: from, asset: token, recipient: to,
            amount: upto ? amount : permittedAmount,
            settlementKey: X402ReplayGuard.permit2Key(chainId: chainId, payer: from.bytes, nonce: nonceWord),
            nonce: nonceWord)
    }
}
