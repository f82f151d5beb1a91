/// An amount of a known asset in atomic units (the token's smallest unit).
public struct X402AssetAmount: Sendable, Hashable {
    /// The asset from the network table.
    public let asset: X402Asset
    /// The amount in atomic units, as a canonical decimal string (x402 wire form).
    public let amount: String

    /// Creates an amount of `asset`.
    public init(asset: X402Asset, amount: String) {
        self.asset = asset
        self.amount = amount
    }
}

/// Dollar prices to atomic units, with integer (string) arithmetic only.
///
/// Accepted price syntax: an optional `$`, then one or more ASCII digits, then optionally `.` and
/// one or more digits: `"$0.01"`, `"0.01"`, `"1"`, `"$1.50"`. Nothing else: no sign, no spaces,
/// no exponent, no thousands separators, no ticker suffix.
///
/// Unlike x402 2.25.0 (which silently truncates extra digits), a price with more significant
/// decimal places than the token has is rejected; trailing zeros beyond the precision are fine.
public enum X402Price {
    /// Longest accepted price text, in bytes.
    public static let maxPriceLength = 100
    /// Largest accepted number of token decimals (10^77 still fits in a uint256).
    public static let maxDecimals = 77

    /// Converts a decimal price to atomic units of a token with `decimals` decimals.
    ///
    /// `atomicUnits("$0.01", decimals: 6) == "10000"`.
    ///
    /// - Returns: the canonical decimal string (no leading zeros; `"0"` for zero).
    /// - Throws: ``X402SStatus/x402InvalidAmount`` for malformed or negative text, too many
    ///   significant decimal places, or a result above 77 digits; ``X402SStatus/invalidArgument``
    ///   if `decimals` is outside `0...77`.
    public static func atomicUnits(_ price: String, decimals: Int) throws(X402SError) -> String {
        guard decimals >= 0, decimals <= maxDecimals else {
            throw X402SError(.invalidArgument, "decimals must be in 0...\(maxDecimals)")
        }
        let bytes = Array(price.utf8)
        guard !bytes.isEmpty else { throw X402SError(.x402InvalidAmount, "empty price") }
        guard bytes.count <= maxPriceLength else {
            throw X402SError(.x402InvalidAmount, "price longer than \(maxPriceLength) bytes")
        }
        var i = 0
        if bytes[0] == UInt8(ascii: "$") { i = 1 }
        if i < bytes.count, bytes[i] == UInt8(ascii: "-") {
            throw X402SError(.x402InvalidAmount, "negative price")
        }
        var intDigits: [UInt8] = []
        while i < bytes.count, isDigit(bytes[i]) { intDigits.append(bytes[i]); i += 1 }
        guard !intDigits.isEmpty else {
            throw X402SError(.x402InvalidAmount, "price must be digits with an optional '$' and '.' (e.g. \"$0.01\")")
        }
        var fracDigits: [UInt8] = []
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            while i < bytes.count, isDigit(bytes[i]) { fracDigits.append(bytes[i]); i += 1 }
            guard !fracDigits.isEmpty else {
                throw X402SError(.x402InvalidAmount, "price has a '.' without digits after it")
            }
        }
        guard i == bytes.count else {
            throw X402SError(.x402InvalidAmount, "price must be digits with an optional '$' and '.' (e.g. \"$0.01\")")
        }
        if fracDigits.count > decimals {
            guard fracDigits[decimals...].allSatisfy({ $0 == UInt8(ascii: "0") }) else {
                throw X402SError(.x402InvalidAmount, "price has more decimal places than the asset's \(decimals) decimals")
            }
            fracDigits.removeSubrange(decimals...)
        }
        var all = intDigits + fracDigits
        all.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: decimals - fracDigits.count))
        let firstNonZero = all.firstIndex { $0 != UInt8(ascii: "0") } ?? all.endIndex
        let canonical = all[firstNonZero...]
        if canonical.isEmpty { return "0" }
        guard canonical.count <= maxDecimals else {
            throw X402SError(.x402InvalidAmount, "amount does not fit in 77 decimal digits")
        }
        return String(decoding: canonical, as: UTF8.self)
    }

    /// Converts a decimal price to atomic units of a known asset of `network`.
    ///
    /// - Parameters:
    ///   - price: `"$0.01"`, `"0.01"`, ... (see ``X402Price``).
    ///   - network: CAIP-2 id or v1 name from the network table.
    ///   - asset: token address or mint; `nil` selects the network's default stablecoin.
    /// - Throws: ``X402SStatus/x402UnknownNetwork``, ``X402SStatus/x402UnknownAsset`` (asset not in
    ///   the table: give atomic units yourself), ``X402SStatus/x402InvalidAmount``.
    public static func atomicUnits(_ price: String, network: String, asset: String? = nil) throws(X402SError) -> X402AssetAmount {
        let known: X402Asset
        if let asset {
            _ = try Networks.network(network)
            guard let a = Networks.asset(network: network, address: asset) else {
                throw X402SError(.x402UnknownAsset, "asset is not in the network table; give the amount in atomic units")
            }
            known = a
        } else {
            known = try Networks.defaultAsset(network)
        }
        return X402AssetAmount(asset: known, amount: try atomicUnits(price, decimals: known.decimals))
    }

    @inline(__always) static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
}
