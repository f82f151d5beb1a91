// x402secure: the command-line front door to the x402-secure core.
//
// Secrets are never taken as arguments (they would land in shell history and `ps`):
// keys come from an environment variable (--key-env) or a file (--key-file).
import ArgumentParser
import Foundation
import X402Secure

@main
struct X402SecureCLI: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "x402secure",
        abstract: "x402-secure core: hashes, EIP-712, keys and x402 payments.",
        version: "\(X402SecureVersion.string)",
        subcommands: CLICommands.all
    )
}

/// Every subcommand, in help order. Later areas append theirs here.
enum CLICommands {
    static let all: [ParsableCommand.Type] = [
        Keccak256Command.self, EIP712HashCommand.self, AddressCommand.self,
        SignTypedDataCommand.self, RecoverCommand.self,
    ] + protocolCommands + riskCommands
}

// MARK: - shared helpers

/// Errors from the core are printed as `error: <STATUS_NAME>: <message>` and exit 1.
struct CoreFailure: Error, CustomStringConvertible {
    let error: X402SError
    var description: String { "\(error.status.name): \(error.message)" }
}

func core<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as X402SError {
        throw CoreFailure(error: error)
    }
}

/// Reads a file, or standard input for "-" or nil.
func readInput(_ path: String?) throws -> [UInt8] {
    if path == nil || path == "-" {
        return Array(FileHandle.standardInput.readDataToEndOfFile())
    }
    guard let data = FileManager.default.contents(atPath: path ?? "") else {
        throw ValidationError("cannot read \(path ?? "")")
    }
    return Array(data)
}

/// Where a secret key comes from: never the command line itself.
struct KeyOptions: ParsableArguments {
    @Option(help: "Name of the environment variable holding the key as 0x-hex (default X402_PRIVATE_KEY).")
    var keyEnv: String?

    @Option(help: "File holding the key as 0x-hex (whitespace ignored).")
    var keyFile: String?

    /// The 32 secret bytes; the caller turns them into a key object immediately.
    func secretBytes() throws -> [UInt8] {
        var text: String
        if let keyFile {
            guard let data = FileManager.default.contents(atPath: keyFile) else {
                throw ValidationError("cannot read key file \(keyFile)")
            }
            text = String(decoding: data, as: UTF8.self)
        } else {
            let name = keyEnv ?? "X402_PRIVATE_KEY"
            guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else {
                throw ValidationError("no key: set \(name) or pass --key-env/--key-file")
            }
            text = value
        }
        text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        do {
            return try Hex.decode(text)
        } catch {
            // Never echo the key text.
            throw ValidationError("the key is not hex (expected 0x followed by 64 hex digits)")
        }
    }
}

func printJSON(_ object: JSONObject) {
    print(JSONValue.object(object).serializedString(.compact))
}

// MARK: - commands

struct Keccak256Command: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keccak256", abstract: "Keccak-256 (Ethereum's) of text, hex or a file.")

    @Option(help: "Hash the UTF-8 bytes of this text.") var text: String?
    @Option(help: "Hash these bytes given as hex.") var hex: String?
    @Option(help: "Hash the bytes of this file ('-' for standard input).") var file: String?

    func run() throws {
        let bytes: [UInt8]
        if let text {
            bytes = Array(text.utf8)
        } else if let hex {
            bytes = try core { try Hex.decode(hex) }
        } else {
            bytes = try readInput(file)
        }
        print(Hex.encode(Keccak256.hash(bytes)))
    }
}

struct EIP712HashCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eip712-hash",
        abstract: "Hash eth_signTypedData_v4 JSON: domain separator, struct hash and digest.")

    @Argument(help: "Typed-data JSON file ('-' or nothing for standard input).") var file: String?

    func run() throws {
        let json = try readInput(file)
        let hashes = try core { try EIP712.hash(json: json) }
        printJSON(JSONObject([
            ("domainSeparator", .string(Hex.encode(hashes.domainSeparator))),
            ("structHash", .string(Hex.encode(hashes.structHash))),
            ("digest", .string(Hex.encode(hashes.digest))),
        ]))
    }
}

struct AddressCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "address",
        abstract: "The EVM (EIP-55) or Solana address of a key from --key-env or --key-file.")

    @OptionGroup var key: KeyOptions
    @Flag(help: "Treat the key as a 32-byte Ed25519 seed and print the Solana address.")
    var solana = false

    func run() throws {
        var secret = try key.secretBytes()
        defer { for i in secret.indices { secret[i] = 0 } }
        if solana {
            let pair = try core { try Ed25519.KeyPair(seed: secret) }
            print(pair.solanaAddress)
        } else {
            let account = try core { try Secp256k1.PrivateKey(bytes: secret) }
            print(account.address.checksummed)
        }
    }
}

struct SignTypedDataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign-typed-data",
        abstract: "Sign eth_signTypedData_v4 JSON with a key from --key-env or --key-file.")

    @Argument(help: "Typed-data JSON file ('-' or nothing for standard input).") var file: String?
    @OptionGroup var key: KeyOptions

    func run() throws {
        let json = try readInput(file)
        var secret = try key.secretBytes()
        defer { for i in secret.indices { secret[i] = 0 } }
        let account = try core { try Secp256k1.PrivateKey(bytes: secret) }
        let hashes = try core { try EIP712.hash(json: json) }
        let signature = try core { try account.sign(digest: hashes.digest) }
        printJSON(JSONObject([
            ("address", .string(account.address.checksummed)),
            ("digest", .string(Hex.encode(hashes.digest))),
            ("signature", .string(Hex.encode(signature))),
        ]))
    }
}

struct RecoverCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recover", abstract: "Recover the signer address from a digest and a 65-byte signature.")

    @Option(help: "The 32-byte digest as hex.") var digest: String
    @Option(help: "The 65-byte signature r||s||v as hex.") var signature: String

    func run() throws {
        let address = try core {
            try Secp256k1.recoverAddress(digest: try Hex.decode(digest), signature: try Hex.decode(signature))
        }
        print(address.checksummed)
    }
}
