/// EIP-712 hashing of the x402 EVM structs, done directly with Keccak-256 over fixed layouts
/// (x402-protocol.md 3.1, 3.6, 3.7); type hashes are computed once. Cross-checked against the
/// generic EIP-712 encoder and the reference vectors in the tests.

/// Constants of the EVM `exact` and `upto` schemes.
public enum X402EvmConstants {
    /// Canonical Permit2 contract (same address on every chain).
    public static let permit2Address = "0x000000000022D473030F116dDEE9F6B43aC78BA3"
    /// `x402ExactPermit2Proxy`: the only allowed spender of `exact` Permit2 payments.
    public static let exactPermit2ProxyAddress = "0x402085c248EeA27D92E8b30b2C58ed07f9E20001"
    /// `x402UptoPermit2Proxy`: the only allowed spender of `upto` payments.
    public static let uptoPermit2ProxyAddress = "0x4020A4f3b7b90ccA423B9fabCc0CE57C6C240002"

    /// `EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)`.
    public static let domainType = "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
    /// The Permit2 domain type (no `version`).
    public static let permit2DomainType = "EIP712Domain(string name,uint256 chainId,address verifyingContract)"
    /// EIP-3009 `TransferWithAuthorization` type.
    public static let transferWithAuthorizationType =
        "TransferWithAuthorization(address from,address to,uint256 value,uint256 validAfter,uint256 validBefore,bytes32 nonce)"
    /// Full encodeType of Permit2 `PermitWitnessTransferFrom` for `exact`.
    public static let exactPermitWitnessType =
        "PermitWitnessTransferFrom(TokenPermissions permitted,address spender,uint256 nonce,uint256 deadline,Witness witness)"
        + "TokenPermissions(address token,uint256 amount)Witness(address to,uint256 validAfter)"
    /// Full encodeType of Permit2 `PermitWitnessTransferFrom` for `upto`.
    public static let uptoPermitWitnessType =
        "PermitWitnessTransferFrom(TokenPermissions permitted,address spender,uint256 nonce,uint256 deadline,Witness witness)"
        + "TokenPermissions(address token,uint256 amount)Witness(address to,address facilitator,uint256 validAfter)"
}

enum X402EvmHash {
    static let domainTypeHash = Keccak256.hash(utf8: X402EvmConstants.domainType)
    static let permit2DomainTypeHash = Keccak256.hash(utf8: X402EvmConstants.permit2DomainType)
    static let transferWithAuthorizationTypeHash = Keccak256.hash(utf8: X402EvmConstants.transferWithAuthorizationType)
    static let exactPermitWitnessTypeHash = Keccak256.hash(utf8: X402EvmConstants.exactPermitWitnessType)
    static let uptoPermitWitnessTypeHash = Keccak256.hash(utf8: X402EvmConstants.uptoPermitWitnessType)
    static let tokenPermissionsTypeHash = Keccak256.hash(utf8: "TokenPermissions(address token,uint256 amount)")
    static let exactWitnessTypeHash = Keccak256.hash(utf8: "Witness(address to,uint256 validAfter)")
    static let uptoWitnessTypeHash = Keccak256.hash(utf8: "Witness(address to,address facilitator,uint256 validAfter)")
    static let permit2NameHash = Keccak256.hash(utf8: "Permit2")
    static let permit2Contract: [UInt8] = (try? Hex.decode(X402EvmConstants.permit2Address)) ?? []

    /// A 20-byte address left-padded to a 32-byte word.
    @inline(__always) static func append(address: [UInt8], to buf: inout [UInt8]) {
        buf.append(contentsOf: repeatElement(0, count: 12))
        buf.append(contentsOf: address)
    }

    /// `hashStruct(EIP712Domain{name, version, chainId, verifyingContract})`.
    static func domainSeparator(name: String, version: String, chainId: UInt64, verifyingContract: [UInt8]) -> [UInt8] {
        var buf = [UInt8]()
        buf.reserveCapacity(160)
        buf += domainTypeHash
        buf += Keccak256.hash(utf8: name)
        buf += Keccak256.hash(utf8: version)
        buf += X402U256.word(chainId)
        append(address: verifyingContract, to: &buf)
        return Keccak256.hash(buf)
    }

    /// `hashStruct(EIP712Domain{name: "Permit2", chainId, verifyingContract: Permit2})`.
    static func permit2DomainSeparator(chainId: UInt64) -> [UInt8] {
        var buf = [UInt8]()
        buf.reserveCapacity(128)
        buf += permit2DomainTypeHash
        buf += permit2NameHash
        buf += X402U256.word(chainId)
        append(address: permit2Contract, to: &buf)
        return Keccak256.hash(buf)
    }

    /// `hashStruct(TransferWithAuthorization{...})`; words are 32-byte big-endian.
    static func transferWithAuthorization(from: [UInt8], to: [UInt8], value: [UInt8], validAfter: [UInt8],
                                          validBefore: [UInt8], nonce: [UInt8]) -> [UInt8] {
        var buf = [UInt8]()
        buf.reserveCapacity(224)
        buf += transferWithAuthorizationTypeHash
        append(address: from, to: &buf)
        append(address: to, to: &buf)
        buf += value
        buf += validAfter
        buf += validBefore
        buf += nonce
        return Keccak256.hash(buf)
    }

    /// `hashStruct(PermitWitnessTransferFrom{...})` for `exact` (`facilitator == nil`) or `upto`.
    static func permitWitnessTransferFrom(token: [UInt8], amount: [UInt8], spender: [UInt8], nonce: [UInt8],
                                          deadline: [UInt8], witnessTo: [UInt8], facilitator: [UInt8]?,
                                          validAfter: [UInt8]) -> [UInt8] {
        var tp = [UInt8]()
        tp.reserveCapacity(96)
        tp += tokenPermissionsTypeHash
        append(address: token, to: &tp)
        tp += amount
        var w = [UInt8]()
        w.reserveCapacity(128)
        w += facilitator == nil ? exactWitnessTypeHash : uptoWitnessTypeHash
        append(address: witnessTo, to: &w)
        if let facilitator { append(address: facilitator, to: &w) }
        w += validAfter
        var buf = [UInt8]()
        buf.reserveCapacity(192)
        buf += facilitator == nil ? exactPermitWitnessTypeHash : uptoPermitWitnessTypeHash
        buf += Keccak256.hash(tp)
        append(address: spender, to: &buf)
        buf += nonce
        buf += deadline
        buf += Keccak256.hash(w)
        return Keccak256.hash(buf)
    }

    /// `keccak256(0x19 0x01 || domainSeparator || structHash)`.
    static func digest(domainSeparator: [UInt8], structHash: [UInt8]) -> [UInt8] {
        var buf = [UInt8]()
        buf.reserveCapacity(66)
        buf.append(0x19)
        buf.append(0x01)
        buf += domainSeparator
        buf += structHash
        return Keccak256.hash(buf)
    }

    static func hashes(domainSeparator: [UInt8], structHash: [UInt8]) -> EIP712Hashes {
        EIP712Hashes(domainSeparator: domainSeparator, structHash: structHash,
                            digest: digest(domainSeparator: domainSeparator, structHash: structHash))
    }
}

/// Lenient parsing of EVM values inside payloads and requirements (the official verifier
/// accepts any case, with or without EIP-55 checksum).
enum X402EvmParse {
    /// `0x` + 40 hex digits in any case -> 20 bytes (checksum not enforced).
    static func address(_ s: String) -> [UInt8]? {
        guard s.utf8.count == 42, s.hasPrefix("0x") || s.hasPrefix("0X"),
              let b = try? Hex.decode(s), b.count == 20 else { return nil }
        return b
    }

    /// Hex with or without `0x`, any case.
    static func hexBytes(_ s: String) -> [UInt8]? {
        guard s.utf8.count <= 4096 else { return nil }
        return try? Hex.decode(s)
    }

    /// A uint256 given as a decimal string or (as Python's `int(...)` path tolerates) a JSON
    /// integer number; leading zeros are allowed, signs and spaces are not.
    static func uint(_ v: JSONValue?) -> [UInt8]? {
        switch v {
        case .string(let s)?: return X402U256.word(decimal: s)
        case .number(let t)?: return X402U256.word(decimal: t)
        default: return nil
        }
    }
}
