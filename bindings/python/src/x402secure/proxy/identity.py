"""The identity of a payment: what makes two settle requests "the same payment".

- EVM ``exact`` with EIP-3009: ``(chain id, asset, payer, nonce)`` — the token contract
  refuses a second ``transferWithAuthorization`` with that nonce from that payer.
- EVM Permit2 (``exact`` and ``upto``): ``(chain id, "permit2", payer, nonce)`` — Permit2's
  nonces are per owner across every token.
- Solana ``exact``: ``(network, sha256(transaction message))``, the key the official
  facilitator deduplicates on; immune to garbage in the fee payer's signature slot.
- Anything else: SHA-256 of the canonical JSON of the payload (scheme, network, payload).

Addresses and hex nonces are lower-cased, decimal nonces normalised, so spelling
variants of one authorization map to one key.
"""

from __future__ import annotations

import base64
import hashlib
import json
from functools import lru_cache
from typing import Any, Dict, Optional, Tuple

__all__ = ["payment_identity", "chain_id"]


@lru_cache(maxsize=1)
def _v1_chain_ids() -> Dict[str, int]:
    from .. import x402 as _x402

    out: Dict[str, int] = {}
    for net in _x402.networks().get("networks", []):
        if net.get("family") == "eip155":
            for name in net.get("v1Names") or []:
                out[name] = int(net["chainId"])
    return out


def chain_id(network: str) -> Optional[int]:
    if network.startswith("eip155:"):
        try:
            return int(network[7:])
        except ValueError:
            return None
    return _v1_chain_ids().get(network)


def _v1_solana(network: str) -> Optional[str]:
    return {"solana": "solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp",
            "solana-devnet": "solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1",
            "solana-testnet": "solana:4uhcVJyU9pJkvQyS88uRDiswHXSCkY3z"}.get(network)


def _norm_nonce(value: Any) -> Optional[str]:
    if isinstance(value, str):
        v = value.strip().lower()
        if v.startswith("0x"):
            try:
                return "0x" + format(int(v, 16), "064x")
            except ValueError:
                return None
        if v.isdigit():
            return "0x" + format(int(v), "064x")
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return "0x" + format(value, "064x")
    return None


def _solana_message_hash(tx_b64: Any) -> Optional[str]:
    if not isinstance(tx_b64, str):
        return None
    try:
        tx = base64.b64decode(tx_b64, validate=True)
    except (ValueError, TypeError):
        return None
    if not tx:
        return None
    # compact-u16 signature count
    n, shift, i = 0, 0, 0
    while i < 3 and i < len(tx):
        b = tx[i]
        n |= (b & 0x7F) << shift
        i += 1
        if not b & 0x80:
            break
        shift += 7
    start = i + 64 * n
    if n == 0 or start >= len(tx):
        return None
    return base64.b64encode(hashlib.sha256(tx[start:]).digest()).decode("ascii")


def payment_identity(payment: Dict[str, Any], requirements: Dict[str, Any]) -> Tuple[str, Dict[str, Any], str, str]:
    """``(key, identity, network, payer)`` of a decoded payment payload and its requirement.

    ``key`` is 64 hex digits (SHA-256 of the identity's canonical JSON)."""
    acc = payment.get("accepted") if isinstance(payment.get("accepted"), dict) else {}
    network = str(requirements.get("network") or payment.get("network") or acc.get("network") or "")
    scheme = str(payment.get("scheme") or acc.get("scheme") or requirements.get("scheme") or "")
    payload = payment.get("payload") if isinstance(payment.get("payload"), dict) else {}
    identity: Optional[Dict[str, Any]] = None
    payer = ""
    cid = chain_id(network)
    if cid is not None:
        auth = payload.get("authorization")
        permit = payload.get("permit2Authorization")
        if isinstance(auth, dict):
            nonce = _norm_nonce(auth.get("nonce"))
            payer = str(auth.get("from") or "").lower()
            asset = str(requirements.get("asset") or acc.get("asset") or "").lower()
            if nonce and payer and asset:
                identity = {"kind": "evm-eip3009", "chainId": cid, "asset": asset, "payer": payer, "nonce": nonce}
        elif isinstance(permit, dict):
            nonce = _norm_nonce(permit.get("nonce"))
            payer = str(permit.get("from") or "").lower()
            if nonce and payer:
                identity = {"kind": "evm-permit2", "chainId": cid, "payer": payer, "nonce": nonce}
    elif network.startswith("solana") or _v1_solana(network):
        h = _solana_message_hash(payload.get("transaction"))
        if h:
            identity = {"kind": "solana", "network": _v1_solana(network) or network, "messageSha256": h}
    if identity is None:
        canon = json.dumps({"scheme": scheme, "network": network, "payload": payload}, sort_keys=True,
                           separators=(",", ":"), ensure_ascii=False)
        identity = {"kind": "payload", "sha256": hashlib.sha256(canon.encode("utf-8")).hexdigest()}
    key = hashlib.sha256(json.dumps(identity, sort_keys=True, separators=(",", ":")).encode()).hexdigest()
    return key, identity, network, payer
