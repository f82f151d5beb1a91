"""The on-chain facilitator: x402's ``/verify``, ``/settle`` and ``/supported`` against real
chains, as an upstream of the x402-secure proxy (``upstream = "onchain"``) or on its own.

Interface (CONTRACTS.md, "proxy <-> settle")::

    fac = OnchainFacilitator(load_config("facilitator.json"))
    await fac.verify(body)    -> UpstreamAnswer(status, VerifyResponse)
    await fac.settle(body)    -> UpstreamAnswer(status, SettleResponse)  # outcome success|failure|pending
    await fac.settlement_status({"network", "transaction"}) -> UpstreamAnswer   # resolve a pending one
    await fac.supported()     -> /supported body
    await fac.aclose()

Settle-once (within one facilitator): every authorization has a key (EVM: chain, token, payer
and nonce, from the core; Solana: the message hash x402 uses). A settle of a key that is in
flight waits for it and answers ``duplicate_settlement``; a key whose earlier settle was
``settlement_pending`` is reconciled against that transaction (never sent again) and reports
success once; a key that settled answers ``duplicate_settlement``. Across processes the chain
itself refuses a second transfer (EIP-3009 nonces, Solana signatures), and the proxy's shared
database keeps settle-once for its instances.
"""

from __future__ import annotations

import asyncio
import base64
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional

from .. import evm as _evm
from .. import solana as _solana
from .. import x402 as _x402
from ..errors import X402SError
from ..gateway.facilitator import payment_header_of
from . import reasons as R
from .config import (EvmNetworkConfig, FacilitatorConfig, SolanaNetworkConfig, canonical_network, load_evm_signer,
                     load_solana_fee_payer)
from .evm import EvmChain, Outcome, SendRejected, SendUnknown
from .rpc import RpcError, RpcUnavailable
from .solana import SolanaChain

__all__ = ["UpstreamAnswer", "OnchainFacilitator"]


@dataclass
class UpstreamAnswer:
    """An HTTP-like status and the official VerifyResponse / SettleResponse JSON.

    ``outcome``: ``"valid"`` / ``"invalid"`` for verify; ``"success"``, ``"failure"`` or
    ``"pending"`` (broadcast, outcome unknown: ``errorReason`` ``settlement_pending`` and the
    transaction id; never a failure, never sent again) for settle.
    """

    status: int
    body: Dict[str, Any]
    outcome: str

    @property
    def pending(self) -> bool:
        return self.outcome == "pending"


@dataclass
class _Entry:
    key: str
    network: str
    payer: str
    state: str = "inflight"  # inflight | pending | success
    transaction: str = ""
    task: Optional["asyncio.Future[UpstreamAnswer]"] = None
    reported: bool = False
    call: Optional[Dict[str, Any]] = None
    submission: Any = None


def _verify_answer(valid: bool, reason: Optional[str] = None, message: Optional[str] = None,
                   payer: Optional[str] = None) -> UpstreamAnswer:
    body: Dict[str, Any] = {"isValid": valid}
    if not valid:
        body["invalidReason"] = reason or R.INVALID_PAYLOAD
        if message:
            body["invalidMessage"] = message
    if payer:
        body["payer"] = payer
    return UpstreamAnswer(200, body, "valid" if valid else "invalid")


def _settle_answer(outcome: Outcome, network: str, payer: Optional[str], amount: Optional[str] = None) -> UpstreamAnswer:
    if outcome.state == "success":
        body: Dict[str, Any] = {"success": True, "payer": payer or "", "transaction": outcome.transaction,
                                "network": network}
        if amount is not None:
            body["amount"] = amount
        return UpstreamAnswer(200, body, "success")
    body = {"success": False, "errorReason": outcome.reason or R.TRANSACTION_FAILED}
    if outcome.message:
        body["errorMessage"] = outcome.message
    body.update({"payer": payer or "", "transaction": outcome.transaction, "network": network})
    return UpstreamAnswer(200, body, "pending" if outcome.state == "pending" else "failure")


class _Checked:
    """A request that passed the offline checks, with what settling it needs."""

    __slots__ = ("network", "chain", "payer", "payment", "requirements", "key", "call", "tx", "message_hash", "amount")


class OnchainFacilitator:
    """x402 facilitator that verifies against and settles on the configured chains.

    Args:
        config: a :class:`FacilitatorConfig` (:func:`load_config`); keys are read now.
        clock: Unix time in seconds (tests inject one).
        transport: an httpx transport for every RPC client (tests and benchmarks).
        local_nodes: network -> in-process node for its RPC client (see JsonRpcClient ``local``).
    """

    #: Settled authorizations remembered (oldest forgotten first; in-flight and pending ones
    #: are never forgotten). The chain refuses a second transfer of a forgotten one anyway.
    max_settled = 100_000

    def __init__(self, config: FacilitatorConfig, *, clock: Callable[[], float] = time.time,
                 transport: Any = None, local_nodes: Optional[Dict[str, Any]] = None) -> None:
        self.config = config
        self._clock = clock
        self._chains: Dict[str, Any] = {}
        try:
            for n in config.networks:
                if isinstance(n, EvmNetworkConfig):
                    self._chains[n.network] = EvmChain(n, load_evm_signer(n), transport=transport, clock=clock,
                                                       local=(local_nodes or {}).get(n.network))
                else:
                    self._chains[n.network] = SolanaChain(n, load_solana_fee_payer(n), transport=transport)
        except BaseException:
            for c in self._chains.values():
                (c.signer if isinstance(c, EvmChain) else c.fee_payer).close()
            raise
        self._evm_addresses = sorted({c.address for c in self._chains.values() if isinstance(c, EvmChain)})
        self._sol_addresses = sorted({c.address for c in self._chains.values() if isinstance(c, SolanaChain)})
        self._entries: Dict[str, _Entry] = {}
        self._by_tx: Dict[str, _Entry] = {}
        self._settled: "OrderedDict[str, _Entry]" = OrderedDict()
        #: Counters (verify, settle, sent) for operators and tests.
        self.counts = {"verify": 0, "settle": 0, "broadcast": 0}

    # ---- the upstream interface

    async def supported(self) -> Dict[str, Any]:
        """``/supported``: exact on every configured network (v2 id and v1 names)."""
        kinds: List[Dict[str, Any]] = []
        for net, chain in self._chains.items():
            extra = {"feePayer": chain.address} if isinstance(chain, SolanaChain) else None
            names = [net]
            try:
                names += list(_x402.network(net).get("v1Names") or [])
            except X402SError:
                pass
            for i, name in enumerate(names):
                k: Dict[str, Any] = {"x402Version": 2 if i == 0 else 1, "scheme": "exact", "network": name}
                if extra:
                    k["extra"] = dict(extra)
                kinds.append(k)
        signers: Dict[str, List[str]] = {}
        if self._evm_addresses:
            signers["eip155:*"] = list(self._evm_addresses)
        if self._sol_addresses:
            signers["solana:*"] = list(self._sol_addresses)
        return {"kinds": kinds, "extensions": [], "signers": signers}

    async def verify(self, body: Dict[str, Any]) -> UpstreamAnswer:
        """``/verify``: the core's offline checks, then the chain's (balance, authorization
        unused, simulation of the settlement from the facilitator's address)."""
        self.counts["verify"] += 1
        checked = self._check(body)
        if isinstance(checked, UpstreamAnswer):
            return checked
        problem = await self._chain_checks(checked)
        if problem:
            return _verify_answer(False, problem[0], problem[1], checked.payer)
        return _verify_answer(True, payer=checked.payer)

    async def settle(self, body: Dict[str, Any]) -> UpstreamAnswer:
        """``/settle``: verify again, send once, wait for the outcome up to the configured time."""
        self.counts["settle"] += 1
        checked = self._check(body)
        if isinstance(checked, UpstreamAnswer):
            b = {"success": False, "errorReason": checked.body.get("invalidReason", R.INVALID_PAYLOAD),
                 "payer": checked.body.get("payer", ""), "transaction": "",
                 "network": str((body.get("paymentRequirements") or {}).get("network", ""))}
            if checked.body.get("invalidMessage"):
                b["errorMessage"] = checked.body["invalidMessage"]
            return UpstreamAnswer(200, b, "failure")
        entry = self._entries.get(checked.key)
        if entry is not None:
            return await self._again(entry, checked)
        entry = _Entry(checked.key, checked.network, checked.payer, call=checked.call)
        self._entries[checked.key] = entry
        entry.task = asyncio.ensure_future(self._settle_new(entry, checked))
        answer = await asyncio.shield(entry.task)
        entry.reported = answer.outcome == "success"
        return answer

    async def settlement_status(self, reference: Dict[str, Any]) -> UpstreamAnswer:
        """The outcome now of a settlement answered earlier (``{"network", "transaction"}``,
        e.g. a pending one); success only with the expected transfer when this facilitator
        sent it."""
        network = canonical_network(str(reference.get("network", "")))
        tx = reference.get("transaction")
        chain = self._chains.get(network or "")
        if chain is None or not isinstance(tx, str) or not tx:
            return UpstreamAnswer(400, {"success": False, "errorReason": R.INVALID_PAYLOAD,
                                        "errorMessage": "reference needs a configured network and a transaction",
                                        "transaction": tx if isinstance(tx, str) else "", "network": str(network)},
                                  "failure")
        entry = self._by_tx.get(tx)
        try:
            if isinstance(chain, EvmChain):
                outcome = await chain.status(tx, entry.call if entry else None)
            else:
                outcome = await chain.status(entry.submission if entry and entry.submission else tx)
        except (RpcError, RpcUnavailable) as exc:
            outcome = Outcome("pending", tx, R.SETTLEMENT_PENDING, f"status unknown: {exc}")
        if entry is not None:
            self._record(entry, outcome)
        return _settle_answer(outcome, network or "", entry.payer if entry else reference.get("payer"))

    async def aclose(self) -> None:
        """Close the RPC clients and wipe the keys."""
        for c in self._chains.values():
            await c.aclose()
            (c.signer if isinstance(c, EvmChain) else c.fee_payer).close()

    # ---- internals

    def _check(self, body: Dict[str, Any]):
        """Offline checks (the core) and what settling needs, or the invalid answer."""
        if not isinstance(body, dict):
            return _verify_answer(False, R.INVALID_PAYLOAD, "the body must be a JSON object")
        requirements = body.get("paymentRequirements")
        header = payment_header_of(body)
        if header is None or not isinstance(requirements, dict):
            return _verify_answer(False, R.INVALID_PAYLOAD, "paymentPayload and paymentRequirements are required")
        network = canonical_network(str(requirements.get("network", "")))
        chain = self._chains.get(network or "")
        if chain is None:
            return _verify_answer(False, R.UNSUPPORTED_NETWORK, "this facilitator does not serve the network")
        try:
            result = _x402.verify_payment(header, requirements, now=int(self._clock()),
                                          facilitator_addresses=self._evm_addresses,
                                          solana_fee_payers=[chain.address] if isinstance(chain, SolanaChain) else None)
        except X402SError as exc:
            return _verify_answer(False, R.INVALID_PAYLOAD, exc.message)
        if not result.is_valid:
            return _verify_answer(False, result.invalid_reason, result.message, result.payer)
        c = _Checked()
        c.network, c.chain, c.payer, c.requirements = network, chain, result.payer or "", requirements
        c.call = c.tx = c.message_hash = c.amount = None
        try:
            payment = body.get("paymentPayload")
            c.payment = payment if isinstance(payment, dict) else _x402.decode_payment_header(header)
            if isinstance(chain, EvmChain):
                c.call = _evm.settle_call(c.payment, requirements)
                c.key, c.amount = c.call["settlementKey"], c.call["amount"]
            else:
                c.tx = base64.b64decode(c.payment["payload"]["transaction"], validate=True)
                c.message_hash = base64.b64decode(_solana.decode_transaction(c.tx)["messageHashBase64"])
                c.key = "solana:" + base64.b64encode(c.message_hash).decode()
                c.amount = str(requirements.get("amount") or requirements.get("maxAmountRequired") or "")
        except (X402SError, KeyError, TypeError, ValueError) as exc:
            return _verify_answer(False, R.INVALID_PAYLOAD, getattr(exc, "message", "malformed payload"), c.payer)
        return c

    async def _chain_checks(self, c: _Checked):
        try:
            if isinstance(c.chain, EvmChain):
                return await c.chain.verify_onchain(c.call)
            sub = c.chain.prepare(c.tx, c.message_hash)
            return await c.chain.simulate(sub)
        except X402SError as exc:
            return R.INVALID_PAYLOAD, exc.message
        except (RpcError, RpcUnavailable) as exc:
            return R.CHAIN_UNAVAILABLE, str(exc)

    async def _settle_new(self, entry: _Entry, c: _Checked) -> UpstreamAnswer:
        loop = asyncio.get_running_loop()
        try:
            if isinstance(c.chain, EvmChain):
                problem, fees, gas = await c.chain.checks(c.call, simulate=c.chain.cfg.simulate_in_settle, settle=True)
                if problem:
                    return self._done(entry, Outcome("failure", "", *problem), c)
                deadline = loop.time() + c.chain.cfg.receipt_timeout
                try:
                    tx_hash = await c.chain.send(c.call, fees, gas)
                except SendRejected as exc:
                    return self._done(entry, Outcome("failure", "", R.TRANSACTION_FAILED, f"not sent: {str(exc)[:200]}"), c)
                except SendUnknown as exc:
                    tx_hash = exc.tx_hash
                self.counts["broadcast"] += 1
                self._sent(entry, tx_hash)
                outcome = await c.chain.outcome(tx_hash, c.call, deadline)
            else:
                sub = c.chain.prepare(c.tx, c.message_hash)
                entry.submission = sub
                problem = await c.chain.simulate(sub)
                if problem:
                    return self._done(entry, Outcome("failure", "", *problem), c)
                deadline = loop.time() + c.chain.cfg.confirm_timeout
                refused = await c.chain.send(sub)
                if refused is not None:
                    return self._done(entry, refused, c)
                self.counts["broadcast"] += 1
                self._sent(entry, sub.transaction_id)
                outcome = await c.chain.outcome(sub, deadline)
        except X402SError as exc:
            outcome = Outcome("failure", entry.transaction, R.INVALID_PAYLOAD, exc.message)
        except (RpcError, RpcUnavailable) as exc:
            if entry.transaction:
                outcome = Outcome("pending", entry.transaction, R.SETTLEMENT_PENDING, f"status unknown: {exc}")
            else:
                outcome = Outcome("failure", "", R.CHAIN_UNAVAILABLE, f"not sent: {exc}")
        return self._done(entry, outcome, c)

    def _sent(self, entry: _Entry, tx: str) -> None:
        entry.transaction = tx
        self._by_tx[tx] = entry

    def _record(self, entry: _Entry, outcome: Outcome) -> None:
        if outcome.state == "pending":
            entry.state = "pending"
        elif outcome.state == "success":
            entry.state = "success"
            self._settled[entry.key] = entry
            while len(self._settled) > self.max_settled:
                _, old = self._settled.popitem(last=False)
                if self._entries.get(old.key) is old:
                    del self._entries[old.key]
                self._by_tx.pop(old.transaction, None)
        else:
            # Terminal failure: the authorization may be settled by a new attempt (the chain
            # refuses a second transfer of it anyway).
            entry.state = "failed"
            if self._entries.get(entry.key) is entry:
                del self._entries[entry.key]
            self._by_tx.pop(entry.transaction, None)

    def _done(self, entry: _Entry, outcome: Outcome, c: _Checked) -> UpstreamAnswer:
        self._record(entry, outcome)
        return _settle_answer(outcome, c.network, c.payer, c.amount if outcome.state == "success" else None)

    async def _again(self, entry: _Entry, c: _Checked) -> UpstreamAnswer:
        """A settle of an authorization this facilitator already handled."""
        if entry.state == "inflight" and entry.task is not None:
            first = await asyncio.shield(entry.task)
            if entry.state == "failed":
                return first  # the concurrent attempt failed: the same answer, no second send
        if entry.state == "pending":
            # Reconcile against the transaction already sent; never send again.
            try:
                if isinstance(c.chain, EvmChain):
                    outcome = await c.chain.status(entry.transaction, entry.call)
                else:
                    outcome = await c.chain.status(entry.submission)
            except (RpcError, RpcUnavailable) as exc:
                outcome = Outcome("pending", entry.transaction, R.SETTLEMENT_PENDING, f"status unknown: {exc}")
            self._record(entry, outcome)
            if outcome.state == "success" and not entry.reported:
                entry.reported = True
                return _settle_answer(outcome, c.network, c.payer, c.amount)
            if outcome.state != "success":
                return _settle_answer(outcome, c.network, c.payer)
        if entry.state == "failed":
            return await self.settle({"paymentPayload": c.payment, "paymentRequirements": c.requirements})
        return _settle_answer(Outcome("failure", entry.transaction, R.DUPLICATE_SETTLEMENT,
                                      "this authorization was already settled"), c.network, c.payer)
