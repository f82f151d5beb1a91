#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A buyer's key.
public enum X402Signer: Sendable {
    /// An EVM account (EIP-3009 / Permit2 signatures).
    case evm(Secp256k1.PrivateKey)
    /// A Solana wallet (Ed25519).
    case solana(Ed25519.KeyPair)
}

/// Injectable inputs of payment creation; every `nil` means "the real thing".
public struct X402PaymentOptions: Sendable {
    /// Unix time in seconds; `nil` uses the system clock.
    public var now: UInt64?
    /// Exactly 32 bytes used as the EIP-3009 `bytes32` nonce or the Permit2 `uint256` nonce
    /// (big-endian); `nil` draws them from the CSPRNG.
    public var nonce: [UInt8]?

    /// Solana: the 16 random bytes behind the default memo (used when `extra.memo` is absent);
    /// `nil` draws them from the CSPRNG.
    public var memoNonce: [UInt8]?
    /// Solana: the 32-byte recent blockhash, used when the requirements carry no parsable
    /// `extra.recentBlockhash` (this core makes no network calls).
    public var recentBlockhash: [UInt8]?
    /// Solana: decimals of a mint that is not in the network table.
    public var mintDecimals: UInt8?
    /// Solana: token program of a mint that is not in the network table.
    public var tokenProgram: X402Asset.TokenProgram?

    /// Creates options.
    public init(now: UInt64? = nil, nonce: [UInt8]? = nil, memoNonce: [UInt8]? = nil, recentBlockhash: [UInt8]? = nil,
                mintDecimals: UInt8? = nil, tokenProgram: X402Asset.TokenProgram? = nil) {
        self.now = now
        self.nonce = nonce
        self.memoNonce = memoNonce
        self.recentBlockhash = recentBlockhash
        self.mintDecimals = mintDecimals
        self.tokenProgram = tokenProgram
    }
}

extension X402PaymentOptions {
    /// Parses options from JSON (every member optional): `{"now": <uint>, "nonce": "0x<64 hex>",
    /// "memoNonce": "0x<32 hex>", "recentBlockhash": "<base58>" or "0x<64 hex>",
    /// "mintDecimals": <0...255>, "tokenProgram": "token" | "token2022"}`.
    /// - Throws: ``X402SStatus/invalidArgument`` for a member of the wrong type or value.
    public init(json: JSONValue) throws(X402SError) {
        self.init()
        let r = try X402Reader(json, "payment options", .invalidArgument)
        func bytes(_ key: String) throws(X402SError) -> [UInt8]? {
            guard let s = try r.optionalString(key) else { return nil }
            if s.hasPrefix("0x"), let b = try? Hex.decode(s) { return b }
            if key == "recentBlockhash", let b = try? Base58.decode32(s) { return b }
            throw r.fail("\"\(key)\" must be 0x-prefixed hex\(key == "recentBlockhash" ? " or base58" : "")")
        }
        if let v = r.object["now"], !v.isNull { now = try r.unsigned("now") }
        nonce = try bytes("nonce")
        memoNonce = try bytes("memoNonce")
        recentBlockhash = try bytes("recentBlockhash")
        if let v = r.object["mintDecimals"], !v.isNull {
            let d = try r.unsigned("mintDecimals")
            guard d <= 255 else { throw r.fail("\"mintDecimals\" must be 0...255") }
            mintDecimals = UInt8(d)
        }
        if let t = try r.optionalString("tokenProgram") {
            guard let p = X402Asset.TokenProgram(rawValue: t) else { throw r.fail("\"tokenProgram\" must be token or token2022") }
            tokenProgram = p
        }
    }
}

/// A buyer's rules for choosing among the requirements of a 402 answer.
///
/// A requirement is eligible when this core can pay it (scheme in ``schemes`` and implemented
/// for its network family and version; amount a canonical decimal), its network is allowed,
/// its asset is allowed and its amount is within the caps. Among eligible ones the first in
/// ``preferredNetworks`` order wins, then the server's order.
public struct X402PaymentPolicy: Sendable, Equatable {
    /// Allowed networks: CAIP-2 ids, v1 names (matched through the network table) or the
    /// wildcards `eip155:*` and `solana:*`; `nil` allows every network.
    public var networks: [String]?
    /// Allowed assets (EVM addresses compared case-insensitively, Solana mints exactly);
    /// `nil` allows the assets of the network table only (x402 2.25.0's default), unless
    /// ``allowUnknownAssets`` is set.
    public var assets: [String]?
    /// With ``assets`` `nil`: also allow assets that are not in the network table.
    public var allowUnknownAssets: Bool
    /// Maximum amount per payment in atomic units (any asset); `nil` for none.
    public var maxAmount: String?
    /// Maximum price per payment in dollars of a stablecoin from the table (e.g. `"$1"`),
    /// converted with the asset's decimals; it does not apply to assets outside the table.
    public var maxPrice: String?
    /// Schemes the buyer will use, among those implemented (`exact`, `upto`).
    public var schemes: [String]
    /// Preference order of networks (same forms as ``networks``).
    public var preferredNetworks: [String]

    /// Creates a policy. The defaults are x402 2.25.0's spend controls: table assets only and
    /// at most `$1` per payment.
    public init(networks: [String]? = nil, assets: [String]? = nil, allowUnknownAssets: Bool = false,
                maxAmount: String? = nil, maxPrice: String? = "$1", schemes: [String] = ["exact", "upto"],
                preferredNetworks: [String] = []) {
        self.networks = networks
        self.assets = assets
        self.allowUnknownAssets = allowUnknownAssets
        self.maxAmount = maxAmount
        self.maxPrice = maxPrice
        self.schemes = schemes
        self.preferredNetworks = preferredNetworks
    }

    /// No restriction beyond what the core can pay.
    public static let unrestricted = X402PaymentPolicy(allowUnknownAssets: true, maxPrice: nil)

    /// Parses a policy from JSON: `{"networks":[..], "assets":[..], "allowUnknownAssets":bool,
    /// "maxAmount":"atomic", "maxPrice":"$1" or null, "schemes":[..], "preferredNetworks":[..]}`;
    /// absent members keep their defaults (`maxPrice` is `"$1"` unless given, `null` removes it).
    /// - Throws: ``X402SStatus/invalidArgument`` if a member has the wrong type.
    public init(json: JSONValue) throws(X402SError) {
        self.init()
        let r = try X402Reader(json, "payment policy", .invalidArgument)
        func strings(_ key: String) throws(X402SError) -> [String]? {
            guard let v = r.object[key], !v.isNull else { return nil }
            guard case .array(let a) = v else { throw r.fail("\"\(key)\" must be an array of strings") }
            var out: [String] = []
            for e in a {
                guard case .string(let s) = e else { throw r.fail("\"\(key)\" must be an array of strings") }
                out.append(s)
            }
            return out
        }
        networks = try strings("networks")
        assets = try strings("assets")
        if let v = r.object["allowUnknownAssets"], !v.isNull {
            guard case .bool(let b) = v else { throw r.fail("\"allowUnknownAssets\" must be a boolean") }
            allowUnknownAssets = b
        }
        maxAmount = try r.optionalString("maxAmount")
        if let v = r.object["maxPrice"] { maxPrice = v.isNull ? nil : try r.optionalString("maxPrice") }
        if let s = try strings("schemes") { schemes = s }
        if let p = try strings("preferredNetworks") { preferredNetworks = p }
        if let m = maxAmount, !X402U256.isCanonicalDecimal(m) {
            throw r.fail("\"maxAmount\" must be a canonical decimal string of atomic units")
        }
        if let p = maxPrice { _ = try X402Price.atomicUnits(p, decimals: 6) }
    }
}

/// Buyers: parse 402 answers, choose a requirement, create payment headers.
public enum X402Client {
    /// The current Unix time in seconds.
    public static func currentTime() -> UInt64 {
        let t = time(nil)
        return t > 0 ? UInt64(t) : 0
    }

    /// Parses a 402 answer: the `PAYMENT-REQUIRED` header when present (v2), otherwise the
    /// JSON body, which must have `x402Version == 1` (x402 2.x client rules).
    ///
    /// - Parameters:
    ///   - header: the `PAYMENT-REQUIRED` header value, if the response has one.
    ///   - body: the response body (UTF-8 JSON), if any.
    /// - Throws: header/JSON errors, ``X402SStatus/x402UnsupportedVersion`` for a body that is
    ///   not v1, ``X402SStatus/x402InvalidRequirements`` for a malformed answer.
    public static func parsePaymentRequired(header: String?, body: [UInt8]?) throws(X402SError) -> X402PaymentRequiredAnswer {
        if let header {
            return .v2(try X402PaymentRequired(header: header))
        }
        guard let body, !body.isEmpty else {
            throw X402SError(.x402InvalidRequirements, "402 answer has neither a PAYMENT-REQUIRED header nor a JSON body")
        }
        let json = try JSONValue.parse(body)
        guard case .object(let o) = json, o["x402Version"]?.int64Value == 1 else {
            throw X402SError(.x402UnsupportedVersion, "a 402 body is accepted only with x402Version 1")
        }
        return .v1(try X402PaymentRequiredV1(json: json))
    }

    /// Parses a 402 answer given as JSON: a v1 body or a decoded v2 `PaymentRequired`.
    /// - Throws: ``X402SStatus/x402UnsupportedVersion``, ``X402SStatus/x402InvalidRequirements``.
    public static func parsePaymentRequired(json: JSONValue) throws(X402SError) -> X402PaymentRequiredAnswer {
        switch try x402DetectVersion(json, "payment required") {
        case 1: return .v1(try X402PaymentRequiredV1(json: json))
        default: return .v2(try X402PaymentRequired(json: json))
        }
    }

    /// Why a requirement is not eligible, or `nil` if it is.
    static func ineligibility(_ r: X402Requirement, _ policy: X402PaymentPolicy) -> String? {
        guard policy.schemes.contains(r.scheme) else { return "scheme not allowed by the policy" }
        let family: X402Network.Family
        if r.x402Version == 2 {
            if r.network.hasPrefix("eip155:") {
                guard (try? Networks.evmChainId(r.network)) != nil else { return "malformed network" }
                family = .evm
            } else if let n = Networks.lookup(r.network), n.family == .solana, n.caip2 == r.network {
                family = .solana
            } else {
                return "network not supported"
            }
        } else {
            guard let n = Networks.lookup(r.network), n.v1Names.contains(r.network) else { return "v1 network not supported" }
            family = n.family
        }
        switch (r.scheme, family) {
        case ("exact", .evm):
            if case .string(let m)? = r.extra["assetTransferMethod"], m != "eip3009", m != "permit2" {
                return "asset transfer method not supported"
            }
            if r.x402Version == 1, case .string("permit2")? = r.extra["assetTransferMethod"] {
                return "permit2 is v2 only"
            }
        case ("upto", .evm):
            if r.x402Version != 2 { return "upto is v2 only" }
        case ("exact", .solana):
            guard case .string? = r.extra["feePayer"] else { return "Solana requirement without extra.feePayer" }
            guard Networks.parseCanonicalUInt64(r.amount.utf8) != nil else { return "malformed amount" }
        default:
            return "scheme not supported on this network"
        }
        guard let amount = X402U256.word(decimal: r.amount, canonical: true) else { return "malformed amount" }
        if let allowed = policy.networks, !allowed.contains(where: { networkMatches(r.network, $0) }) {
            return "network not allowed by the policy"
        }
        let known = Networks.asset(network: r.network, address: r.asset)
        if let allowed = policy.assets {
            let ok = allowed.contains { a in
                family == .evm ? Networks.asciiLowercased(a) == Networks.asciiLowercased(r.asset) : a == r.asset
            }
            if !ok { return "asset not allowed by the policy" }
        } else if known == nil, !policy.allowUnknownAssets {
            return "asset not in the network table"
        }
        if let m = policy.maxAmount {
            guard let cap = X402U256.word(decimal: m) else { return "policy maxAmount is malformed" }
            if X402U256.compare(amount, cap) > 0 { return "amount above the policy's maxAmount" }
        }
        if let p = policy.maxPrice, let known {
            guard let capText = try? X402Price.atomicUnits(p, decimals: known.decimals),
                  let cap = X402U256.word(decimal: capText)
            else { return "policy maxPrice is malformed" }
            if X402U256.compare(amount, cap) > 0 { return "amount above the policy's maxPrice" }
        }
        return nil
    }

    /// Whether a requirement's network matches a policy entry (CAIP-2, v1 name or wildcard).
    static func networkMatches(_ network: String, _ entry: String) -> Bool {
        if entry == network { return true }
        if entry.hasSuffix(":*") {
            let prefix = entry.dropLast()
            if network.hasPrefix(prefix) { return true }
            if let n = Networks.lookup(network), n.caip2.hasPrefix(prefix) { return true }
            return false
        }
        if let a = Networks.lookup(network), let b = Networks.lookup(entry) { return a.caip2 == b.caip2 }
        return false
    }

    /// Chooses the requirement to pay.
    ///
    /// - Returns: the first eligible requirement in ``X402PaymentPolicy/preferredNetworks``
    ///   order, then in the server's order.
    /// - Throws: ``X402SStatus/x402NoMatchingRequirement`` with the reason of each rejection.
    public static func select(_ requirements: [X402Requirement], policy: X402PaymentPolicy = X402PaymentPolicy())
        throws(X402SError) -> X402Requirement
    {
        var eligible: [(rank: Int, index: Int)] = []
        var reasons: [String] = []
        for (i, r) in requirements.enumerated() {
            if let why = ineligibility(r, policy) {
                if reasons.count < 8 { reasons.append("[\(i)] \(why)") }
                continue
            }
            let rank = policy.preferredNetworks.firstIndex { networkMatches(r.network, $0) } ?? policy.preferredNetworks.count
            eligible.append((rank, i))
        }
        guard let best = eligible.min(by: { ($0.rank, $0.index) < ($1.rank, $1.index) }) else {
            let detail = requirements.isEmpty ? "the answer lists no requirements" : reasons.joined(separator: "; ")
            throw X402SError(.x402NoMatchingRequirement, "no payment requirement matches the policy: \(detail)")
        }
        return requirements[best.index]
    }

    /// Creates a payment for one requirement.
    ///
    /// - Parameters:
    ///   - requirement: the chosen requirement (v1 or v2).
    ///   - resource: for v2, the answer's `resource`, copied into the payload.
    ///   - extensions: for v2, the answer's `extensions`, copied into the payload (omitted when empty).
    ///   - signer: the buyer's key (its family must match the network).
    ///   - options: injected time and nonce (defaults: clock and CSPRNG).
    /// - Returns: the payment with its header name and value.
    /// - Throws: ``X402SStatus/x402UnsupportedScheme``, ``X402SStatus/x402UnknownNetwork``,
    ///   ``X402SStatus/x402InvalidRequirements``, ``X402SStatus/invalidArgument`` (signer of the
    ///   wrong family), ``X402SStatus/invalidLength`` (injected nonce not 32 bytes),
    ///   ``X402SStatus/randomnessFailed``.
    public static func createPayment(for requirement: X402Requirement, resource: X402ResourceInfo? = nil,
                                     extensions: JSONObject? = nil, signer: X402Signer,
                                     options: X402PaymentOptions = X402PaymentOptions()) throws(X402SError) -> X402CreatedPayment
    {
        let now = options.now ?? currentTime()
        let family: X402Network.Family
        if requirement.x402Version == 2 && requirement.network.hasPrefix("eip155:") {
            family = .evm
        } else {
            family = try Networks.network(requirement.network).family
        }
        switch (family, signer) {
        case (.evm, .evm(let key)):
            let nonce: [UInt8]
            if let n = options.nonce { nonce = n } else { nonce = try SecureRandom.bytes(32) }
            let method: String? = requirement.extra["assetTransferMethod"]?.stringValue
            let inner: (payload: JSONObject, hashes: EIP712Hashes)
            switch (requirement, requirement.scheme) {
            case (.v2(let r), "upto"):
                inner = try X402EvmClient.permit2(r, upto: true, key: key, now: now, nonce: nonce)
            case (.v2(let r), "exact") where method == "permit2":
                inner = try X402EvmClient.permit2(r, upto: false, key: key, now: now, nonce: nonce)
            case (_, "exact") where method == nil || method == "eip3009":
                inner = try X402EvmClient.eip3009(requirement, key: key, now: now, nonce: nonce)
            default:
                throw X402SError(.x402UnsupportedScheme, "unsupported scheme or asset transfer method for EVM")
            }
            return X402CreatedPayment(payment: wrap(requirement, inner.payload, resource, extensions), hashes: inner.hashes)
        case (.solana, .solana(let keyPair)):
            let payload = try X402SolanaClient.payload(requirement, signer: keyPair, options: options)
            return X402CreatedPayment(payment: wrap(requirement, payload, resource, extensions), hashes: nil)
        default:
            throw X402SError(.invalidArgument, "the signer's key family does not match the requirement's network")
        }
    }

    static func wrap(_ r: X402Requirement, _ payload: JSONObject, _ resource: X402ResourceInfo?, _ extensions: JSONObject?) -> X402Payment {
        switch r {
        case .v1(let v1):
            return .v1(X402PaymentPayloadV1(scheme: v1.scheme, network: v1.network, payload: payload))
        case .v2(let v2):
            let ext = (extensions?.isEmpty ?? true) ? nil : extensions
            return .v2(X402PaymentPayload(payload: payload, accepted: v2, resource: resource, extensions: ext))
        }
    }

    /// Chooses a requirement of a 402 answer by `policy` and pays it.
    /// - Throws: ``X402SStatus/x402NoMatchingRequirement`` and the errors of
    ///   ``createPayment(for:resource:extensions:signer:options:)``.
    public static func createPayment(answer: X402PaymentRequiredAnswer, signer: X402Signer,
                                     policy: X402PaymentPolicy = X402PaymentPolicy(),
                                     options: X402PaymentOptions = X402PaymentOptions()) throws(X402SError) -> X402CreatedPayment
    {
        let chosen = try select(answer.accepts, policy: policy)
        switch answer {
        case .v1:
            return try createPayment(for: chosen, signer: signer, options: options)
        case .v2(let p):
            return try createPayment(for: chosen, resource: p.resource, extensions: p.extensions, signer: signer, options: options)
        }
    }

    /// JSON front door: pays a 402 answer (v1 body or decoded v2 `PaymentRequired`, recognised
    /// by `accepts`) or a single requirement (v1 or v2).
    ///
    /// - Returns: `(name, value)`: `X-PAYMENT` or `PAYMENT-SIGNATURE` and the header value.
    public static func createPaymentHeader(_ json: JSONValue, signer: X402Signer,
                                           policy: X402PaymentPolicy = X402PaymentPolicy(),
                                           options: X402PaymentOptions = X402PaymentOptions()) throws(X402SError) -> (name: String, value: String)
    {
        let created: X402CreatedPayment
        if json["accepts"] != nil {
            created = try createPayment(answer: try parsePaymentRequired(json: json), signer: signer, policy: policy, options: options)
        } else {
            created = try createPayment(for: try X402Requirement(json: json), signer: signer, options: options)
        }
        return (created.headerName, created.headerValue)
    }
}

/// A payment made by ``X402Client``.
public struct X402CreatedPayment: Sendable {
    /// The payment payload.
    public let payment: X402Payment
    /// EVM: the signed EIP-712 hashes (for logs and tests); `nil` for Solana.
    public let hashes: EIP712Hashes?

    /// `X-PAYMENT` (v1) or `PAYMENT-SIGNATURE` (v2).
    public var headerName: String { payment.headerName }
    /// The header value: strict base64 of compact JSON in the documented key order.
    public var headerValue: String { payment.headerValue }
}
