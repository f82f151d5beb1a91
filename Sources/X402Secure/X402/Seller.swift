/// What a seller charges on one network, before it becomes a requirement of a 402 answer.
public struct X402Offer: Sendable, Equatable {
    /// `exact` (default) or `upto` (EVM only).
    public var scheme: String
    /// CAIP-2 id or v1 name from the network table (any `eip155:<n>` works with an explicit
    /// asset and atomic amount).
    public var network: String
    /// Recipient: an EVM address, or a Solana owner wallet (base58).
    public var payTo: String
    /// Dollar price, e.g. `"$0.01"` (converted with the asset's decimals); or use ``amount``.
    public var price: String?
    /// Amount in atomic units (alternative to ``price``).
    public var amount: String?
    /// Token address or mint; `nil` selects the network's default stablecoin.
    public var asset: String?
    /// Payment validity in seconds (x402 2.25.0 server default: 300).
    public var maxTimeoutSeconds: UInt64
    /// Extra members, added after the defaults (EIP-712 `name`/`version`, `assetTransferMethod`);
    /// Solana needs `feePayer`, `upto` needs `facilitatorAddress`.
    public var extra: JSONObject

    /// Creates an offer.
    public init(scheme: String = "exact", network: String, payTo: String, price: String? = nil, amount: String? = nil,
                asset: String? = nil, maxTimeoutSeconds: UInt64 = 300, extra: JSONObject = JSONObject()) {
        self.scheme = scheme
        self.network = network
        self.payTo = payTo
        self.price = price
        self.amount = amount
        self.asset = asset
        self.maxTimeoutSeconds = maxTimeoutSeconds
        self.extra = extra
    }

    /// Parses an offer: `{"scheme"?, "network", "payTo", "price"? | "amount"?, "asset"?,
    /// "maxTimeoutSeconds"?, "extra"?}`.
    /// - Throws: ``X402SStatus/x402InvalidRequirements`` if malformed.
    public init(json: JSONValue) throws(X402SError) {
        let r = try X402Reader(json, "offer", .x402InvalidRequirements)
        scheme = try r.optionalString("scheme") ?? "exact"
        network = try r.string("network")
        payTo = try r.string("payTo")
        price = try r.optionalString("price")
        amount = try r.optionalString("amount")
        asset = try r.optionalString("asset")
        maxTimeoutSeconds = r.object["maxTimeoutSeconds"] == nil ? 300 : try r.unsigned("maxTimeoutSeconds")
        extra = try r.optionalObject("extra") ?? JSONObject()
    }
}

/// Sellers: build 402 answers (v1 body, v2 `PAYMENT-REQUIRED`) from prices, following x402
/// 2.25.0's server (`parse_price` + `enhance_payment_requirements`).
public enum X402Seller {
    /// x402 2.25.0's default `maxTimeoutSeconds`.
    public static let defaultMaxTimeoutSeconds: UInt64 = 300
    /// The `error` text of a v2 402 answer without payment (x402 2.25.0).
    public static let defaultErrorV2 = "Payment required"
    /// The `error` text of a v1 402 body.
    public static let defaultErrorV1 = "X-PAYMENT header is required"

    /// Builds one v2 requirement from an offer.
    ///
    /// `amount` is the atomic amount or the price converted with the asset's decimals; `extra`
    /// starts with the table's EIP-712 `name`/`version` (EIP-3009 assets, or Permit2 assets
    /// with EIP-2612) and `assetTransferMethod` (`permit2` assets and every `upto`), then the
    /// offer's own `extra` members. The network is written as its CAIP-2 id.
    ///
    /// - Throws: ``X402SStatus/x402UnknownNetwork``, ``X402SStatus/x402UnknownAsset``,
    ///   ``X402SStatus/x402InvalidAmount``, ``X402SStatus/x402UnsupportedScheme``,
    ///   ``X402SStatus/x402InvalidRequirements`` (bad `payTo`, both or neither of price and
    ///   amount, missing `feePayer`/`facilitatorAddress`, EVM asset without EIP-712 domain).
    public static func requirements(_ offer: X402Offer) throws(X402SError) -> X402PaymentRequirements {
        let family = try Networks.family(offer.network)
        let caip2 = offer.network.hasPrefix("eip155:") ? offer.network : try Networks.network(offer.network).caip2
        switch (offer.scheme, family) {
        case ("exact", _), ("upto", .evm): break
        default: throw X402SError(.x402UnsupportedScheme, "scheme must be exact (EVM, Solana) or upto (EVM)")
        }
        let known: X402Asset?
        let asset: String
        if let a = offer.asset {
            known = Networks.asset(network: caip2, address: a)
            asset = a
        } else {
            let d = try Networks.defaultAsset(caip2)
            known = d
            asset = d.address
        }
        let amount: String
        switch (offer.price, offer.amount) {
        case (let p?, nil):
            guard let known else {
                throw X402SError(.x402UnknownAsset, "asset is not in the network table; give the amount in atomic units")
            }
            amount = try X402Price.atomicUnits(p, decimals: known.decimals)
        case (nil, let a?):
            guard X402U256.isCanonicalDecimal(a) else {
                throw X402SError(.x402InvalidAmount, "amount must be a canonical decimal string of atomic units")
            }
            amount = a
        default:
            throw X402SError(.x402InvalidRequirements, "give exactly one of price and amount")
        }
        var extra = JSONObject()
        switch family {
        case .evm:
            guard X402EvmParse.address(offer.payTo) != nil else {
                throw X402SError(.x402InvalidRequirements, "payTo is not an EVM address")
            }
            guard X402EvmParse.address(asset) != nil else {
                throw X402SError(.x402InvalidRequirements, "asset is not an EVM address")
            }
            if offer.scheme == "upto" { extra["assetTransferMethod"] = "permit2" }
            if let known, known.advertisesEip712Domain || offer.scheme == "upto",
               let name = known.eip712Name, let version = known.eip712Version {
                extra["name"] = .string(name)
                extra["version"] = .string(version)
            }
            if offer.scheme == "exact", let known, known.transferMethod == .permit2 {
                extra["assetTransferMethod"] = "permit2"
            }
        case .solana:
            guard (try? Base58.decode32(offer.payTo)) != nil else {
                throw X402SError(.x402InvalidRequirements, "payTo is not a Solana address (base58, 32 bytes)")
            }
            guard (try? Base58.decode32(asset)) != nil else {
                throw X402SError(.x402InvalidRequirements, "asset is not a Solana mint (base58, 32 bytes)")
            }
        }
        for (k, v) in offer.extra.entries { extra[k] = v }
        switch (family, offer.scheme) {
        case (.solana, _):
            guard case .string(let fp)? = extra["feePayer"], (try? Base58.decode32(fp)) != nil else {
                throw X402SError(.x402InvalidRequirements, "Solana requirements need extra.feePayer (the facilitator's base58 address)")
            }
            if let m = extra["memo"] {
                guard case .string(let memo) = m, memo.utf8.count <= 256 else {
                    throw X402SError(.x402InvalidRequirements, "extra.memo must be a string of at most 256 UTF-8 bytes")
                }
            }
        case (.evm, "upto"):
            guard case .string(let f)? = extra["facilitatorAddress"], X402EvmParse.address(f) != nil else {
                throw X402SError(.x402InvalidRequirements, "upto requires extra.facilitatorAddress (an EVM address)")
            }
        case (.evm, _):
            let permit2 = extra["assetTransferMethod"]?.stringValue == "permit2"
            if !permit2 && (extra["name"]?.stringValue == nil || extra["version"]?.stringValue == nil) {
                throw X402SError(.x402InvalidRequirements,
                    "EVM exact (EIP-3009) needs extra.name and extra.version for an asset outside the network table")
            }
        }
        return X402PaymentRequirements(scheme: offer.scheme, network: caip2, asset: asset, amount: amount,
                                       payTo: offer.payTo, maxTimeoutSeconds: offer.maxTimeoutSeconds, extra: extra)
    }

    /// Builds a v2 402 answer (`PAYMENT-REQUIRED`); use ``X402PaymentRequired/headerValue``.
    /// - Throws: the errors of ``requirements(_:)``.
    public static func paymentRequired(_ offers: [X402Offer], resource: X402ResourceInfo?, error: String? = defaultErrorV2,
                                       extensions: JSONObject? = nil) throws(X402SError) -> X402PaymentRequired {
        var accepts: [X402PaymentRequirements] = []
        for o in offers { accepts.append(try requirements(o)) }
        let ext = (extensions?.isEmpty ?? true) ? nil : extensions
        return X402PaymentRequired(error: error, resource: resource, accepts: accepts, extensions: ext)
    }

    /// JSON front door: `{"x402Version": 1 | 2 (default 2), "offers": [X402Offer...],
    /// "resource": ResourceInfo (required for v1), "error"?: string or null, "extensions"?: {...}}`.
    /// `error` defaults to ``defaultErrorV2`` / ``defaultErrorV1``; `null` omits it.
    /// - Returns: the 402 answer (v2: send ``X402PaymentRequired/headerValue`` as `PAYMENT-REQUIRED`;
    ///   v1: send its JSON as the body).
    /// - Throws: ``X402SStatus/x402InvalidRequirements`` for a malformed request, the errors of
    ///   ``requirements(_:)``.
    public static func paymentRequired(json: JSONValue) throws(X402SError) -> X402PaymentRequiredAnswer {
        let r = try X402Reader(json, "payment required request", .x402InvalidRequirements)
        var version: UInt64 = 2
        if let v = r.object["x402Version"], !v.isNull { version = try r.unsigned("x402Version") }
        var offers: [X402Offer] = []
        for o in try r.array("offers") { offers.append(try X402Offer(json: o)) }
        let resource = try r.optionalObject("resource").map { o throws(X402SError) in try X402ResourceInfo(json: .object(o)) }
        let hasError = r.object["error"] != nil
        let error = try r.optionalString("error")
        switch version {
        case 1:
            guard let resource else { throw r.fail("v1 needs \"resource\" (its url fills the v1 resource field)") }
            return .v1(try paymentRequiredV1(offers, resource: resource, error: hasError ? error : defaultErrorV1))
        case 2:
            return .v2(try paymentRequired(offers, resource: resource, error: hasError ? error : defaultErrorV2,
                                           extensions: try r.optionalObject("extensions")))
        default:
            throw X402SError(.x402UnsupportedVersion, "x402Version must be 1 or 2")
        }
    }

    /// Builds a v1 402 body. Networks are written as v1 names; `resource.url`,
    /// `description` and `mimeType` fill the v1 fields (description defaults to `""` and
    /// mimeType to `application/json`, as v1 requires them); only `exact` is allowed.
    /// - Throws: ``X402SStatus/x402UnknownNetwork`` for a network without a v1 name, and the
    ///   errors of ``requirements(_:)``.
    public static func paymentRequiredV1(_ offers: [X402Offer], resource: X402ResourceInfo,
                                         error: String? = defaultErrorV1) throws(X402SError) -> X402PaymentRequiredV1 {
        var accepts: [X402PaymentRequirementsV1] = []
        for o in offers {
            guard o.scheme == "exact" else { throw X402SError(.x402UnsupportedScheme, "protocol v1 has only the exact scheme") }
            let r = try requirements(o)
            guard let v1 = Networks.lookup(r.network)?.v1Name else {
                throw X402SError(.x402UnknownNetwork, "the network has no protocol v1 name")
            }
            if r.extra["assetTransferMethod"]?.stringValue == "permit2" {
                throw X402SError(.x402InvalidRequirements, "Permit2 assets need protocol v2")
            }
            accepts.append(X402PaymentRequirementsV1(
                scheme: "exact", network: v1, maxAmountRequired: r.amount, resource: resource.url,
                description: resource.description ?? "", mimeType: resource.mimeType ?? "application/json",
                payTo: r.payTo, maxTimeoutSeconds: r.maxTimeoutSeconds, asset: r.asset,
                extra: r.extra.isEmpty ? nil : r.extra))
        }
        return X402PaymentRequiredV1(error: error, accepts: accepts)
    }
}
