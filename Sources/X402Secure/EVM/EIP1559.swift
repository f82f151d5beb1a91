/// Numbers in the JSON views of EVM transactions and ABI values.
enum EvmQuantity {
    /// A non-negative integer below 2^256: a JSON integer, a decimal string, or a `"0x"` hex
    /// quantity string (either digit case). Nothing else: no signs, spaces, fractions or
    /// exponents, no empty digits.
    static func parse(_ v: JSONValue?, _ field: String, _ status: X402SStatus) throws(X402SError) -> UInt256 {
        let text: String
        switch v {
        case .number(let t)?: text = t
        case .string(let s)?: text = s
        default: throw X402SError(status, "\(field) must be a non-negative integer (number, decimal or 0x-hex string)")
        }
        do throws(X402SError) {
            if text.hasPrefix("0x") || text.hasPrefix("0X") {
                guard text.utf8.count > 2 else { throw X402SError(.invalidNumber, "") }
                return try UInt256(hex: text)
            }
            return try UInt256(decimal: text)
        } catch {
            throw X402SError(status, "\(field) must be a non-negative integer below 2^256")
        }
    }

    static func parse64(_ v: JSONValue?, _ field: String, _ status: X402SStatus) throws(X402SError) -> UInt64 {
        guard let u = try parse(v, field, status).uint64Value else {
            throw X402SError(status, "\(field) must be below 2^64")
        }
        return u
    }
}

/// An EIP-2930 access-list entry.
public struct EvmAccessListEntry: Hashable, Sendable {
    /// The account.
    public var address: EvmAddress
    /// Its storage keys, 32 bytes each.
    public var storageKeys: [[UInt8]]

    /// Creates an entry.
    public init(address: EvmAddress, storageKeys: [[UInt8]] = []) {
        self.address = address
        self.storageKeys = storageKeys
    }
}

/// An EIP-1559 (type 2) transaction, unsigned.
///
/// Field rules (checked by every initialiser): `chainId` >= 1 (EIP-155 replay protection;
/// the chain id is inside the signed payload), `nonce` < 2^64 - 1 (EIP-2681), `gasLimit`
/// < 2^64, `maxPriorityFeePerGas` <= `maxFeePerGas`, storage keys of 32 bytes.
public struct EIP1559Transaction: Hashable, Sendable {
    /// The transaction type byte.
    public static let type: UInt8 = 2

    public var chainId: UInt256
    public var nonce: UInt64
    public var maxPriorityFeePerGas: UInt256
    public var maxFeePerGas: UInt256
    public var gasLimit: UInt64
    /// The callee; nil creates a contract.
    public var to: EvmAddress?
    public var value: UInt256
    public var data: [UInt8]
    public var accessList: [EvmAccessListEntry]

    /// Creates a transaction.
    /// - Throws: ``X402SStatus/evmInvalidTransaction`` when a field rule fails.
    public init(chainId: UInt256, nonce: UInt64, maxPriorityFeePerGas: UInt256, maxFeePerGas: UInt256,
                gasLimit: UInt64, to: EvmAddress?, value: UInt256 = .zero, data: [UInt8] = [],
                accessList: [EvmAccessListEntry] = []) throws(X402SError) {
        self.chainId = chainId
        self.nonce = nonce
        self.maxPriorityFeePerGas = maxPriorityFeePerGas
        self.maxFeePerGas = maxFeePerGas
        self.gasLimit = gasLimit
        self.to = to
        self.value = value
        self.data = data
        self.accessList = accessList
        try check()
    }

    func check() throws(X402SError) {
        guard !chainId.isZero else { throw X402SError(.evmInvalidTransaction, "chainId must be at least 1") }
        guard nonce < UInt64.max else { throw X402SError(.evmInvalidTransaction, "nonce must be below 2^64 - 1 (EIP-2681)") }
        guard maxPriorityFeePerGas <= maxFeePerGas else {
            throw X402SError(.evmInvalidTransaction, "maxPriorityFeePerGas exceeds maxFeePerGas")
        }
        for e in accessList where e.storageKeys.contains(where: { $0.count != 32 }) {
            throw X402SError(.evmInvalidTransaction, "an access-list storage key is not 32 bytes")
        }
    }

    /// The JSON members an unsigned transaction may have.
    static let members: Set<String> = [
        "type", "chainId", "nonce", "maxPriorityFeePerGas", "maxFeePerGas", "gas", "to", "value", "data",
        "accessList", "from",
    ]

    /// Parses `{"chainId", "nonce", "maxPriorityFeePerGas", "maxFeePerGas", "gas", "to"?,
    /// "value"?, "data"?, "accessList"?, "type"?, "from"?}` (eth_account's field names).
    ///
    /// Numbers are JSON integers, decimal strings or `"0x"` hex quantities. `to` absent or
    /// null creates a contract. `type`, when present, must be 2. `from` is not part of the
    /// transaction; when present it is returned for the signer check. Unknown members are
    /// refused.
    /// - Throws: ``X402SStatus/evmInvalidTransaction``, ``X402SStatus/invalidAddress``,
    ///   ``X402SStatus/invalidHex``.
    public init(json: JSONValue) throws(X402SError) {
        guard case .object(let o) = json else {
            throw X402SError(.evmInvalidTransaction, "the transaction must be a JSON object")
        }
        for k in o.keys where !Self.members.contains(k) {
            throw X402SError(.evmInvalidTransaction, "unknown transaction member \"\(k)\"")
        }
        let bad = X402SStatus.evmInvalidTransaction
        if let t = o["type"] {
            guard try EvmQuantity.parse(t, "type", bad) == UInt256(2) else {
                throw X402SError(bad, "only type 2 (EIP-1559) transactions are supported")
            }
        }
        var to: EvmAddress?
        switch o["to"] {
        case nil, .null?: to = nil
        case .string(let s)?: to = try EvmAddress(string: s)
        default: throw X402SError(bad, "to must be an address string or null")
        }
        var data: [UInt8] = []
        switch o["data"] {
        case nil, .null?: data = []
        case .string(let s)?: data = try Hex.decode(s, requirePrefix: true)
        default: throw X402SError(bad, "data must be a 0x-hex string")
        }
        var access: [EvmAccessListEntry] = []
        switch o["accessList"] {
        case nil, .null?: break
        case .array(let entries)?:
            for e in entries {
                guard case .object(let eo) = e, case .string(let a)? = eo["address"] else {
                    throw X402SError(bad, "an access-list entry is {\"address\", \"storageKeys\"}")
                }
                var keys: [[UInt8]] = []
                if case .array(let ks)? = eo["storageKeys"] {
                    for k in ks {
                        guard case .string(let kt) = k else { throw X402SError(bad, "a storage key is a 0x-hex string") }
                        keys.append(try Hex.decode(kt, requirePrefix: true))
                    }
                } else if eo["storageKeys"] != nil {
                    throw X402SError(bad, "storageKeys must be an array")
                }
                access.append(EvmAccessListEntry(address: try EvmAddress(string: a), storageKeys: keys))
            }
        default: throw X402SError(bad, "accessList must be an array")
        }
        try self.init(
            chainId: try EvmQuantity.parse(o["chainId"], "chainId", bad),
            nonce: try EvmQuantity.parse64(o["nonce"], "nonce", bad),
            maxPriorityFeePerGas: try EvmQuantity.parse(o["maxPriorityFeePerGas"], "maxPriorityFeePerGas", bad),
            maxFeePerGas: try EvmQuantity.parse(o["maxFeePerGas"], "maxFeePerGas", bad),
            gasLimit: try EvmQuantity.parse64(o["gas"], "gas", bad),
            to: to,
            value: o["value"] == nil ? .zero : try EvmQuantity.parse(o["value"], "value", bad),
            data: data, accessList: access)
    }

    /// The nine fields of the signed payload, as RLP items.
    var payloadItems: [RLPItem] {
        [
            .scalar(chainId), .scalar(nonce), .scalar(maxPriorityFeePerGas), .scalar(maxFeePerGas), .scalar(gasLimit),
            .bytes(to?.bytes ?? []), .scalar(value), .bytes(data),
            .list(accessList.map { .list([.bytes($0.address.bytes), .list($0.storageKeys.map { .bytes($0) })]) }),
        ]
    }

    /// The hash a sender signs: keccak-256(0x02 || rlp([chainId, nonce, maxPriorityFeePerGas,
    /// maxFeePerGas, gasLimit, to, value, data, accessList])).
    public var signingHash: [UInt8] {
        var buf: [UInt8] = [Self.type]
        RLP.encode(.list(payloadItems), into: &buf)
        return Keccak256.hash(buf)
    }

    /// Signs the transaction (RFC 6979, low-s).
    public func signed(by key: Secp256k1.PrivateKey) throws(X402SError) -> SignedEIP1559Transaction {
        let sig = try key.sign(digest: signingHash)
        return SignedEIP1559Transaction(
            transaction: self, yParity: sig[64] &- 27, r: Array(sig[0..<32]), s: Array(sig[32..<64]))
    }
}

/// A signed EIP-1559 transaction: its raw bytes (for `eth_sendRawTransaction`) and hash.
public struct SignedEIP1559Transaction: Hashable, Sendable {
    public let transaction: EIP1559Transaction
    /// 0 or 1.
    public let yParity: UInt8
    /// 32 bytes each, big-endian.
    public let r: [UInt8]
    public let s: [UInt8]
    /// `0x02 || rlp([...nine fields, yParity, r, s])`.
    public let raw: [UInt8]
    /// keccak-256 of ``raw``: the transaction hash nodes report.
    public let hash: [UInt8]

    init(transaction: EIP1559Transaction, yParity: UInt8, r: [UInt8], s: [UInt8]) {
        self.transaction = transaction
        self.yParity = yParity
        self.r = r
        self.s = s
        var raw: [UInt8] = [EIP1559Transaction.type]
        RLP.encode(.list(transaction.payloadItems + [.scalar(UInt64(yParity)), Self.scalarBytes(r), Self.scalarBytes(s)]),
                   into: &raw)
        self.raw = raw
        self.hash = Keccak256.hash(raw)
    }

    static func scalarBytes(_ b: [UInt8]) -> RLPItem {
        let first = b.firstIndex(where: { $0 != 0 }) ?? b.count
        return .bytes(Array(b[first...]))
    }

    /// Decodes raw bytes `0x02 || rlp([12 fields])` strictly (canonical RLP, canonical
    /// scalars without leading zeros, field sizes, low-s) and recovers nothing yet; see
    /// ``sender()``.
    /// - Throws: ``X402SStatus/evmInvalidTransaction``, the RLP errors.
    public init(raw: [UInt8]) throws(X402SError) {
        let bad = X402SStatus.evmInvalidTransaction
        guard raw.first == EIP1559Transaction.type else {
            throw X402SError(bad, "not a type 2 (EIP-1559) transaction")
        }
        guard case .list(let f) = try RLP.decode(Array(raw.dropFirst())), f.count == 12 else {
            throw X402SError(bad, "a signed type 2 transaction is an RLP list of 12 fields")
        }
        func scalar(_ i: Int, _ name: String) throws(X402SError) -> UInt256 {
            guard case .bytes(let b) = f[i], b.count <= 32 else { throw X402SError(bad, "\(name) is not a scalar") }
            guard b.first != 0 else { throw X402SError(bad, "\(name) has a leading zero byte") }
            return try UInt256(bigEndian: b)
        }
        func u64(_ i: Int, _ name: String) throws(X402SError) -> UInt64 {
            guard let v = try scalar(i, name).uint64Value else { throw X402SError(bad, "\(name) is above 2^64") }
            return v
        }
        guard case .bytes(let toBytes) = f[5], toBytes.isEmpty || toBytes.count == 20 else {
            throw X402SError(bad, "to is not 20 bytes")
        }
        guard case .bytes(let data) = f[7] else { throw X402SError(bad, "data is not a byte string") }
        guard case .list(let al) = f[8] else { throw X402SError(bad, "accessList is not a list") }
        var access: [EvmAccessListEntry] = []
        for e in al {
            guard case .list(let pair) = e, pair.count == 2, case .bytes(let a) = pair[0], a.count == 20,
                  case .list(let keys) = pair[1] else {
                throw X402SError(bad, "an access-list entry is [address, [keys]]")
            }
            var ks: [[UInt8]] = []
            for k in keys {
                guard case .bytes(let kb) = k, kb.count == 32 else { throw X402SError(bad, "a storage key is not 32 bytes") }
                ks.append(kb)
            }
            access.append(EvmAccessListEntry(address: EvmAddress(unchecked: a), storageKeys: ks))
        }
        let tx = try EIP1559Transaction(
            chainId: try scalar(0, "chainId"), nonce: try u64(1, "nonce"),
            maxPriorityFeePerGas: try scalar(2, "maxPriorityFeePerGas"), maxFeePerGas: try scalar(3, "maxFeePerGas"),
            gasLimit: try u64(4, "gas"), to: toBytes.isEmpty ? nil : EvmAddress(unchecked: toBytes),
            value: try scalar(6, "value"), data: data, accessList: access)
        let parity = try scalar(9, "yParity")
        guard let p = parity.uint64Value, p <= 1 else { throw X402SError(bad, "yParity must be 0 or 1") }
        let r = try scalar(10, "r").bigEndianBytes, s = try scalar(11, "s").bigEndianBytes
        self.init(transaction: tx, yParity: UInt8(p), r: r, s: s)
        guard self.raw == raw else { throw X402SError(bad, "the transaction is not in canonical form") }
    }

    /// The sender, recovered from the signature over ``EIP1559Transaction/signingHash``.
    /// - Throws: ``X402SStatus/invalidSignature``, ``X402SStatus/nonCanonicalSignature``.
    public func sender() throws(X402SError) -> EvmAddress {
        try Secp256k1.recoverAddress(digest: transaction.signingHash, signature: r + s + [yParity])
    }

    /// The JSON view: the fields (numbers as decimal strings, bytes as "0x" hex), `yParity`,
    /// `r`, `s`, `raw`, `hash`, and `from` when `sender` is given.
    public func json(sender: EvmAddress?) -> JSONValue {
        let t = transaction
        var o = JSONObject([
            ("type", .integer(2)),
            ("chainId", .string(t.chainId.decimalString)),
            ("nonce", .string(String(t.nonce))),
            ("maxPriorityFeePerGas", .string(t.maxPriorityFeePerGas.decimalString)),
            ("maxFeePerGas", .string(t.maxFeePerGas.decimalString)),
            ("gas", .string(String(t.gasLimit))),
            ("to", t.to.map { .string($0.checksummed) } ?? .null),
            ("value", .string(t.value.decimalString)),
            ("data", .string(Hex.encode(t.data))),
            ("accessList", .array(t.accessList.map { e in
                .object(JSONObject([("address", .string(e.address.checksummed)),
                                    ("storageKeys", .array(e.storageKeys.map { .string(Hex.encode($0)) }))]))
            })),
            ("yParity", .integer(Int(yParity))),
            ("r", .string(Hex.encode(r))),
            ("s", .string(Hex.encode(s))),
            ("raw", .string(Hex.encode(raw))),
            ("hash", .string(Hex.encode(hash))),
        ])
        if let sender { o["from"] = .string(sender.checksummed) }
        return .object(o)
    }
}
