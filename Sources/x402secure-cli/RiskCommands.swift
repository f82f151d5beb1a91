// x402-secure risk-layer subcommands: risk-header (build and parse the risk headers),
// evidence (payment evidence: build and sign, verify), mandate-check (the pre-payment
// mandate gate). Everything is computed by the core (Sources/X402Secure/Risk); this file
// only reads arguments and prints. Keys come from --key-env / --key-file only.
import ArgumentParser
import Foundation
import X402Secure

/// The risk-layer subcommands, appended to CLICommands.all.
let riskCommands: [ParsableCommand.Type] = [
    RiskHeaderCommand.self, EvidenceCommand.self, MandateCheckCommand.self,
]

// MARK: - helpers

/// Bytes of a file or standard input ("-" or nil).
private func riskFileBytes(_ path: String?) throws -> [UInt8] { try readInput(path) }

/// A JSON document given inline (starting with `{` or `[`) or as a file path.
private func riskJSONArgument(_ text: String) throws -> JSONValue {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    if trimmed.hasPrefix("{") || trimmed.hasPrefix("[") {
        return try core { try JSONValue.parse(trimmed) }
    }
    return try jsonDocument(text)
}

private func printValue(_ json: JSONValue, compact: Bool) {
    print(compact ? json.serializedString() : prettyJSON(json))
}

// MARK: - risk-header

struct RiskHeaderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "risk-header",
        abstract: "Build or parse the x402-secure risk headers (wire-compatible with x402-secure 0.1.4).",
        subcommands: [
            RiskSecureHeader.self, RiskTraceparent.self, RiskAP2Header.self, RiskVIHeader.self,
            RiskParseHeader.self, RiskUUIDCommand.self,
        ])
}

struct RiskSecureHeader: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "secure",
        abstract: "Build X-PAYMENT-SECURE: w3c.v1;tp=<traceparent>[;ts=<context>]; prints 'X-PAYMENT-SECURE: value'.",
        discussion: """
            The context is sent as percent-encoded base64 of its compact JSON (key order kept), \
            exactly as x402-secure 0.1.4's build_payment_secure_header does; 0.1.4 sends {"tid": ...}.
            """)

    @Option(help: "The traceparent (default: a new one from the CSPRNG).") var traceparent: String?
    @Option(help: "The risk trace id: the context {\"tid\": TID}.") var tid: String?
    @Option(help: "The agent trace context as JSON (instead of --tid).") var context: String?
    @Option(help: "A raw W3C tracestate, sent when there is no context.") var tracestate: String?

    func run() throws {
        if tid != nil && context != nil { throw ValidationError("give --tid or --context, not both") }
        let value = try core { () throws -> String in
            let tp = try traceparent.map { t throws(X402SError) in try Traceparent(parsing: t) } ?? Traceparent.generate()
            var ctx: JSONValue? = nil
            if let tid { ctx = .object(JSONObject([("tid", .string(tid))])) }
            if let context { ctx = try JSONValue.parse(context) }
            return try PaymentSecureHeader.build(traceparent: tp, agentTraceContext: ctx, tracestate: tracestate)
        }
        print("\(PaymentSecureHeader.headerName): \(value)")
    }
}

struct RiskTraceparent: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "traceparent",
        abstract: "A new W3C traceparent (CSPRNG ids), or a child span of --parent.")

    @Option(help: "Continue this trace (same trace id and flags, new span id).") var parent: String?
    @Option(help: "Trace flags as two lowercase hex digits (default 01 / the parent's).") var flags: String?

    func run() throws {
        var flagByte: UInt8?
        if let flags {
            guard flags.utf8.count == 2, flags == flags.lowercased(), let b = UInt8(flags, radix: 16) else {
                throw ValidationError("--flags must be two lowercase hex digits")
            }
            flagByte = b
        }
        let tp = try core { () throws -> Traceparent in
            if let parent { return try Traceparent(parsing: parent).child(flags: flagByte) }
            return try Traceparent.generate(flags: flagByte ?? Traceparent.sampledFlag)
        }
        print(tp.value)
    }
}

struct RiskAP2Header: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ap2",
        abstract: "Build X-AP2-EVIDENCE from the mandate's exact bytes; prints 'X-AP2-EVIDENCE: value'.")

    @Option(help: "The mandate reference (mr): a storage key or an HTTPS URL.") var ref: String
    @Argument(help: "The mandate file ('-' or nothing for standard input); its exact bytes are hashed.") var mandate: String?
    @Option(help: "Check the mandate against this X-AP2-EVIDENCE value instead of building one (exit 1 if it differs).")
    var check: String?

    func run() throws {
        let bytes = try riskFileBytes(mandate)
        if let check {
            let header = try core { try AP2EvidenceHeader.parse(check) }
            guard header.matches(mandate: bytes) else {
                print("mismatch: the mandate does not have the announced SHA-256 and size")
                throw ExitCode(1)
            }
            print("ok")
            return
        }
        print("\(AP2EvidenceHeader.headerName): \(try core { try AP2EvidenceHeader.build(mandateRef: ref, mandate: bytes) })")
    }
}

struct RiskVIHeader: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vi",
        abstract: "Build X-VERIFIABLE-INTENT; prints 'X-VERIFIABLE-INTENT: value'.")

    @Option(help: "The evidence reference (ref).") var ref: String
    @Argument(help: "The evidence file ('-' or nothing for standard input).") var evidence: String?
    @Flag(help: "The evidence is JSON: hash (and count) its canonical form.") var json = false
    @Option(help: "The media type (default application/json).") var mediaType: String = "application/json"

    func run() throws {
        let bytes = try riskFileBytes(evidence)
        let value = try core { () throws -> String in
            if json {
                return try VerifiableIntentHeader.build(reference: ref, evidence: try JSONValue.parse(bytes), mediaType: mediaType)
            }
            return try VerifiableIntentHeader.build(reference: ref, evidence: bytes, mediaType: mediaType)
        }
        print("\(VerifiableIntentHeader.headerName): \(value)")
    }
}

struct RiskParseHeader: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse",
        abstract: "Parse a risk header value (X-PAYMENT-SECURE, X-AP2-EVIDENCE, X-VERIFIABLE-INTENT or X-PAYMENT-EVIDENCE).",
        discussion: """
            The header is recognised by its version tag (w3c.v1, evd.v1, vi.v1, pev.v1) and parsed \
            with the 0.1.4 gateway's rules. Prints {"header": <name>, "value": <parsed>}; for \
            X-PAYMENT-SECURE also the strictly decoded "context" when ts holds one. A malformed \
            value prints 'error: <STATUS>: <message>' and exits 1.
            """)

    @Argument(help: "The header value (omit to read it from standard input).") var value: String?
    @Flag(help: "Compact JSON on one line.") var compact = false

    func run() throws {
        let text = try headerText(value, file: nil)
        let tag = text.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first
            .map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        let result: JSONObject = try core { () throws -> JSONObject in
            switch tag {
            case PaymentSecureHeader.versionTag:
                let h = try PaymentSecureHeader.parse(text)
                var o = JSONObject([("header", .string(PaymentSecureHeader.headerName)), ("value", h.json)])
                if let ctx = try? h.agentTraceContext() { o["context"] = ctx }
                return o
            case AP2EvidenceHeader.versionTag:
                return JSONObject([("header", .string(AP2EvidenceHeader.headerName)), ("value", try AP2EvidenceHeader.parse(text).json)])
            case VerifiableIntentHeader.versionTag:
                return JSONObject([("header", .string(VerifiableIntentHeader.headerName)),
                                   ("value", try VerifiableIntentHeader.parse(text).json)])
            case PaymentEvidenceHeader.versionTag:
                let h = try PaymentEvidenceHeader.parse(text)
                return JSONObject([
                    ("header", .string(PaymentEvidenceHeader.headerName)),
                    ("value", .object(JSONObject([
                        ("alg", .string(h.algorithm.rawValue)), ("message", h.evidence.json),
                        ("signature", .string(Hex.encode(h.signature))), ("digest", .string(Hex.encode(h.evidence.digest))),
                    ]))),
                ])
            default:
                throw X402SError(.riskInvalidHeader, "unknown risk header version tag (expected w3c.v1, evd.v1, vi.v1 or pev.v1)")
            }
        }
        printValue(.object(result), compact: compact)
    }
}

struct RiskUUIDCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "uuid",
        abstract: "Validate an X-RISK-SESSION / X-RISK-TRACE id (UUID v1 or v4) and print its normal form.")

    @Argument(help: "The id.") var value: String

    func run() throws {
        print(try core { try RiskUUID.normalize(value) })
    }
}

// MARK: - evidence

struct EvidenceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evidence",
        abstract: "Payment evidence (X-PAYMENT-EVIDENCE) and dispute evidence (receipts, bundles: docs/EVIDENCE.md).",
        subcommands: [EvidenceBuild.self, EvidenceVerify.self] + disputeEvidenceCommands)
}

/// The request facts shared by build and verify.
struct EvidenceRequestOptions: ParsableArguments {
    @Option(help: "The payment header value sent (X-PAYMENT or PAYMENT-SIGNATURE).") var paymentHeader: String?
    @Option(help: "File holding the payment header value.") var paymentHeaderFile: String?
    @Option(help: "The requirement paid: a JSON file, or inline JSON.") var requirement: String
    @Option(help: "The seller origin, scheme://host[:port].") var origin: String
    @Option(help: "The resource URL paid for.") var resource: String
    @Option(help: "The X-RISK-SESSION id.") var session: String
    @Option(help: "The risk trace id (tid) of X-PAYMENT-SECURE / X-RISK-TRACE.") var trace: String?
    @Option(help: "The payer address (required for Solana payments).") var payer: String?
    @Option(help: "Unix time to use instead of the clock.") var now: UInt64?

    func paymentHeaderText() throws -> String {
        guard paymentHeader != nil || paymentHeaderFile != nil else {
            throw ValidationError("give --payment-header or --payment-header-file")
        }
        return try headerText(paymentHeader, file: paymentHeaderFile)
    }

    func requirementValue() throws -> X402Requirement {
        let json = try riskJSONArgument(requirement)
        return try core { try X402Requirement(json: json) }
    }

    var time: UInt64 { now ?? UInt64(max(0, RiskClock.nowUnix())) }
}

struct EvidenceBuild: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Build and sign payment evidence; prints 'X-PAYMENT-EVIDENCE: value'.",
        discussion: """
            The key (--key-env / --key-file, 0x-hex) is the payer's: a secp256k1 key for EVM \
            payments, or with --solana an Ed25519 seed. With --unsigned no key is read and the \
            message, its digest and the eth_signTypedData_v4 document are printed instead.
            """)

    @OptionGroup var request: EvidenceRequestOptions
    @Option(help: "The agent trace sent to POST /risk/trace (JSON file); its digest is bound.") var agentTrace: String?
    @Option(help: "Validity window in seconds (default 300).") var validFor: UInt64 = PaymentEvidence.defaultValiditySeconds
    @OptionGroup var key: KeyOptions
    @Flag(help: "The key is a 32-byte Ed25519 seed (Solana payer).") var solana = false
    @Flag(help: "Print the unsigned message, digest and typed data instead of signing.") var unsigned = false

    func run() throws {
        let header = try request.paymentHeaderText()
        let requirement = try request.requirementValue()
        let trace = try agentTrace.map { path in try core { try AgentTrace.parse(try readInput(path)) } }
        let evidence = try core {
            try PaymentEvidence(
                paymentHeader: header, requirement: requirement, origin: request.origin, resource: request.resource,
                riskSessionId: request.session, riskTraceId: request.trace, agentTrace: trace, payer: request.payer,
                validFor: validFor, now: request.time)
        }
        if unsigned {
            printValue(.object(JSONObject([
                ("message", evidence.json), ("digest", .string(Hex.encode(evidence.digest))), ("typedData", evidence.typedData),
            ])), compact: false)
            return
        }
        var secret = try key.secretBytes()
        defer { for i in secret.indices { secret[i] = 0 } }
        let value = try core { () throws -> String in
            if solana { return try PaymentEvidenceHeader.sign(evidence, solanaKey: try Ed25519.KeyPair(seed: secret)) }
            return try PaymentEvidenceHeader.sign(evidence, evmKey: try Secp256k1.PrivateKey(bytes: secret))
        }
        print("\(PaymentEvidenceHeader.headerName): \(value)")
    }
}

struct EvidenceVerify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Sellers: verify X-PAYMENT-EVIDENCE against the request received.",
        discussion: """
            Prints {"isValid", "reasons", "signer"} (reason codes in docs/RISK.md). Exit status: \
            0 valid, 1 invalid or malformed.
            """)

    @Argument(help: "The X-PAYMENT-EVIDENCE value (omit to read it from standard input).") var value: String?
    @OptionGroup var request: EvidenceRequestOptions
    @Option(help: "The expected agent-trace digest, 0x + 64 hex (checked when given).") var agentTraceDigest: String?
    @Option(help: "The agent trace stored for the tid (JSON file): its digest is checked.") var agentTrace: String?

    func run() throws {
        let text = try headerText(value, file: nil)
        let header = try request.paymentHeaderText()
        let requirement = try request.requirementValue()
        var digest: [UInt8]?
        if let agentTraceDigest {
            guard let d = try? Hex.decode(agentTraceDigest, requirePrefix: true), d.count == 32 else {
                throw ValidationError("--agent-trace-digest must be 0x + 64 hex digits")
            }
            digest = d
        } else if let agentTrace {
            digest = try core { try AgentTrace.parse(try readInput(agentTrace)).digest }
        }
        let result = try core { () throws -> PaymentEvidenceVerification in
            let expectation = try PaymentEvidenceExpectation(
                paymentHeader: header, requirement: requirement, origin: request.origin, resource: request.resource,
                riskSessionId: request.session, riskTraceId: request.trace, agentTraceDigest: digest, payer: request.payer)
            return try PaymentEvidenceHeader.verify(text, against: expectation, now: request.time)
        }
        print(result.json.serializedString())
        if !result.isValid { throw ExitCode(1) }
    }
}

// MARK: - mandate-check

struct MandateCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mandate-check",
        abstract: "Evaluate an AP2-style mandate against a requirement and an agent trace before paying.",
        discussion: """
            Prints {"decision": "allow" | "step_up" | "deny", "reasons": [{code, action, detail}...]} \
            (the mandate schema and the reason codes are in docs/RISK.md). Exit status: 0 allow, \
            2 step_up, 3 deny, 1 malformed input.
            """)

    @Option(help: "The mandate JSON file.") var mandate: String
    @Option(help: "The requirement the agent is about to pay: a JSON file, or inline JSON.") var requirement: String
    @Option(help: "The agent trace JSON file (trace-based checks are skipped without one).") var trace: String?
    @Option(help: "The resource URL paid (default: the v1 requirement's resource).") var resource: String?
    @Option(help: "Unix time to use instead of the clock.") var now: Int64?
    @Flag(help: "Compact JSON on one line.") var compact = false

    func run() throws {
        let mandateBytes = try readInput(mandate)
        let requirementBytes = Array(try riskJSONArgument(requirement).serialized())
        let traceBytes = try trace.map { try readInput($0) }
        let decision = try core {
            try MandateGate.evaluate(mandateJSON: mandateBytes, requirementJSON: requirementBytes, traceJSON: traceBytes,
                                     resource: resource, now: now ?? RiskClock.nowUnix())
        }
        printValue(decision.json, compact: compact)
        switch decision.decision {
        case .allow: return
        case .stepUp: throw ExitCode(2)
        case .deny: throw ExitCode(3)
        }
    }
}
