"""The local facilitator: the proxy's ``upstream = "local"`` (tests and the demo).

- :class:`LocalFacilitator`: the core's offline verification
  (``x402secure.x402.verify_payment``) and a settlement stub that answers like
  a facilitator (``{"success", "transaction", "network", "payer"}``) without a
  chain. Settling records the authorization in a replay guard, so a payment
  settles once. Nothing is broadcast: the EVM transaction id is a stand-in
  (``0x`` + keccak-256 of the header); for Solana, when the facilitator holds
  the fee payer's key, it co-signs the buyer's transaction with the core (as a
  real facilitator does before broadcasting) and the id is that first
  signature in base58, else a stand-in of 64 hash bytes.

It answers ``(status, json_or_None, text)``; :class:`x402secure.proxy.upstream.LocalUpstream`
makes it an async upstream, :class:`~x402secure.proxy.upstream.HttpUpstream` talks to a
real facilitator.
"""

from __future__ import annotations

import json
import threading
import time
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

import base64

from .. import x402 as _x402
from .._accounts import SolanaKeypair
from .._core import b58encode, b64encode, keccak256, sha256
from ..errors import X402SError

__all__ = ["Answer", "LocalFacilitator", "payment_header_of"]

#: (HTTP status, parsed JSON object or None, body text)
Answer = Tuple[int, Optional[Dict[str, Any]], str]


def payment_header_of(body: Dict[str, Any]) -> Optional[str]:
    """The payment header of a facilitator request: ``paymentHeader`` when
    present (x402-secure's proxy sends it), else standard base64 of the compact
    JSON of ``paymentPayload``."""
    header = body.get("paymentHeader")
    if isinstance(header, str) and header:
        return header
    payload = body.get("paymentPayload")
    if isinstance(payload, dict):
        text = json.dumps(payload, separators=(",", ":"), ensure_ascii=False)
        return b64encode(text.encode("utf-8"))
    return None


def _network_of(payment: Any, requirements: Any) -> str:
    if isinstance(requirements, dict) and isinstance(requirements.get("network"), str):
        return requirements["network"]
    if isinstance(payment, dict):
        if isinstance(payment.get("network"), str):
            return payment["network"]
        acc = payment.get("accepted")
        if isinstance(acc, dict) and isinstance(acc.get("network"), str):
            return acc["network"]
    return ""


class LocalFacilitator:
    """Offline verification plus a settlement stub (no chain).

    Args:
        clock: Unix time in seconds.
        facilitator_addresses: EVM addresses this facilitator settles from
            (for ``upto`` payments).
        solana_fee_payers: Solana fee payers it controls (``None``: any, or
            the addresses of ``solana_fee_payer_keys``).
        solana_fee_payer_keys: fee payer key pairs used to co-sign Solana
            transactions at settlement (the caller keeps ownership).
        replay_capacity: size of the settlement replay guard.
    """

    #: Marks stub transaction ids in :attr:`settlements` (they are not on any chain).
    STUB = True

    def __init__(self, *, clock: Callable[[], float] = time.time, facilitator_addresses: Sequence[str] = (),
                 solana_fee_payers: Optional[Sequence[str]] = None,
                 solana_fee_payer_keys: Sequence[SolanaKeypair] = (), replay_capacity: int = 100_000) -> None:
        self._clock = clock
        self.facilitator_addresses = list(facilitator_addresses)
        self._fee_keys = {k.address: k for k in solana_fee_payer_keys}
        if solana_fee_payers is None and self._fee_keys:
            solana_fee_payers = list(self._fee_keys)
        self.solana_fee_payers = list(solana_fee_payers) if solana_fee_payers is not None else None
        self._guard = _x402.ReplayGuard(replay_capacity)
        self._lock = threading.Lock()
        #: Every successful settlement: ``{"transaction", "network", "payer", "header_sha256"}``.
        self.settlements: List[Dict[str, Any]] = []
        #: Counts of calls, for tests and the demo.
        self.calls = {"verify": 0, "settle": 0}

    def _verify(self, body: Dict[str, Any], guard: Any) -> Tuple[Optional[str], Any, Any]:
        header = payment_header_of(body)
        requirements = body.get("paymentRequirements")
        if header is None or not isinstance(requirements, dict):
            return None, None, None
        result = _x402.verify_payment(
            header, requirements, now=int(self._clock()),
            facilitator_addresses=self.facilitator_addresses,
            solana_fee_payers=self.solana_fee_payers,
            replay_guard=guard,
        )
        return header, requirements, result

    def verify(self, body: Dict[str, Any]) -> Answer:
        """Facilitator ``/verify``: 200 with an x402 VerifyResponse."""
        self.calls["verify"] += 1
        try:
            header, requirements, result = self._verify(body, None)
        except X402SError as exc:
            doc = {"isValid": False, "invalidReason": "invalid_payload", "invalidMessage": exc.message}
            return 200, doc, json.dumps(doc)
        if result is None:
            doc = {"isValid": False, "invalidReason": "invalid_payload",
                   "invalidMessage": "paymentPayload/paymentHeader and paymentRequirements are required"}
            return 200, doc, json.dumps(doc)
        doc = result.to_json() if hasattr(result, "to_json") else dict(result)
        if isinstance(doc, str):
            doc = json.loads(doc)
        return 200, doc, json.dumps(doc)

    def settle(self, body: Dict[str, Any]) -> Answer:
        """Facilitator ``/settle``: verifies again, records the authorization
        (a second settle of it fails with ``duplicate_payment``) and answers a
        SettleResponse with a stub transaction id."""
        self.calls["settle"] += 1
        network = _network_of(body.get("paymentPayload"), body.get("paymentRequirements"))
        try:
            header, requirements, result = self._verify(body, self._guard)
        except X402SError as exc:
            doc = {"success": False, "errorReason": "invalid_payload", "errorMessage": exc.message,
                   "transaction": "", "network": network}
            return 200, doc, json.dumps(doc)
        if result is None:
            doc = {"success": False, "errorReason": "invalid_payload", "transaction": "", "network": network}
            return 200, doc, json.dumps(doc)
        if not result.is_valid:
            doc = {"success": False, "errorReason": result.invalid_reason or "invalid_payment",
                   "transaction": "", "network": network}
            if result.payer:
                doc["payer"] = result.payer
            return 200, doc, json.dumps(doc)
        raw = header.encode("ascii")
        record: Dict[str, Any] = {}
        if network.startswith("solana"):
            tx = None
            signed = self._cosign(header, requirements)
            if signed is not None and len(signed) >= 65 and signed[0] >= 1:
                tx = b58encode(signed[1:65])
                record["signed_transaction"] = base64.b64encode(signed).decode("ascii")
            if tx is None:
                tx = b58encode(sha256(b"x402s-stub-settlement:1:" + raw) + sha256(b"x402s-stub-settlement:2:" + raw))
        else:
            tx = "0x" + keccak256(b"x402s-stub-settlement:" + raw).hex()
        doc = {"success": True, "payer": result.payer or "", "transaction": tx, "network": network}
        record.update({"transaction": tx, "network": network, "payer": result.payer,
                       "header_sha256": sha256(raw).hex()})
        with self._lock:
            self.settlements.append(record)
            if len(self.settlements) > 10_000:
                del self.settlements[:-10_000]
        return 200, doc, json.dumps(doc)

    def _cosign(self, header: str, requirements: Dict[str, Any]) -> Optional[bytes]:
        """The buyer's Solana transaction co-signed by the fee payer, when we hold its key."""
        extra = requirements.get("extra") if isinstance(requirements.get("extra"), dict) else {}
        key = self._fee_keys.get(str(extra.get("feePayer", "")))
        if key is None:
            return None
        from .. import solana as _solana

        try:
            payment = _x402.decode_payment_header(header)
            tx = base64.b64decode(str(payment.get("payload", {}).get("transaction", "")), validate=True)
            return _solana.sign_transaction(tx, key)
        except (X402SError, ValueError):
            return None

    def supported(self) -> Dict[str, Any]:
        """Facilitator ``/supported``: the networks of the core's table (v1 and v2, exact)."""
        kinds = []
        table = _x402.networks()
        nets = table.get("networks", []) if isinstance(table, dict) else table
        for net in nets:
            caip2 = net.get("caip2")
            extra = {}
            if str(caip2).startswith("solana:") and self.solana_fee_payers:
                extra = {"feePayer": self.solana_fee_payers[0]}
            kinds.append({"x402Version": 2, "scheme": "exact", "network": caip2, **({"extra": extra} if extra else {})})
            for name in net.get("v1Names", []) or []:
                kinds.append({"x402Version": 1, "scheme": "exact", "network": name,
                              **({"extra": extra} if extra else {})})
        return {"kinds": kinds, "extensions": [], "signers": {}}

    def close(self) -> None:
        """Release the replay guard (and wipe fee payer keys handed over with ``_owned_keys``)."""
        close = getattr(self._guard, "close", None)
        if callable(close):
            close()
        for key in getattr(self, "_owned_keys", ()):
            key.close()
