/// The one table of x402 verification reason codes (`invalidReason`).
///
/// Names are those of the official Python package x402 2.25.0 wherever it has one, so our
/// `VerifyResponse` JSON is interchangeable with the official facilitator's. Codes marked
/// "x402-secure" are checks that go beyond 2.25.0 (see docs/VERIFY.md).
public enum X402Reason: String, Sendable, CaseIterable {
    // Shared
    case unsupportedScheme = "unsupported_scheme"
    case unsupportedVersion = "unsupported_version"
    case unsupportedNetwork = "unsupported_network"
    case networkMismatch = "network_mismatch"
    case invalidPayload = "invalid_payload"
    /// x402-secure: the (payer, nonce) or Solana message was already accepted by the replay guard.
    case duplicatePayment = "duplicate_payment"

    // EVM exact (EIP-3009)
    case evmFailedToGetNetworkConfig = "invalid_exact_evm_failed_to_get_network_config"
    /// Verification could not run (2.25.0 name for an exception during signature checks).
    case evmFailedToVerifySignature = "invalid_exact_evm_failed_to_verify_signature"
    case missingEip712Domain = "missing_eip712_domain"
    case evmRecipientMismatch = "invalid_exact_evm_payload_recipient_mismatch"
    case evmValueMismatch = "invalid_exact_evm_payload_authorization_value_mismatch"
    case evmValidBefore = "invalid_exact_evm_payload_authorization_valid_before"
    case evmValidAfter = "invalid_exact_evm_payload_authorization_valid_after"
    case evmSignature = "invalid_exact_evm_payload_signature"
    /// x402-secure (TS/Go name): s > n/2.
    case evmNonCanonicalSignature = "invalid_exact_evm_non_canonical_signature"
    /// x402-secure: the asset differs from the one advertised.
    case evmAssetMismatch = "invalid_exact_evm_asset_mismatch"

    // EVM exact via Permit2
    case permit2InvalidSpender = "invalid_permit2_spender"
    case permit2RecipientMismatch = "invalid_permit2_recipient_mismatch"
    case permit2PayloadFormat = "invalid_permit2_payload_format"
    case permit2DeadlineExpired = "permit2_deadline_expired"
    case permit2NotYetValid = "permit2_not_yet_valid"
    case permit2AmountMismatch = "permit2_amount_mismatch"
    case permit2TokenMismatch = "permit2_token_mismatch"
    case permit2InvalidSignature = "invalid_permit2_signature"

    // EVM upto (Permit2)
    case uptoScheme = "invalid_upto_evm_scheme"
    case uptoNetworkMismatch = "invalid_upto_evm_network_mismatch"
    case uptoFailedToGetNetworkConfig = "invalid_upto_evm_failed_to_get_network_config"
    case uptoFacilitatorMismatch = "upto_facilitator_mismatch"
    case uptoSettlementExceedsAmount = "invalid_upto_evm_payload_settlement_exceeds_amount"

    // Solana exact
    case svmMissingFeePayer = "invalid_exact_svm_payload_missing_fee_payer"
    case svmFeePayerNotManaged = "fee_payer_not_managed_by_facilitator"
    case svmCouldNotDecode = "invalid_exact_svm_payload_transaction_could_not_be_decoded"
    case svmInstructionsLength = "invalid_exact_svm_payload_transaction_instructions_length"
    case svmComputeLimitInstruction = "invalid_exact_svm_payload_transaction_instructions_compute_limit_instruction"
    case svmComputePriceInstruction = "invalid_exact_svm_payload_transaction_instructions_compute_price_instruction"
    case svmComputePriceTooHigh = "invalid_exact_svm_payload_transaction_instructions_compute_price_instruction_too_high"
    case svmNoTransferInstruction = "invalid_exact_svm_payload_no_transfer_instruction"
    case svmUnknownFourthInstruction = "invalid_exact_svm_payload_unknown_fourth_instruction"
    case svmUnknownFifthInstruction = "invalid_exact_svm_payload_unknown_fifth_instruction"
    case svmUnknownSixthInstruction = "invalid_exact_svm_payload_unknown_sixth_instruction"
    case svmMemoCount = "invalid_exact_svm_payload_memo_count"
    case svmMemoMismatch = "invalid_exact_svm_payload_memo_mismatch"
    case svmFeePayerTransferringFunds = "invalid_exact_svm_payload_transaction_fee_payer_transferring_funds"
    case svmMintMismatch = "invalid_exact_svm_payload_mint_mismatch"
    case svmRecipientMismatch = "invalid_exact_svm_payload_recipient_mismatch"
    /// TS/spec name; x402-secure uses strict equality (Python 2.25.0 accepts overpayment).
    case svmAmountMismatch = "invalid_exact_svm_payload_amount_mismatch"
    /// x402-secure: the client's signature over the message does not verify.
    case svmInvalidSignature = "invalid_exact_svm_payload_signature"
}
