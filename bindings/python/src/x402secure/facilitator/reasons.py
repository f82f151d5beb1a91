"""Reason codes the on-chain facilitator adds to the core's verification reasons
(``Sources/X402Secure/X402/Reasons.swift``): the official x402 2.25.0 names where it has
one, and a few x402-secure names (marked) for outcomes 2.25.0 folds into a generic code."""

# Official x402 2.25.0 names (mechanisms/evm/constants.py, mechanisms/svm/constants.py).
SETTLEMENT_PENDING = "settlement_pending"
TRANSACTION_FAILED = "transaction_failed"
DUPLICATE_SETTLEMENT = "duplicate_settlement"
ASSET_NOT_DEPLOYED = "asset_not_deployed_contract"
EVM_NONCE_USED = "invalid_exact_evm_nonce_already_used"
EVM_INSUFFICIENT_BALANCE = "invalid_exact_evm_insufficient_balance"
EVM_VALID_BEFORE = "invalid_exact_evm_payload_authorization_valid_before"
EVM_VALID_AFTER = "invalid_exact_evm_payload_authorization_valid_after"
EVM_SIGNATURE = "invalid_exact_evm_payload_signature"
EVM_SIMULATION_FAILED = "invalid_exact_evm_transaction_simulation_failed"
EVM_TRANSFER_EVENT_MISMATCH = "invalid_exact_evm_transfer_event_mismatch"
EVM_NETWORK_CONFIG = "invalid_exact_evm_failed_to_get_network_config"
PERMIT2_ALLOWANCE_REQUIRED = "permit2_allowance_required"
SVM_SIMULATION_FAILED = "transaction_simulation_failed"
UNSUPPORTED_NETWORK = "unsupported_network"
INVALID_PAYLOAD = "invalid_payload"

# x402-secure names.
#: The base fee alone is above the network's configured max_fee_per_gas: not sent.
EVM_FEE_LIMIT = "invalid_exact_evm_fee_limit_exceeded"
#: The transaction's blockhash expired before it landed: it can never be processed.
SVM_BLOCKHASH_EXPIRED = "invalid_exact_svm_blockhash_expired"
#: The chain could not be reached to check the payment (verify fails closed).
CHAIN_UNAVAILABLE = "chain_unavailable"

#: Revert messages and custom errors of EIP-3009 tokens -> reason (x402 2.25.0's
#: parse_eip3009_transfer_error, same order).
EVM_REVERT_REASONS = (
    (("authorization is expired", "authorizationexpired"), EVM_VALID_BEFORE),
    (("authorization is not yet valid", "authorizationnotyetvalid"), EVM_VALID_AFTER),
    (("authorization is used", "authorizationalreadyused", "authorizationusedorcanceled"), EVM_NONCE_USED),
    (("transfer amount exceeds balance", "erc20insufficientbalance"), EVM_INSUFFICIENT_BALANCE),
    (("invalid signature", "signermismatch", "invalidsignaturev", "invalidsignatures"), EVM_SIGNATURE),
)

#: Custom-error selectors with the names above (OpenZeppelin ERC20InsufficientBalance).
EVM_CUSTOM_ERRORS = {"0xe450d38c": "ERC20InsufficientBalance"}


def evm_revert_reason(revert: dict, default: str) -> str:
    """The reason code of a decoded revert (``x402secure.evm.decode_revert``)."""
    text = ""
    if revert.get("kind") == "error":
        text = str(revert.get("message", ""))
    elif revert.get("kind") == "custom":
        text = EVM_CUSTOM_ERRORS.get(str(revert.get("selector", "")), "")
    text = text.lower()
    for needles, reason in EVM_REVERT_REASONS:
        if any(n in text for n in needles):
            return reason
    return default


def revert_message(revert: dict) -> str:
    """A short human description of a decoded revert."""
    kind = revert.get("kind")
    if kind == "error":
        return f"reverted: {revert.get('message', '')}"
    if kind == "panic":
        return f"reverted: panic {revert.get('code')} ({revert.get('message')})"
    if kind == "custom":
        name = EVM_CUSTOM_ERRORS.get(str(revert.get("selector", "")))
        return f"reverted with custom error {name or revert.get('selector', '')}"
    return "reverted without a reason"
