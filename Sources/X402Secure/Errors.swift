/// The one list of status codes shared by the Swift API, the C ABI
/// (`include/x402_secure.h`, `X402S_*` macros) and every binding.
///
/// Codes are grouped in tens and never renumbered:
/// 1-9 misuse, 10-19 encodings/JSON, 20-29 keys and signatures, 30-39 EIP-712,
/// 40-49 x402, 50-59 risk layer, 60-69 Solana, 70-79 HTTP requests, 90-99 internal,
/// 100-109 EVM transactions, RLP and ABI, 110-119 dispute evidence.
/// `scripts/check_abi.py` verifies that the header's macros match this table.
public enum X402SStatus: Int32, Sendable, CaseIterable {
    case ok = 0
    /// A required pointer was NULL (C ABI only).
    case nullArgument = 1
    /// An output buffer is too small; the needed size is reported.
    case bufferTooSmall = 2
    /// A fixed-size input has the wrong length.
    case invalidLength = 3
    /// An input exceeds `X402S_MAX_INPUT_BYTES` or another documented limit.
    case inputTooLarge = 4
    /// An option, flag or argument value is not allowed.
    case invalidArgument = 5
    /// A handle (replay guard, signer) was freed, or is not a handle made by this library.
    case handleClosed = 6

    case invalidUTF8 = 10
    case invalidHex = 11
    case invalidBase64 = 12
    case invalidBase58 = 13
    case invalidJSON = 14
    /// JSON nesting deeper than `X402S_MAX_JSON_DEPTH`.
    case jsonTooDeep = 15
    /// A decimal/hex integer string is malformed or out of range.
    case invalidNumber = 16
    /// An EVM address is malformed (not 0x + 40 hex digits) or has a bad EIP-55 checksum.
    case invalidAddress = 17

    /// A secret key is zero, not below the curve order, or has the wrong size.
    case invalidKey = 20
    /// A signature is malformed (length, recovery id, r or s out of range) or cannot be recovered.
    case invalidSignature = 21
    /// A signature has s > n/2 (malleable form); rejected everywhere.
    case nonCanonicalSignature = 22
    /// A well-formed signature does not verify.
    case verifyFailed = 23
    /// A public key is malformed or not on the curve.
    case invalidPublicKey = 24

    /// The typed-data document lacks `types`, `primaryType`, `domain` or `message`, or a part has the wrong shape.
    case eip712InvalidDocument = 30
    /// A type name is neither an atomic/dynamic type nor a struct in `types`.
    case eip712UnknownType = 31
    /// A struct field declared in `types` is missing from the value.
    case eip712MissingField = 32
    /// An integer, bytesN or address value is out of range for its type.
    case eip712ValueOutOfRange = 33
    /// A value has the wrong JSON kind for its type (e.g. an object for `uint256`).
    case eip712InvalidValue = 34
    /// The struct types reference themselves in a cycle that cannot be encoded.
    case eip712CyclicType = 35

    /// `x402Version` is missing or not 1 or 2.
    case x402UnsupportedVersion = 40
    /// The network is not in the network table (or not of the expected family).
    case x402UnknownNetwork = 41
    /// The scheme is not one this core implements.
    case x402UnsupportedScheme = 42
    /// A payment payload or header does not have the x402 shape.
    case x402InvalidPayload = 43
    /// Payment requirements or a 402 answer do not have the x402 shape.
    case x402InvalidRequirements = 44
    /// No requirement satisfies the buyer's policy.
    case x402NoMatchingRequirement = 45
    /// Verification ran and the payment is not valid (the reason is in the result).
    case x402PaymentInvalid = 46
    /// The replay guard has already seen this authorization.
    case x402Replay = 47
    /// The asset is not known for the network and the caller gave no details.
    case x402UnknownAsset = 48
    /// A price or amount string is malformed, negative or too precise for the asset.
    case x402InvalidAmount = 49

    /// A traceparent is malformed (version, lengths, hex case, all-zero ids).
    case riskInvalidTraceparent = 50
    /// A risk header value exceeds its documented limit.
    case riskHeaderTooLong = 51
    /// A risk session or trace id is not a UUID of an accepted version.
    case riskInvalidUUID = 52
    /// A risk header is malformed (grammar, version tag, missing key, percent-encoding).
    case riskInvalidHeader = 53
    /// Evidence does not match the payment or is outside its window.
    case riskEvidenceMismatch = 54
    /// A mandate document is malformed.
    case riskInvalidMandate = 55
    /// An agent trace document is malformed.
    case riskInvalidTrace = 56
    /// The mandate gate asks for the user's confirmation before paying (`step_up`).
    case riskStepUpRequired = 57
    /// The mandate gate refuses the payment (`deny`).
    case riskDenied = 58

    /// A Solana transaction cannot be decoded or built.
    case solanaInvalidTransaction = 60
    /// A Solana public key is not 32 bytes of base58.
    case solanaInvalidPublicKey = 61
    /// No off-curve program-derived address exists for the seeds.
    case solanaNoProgramAddress = 62
    /// A transaction to submit lacks a signature, or one of its signatures does not verify.
    case solanaNotFullySigned = 63
    /// The transaction's message is not the one that was verified (its hash differs).
    case solanaMessageMismatch = 64
    /// The key asked to co-sign is not the transaction's fee payer (account 0).
    case solanaNotFeePayer = 65

    /// An HTTP method is empty, longer than 64 bytes or not an RFC 9110 token.
    case httpInvalidMethod = 70
    /// A request-target is not origin-form or absolute-form, or has a space, control,
    /// non-ASCII or backslash byte, or a path starting with `//`.
    case httpInvalidTarget = 71
    /// A path has a malformed percent-escape, encodes `/`, `\`, `?`, `#` or a control
    /// character, is encoded twice, does not decode to UTF-8 or ends with encoded white space.
    case httpInvalidEncoding = 72
    /// A `..` segment climbs above the root or follows an empty segment.
    case httpPathTraversal = 73
    /// A seller's route key is malformed or uses unsupported pattern syntax.
    case httpInvalidRouteKey = 74

    /// An internal invariant failed; please report it.
    case `internal` = 90
    /// The system CSPRNG failed.
    case randomnessFailed = 91
    /// A C library could not be initialised.
    case backendInitFailed = 92

    /// RLP input is malformed: truncated, trailing bytes, a length past its list, too deep.
    case rlpInvalid = 100
    /// RLP input is well-formed but not canonical (a second encoding of the same item).
    case rlpNonCanonical = 101
    /// An EVM transaction is malformed or has a field out of range (type, chain id, fees, gas).
    case evmInvalidTransaction = 102
    /// An ABI type or function signature is malformed or uses a type this core does not encode.
    case abiInvalidType = 103
    /// An ABI argument does not fit its type (wrong JSON kind, out of range, wrong size).
    case abiInvalidValue = 104
    /// ABI-encoded data does not decode as the given types (offsets, lengths, padding, ranges).
    case abiDecodeFailed = 105
    /// An evidence record (or the decision it holds) does not have the documented schema,
    /// or a new record would not link to its predecessor (seq / prev).
    case evidenceInvalidRecord = 110
    /// A stored evidence record text is not its own canonical form.
    case evidenceNotCanonical = 111
    /// A decision receipt (`X-Risk-Receipt`) or a receipt public key is malformed.
    case evidenceInvalidReceipt = 112
    /// An evidence bundle is malformed, or the records given to build one do not form a
    /// linked segment holding the decision.
    case evidenceInvalidBundle = 113
    /// Evidence verification ran and failed (the verdict lists the reasons).
    case evidenceVerifyFailed = 114

    /// The C name of the status, as in `include/x402_secure.h`.
    public var name: String {
        switch self {
        case .ok: return "X402S_OK"
        case .nullArgument: return "X402S_ERR_NULL_ARGUMENT"
        case .bufferTooSmall: return "X402S_ERR_BUFFER_TOO_SMALL"
        case .invalidLength: return "X402S_ERR_INVALID_LENGTH"
        case .inputTooLarge: return "X402S_ERR_INPUT_TOO_LARGE"
        case .invalidArgument: return "X402S_ERR_INVALID_ARGUMENT"
        case .handleClosed: return "X402S_ERR_HANDLE_CLOSED"
        case .invalidUTF8: return "X402S_ERR_INVALID_UTF8"
        case .invalidHex: return "X402S_ERR_INVALID_HEX"
        case .invalidBase64: return "X402S_ERR_INVALID_BASE64"
        case .invalidBase58: return "X402S_ERR_INVALID_BASE58"
        case .invalidJSON: return "X402S_ERR_INVALID_JSON"
        case .jsonTooDeep: return "X402S_ERR_JSON_TOO_DEEP"
        case .invalidNumber: return "X402S_ERR_INVALID_NUMBER"
        case .invalidAddress: return "X402S_ERR_INVALID_ADDRESS"
        case .invalidKey: return "X402S_ERR_INVALID_KEY"
        case .invalidSignature: return "X402S_ERR_INVALID_SIGNATURE"
        case .nonCanonicalSignature: return "X402S_ERR_NON_CANONICAL_SIGNATURE"
        case .verifyFailed: return "X402S_ERR_VERIFY_FAILED"
        case .invalidPublicKey: return "X402S_ERR_INVALID_PUBLIC_KEY"
        case .eip712InvalidDocument: return "X402S_ERR_EIP712_INVALID_DOCUMENT"
        case .eip712UnknownType: return "X402S_ERR_EIP712_UNKNOWN_TYPE"
        case .eip712MissingField: return "X402S_ERR_EIP712_MISSING_FIELD"
        case .eip712ValueOutOfRange: return "X402S_ERR_EIP712_VALUE_OUT_OF_RANGE"
        case .eip712InvalidValue: return "X402S_ERR_EIP712_INVALID_VALUE"
        case .eip712CyclicType: return "X402S_ERR_EIP712_CYCLIC_TYPE"
        case .x402UnsupportedVersion: return "X402S_ERR_X402_UNSUPPORTED_VERSION"
        case .x402UnknownNetwork: return "X402S_ERR_X402_UNKNOWN_NETWORK"
        case .x402UnsupportedScheme: return "X402S_ERR_X402_UNSUPPORTED_SCHEME"
        case .x402InvalidPayload: return "X402S_ERR_X402_INVALID_PAYLOAD"
        case .x402InvalidRequirements: return "X402S_ERR_X402_INVALID_REQUIREMENTS"
        case .x402NoMatchingRequirement: return "X402S_ERR_X402_NO_MATCHING_REQUIREMENT"
        case .x402PaymentInvalid: return "X402S_ERR_X402_PAYMENT_INVALID"
        case .x402Replay: return "X402S_ERR_X402_REPLAY"
        case .x402UnknownAsset: return "X402S_ERR_X402_UNKNOWN_ASSET"
        case .x402InvalidAmount: return "X402S_ERR_X402_INVALID_AMOUNT"
        case .riskInvalidTraceparent: return "X402S_ERR_RISK_INVALID_TRACEPARENT"
        case .riskHeaderTooLong: return "X402S_ERR_RISK_HEADER_TOO_LONG"
        case .riskInvalidUUID: return "X402S_ERR_RISK_INVALID_UUID"
        case .riskInvalidHeader: return "X402S_ERR_RISK_INVALID_HEADER"
        case .riskEvidenceMismatch: return "X402S_ERR_RISK_EVIDENCE_MISMATCH"
        case .riskInvalidMandate: return "X402S_ERR_RISK_INVALID_MANDATE"
        case .riskInvalidTrace: return "X402S_ERR_RISK_INVALID_TRACE"
        case .riskStepUpRequired: return "X402S_ERR_RISK_STEP_UP"
        case .riskDenied: return "X402S_ERR_RISK_DENIED"
        case .solanaInvalidTransaction: return "X402S_ERR_SOLANA_INVALID_TRANSACTION"
        case .solanaInvalidPublicKey: return "X402S_ERR_SOLANA_INVALID_PUBLIC_KEY"
        case .solanaNoProgramAddress: return "X402S_ERR_SOLANA_NO_PROGRAM_ADDRESS"
        case .solanaNotFullySigned: return "X402S_ERR_SOLANA_NOT_FULLY_SIGNED"
        case .solanaMessageMismatch: return "X402S_ERR_SOLANA_MESSAGE_MISMATCH"
        case .solanaNotFeePayer: return "X402S_ERR_SOLANA_NOT_FEE_PAYER"
        case .httpInvalidMethod: return "X402S_ERR_HTTP_INVALID_METHOD"
        case .httpInvalidTarget: return "X402S_ERR_HTTP_INVALID_TARGET"
        case .httpInvalidEncoding: return "X402S_ERR_HTTP_INVALID_ENCODING"
        case .httpPathTraversal: return "X402S_ERR_HTTP_PATH_TRAVERSAL"
        case .httpInvalidRouteKey: return "X402S_ERR_HTTP_INVALID_ROUTE_KEY"
        case .internal: return "X402S_ERR_INTERNAL"
        case .randomnessFailed: return "X402S_ERR_RANDOMNESS_FAILED"
        case .backendInitFailed: return "X402S_ERR_BACKEND_INIT_FAILED"
        case .rlpInvalid: return "X402S_ERR_RLP_INVALID"
        case .rlpNonCanonical: return "X402S_ERR_RLP_NON_CANONICAL"
        case .evmInvalidTransaction: return "X402S_ERR_EVM_INVALID_TRANSACTION"
        case .abiInvalidType: return "X402S_ERR_ABI_INVALID_TYPE"
        case .abiInvalidValue: return "X402S_ERR_ABI_INVALID_VALUE"
        case .abiDecodeFailed: return "X402S_ERR_ABI_DECODE_FAILED"
        case .evidenceInvalidRecord: return "X402S_ERR_EVIDENCE_INVALID_RECORD"
        case .evidenceNotCanonical: return "X402S_ERR_EVIDENCE_NOT_CANONICAL"
        case .evidenceInvalidReceipt: return "X402S_ERR_EVIDENCE_INVALID_RECEIPT"
        case .evidenceInvalidBundle: return "X402S_ERR_EVIDENCE_INVALID_BUNDLE"
        case .evidenceVerifyFailed: return "X402S_ERR_EVIDENCE_VERIFY_FAILED"
        }
    }
}

/// The error thrown by every throwing function of the core.
///
/// `message` is for humans; it never contains key material and never echoes
/// caller data beyond short structural hints (a field name, a type name, an index).
public struct X402SError: Error, Sendable, Equatable, CustomStringConvertible {
    public let status: X402SStatus
    public let message: String

    public init(_ status: X402SStatus, _ message: String) {
        self.status = status
        self.message = message
    }

    public var description: String { "\(status.name): \(message)" }
}
