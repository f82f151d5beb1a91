// Dispute-evidence subcommands of `x402secure evidence` (docs/EVIDENCE.md): verify-bundle,
// verify-receipt, keygen, public-key. Everything is computed by the core
// (Sources/X402Secure/Evidence); this file reads arguments and prints. The receipt key's seed
// is read only from a file and never printed.
import ArgumentParser
import Foundation
import X402Secure

#if canImport(Glibc)
import Glibc
#endif

/// The dispute-evidence subcommands, appended to `x402secure evidence`.
let disputeEvidenceCommands: [ParsableCommand.Type] = [
    EvidenceVerifyBundle.self, EvidenceVerifyReceipt.self, EvidenceKeygen.self, EvidencePublicKey.self,
]

/// Trusted keys from `--public-key` values: each a file (JWK, JWK Set or raw key text) or
/// inline JSON, `0x` + 64 hex, or 43 characters of base64url.
private func trustedKeys(_ values: [String]) throws -> [ReceiptPublicKey]? {
    guard !values.isEmpty else { return nil }
    var keys: [ReceiptPublicKey] = []
    for v in values {
        let t = v.trimmingCharacters(in: .whitespacesAndNewlines)
        let json: JSONValue
        if t.hasPrefix("{") || t.hasPrefix("[") {
            json = try core { try JSONValue.parse(t) }
        } else if t.hasPrefix("0x") || (t.utf8.count == 43 && !FileManager.default.fileExists(atPath: t)) {
            json = .string(t)
        } else {
            let bytes = try readInput(t)
            let text = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            json = text.hasPrefix("{") || text.hasPrefix("[") ? try core { try JSONValue.parse(text) } : .string(text)
        }
        keys += try core { try ReceiptPublicKey.parseSet(json) }
    }
    return keys
}

struct EvidenceVerifyBundle: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify-bundle",
        abstract: "Verify a dispute-evidence bundle (GET /evidence/{decision_id}) offline.",
        discussion: """
            Checks the chain links and sequence numbers, every digest, the receipts and the \
            manifest against the proxy key, and the payer's signature on each recorded payment \
            (offline x402 verification at the decision time). Prints {"isValid", "decisionId", \
            "keyPinned", "keyIds", "records", "reasons"} (reason codes in docs/EVIDENCE.md). \
            Pin the proxy's published keys with --public-key (the JWK Set served at \
            /.well-known/x402-secure/receipt-key, a JWK, or the raw key); without it the \
            bundle's own keys are used, which proves integrity, not who signed. \
            Exit status: 0 valid, 1 invalid or malformed.
            """)

    @Argument(help: "The bundle file ('-' or nothing for standard input).") var file: String?
    @Option(name: .customLong("public-key"), help: "A trusted proxy key: JWK Set / JWK file or JSON, 0x-hex, or base64url (repeatable).")
    var publicKeys: [String] = []
    @Flag(help: "Compact JSON on one line.") var compact = false

    func run() throws {
        let bytes = try readInput(file)
        let trusted = try trustedKeys(publicKeys)
        let result = try core { () throws -> EvidenceBundleVerification in
            let doc = try JSONValue.parse(bytes, limits: JSONLimits(maxBytes: EvidenceBundle.maxBytes, maxDepth: EvidenceBundle.maxDepth))
            return try EvidenceBundle.verify(doc, trusted: trusted)
        }
        print(compact ? result.json.serializedString() : prettyJSON(result.json))
        if trusted == nil && result.isValid {
            FileHandle.standardError.write(Data(
                "note: checked against the bundle's own keys (\(result.keyIds.joined(separator: ", "))); pass --public-key to check who signed\n".utf8))
        }
        if !result.isValid { throw ExitCode(1) }
    }
}

struct EvidenceVerifyReceipt: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify-receipt",
        abstract: "Sellers: verify an X-Risk-Receipt value against the proxy's keys.",
        discussion: "Prints {\"isValid\", \"reasons\", \"keyId\", \"receipt\"}. Exit status: 0 valid, 1 invalid or malformed.")

    @Argument(help: "The X-Risk-Receipt value (omit to read it from standard input).") var value: String?
    @Option(name: .customLong("public-key"), help: "A trusted proxy key (as verify-bundle; repeatable, at least one).")
    var publicKeys: [String] = []
    @Option(help: "A stored record text the receipt must belong to.") var record: String?

    func run() throws {
        guard let keys = try trustedKeys(publicKeys) else { throw ValidationError("give --public-key") }
        let text = try headerText(value, file: nil)
        let rec = try record.map { path in try core { try EvidenceRecord.parse(text: try readInput(path)) } }
        let result = try core { try DecisionReceipt.verify(text, keys: keys, record: rec) }
        print(result.json.serializedString())
        if !result.isValid { throw ExitCode(1) }
    }
}

struct EvidenceKeygen: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keygen",
        abstract: "Make a new receipt key: the seed goes to a new file (0x-hex, mode 0600); the JWK Set is printed.")

    @Option(help: "The key file to create (it must not exist).") var out: String

    func run() throws {
        var seed = try core { try SecureRandom.bytes(Ed25519.seedByteCount) }
        defer { for i in seed.indices { seed[i] = 0 } }
        let pair = try core { try Ed25519.KeyPair(seed: seed) }
        var text = Array(Hex.encode(seed).utf8) + [0x0A]
        defer { for i in text.indices { text[i] = 0 } }
        let fd = open(out, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else { throw ValidationError("cannot create \(out) (it must not exist yet)") }
        let written = text.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        let synced = fsync(fd)
        close(fd)
        guard written == text.count, synced == 0 else { throw ValidationError("could not write \(out)") }
        print(String(decoding: CanonicalJSON.bytes(ReceiptPublicKey.keySet([pair.receiptPublicKey])), as: UTF8.self))
    }
}

struct EvidencePublicKey: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "public-key",
        abstract: "Print the JWK Set (served at /.well-known/x402-secure/receipt-key) of a receipt key.",
        discussion: "The key is the 0x-hex seed written by keygen, from --key-file or --key-env.")

    @OptionGroup var key: KeyOptions

    func run() throws {
        var secret = try key.secretBytes()
        defer { for i in secret.indices { secret[i] = 0 } }
        let pair = try core { try Ed25519.KeyPair(seed: secret) }
        print(String(decoding: CanonicalJSON.bytes(ReceiptPublicKey.keySet([pair.receiptPublicKey])), as: UTF8.self))
    }
}
