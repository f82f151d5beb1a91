"""Solana side of the on-chain facilitator: co-sign as fee payer, simulate, send, confirm,
with blockhash expiry (docs/SETTLEMENT.md). The wire form, the transaction id and the check
that the message is the one verified come from the core (:func:`x402secure.solana.submission`)."""

from __future__ import annotations

import asyncio
import json
from typing import Any, Optional

from .. import solana as _solana
from .._accounts import SolanaKeypair
from . import reasons as R
from .config import SolanaNetworkConfig
from .evm import Outcome
from .rpc import JsonRpcClient, RpcError, RpcUnavailable

__all__ = ["SolanaChain"]


def _err_text(err: Any) -> str:
    return json.dumps(err, separators=(",", ":"), sort_keys=True)[:300]


def _reason_for(err: Any, default: str) -> str:
    text = _err_text(err) if not isinstance(err, str) else err
    if "BlockhashNotFound" in text or "blockhash not found" in text.lower():
        return R.SVM_BLOCKHASH_EXPIRED
    if "AlreadyProcessed" in text or "already been processed" in text.lower():
        return R.DUPLICATE_SETTLEMENT
    return default


class SolanaChain:
    """One configured Solana network: its RPC client and fee payer."""

    def __init__(self, cfg: SolanaNetworkConfig, fee_payer: SolanaKeypair, *, transport: Any = None) -> None:
        self.cfg = cfg
        self.fee_payer = fee_payer
        self.address = fee_payer.address
        self.rpc = JsonRpcClient(cfg.rpc_urls, timeout=cfg.rpc_timeout, transport=transport)

    async def aclose(self) -> None:
        await self.rpc.aclose()

    def prepare(self, tx: bytes, message_hash: Optional[bytes]) -> "_solana.Submission":
        """Co-signed, fully checked transaction (raises SolanaError)."""
        return _solana.submission(tx, self.fee_payer, message_hash)

    async def simulate(self, sub: "_solana.Submission") -> Optional[tuple]:
        """None when the simulation succeeds, else (reason, message)."""
        res = await self.rpc.call("simulateTransaction", [sub.transaction_base64, {
            "encoding": "base64", "sigVerify": True, "replaceRecentBlockhash": False,
            "commitment": self.cfg.commitment}])
        value = res.get("value") if isinstance(res, dict) else None
        if not isinstance(value, dict):
            return R.SVM_SIMULATION_FAILED, "the node returned no simulation result"
        err = value.get("err")
        if err is None:
            return None
        logs = value.get("logs") or []
        tail = "; ".join(str(x) for x in logs[-3:])
        return _reason_for(err, R.SVM_SIMULATION_FAILED), f"simulation failed: {_err_text(err)}" + (
            f" ({tail})" if tail else "")

    async def send(self, sub: "_solana.Submission") -> Optional[Outcome]:
        """Broadcast; None when sent (or when delivery is unknown: confirmation decides),
        else the failure (the node refused it, so it was not sent)."""
        try:
            await self.rpc.call("sendTransaction", [sub.transaction_base64, {
                "encoding": "base64", "skipPreflight": True, "maxRetries": 0}])
        except RpcError as exc:
            reason = _reason_for(exc.message, R.TRANSACTION_FAILED)
            return Outcome("failure", "" if reason != R.DUPLICATE_SETTLEMENT else sub.transaction_id, reason,
                           f"sendTransaction refused: {exc.message[:200]}")
        except RpcUnavailable:
            pass
        return None

    async def outcome(self, sub: "_solana.Submission", deadline: float, *, rebroadcast: bool = True) -> Outcome:
        """Poll getSignatureStatuses until the commitment, an error, the blockhash's expiry
        (the transaction can then never land: a failure) or ``deadline`` (pending)."""
        loop = asyncio.get_running_loop()
        sig = sub.transaction_id
        wanted = ("finalized",) if self.cfg.commitment == "finalized" else ("confirmed", "finalized")
        while True:
            try:
                res = await self.rpc.call("getSignatureStatuses", [[sig], {"searchTransactionHistory": True}])
                st = (res.get("value") or [None])[0] if isinstance(res, dict) else None
                if isinstance(st, dict):
                    if st.get("err") is not None:
                        return Outcome("failure", sig, _reason_for(st["err"], R.TRANSACTION_FAILED),
                                       f"the transaction failed: {_err_text(st['err'])}")
                    if st.get("confirmationStatus") in wanted:
                        return Outcome("success", sig)
                else:
                    valid = await self.rpc.call("isBlockhashValid", [sub.recent_blockhash, {"commitment": "processed"}])
                    if isinstance(valid, dict) and valid.get("value") is False:
                        # Expired: check once more that it did not land just before.
                        res = await self.rpc.call("getSignatureStatuses", [[sig], {"searchTransactionHistory": True}])
                        st = (res.get("value") or [None])[0] if isinstance(res, dict) else None
                        if st is None:
                            return Outcome("failure", sig, R.SVM_BLOCKHASH_EXPIRED,
                                           "the blockhash expired before the transaction landed; it never will")
                        continue
                    if rebroadcast:  # same bytes, same signature: lands at most once
                        try:
                            await self.rpc.call("sendTransaction", [sub.transaction_base64, {
                                "encoding": "base64", "skipPreflight": True, "maxRetries": 0}])
                        except RpcError:
                            pass
            except (RpcError, RpcUnavailable):
                pass
            if loop.time() >= deadline:
                return Outcome("pending", sig, R.SETTLEMENT_PENDING, "sent; not confirmed yet")
            await asyncio.sleep(min(self.cfg.poll_interval, max(0.0, deadline - loop.time())))

    async def status(self, sub_or_sig: Any) -> Outcome:
        loop = asyncio.get_running_loop()
        if isinstance(sub_or_sig, str):
            res = await self.rpc.call("getSignatureStatuses", [[sub_or_sig], {"searchTransactionHistory": True}])
            st = (res.get("value") or [None])[0] if isinstance(res, dict) else None
            if st is None:
                return Outcome("pending", sub_or_sig, R.SETTLEMENT_PENDING, "not confirmed")
            if st.get("err") is not None:
                return Outcome("failure", sub_or_sig, R.TRANSACTION_FAILED, _err_text(st["err"]))
            ok = st.get("confirmationStatus") in (("finalized",) if self.cfg.commitment == "finalized"
                                                   else ("confirmed", "finalized"))
            return Outcome("success" if ok else "pending", sub_or_sig, None if ok else R.SETTLEMENT_PENDING)
        return await self.outcome(sub_or_sig, loop.time(), rebroadcast=True)
