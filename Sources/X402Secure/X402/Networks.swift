/// The one table of x402 networks and their default assets.
///
/// Sources (see `../shared/specs/x402-protocol.md` section 2):
/// - EVM and Solana default assets: x402 2.25.0 `mechanisms/evm/default_assets.py` and
///   `mechanisms/svm/default_assets.py`, generated from the installed package (index 0 of each
///   network is the default used for prices such as `"$0.10"`).
/// - v1 network names: the union of x402 2.25.0 `V1_NETWORK_CHAIN_IDS` and the TypeScript/Go
///   SDKs. Where they disagree the TypeScript/Go chain id is used (see
///   ``Networks/v1ChainIdConflicts``).
/// - Networks that only the legacy TypeScript v1 SDK knew carry its USDC entry
///   (source ``X402Asset/Source/x402TypeScriptLegacyV1``).
///
/// Bindings read this table through ``Networks/tableJSON()`` and never keep a copy.

/// One token that x402 can move on a network.
public struct X402Asset: Sendable, Hashable {
    /// How the `exact`/`upto` schemes move the token.
    public enum TransferMethod: String, Sendable, Hashable, CaseIterable {
        /// EIP-3009 `transferWithAuthorization` (EVM).
        case eip3009
        /// Uniswap Permit2 `permitWitnessTransferFrom` through the x402 proxy (EVM).
        case permit2
        /// SPL Token / Token-2022 `TransferChecked` (Solana).
        case splTransferChecked
    }

    /// The Solana token program that owns a mint.
    public enum TokenProgram: String, Sendable, Hashable, CaseIterable {
        /// The original SPL Token program.
        case token
        /// The Token-2022 (token extensions) program.
        case token2022

        /// The program's base58 address.
        public var programId: String {
            switch self {
            case .token: return "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA"
            case .token2022: return "TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb"
            }
        }

        /// The program for a base58 program id, or `nil` if it is neither Token program.
        public init?(programId: String) {
            switch programId {
            case "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA": self = .token
            case "TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb": self = .token2022
            default: return nil
            }
        }
    }

    /// Where an entry of the table comes from.
    public enum Source: String, Sendable, Hashable {
        /// `default_assets.py` of the official Python package x402 2.25.0.
        case x402Python2_25 = "x402-python-2.25.0"
        /// `types/shared/evm/config.ts` of the legacy TypeScript v1 SDK.
        case x402TypeScriptLegacyV1 = "x402-typescript-legacy-v1"
    }

    /// Token address: an EIP-55 checksummed EVM address, or a base58 Solana mint.
    public let address: String
    /// Ticker symbol, e.g. `USDC`.
    public let symbol: String
    /// Number of decimals of the token's atomic unit.
    public let decimals: Int
    /// EIP-712 domain `name` (EVM only; `nil` on Solana).
    public let eip712Name: String?
    /// EIP-712 domain `version` (EVM only; `nil` on Solana).
    public let eip712Version: String?
    /// How payments move this token.
    public let transferMethod: TransferMethod
    /// Whether the token implements EIP-2612 `permit` (relevant for Permit2 assets).
    public let supportsEip2612: Bool
    /// The owning token program (Solana only).
    public let tokenProgram: TokenProgram?
    /// Provenance of the entry.
    public let source: Source

    static func evm(
        address: String, symbol: String, decimals: Int, name: String, version: String,
        transferMethod: TransferMethod, supportsEip2612: Bool, source: Source
    ) -> X402Asset {
        X402Asset(
            address: address, symbol: symbol, decimals: decimals, eip712Name: name,
            eip712Version: version, transferMethod: transferMethod,
            supportsEip2612: supportsEip2612, tokenProgram: nil, source: source)
    }

    static func solana(mint: String, symbol: String, decimals: Int, tokenProgram: TokenProgram) -> X402Asset {
        X402Asset(
            address: mint, symbol: symbol, decimals: decimals, eip712Name: nil, eip712Version: nil,
            transferMethod: .splTransferChecked, supportsEip2612: false, tokenProgram: tokenProgram,
            source: .x402Python2_25)
    }

    /// Whether a seller advertising this asset puts `name`/`version` into `extra`
    /// (x402 2.25.0: always for EIP-3009; for Permit2 only when the token supports EIP-2612).
    public var advertisesEip712Domain: Bool {
        eip712Name != nil && (transferMethod == .eip3009 || supportsEip2612)
    }
}

/// A network x402 can pay on.
public struct X402Network: Sendable, Hashable {
    /// The chain family.
    public enum Family: String, Sendable, Hashable, CaseIterable {
        /// EVM chains, CAIP-2 namespace `eip155`.
        case evm = "eip155"
        /// Solana clusters, CAIP-2 namespace `solana`.
        case solana = "solana"
    }

    /// CAIP-2 id: `eip155:<chainId>` or `solana:<genesis hash prefix>` (protocol v2).
    public let caip2: String
    /// The chain family.
    public let family: Family
    /// EVM chain id (`nil` on Solana).
    public let chainId: UInt64?
    /// Human-readable name.
    public let name: String
    /// Whether this is a test network.
    public let testnet: Bool
    /// Protocol v1 names of the network (empty when v1 has none); the first is preferred.
    public let v1Names: [String]
    /// Known assets; index 0 is the default stablecoin used for dollar prices.
    public let assets: [X402Asset]

    /// The preferred protocol v1 name, if v1 knows this network.
    public var v1Name: String? { v1Names.first }
    /// The default stablecoin, if the network has one.
    public var defaultAsset: X402Asset? { assets.first }

    static func evm(chainId: UInt64, name: String, testnet: Bool, v1Names: [String], assets: [X402Asset]) -> X402Network {
        X402Network(
            caip2: "eip155:\(chainId)", family: .evm, chainId: chainId, name: name, testnet: testnet,
            v1Names: v1Names, assets: assets)
    }

    static func solana(caip2: String, name: String, testnet: Bool, v1Names: [String], assets: [X402Asset]) -> X402Network {
        X402Network(
            caip2: caip2, family: .solana, chainId: nil, name: name, testnet: testnet, v1Names: v1Names,
            assets: assets)
    }
}

/// A v1 network name whose chain id differs between the official SDKs.
public struct X402ChainIdConflict: Sendable, Hashable {
    /// The v1 network name.
    public let v1Name: String
    /// The chain id in x402 2.25.0 (Python) `V1_NETWORK_CHAIN_IDS`.
    public let python: UInt64
    /// The chain id in the TypeScript and Go SDKs (the one this table uses).
    public let typeScriptGo: UInt64
}

/// Lookups in the network table.
public enum Networks {
    /// CAIP-2 id of Solana mainnet-beta.
    public static let solanaMainnet = "solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp"
    /// CAIP-2 id of Solana devnet.
    public static let solanaDevnet = "solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1"
    /// CAIP-2 id of Solana testnet.
    public static let solanaTestnet = "solana:4uhcVJyU9pJkvQyS88uRDiswHXSCkY3z"

    /// The three v1 names where x402 2.25.0 (Python) and the TypeScript/Go SDKs disagree.
    /// The table follows TypeScript/Go (which match the legacy TypeScript SDK); a v1 payment
    /// signed by Python 2.25.0 for these names uses a different EIP-712 `chainId`.
    public static let v1ChainIdConflicts: [X402ChainIdConflict] = [
        X402ChainIdConflict(v1Name: "story", python: 1513, typeScriptGo: 1514),
        X402ChainIdConflict(v1Name: "educhain", python: 656476, typeScriptGo: 41923),
        X402ChainIdConflict(v1Name: "skale-base-sepolia", python: 1444673419, typeScriptGo: 324705682),
    ]

    /// Every network, EVM first (default-asset networks in x402 2.25.0 order), then Solana.
    public static let all: [X402Network] = [
        .evm(chainId: 8453, name: "Base", testnet: false, v1Names: ["base"], assets: [
            .evm(address: "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913", symbol: "USDC", decimals: 6, name: "USD Coin", version: "2", transferMethod: .eip3009, supportsEip2612: false, source: .x402Python2_25),
        ]),
        .evm(chainId: 84532, name: "Base Sepolia", testnet: true, v1Names: ["base-sepolia"], assets: [
            .evm(address: "0x036CbD53842c5426634e7929541eC2318f3dCF7e", symbol: "USDC", decimals: 6, name: "USDC", version: "2", transferMethod: .eip3009, supportsEip2612: false, source: .x402Python2_25),
        ]),
        .evm(chainId: 1, name: "Ethereum", testnet: false, v1Names: ["ethereum"], assets: [
            .evm(address: "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48", symbol: "USDC", decimals: 6, name: "USD Coin", version: "2", transferMethod: .eip3009, supportsEip2612: false, source: .x402Python2_25),
        ]),
        .evm(chainId: 43114, name: "Avalanche C-Chain", testnet: false, v1Names: ["avalanche"], assets: [
            .evm(address: "0xB97EF9Ef8734C71904D8002F8b6Bc66Dd9c48a6E", symbol: "USDC", decimals: 6, name: "USD Coin", version: "2", transferMethod: .eip3009, supportsEip2612: false, source: .x402Python2_25),
        ]),
        .evm(chainId: 4326, name: "MegaETH", testnet: false, v1Names: ["megaeth"], assets: [
            .evm(address: "0xFAfDdbb3FC7688494971a79cc65DCa3EF82079E7", symbol: "MegaUSD", decimals: 18, name: "MegaUSD", version: "1", transferMethod: .permit2, supportsEip2612: true, source: .x402Python2_25),
        ]),
        .evm(chainId: 143, name: "Monad", testnet: false, v1Names: ["monad"], assets: [
            .evm(address: "0x754704Bc059F8C67012fEd69BC8A327a5aafb603", symbol: "USDC", decimals: 6, name: "USDC", version: "2", transferMethod: .eip3009, supportsEip2612: false, source: .x402Python2_25),
        ]),
        .evm(chainId: 10143, name: "Monad Testnet", testnet: true, v1Names: ["monad-testnet"], assets: [
            .evm(address: "0x534b2f3A21130d7a60830c2Df862319e593943A3", symbol: "USDC", decimals: 6, name: "USDC", version: "2", transferMethod: .eip3009, supportsEip2612: false, source: .x402Python2_25),
        ]),
        .evm(chainId: 988, name: "Stable", testnet: false, v1Names: ["stable"], assets: [
            .evm(address: "0x779Ded0c9e1022225f8E0630b35a9b54bE713736", symbol: "USDT0", decimals: 6, name: "USDT0", version: "1", transferMethod: .eip3009, supportsEip2612: false, source: .x402Python2_25),
        ]),
        .evm(chainId: 2201, name: "Stable Testnet", testnet: true, v1Names: ["stable-testnet"], assets: [
            .evm(address: "0x78Cf24370174180738C5B8E352B6D14c83a6c9A9", symbol: "USDT0", decimals: 6, name: "USDT0", version: "1", transferMethod: .eip3009, supportsEip2612: false, source: .x402Python2_25),
        ]),
        .evm(chainId: 137, name: "Polygon", testnet: false, v1Names: ["polygon"], assets: [
            .evm(address: "0x3c499c542cEF5E3811e1192ce70d8cC03d5c3359", symbol: "USDC", decimals: 6, name: "USD Coin", version: "2", transferMethod: .eip3009, supportsEip2612: false, source: .x402Python2_25),
        ]),
        .evm(chainId: 42161, name: "Arbitrum One", testnet: false, v1Names: [], assets: [
            .evm(address: "0xaf88d065e77c8cC2239327C5EDb3A432268e5831", symbol: "USDC", decimals: 6, name: "USD Coin", version: "2", transferMethod: .eip3009, supportsEip2612: false, source: .x402Python2_25),
        ]),
        .evm(chainId: 421614, name: "Arbitrum Sepolia", testnet: true, v1Names: [], assets: [
            .evm(address: "0x75faf114eafb1BDbe2F0316DF893fd58CE46AA4d", symbol: "USDC", decimals: 6, name: "USD Coin", version: "2", transferMethod: .eip3009, supportsEip2612: false, source: .x402Python2_25),
        ]),
        .evm(chainId: 31612, name: "Mezo", testnet: false, v1Names: [], assets: [
            .evm(address: "0xdD468A1DDc392dcdbEf6db6e34E89AA338F9F186", symbol: "mUSD", decimals: 18, name: "Mezo USD", version: "1", transferMethod: .permit2, supportsEip2612: true, source: .x402Python2_25),
        ]),
        .evm(chainId: 31611, name: "Mezo Testnet", testnet: true, v1Names: [], assets: [
            .evm(address: "0x118917a40FAF1CD7a13dB0Ef56C86De7973Ac503", symbol: "mUSD", decimals: 18, name: "Mezo USD", version: "1", transferMethod: .permit2, supportsEip2612: true, source: .x402Python2_25),
        ]),
        .evm(chainId: 723487, name: "Radius", testnet: false, v1Names: [], assets: [
            .evm(address: "0x33ad9e4BD16B69B5BFdED37D8B5D9fF9aba014Fb", symbol: "SBC", decimals: 6, name: "Stable Coin", version: "1", transferMethod: .permit2, supportsEip2612: true, source: .x402Python2_25),
        ]),
        .evm(chainId: 72344, name: "Radius Testnet", testnet: true, v1Names: [], assets: [
            .evm(address: "0x33ad9e4BD16B69B5BFdED37D8B5D9fF9aba014Fb", symbol: "SBC", decimals: 6, name: "Stable Coin", version: "1", transferMethod: .permit2, supportsEip2612: true, source: .x402Python2_25),
        ]),
        .evm(chainId: 36900, name: "ADI Chain", testnet: false, v1Names: [], assets: [
            .evm(address: "0x9cb8142aEBBcdc60AF7c97Af897A67A8f3CA71C2", symbol: "USDC.e", decimals: 6, name: "USDC.e", version: "2", transferMethod: .eip3009, supportsEip2612: false, source: .x402Python2_25),
        ]),
        .evm(chainId: 190415, name: "HPP", testnet: false, v1Names: [], assets: [
            .evm(address: "0x401eCb1D350407f13ba348573E5630B83638E30D", symbol: "USDC.e", decimals: 6, name: "Bridged USDC", version: "2", transferMethod: .eip3009, supportsEip2612: false, source: .x402Python2_25),
        ]),
        .evm(chainId: 181228, name: "HPP Sepolia", testnet: true, v1Names: [], assets: [
            .evm(address: "0x401eCb1D350407f13ba348573E5630B83638E30D", symbol: "USDC.e", decimals: 6, name: "Bridged USDC", version: "2", transferMethod: .eip3009, supportsEip2612: false, source: .x402Python2_25),
        ]),
        .evm(chainId: 50, name: "XDC Network", testnet: false, v1Names: [], assets: [
            .evm(address: "0xfA2958CB79b0491CC627c1557F441eF849Ca8eb1", symbol: "USDC", decimals: 6, name: "USDC", version: "2", transferMethod: .eip3009, supportsEip2612: false, source: .x402Python2_25),
        ]),
        .evm(chainId: 51, name: "XDC Apothem", testnet: true, v1Names: [], assets: [
            .evm(address: "0xb5AB69F7bBada22B28e79C8FFAECe55eF1c771D4", symbol: "USDC", decimals: 6, name: "USDC", version: "2", transferMethod: .eip3009, supportsEip2612: false, source: .x402Python2_25),
        ]),
        .evm(chainId: 38833, name: "Igra", testnet: false, v1Names: [], assets: [
            .evm(address: "0xA5b8BF902b2844dA17d4506cc827F7F1681735E7", symbol: "USDC", decimals: 6, name: "USDC", version: "1", transferMethod: .permit2, supportsEip2612: false, source: .x402Python2_25),
        ]),
        .evm(chainId: 14, name: "Flare", testnet: false, v1Names: ["flare"], assets: [
            .evm(address: "0xe7cd86e13AC4309349F30B3435a9d337750fC82D", symbol: "USDT0", decimals: 6, name: "USD₮0", version: "1", transferMethod: .eip3009, supportsEip2612: false, source: .x402Python2_25),
        ]),
        .evm(chainId: 42220, name: "Celo", testnet: false, v1Names: ["celo"], assets: [
            .evm(address: "0xcebA9300f2b948710d2653dD7B07f33A8B32118C", symbol: "USDC", decimals: 6, name: "USDC", version: "2", transferMethod: .eip3009, supportsEip2612: false, source: .x402Python2_25),
            .evm(address: "0x48065fbBE25f71C9282ddf5e1cD6D6A887483D5e", symbol: "USDT", decimals: 6, name: "Tether USD", version: "1", transferMethod: .eip3009, supportsEip2612: false, source: .x402Python2_25),
            .evm(address: "0xD2ab3C9A02DBBAB236BfEC45D1d755DF4267F771", symbol: "USAT", decimals: 6, name: "Tether America USD", version: "1", transferMethod: .eip3009, supportsEip2612: false, source: .x402Python2_25),
        ]),
        .evm(chainId: 11142220, name: "Celo Sepolia", testnet: true, v1Names: [], assets: [
            .evm(address: "0x01C5C0122039549AD1493B8220cABEdD739BC44E", symbol: "USDC", decimals: 6, name: "USDC", version: "2", transferMethod: .eip3009, supportsEip2612: false, source: .x402Python2_25),
        ]),
        .evm(chainId: 1329, name: "Sei", testnet: false, v1Names: ["sei"], assets: [
            .evm(address: "0xe15fC38F6D8c56aF07bbCBe3BAf5708A2Bf42392", symbol: "USDC", decimals: 6, name: "USDC", version: "2", transferMethod: .eip3009, supportsEip2612: false, source: .x402Python2_25),
        ]),
        .evm(chainId: 1328, name: "Sei Testnet", testnet: true, v1Names: ["sei-testnet"], assets: [
            .evm(address: "0x4fCF1784B31630811181f670Aea7A7bEF803eaED", symbol: "USDC", decimals: 6, name: "USDC", version: "2", transferMethod: .eip3009, supportsEip2612: false, source: .x402Python2_25),
        ]),
        .evm(chainId: 5042, name: "Arc", testnet: false, v1Names: [], assets: [
            .evm(address: "0x3600000000000000000000000000000000000000", symbol: "USDC", decimals: 6, name: "USDC", version: "2", transferMethod: .eip3009, supportsEip2612: false, source: .x402Python2_25),
        ]),
        .evm(chainId: 5042002, name: "Arc Testnet", testnet: true, v1Names: [], assets: [
            .evm(address: "0x3600000000000000000000000000000000000000", symbol: "USDC", decimals: 6, name: "USDC", version: "2", transferMethod: .eip3009, supportsEip2612: false, source: .x402Python2_25),
        ]),
        .evm(chainId: 1514, name: "Story", testnet: false, v1Names: ["story"], assets: [
            .evm(address: "0xF1815bd50389c46847f0Bda824eC8da914045D14", symbol: "USDC", decimals: 6, name: "Bridged USDC", version: "2", transferMethod: .eip3009, supportsEip2612: false, source: .x402TypeScriptLegacyV1),
        ]),
        .evm(chainId: 2741, name: "Abstract", testnet: false, v1Names: ["abstract"], assets: [
            .evm(address: "0x84A71ccD554Cc1b02749b35d22F684CC8ec987e1", symbol: "USDC", decimals: 6, name: "Bridged USDC", version: "2", transferMethod: .eip3009, supportsEip2612: false, source: .x402TypeScriptLegacyV1),
        ]),
        .evm(chainId: 3338, name: "peaq", testnet: false, v1Names: ["peaq"], assets: [
            .evm(address: "0xbbA60da06c2c5424f03f7434542280FCAd453d10", symbol: "USDC", decimals: 6, name: "USDC", version: "2", transferMethod: .eip3009, supportsEip2612: false, source: .x402TypeScriptLegacyV1),
        ]),
        .evm(chainId: 4689, name: "IoTeX", testnet: false, v1Names: ["iotex"], assets: [
            .evm(address: "0xcDf79194C6C285077A58da47641D4dBe51F63542", symbol: "USDC", decimals: 6, name: "Bridged USDC", version: "2", transferMethod: .eip3009, supportsEip2612: false, source: .x402TypeScriptLegacyV1),
        ]),
        .evm(chainId: 11124, name: "Abstract Testnet", testnet: true, v1Names: ["abstract-testnet"], assets: [
            .evm(address: "0xe4C7fBB0a626ed208021ccabA6Be1566905E2dFc", symbol: "USDC", decimals: 6, name: "Bridged USDC", version: "2", transferMethod: .eip3009, supportsEip2612: false, source: .x402TypeScriptLegacyV1),
        ]),
        .evm(chainId: 41923, name: "EDU Chain", testnet: false, v1Names: ["educhain"], assets: [
            .evm(address: "0x12a272A581feE5577A5dFa371afEB4b2F3a8C2F8", symbol: "USDC", decimals: 6, name: "Bridged USDC (Stargate)", version: "2", transferMethod: .eip3009, supportsEip2612: false, source: .x402TypeScriptLegacyV1),
        ]),
        .evm(chainId: 43113, name: "Avalanche Fuji", testnet: true, v1Names: ["avalanche-fuji"], assets: [
            .evm(address: "0x5425890298aed601595a70AB815c96711a31Bc65", symbol: "USDC", decimals: 6, name: "USD Coin", version: "2", transferMethod: .eip3009, supportsEip2612: false, source: .x402TypeScriptLegacyV1),
        ]),
        .evm(chainId: 80002, name: "Polygon Amoy", testnet: true, v1Names: ["polygon-amoy"], assets: [
            .evm(address: "0x41E94Eb019C0762f9Bfcf9Fb1E58725BfB0e7582", symbol: "USDC", decimals: 6, name: "USDC", version: "2", transferMethod: .eip3009, supportsEip2612: false, source: .x402TypeScriptLegacyV1),
        ]),
        .evm(chainId: 11155111, name: "Sepolia", testnet: true, v1Names: ["sepolia"], assets: []),
        .evm(chainId: 324705682, name: "SKALE Base Sepolia", testnet: true, v1Names: ["skale-base-sepolia"], assets: [
            .evm(address: "0x2e08028E3C4c2356572E096d8EF835cD5C6030bD", symbol: "USDC", decimals: 6, name: "Bridged USDC (SKALE Bridge)", version: "2", transferMethod: .eip3009, supportsEip2612: false, source: .x402TypeScriptLegacyV1),
        ]),
        .solana(caip2: "solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp", name: "Solana", testnet: false, v1Names: ["solana"], assets: [
            .solana(mint: "EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v", symbol: "USDC", decimals: 6, tokenProgram: .token),
            .solana(mint: "Es9vMFrzaCERmJfrF4H2FYD4KCoNkY11McCe8BenwNYB", symbol: "USDT", decimals: 6, tokenProgram: .token),
            .solana(mint: "2u1tszSeqZ3qBWF3uNGPFc8TzMk2tdiwknnRMWGWjGWH", symbol: "USDG", decimals: 6, tokenProgram: .token2022),
            .solana(mint: "2b1kV6DkPAnxd5ixfnxCpjxmKwqjjaYmCZfHsFu24GXo", symbol: "PYUSD", decimals: 6, tokenProgram: .token2022),
            .solana(mint: "CASHx9KJUStyftLFWGvEVf59SGeG9sh5FfcnZMVPCASH", symbol: "CASH", decimals: 6, tokenProgram: .token2022),
        ]),
        .solana(caip2: "solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1", name: "Solana Devnet", testnet: true, v1Names: ["solana-devnet"], assets: [
            .solana(mint: "4zMMC9srt5Ri5X14GAgXhaHii3GnPAEERYPJgZJDncDU", symbol: "USDC", decimals: 6, tokenProgram: .token),
            .solana(mint: "4F6PM96JJxngmHnZLBh9n58RH4aTVNWvDs2nuwrT5BP7", symbol: "USDG", decimals: 6, tokenProgram: .token2022),
            .solana(mint: "CXk2AMBfi3TwaEL2468s6zP8xq9NxTXjp9gjMgzeUynM", symbol: "PYUSD", decimals: 6, tokenProgram: .token2022),
        ]),
        .solana(caip2: "solana:4uhcVJyU9pJkvQyS88uRDiswHXSCkY3z", name: "Solana Testnet", testnet: true, v1Names: ["solana-testnet"], assets: [
            .solana(mint: "4zMMC9srt5Ri5X14GAgXhaHii3GnPAEERYPJgZJDncDU", symbol: "USDC", decimals: 6, tokenProgram: .token),
            .solana(mint: "4F6PM96JJxngmHnZLBh9n58RH4aTVNWvDs2nuwrT5BP7", symbol: "USDG", decimals: 6, tokenProgram: .token2022),
            .solana(mint: "CXk2AMBfi3TwaEL2468s6zP8xq9NxTXjp9gjMgzeUynM", symbol: "PYUSD", decimals: 6, tokenProgram: .token2022),
        ]),
    ]

    private static let index: [String: Int] = {
        var d: [String: Int] = [:]
        for (i, n) in all.enumerated() {
            d[n.caip2] = i
            for v in n.v1Names { d[v] = i }
        }
        return d
    }()

    /// The network for a CAIP-2 id or a v1 name, or `nil` if the table does not know it.
    ///
    /// Matching is exact (case-sensitive), as in the official SDKs.
    public static func lookup(_ id: String) -> X402Network? {
        guard let i = index[id] else { return nil }
        return all[i]
    }

    /// The network for a CAIP-2 id or a v1 name.
    ///
    /// - Throws: ``X402SStatus/x402UnknownNetwork`` if the table does not know `id`.
    public static func network(_ id: String) throws(X402SError) -> X402Network {
        guard let n = lookup(id) else {
            throw X402SError(.x402UnknownNetwork, "unknown network (expected a CAIP-2 id or v1 name from the network table)")
        }
        return n
    }

    /// The CAIP-2 id for a CAIP-2 id or v1 name known to the table, or `nil`.
    public static func caip2(_ id: String) -> String? { lookup(id)?.caip2 }

    /// The EVM chain id of a network.
    ///
    /// Any `eip155:<decimal>` is accepted (as the official SDKs do), even when the table has no
    /// entry for it; a v1 name is resolved through the table. The decimal must be canonical
    /// (no sign, no leading zero) and fit in 64 bits.
    ///
    /// - Throws: ``X402SStatus/x402UnknownNetwork`` for a malformed CAIP-2 id, a Solana network
    ///   or an unknown v1 name.
    public static func evmChainId(_ network: String) throws(X402SError) -> UInt64 {
        if network.hasPrefix("eip155:") {
            let digits = network.utf8.dropFirst(7)
            if let v = parseCanonicalUInt64(digits), v > 0 { return v }
            throw X402SError(.x402UnknownNetwork, "malformed eip155 network id (expected eip155:<chainId>)")
        }
        if let n = lookup(network), let id = n.chainId { return id }
        throw X402SError(.x402UnknownNetwork, "not an EVM network (expected eip155:<chainId> or an EVM v1 name)")
    }

    /// The chain family of a network id: `eip155:*` and EVM v1 names are ``X402Network/Family/evm``;
    /// the three Solana CAIP-2 ids and v1 names are ``X402Network/Family/solana``.
    ///
    /// - Throws: ``X402SStatus/x402UnknownNetwork`` for anything else.
    public static func family(_ network: String) throws(X402SError) -> X402Network.Family {
        if network.hasPrefix("eip155:") { _ = try evmChainId(network); return .evm }
        return try self.network(network).family
    }

    /// The default stablecoin of a network (CAIP-2 id or v1 name).
    ///
    /// - Throws: ``X402SStatus/x402UnknownNetwork`` if the network is unknown,
    ///   ``X402SStatus/x402UnknownAsset`` if it has no default asset.
    public static func defaultAsset(_ network: String) throws(X402SError) -> X402Asset {
        guard let a = try self.network(network).defaultAsset else {
            throw X402SError(.x402UnknownAsset, "the network has no default asset; give the asset and its decimals")
        }
        return a
    }

    /// A known asset of a network by address (EVM: case-insensitive; Solana: exact), or `nil`.
    public static func asset(network: String, address: String) -> X402Asset? {
        guard let n = lookup(network) else { return nil }
        switch n.family {
        case .evm:
            let want = asciiLowercased(address)
            return n.assets.first { asciiLowercased($0.address) == want }
        case .solana:
            return n.assets.first { $0.address == address }
        }
    }

    /// A known asset of a network by ticker symbol (case-insensitive), or `nil`.
    public static func asset(network: String, symbol: String) -> X402Asset? {
        guard let n = lookup(network) else { return nil }
        let want = asciiLowercased(symbol)
        return n.assets.first { asciiLowercased($0.symbol) == want }
    }

    /// Parses a canonical unsigned decimal (no sign, no leading zeros, 1...20 digits) into a `UInt64`.
    static func parseCanonicalUInt64(_ digits: some Collection<UInt8>) -> UInt64? {
        guard !digits.isEmpty, digits.count <= 20 else { return nil }
        if digits.count > 1, digits.first == UInt8(ascii: "0") { return nil }
        var v: UInt64 = 0
        for c in digits {
            guard c >= 0x30, c <= 0x39 else { return nil }
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(UInt64(c - 0x30))
            if o1 || o2 { return nil }
            v = s
        }
        return v
    }

    /// ASCII-only lowercase (addresses and tickers are ASCII; other scalars are kept as they are).
    static func asciiLowercased(_ s: String) -> String {
        var out = [UInt8]()
        out.reserveCapacity(s.utf8.count)
        for c in s.utf8 { out.append(c >= 0x41 && c <= 0x5A ? c + 0x20 : c) }
        return String(decoding: out, as: UTF8.self)
    }
}

extension X402Asset {
    /// The asset as JSON: `address, symbol, decimals, transferMethod, eip712Name?, eip712Version?,
    /// supportsEip2612?` (EVM) / `tokenProgram, tokenProgramId` (Solana), `source`.
    public var json: JSONValue {
        var w = X402Writer()
        w.put("address", address)
        w.put("symbol", symbol)
        w.put("decimals", UInt64(decimals))
        w.put("transferMethod", transferMethod.rawValue)
        w.put("eip712Name", eip712Name)
        w.put("eip712Version", eip712Version)
        if eip712Name != nil { w.put("supportsEip2612", .bool(supportsEip2612)) }
        if let tokenProgram {
            w.put("tokenProgram", tokenProgram.rawValue)
            w.put("tokenProgramId", tokenProgram.programId)
        }
        w.put("source", source.rawValue)
        return w.value
    }
}

extension X402Network {
    /// The network as JSON: `caip2, family, chainId? (EVM), name, testnet, v1Names, assets`.
    public var json: JSONValue {
        var w = X402Writer()
        w.put("caip2", caip2)
        w.put("family", family.rawValue)
        if let chainId { w.put("chainId", chainId) }
        w.put("name", name)
        w.put("testnet", .bool(testnet))
        w.put("v1Names", .array(v1Names.map { .string($0) }))
        w.put("assets", .array(assets.map { $0.json }))
        return w.value
    }
}

extension Networks {
    /// The whole table as JSON, for bindings' `networks()`:
    /// `{"networks":[X402Network.json...], "v1ChainIdConflicts":[{"v1Name","python","typeScriptGo"}...],
    /// "tokenPrograms":{"token":"Tokenkeg...","token2022":"Tokenz..."}}`.
    public static func tableJSON() -> JSONValue { cachedTableJSON }

    private static let cachedTableJSON: JSONValue = {
        var w = X402Writer()
        w.put("networks", .array(all.map { $0.json }))
        w.put("v1ChainIdConflicts", .array(v1ChainIdConflicts.map { c in
            var o = X402Writer()
            o.put("v1Name", c.v1Name)
            o.put("python", c.python)
            o.put("typeScriptGo", c.typeScriptGo)
            return o.value
        }))
        var tp = X402Writer()
        for p in X402Asset.TokenProgram.allCases { tp.put(p.rawValue, p.programId) }
        w.put("tokenPrograms", tp.value)
        return w.value
    }()
}
