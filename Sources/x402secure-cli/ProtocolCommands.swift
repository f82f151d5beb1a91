// x402 protocol subcommands: pay (buyers), decode and verify (sellers, facilitators), networks.
//
// Every input and output is the wire-format JSON of x402 (camelCase keys). Keys come from
// --key-env / --key-file only (KeyOptions), never from the command line.
import ArgumentParser
import Foundation
import X402Secure

/// x402 protocol subcommands (pay, decode, verify, networks).
let protocolCommands: [ParsableCommand.Type] = [
    PayCommand.self, DecodeCommand.self, VerifyCommand.self, NetworksCommand.self,
]

// MARK: - helpers

/// Indented JSON that keeps the member order of `value` (2 spaces, raw UTF-8).
func prettyJSON(_ value: JSONValue, indent: String = "") -> String {
    let inner = indent + "  "
    switch value {
    case .object(let o):
        if o.isEmpty { return "{}" }
        let members = o.entries.map { entry in
            inner + JSONValue.string(entry.key).serializedString() + ": " + prettyJSON(entry.value, indent: inner)
        }
        return "{\n" + members.joined(separator: ",\n") + "\n" + indent + "}"
    case .array(let a):
        if a.isEmpty { return "[]" }
        return "[\n" + a.map { inner + prettyJSON($0, indent: inner) }.joined(separator: ",\n") + "\n" + indent + "]"
    default:
        return value.serializedString()
    }
}

/// Text of a header value given as an option, a file, or standard input (whitespace trimmed).
func headerText(_ value: String?, file: String?) throws -> String {
    if let value { return value.trimmingCharacters(in: .whitespacesAndNewlines) }
    let bytes = try readInput(file)
    guard let text = String(validating: bytes, as: UTF8.self) else {
        throw CoreFailure(error: X402SError(.invalidUTF8, "the header is not valid UTF-8"))
    }
    return text.trimmingCharacters(in: .whitespacesAndNewlines)
}

/// A JSON document from a file / standard input.
func jsonDocument(_ path: String?) throws -> JSONValue {
    let bytes = try readInput(path)
    return try core { try JSONValue.parse(bytes) }
}

/// Parses a hex option of an exact size (nonces, blockhashes).
func hexOption(_ text: String?, _ name: String) throws -> [UInt8]? {
    guard let text else { return nil }
    do { return try Hex.decode(text) } catch { throw ValidationError("--\(name) is not hex") }
}

// MARK: - pay

struct PayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pay",
        abstract: "Pay a 402 answer or one requirement; prints 'Header-Name: value'.",
        discussion: """
            Input: a JSON file (or standard input) holding a 402 answer (a v1 body or a decoded v2 \
            PaymentRequired, recognised by "accepts") or a single requirement (v1 or v2); or \
            --header with the PAYMENT-REQUIRED header value of a v2 answer. The key is a \
            secp256k1 secret key (EVM) or, with --solana, a 32-byte Ed25519 seed (Solana), read \
            from --key-env / --key-file as 0x-hex.
            """)

    @Argument(help: "402 answer or requirement JSON file ('-' or nothing for standard input).") var file: String?
    @Option(help: "The PAYMENT-REQUIRED header value of a v2 402 answer (instead of a file).") var header: String?
    @OptionGroup var key: KeyOptions
    @Flag(help: "The key is a 32-byte Ed25519 seed (Solana).") var solana = false
    @Option(help: #"Buyer policy JSON, e.g. {"networks":["eip155:84532"],"maxPrice":"$0.10"}."#) var policy: String?
    @Option(help: "Unix time to use instead of the clock (tests).") var now: UInt64?
    @Option(help: "EVM nonce, 0x + 32 bytes (default: CSPRNG).") var nonce: String?
    @Option(help: "Solana: the 16 bytes behind the default memo, 0x-hex (default: CSPRNG).") var memoNonce: String?
    @Option(help: "Solana: recent blockhash (base58 or 0x-hex) when the requirement has none.") var recentBlockhash: String?
    @Option(help: "Solana: decimals of a mint that is not in the network table.") var mintDecimals: UInt8?
    @Option(help: "Solana: token program of a mint not in the table: token or token2022.") var tokenProgram: String?
    @Flag(help: "Print the payment payload JSON after the header line.") var showPayload = false

    func run() throws {
        var options = X402PaymentOptions(now: now, nonce: try hexOption(nonce, "nonce"),
                                         memoNonce: try hexOption(memoNonce, "memo-nonce"), mintDecimals: mintDecimals)
        if let recentBlockhash {
            options.recentBlockhash = try core {
                recentBlockhash.hasPrefix("0x") ? try Hex.decode(recentBlockhash) : try Base58.decode32(recentBlockhash)
            }
        }
        if let tokenProgram {
            guard let p = X402Asset.TokenProgram(rawValue: tokenProgram) else {
                throw ValidationError("--token-program must be token or token2022")
            }
            options.tokenProgram = p
        }
        let buyerPolicy = try core { () throws -> X402PaymentPolicy in
            guard let policy else { return X402PaymentPolicy() }
            return try X402PaymentPolicy(json: try JSONValue.parse(policy))
        }
        var secret = try key.secretBytes()
        defer { for i in secret.indices { secret[i] = 0 } }
        let signer: X402Signer = try core {
            solana ? .solana(try Ed25519.KeyPair(seed: secret)) : .evm(try Secp256k1.PrivateKey(bytes: secret))
        }
        let created: X402CreatedPayment
        if let header {
            created = try core {
                let answer = try X402Client.parsePaymentRequired(header: header.trimmingCharacters(in: .whitespacesAndNewlines), body: nil)
                return try X402Client.createPayment(answer: answer, signer: signer, policy: buyerPolicy, options: options)
            }
        } else {
            let json = try jsonDocument(file)
            created = try core {
                if json["accepts"] != nil {
                    return try X402Client.createPayment(
                        answer: try X402Client.parsePaymentRequired(json: json), signer: signer, policy: buyerPolicy, options: options)
                }
                return try X402Client.createPayment(for: try X402Requirement(json: json), signer: signer, options: options)
            }
        }
        print("\(created.headerName): \(created.headerValue)")
        if showPayload { print(prettyJSON(created.payment.json)) }
    }
}

// MARK: - decode

struct DecodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode",
        abstract: "Decode an x402 header value to pretty JSON.",
        discussion: """
            Payment headers (X-PAYMENT, PAYMENT-SIGNATURE) by default; --kind required for \
            PAYMENT-REQUIRED, --kind response for X-PAYMENT-RESPONSE / PAYMENT-RESPONSE. \
            Only strict standard padded base64 is accepted (URL-safe input is rejected).
            """)

    enum Kind: String, ExpressibleByArgument, CaseIterable { case payment, required, response }

    @Argument(help: "The header value (omit to read it from standard input).") var value: String?
    @Option(help: "What the header is: payment, required or response.") var kind: Kind = .payment
    @Flag(help: "Compact JSON on one line.") var compact = false

    func run() throws {
        let text = try headerText(value, file: nil)
        let json: JSONValue = try core {
            switch kind {
            case .payment: return try X402Payment(header: text).json
            case .required: return try X402PaymentRequired(header: text).json
            case .response: return try X402SettleResponse(header: text).json
            }
        }
        print(compact ? json.serializedString() : prettyJSON(json))
    }
}

// MARK: - verify

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify a payment header offline against the seller's requirement.",
        discussion: """
            Prints the VerifyResponse JSON {isValid, invalidReason?, invalidMessage?, payer?}. \
            Exit status: 0 valid, 1 invalid or error. The requirement file holds one v1 or v2 \
            requirement (the seller's own copy, not the buyer's `accepted`).
            """)

    @Option(help: "The payment header value (X-PAYMENT or PAYMENT-SIGNATURE).") var header: String?
    @Option(help: "File holding the header value ('-' for standard input).") var headerFile: String?
    @Option(help: "Requirement JSON file.") var requirements: String
    @Option(help: "Unix time of the check (default: the clock).") var now: UInt64?
    @Option(help: "upto: a facilitator address of ours (repeatable).") var facilitatorAddress: [String] = []
    @Option(help: "Solana: a fee payer of ours (repeatable; default: any).") var solanaFeePayer: [String] = []

    func run() throws {
        guard header != nil || headerFile != nil else { throw ValidationError("give --header or --header-file") }
        let text = try headerText(header, file: headerFile)
        let req = try jsonDocument(requirements)
        let options = X402VerifyOptions(facilitatorAddresses: facilitatorAddress,
                                        solanaFeePayers: solanaFeePayer.isEmpty ? nil : solanaFeePayer)
        let result = try core {
            try X402Verifier.verify(paymentHeader: text, requirements: req, now: now ?? X402Client.currentTime(), options: options)
        }
        print(result.response.json.serializedString())
        if !result.isValid { throw ExitCode(1) }
    }
}

// MARK: - networks

struct NetworksCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "networks",
        abstract: "The network and asset table (CAIP-2 ids, v1 names, chain ids, default assets).")

    @Option(help: "Show one network (CAIP-2 id or v1 name).") var network: String?
    @Flag(help: "Compact JSON on one line.") var compact = false

    func run() throws {
        let json = try core { () throws -> JSONValue in
            if let network { return try Networks.network(network).json }
            return Networks.tableJSON()
        }
        print(compact ? json.serializedString() : prettyJSON(json))
    }
}
