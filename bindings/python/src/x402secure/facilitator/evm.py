"""EVM side of the on-chain facilitator: the checks that need the chain, a nonce manager per
signer, fees from the node, broadcast, receipts and confirmations (docs/SETTLEMENT.md).

Everything byte-level (the call's ABI encoding, the EIP-1559 transaction, its signature, hash
and raw bytes, result and revert decoding) is done by the core through :mod:`x402secure.evm`.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Tuple

from .. import evm as _evm
from .._accounts import EvmAccount
from . import reasons as R
from .config import EvmNetworkConfig
from .rpc import JsonRpcClient, RpcError, RpcUnavailable

__all__ = ["NonceManager", "EvmChain", "SendRejected", "SendUnknown", "Outcome"]

#: keccak-256("Transfer(address,address,uint256)")
TRANSFER_TOPIC = "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef"
#: Node messages that mean "the nonce you used is stale" (geth "nonce too low", nethermind "OldNonce",
#: besu "NONCE_TOO_LOW", py-evm "Invalid transaction nonce", a replacement at a used nonce).
_NONCE_ERRORS = ("nonce", "replacement transaction underpriced", "transaction underpriced")


def _int(q: Any) -> int:
    if isinstance(q, int):
        return q
    if isinstance(q, str):
        return int(q, 16) if q.startswith(("0x", "0X")) else int(q)
    raise ValueError("not a quantity")


def _hexbytes(h: Any) -> bytes:
    if not isinstance(h, str) or not h.startswith("0x"):
        return b""
    try:
        return bytes.fromhex(h[2:])
    except ValueError:
        return b""


class SendRejected(Exception):
    """The node refused the transaction: it was not sent (safe to report a failure)."""


class SendUnknown(Exception):
    """No node confirmed receipt of the transaction: it may have been sent (report pending)."""

    def __init__(self, tx_hash: str) -> None:
        super().__init__(f"delivery of {tx_hash} is unknown")
        self.tx_hash = tx_hash


class NonceManager:
    """Serialises the sends of one signer and owns its next nonce.

    The nonce is read from the node (``eth_getTransactionCount(address, "pending")``) on first
    use and after every error, so a nonce used elsewhere (another process, a manual
    transaction) or a transaction the node dropped never leaves it stale for more than one
    send. A stale nonce reported by the node is retried once with the node's value.
    """

    def __init__(self, rpc: JsonRpcClient, address: str) -> None:
        self.rpc = rpc
        self.address = address
        self._lock = asyncio.Lock()
        self._next: Optional[int] = None
        #: Counters for operators and tests.
        self.resyncs = 0
        self.sent = 0

    async def _sync(self) -> int:
        self._next = _int(await self.rpc.call("eth_getTransactionCount", [self.address, "pending"]))
        self.resyncs += 1
        return self._next

    async def send(self, sign) -> "_evm.SignedTransaction":
        """``sign(nonce) -> SignedTransaction``, broadcast it, and advance the nonce.

        Raises:
            SendRejected: the node refused it (after one retry on a stale nonce).
            SendUnknown: delivery is unknown (the hash may still land: report pending).
        """
        async with self._lock:
            for attempt in (0, 1):
                nonce = self._next if self._next is not None else await self._sync()
                signed = sign(nonce)
                try:
                    await self.rpc.call("eth_sendRawTransaction", ["0x" + signed.raw.hex()])
                except RpcError as exc:
                    msg = exc.message.lower()
                    if "already known" in msg or "known transaction" in msg or "already imported" in msg:
                        self._next = nonce + 1
                        self.sent += 1
                        return signed
                    self._next = None  # resync on the next use, whatever the error
                    if attempt == 0 and any(s in msg for s in _NONCE_ERRORS):
                        try:
                            await self._sync()
                        except (RpcError, RpcUnavailable):
                            raise SendRejected(exc.message) from None
                        continue
                    raise SendRejected(exc.message) from None
                except RpcUnavailable:
                    # Did any node get it? Ask for it by hash; if nobody knows it, send the same
                    # bytes once more (same hash: it can land at most once).
                    h = signed.hash
                    try:
                        if await self.rpc.call("eth_getTransactionByHash", [h]) is None:
                            await self.rpc.call("eth_sendRawTransaction", ["0x" + signed.raw.hex()])
                    except RpcError as exc:
                        if "already known" not in exc.message.lower():
                            self._next = None
                            raise SendRejected(exc.message) from None
                    except RpcUnavailable:
                        self._next = None
                        raise SendUnknown(h) from None
                self._next = nonce + 1
                self.sent += 1
                return signed
        raise SendRejected("unreachable")  # pragma: no cover


@dataclass
class Outcome:
    """The result of a settlement attempt."""

    state: str  # "success" | "failure" | "pending"
    transaction: str = ""
    reason: Optional[str] = None
    message: Optional[str] = None


class EvmChain:
    """One configured EVM network: its RPC client, signer, nonce manager and checks."""

    def __init__(self, cfg: EvmNetworkConfig, signer: EvmAccount, *, transport: Any = None,
                 clock=time.time, local: Any = None) -> None:
        self.cfg = cfg
        self.signer = signer
        self.address = signer.address
        self.rpc = JsonRpcClient(cfg.rpc_urls, timeout=cfg.rpc_timeout, transport=transport, local=local)
        self.nonces = NonceManager(self.rpc, self.address)
        self._clock = clock
        self._chain_checked: Optional[str] = None  # None: not yet; "": ok; text: the problem
        self._code_ok: Dict[str, float] = {}

    async def aclose(self) -> None:
        await self.rpc.aclose()

    # ---- helpers

    async def check_chain(self) -> Optional[str]:
        """None when the node serves the configured chain id; else why not (cached once known)."""
        if self._chain_checked is None:
            self._set_chain(await self.rpc.call("eth_chainId", []))
        return self._chain_checked or None

    def _set_chain(self, got: Any) -> None:
        if isinstance(got, RpcError):
            raise got
        n = _int(got)
        self._chain_checked = "" if n == self.cfg.chain_id else (
            f"the RPC node serves chain id {n}, the network is {self.cfg.network}")

    async def eth_call(self, to: str, data: bytes, *, sender: Optional[str] = None,
                       block: str = "latest") -> Tuple[bool, bytes, Optional[str]]:
        """(ok, output or revert data, node message)."""
        tx: Dict[str, Any] = {"to": to, "data": "0x" + data.hex()}
        if sender:
            tx["from"] = sender
        try:
            out = await self.rpc.call("eth_call", [tx, block])
        except RpcError as exc:
            return self._call_result(exc)
        return True, _hexbytes(out), None

    @staticmethod
    def _call_result(res: Any) -> Tuple[bool, bytes, Optional[str]]:
        """An eth_call / eth_estimateGas answer: (ok, output or revert data, node message)."""
        if isinstance(res, RpcError):
            if res.code == 3 or "revert" in res.message.lower():
                return False, _hexbytes(res.data) if isinstance(res.data, str) else b"", res.message
            raise res
        return True, _hexbytes(res), None

    # ---- verify and settle: the chain's answers in one batch

    async def checks(self, call: Dict[str, Any], *, simulate: bool = True,
                     settle: bool = False) -> Tuple[Optional[Tuple[str, str]], Tuple[int, int], int]:
        """The chain checks of a payment whose offline checks passed (chain id, asset code,
        balance, authorization unused, simulation of the settlement from our address) and, for a
        settlement, fees and gas: all in one JSON-RPC batch.

        Returns (problem, (maxFeePerGas, maxPriorityFeePerGas), gas); problem is None or
        (reason, message), fees and gas are zero unless ``settle``. Raises RpcUnavailable /
        RpcError when the node fails."""
        asset, now = call["asset"], self._clock()
        data = call["data"]
        reqs: List[Tuple[str, List[Any]]] = []
        want_chain = self._chain_checked is None  # decided now: another task may set it meanwhile
        if want_chain:
            reqs.append(("eth_chainId", []))
        need_code = simulate and self._code_ok.get(asset, 0) < now
        if need_code:
            reqs.append(("eth_getCode", [asset, "latest"]))
        eip3009 = call["method"].startswith("eip3009")
        if simulate:
            reqs.append(("eth_call", [{"to": asset, "data": call["balanceOfData"]}, "latest"]))
            reqs.append(("eth_call", [{"from": self.address, "to": call["to"], "data": data}, "latest"]))
            if eip3009:
                reqs.append(("eth_call", [{"to": asset, "data": call["authorizationStateData"]}, "latest"]))
        if settle:
            reqs.append(("eth_getBlockByNumber", ["latest", False]))
            reqs.append(("eth_maxPriorityFeePerGas", []))
            reqs.append(("eth_estimateGas", [{"from": self.address, "to": call["to"], "data": data}]))
        res = iter(await self.rpc.batch(reqs))
        if want_chain:
            self._set_chain(next(res))
        if self._chain_checked:
            return (R.EVM_NETWORK_CONFIG, self._chain_checked), (0, 0), 0
        problem: Optional[Tuple[str, str]] = None
        if need_code:
            code = next(res)
            if isinstance(code, RpcError):
                raise code
            if not _hexbytes(code):
                return (R.ASSET_NOT_DEPLOYED, "the asset has no contract code on this chain"), (0, 0), 0
            self._code_ok[asset] = now + 900  # x402 2.25.0 caches a positive answer for 15 min
        if simulate:
            ok_b, out_b, msg_b = self._call_result(next(res))
            sim_ok, sim_out, _ = self._call_result(next(res))
            used = None
            if eip3009:
                ok_u, out_u, msg_u = self._call_result(next(res))
                if not ok_u:
                    raise RpcError("eth_call", 3, f"authorizationState reverted: {msg_u}")
                used = _evm.abi_decode("(bool)", out_u)[0]
            if not ok_b:
                raise RpcError("eth_call", 3, f"balanceOf reverted: {msg_b}")
            balance = _evm.abi_decode("(uint256)", out_b)[0]
            if used:
                problem = R.EVM_NONCE_USED, "the authorization's nonce is already used on chain"
            elif balance < int(call["amount"]):
                problem = R.EVM_INSUFFICIENT_BALANCE, "the payer's balance is below the amount"
            elif not sim_ok:
                revert = _evm.decode_revert(sim_out)
                default = R.PERMIT2_ALLOWANCE_REQUIRED if call["method"] in ("permit2", "upto") else R.EVM_SIMULATION_FAILED
                problem = R.evm_revert_reason(revert, default), "simulation " + R.revert_message(revert)
        if not settle or problem:
            return problem, (0, 0), 0
        block, tip_res, gas_res = next(res), next(res), next(res)
        if isinstance(block, RpcError):
            raise block
        base = _int(block.get("baseFeePerGas", "0x0")) if isinstance(block, dict) else 0
        tip = self.cfg.max_priority_fee_per_gas if isinstance(tip_res, RpcError) else _int(tip_res)
        tip = min(tip, self.cfg.max_priority_fee_per_gas)
        if base + tip > self.cfg.max_fee_per_gas:
            return (R.EVM_FEE_LIMIT, f"base fee {base} + tip {tip} wei is above the limit "
                                     f"{self.cfg.max_fee_per_gas}: not sent"), (0, 0), 0
        ok_g, out_g, _ = self._call_result(gas_res) if isinstance(gas_res, RpcError) else (True, b"", None)
        if not ok_g:
            revert = _evm.decode_revert(out_g)
            return (R.evm_revert_reason(revert, R.EVM_SIMULATION_FAILED),
                    "gas estimation " + R.revert_message(revert)), (0, 0), 0
        gas = min(_int(gas_res) * 5 // 4 + 10_000, self.cfg.gas_limit)
        return None, (min(2 * base + tip, self.cfg.max_fee_per_gas), tip), gas

    async def verify_onchain(self, call: Dict[str, Any]) -> Optional[Tuple[str, str]]:
        """The chain checks of :meth:`checks` alone (verify)."""
        return (await self.checks(call))[0]

    async def send(self, call: Dict[str, Any], fees: Tuple[int, int], gas: int) -> str:
        """Sign and broadcast under the nonce manager. The transaction hash."""
        max_fee, tip = fees
        data = call["data"]

        def sign(nonce: int):
            return _evm.sign_transaction({"chainId": self.cfg.chain_id, "nonce": nonce, "maxPriorityFeePerGas": tip,
                                          "maxFeePerGas": max_fee, "gas": gas, "to": call["to"], "value": 0,
                                          "data": data}, self.signer)

        return (await self.nonces.send(sign)).hash

    async def outcome(self, tx_hash: str, call: Optional[Dict[str, Any]], deadline: float) -> Outcome:
        """Wait for the receipt (and confirmations) until ``deadline`` (monotonic), then judge it."""
        loop = asyncio.get_running_loop()
        receipt = None
        while True:
            try:
                receipt = await self.rpc.call("eth_getTransactionReceipt", [tx_hash])
                if isinstance(receipt, dict) and receipt.get("blockNumber") is not None:
                    mined = _int(receipt["blockNumber"])
                    if self.cfg.confirmations <= 1:
                        break
                    head = _int(await self.rpc.call("eth_blockNumber", []))
                    if head - mined + 1 >= self.cfg.confirmations:
                        break
            except (RpcError, RpcUnavailable):
                pass
            if loop.time() >= deadline:
                return Outcome("pending", tx_hash, R.SETTLEMENT_PENDING,
                               "broadcast; no receipt with the required confirmations yet")
            await asyncio.sleep(min(self.cfg.poll_interval, max(0.0, deadline - loop.time())))
        return await self.judge(tx_hash, receipt, call)

    async def judge(self, tx_hash: str, receipt: Dict[str, Any], call: Optional[Dict[str, Any]]) -> Outcome:
        """Success only for status 1 with the expected Transfer log; a revert with its reason."""
        if _int(receipt.get("status", "0x0")) != 1:
            reason, message = R.TRANSACTION_FAILED, "the transaction reverted"
            if call is not None:
                # The reason: replay the call on the state after its block (a revert's cause, such
                # as a used nonce or a spent balance, usually persists), else before it.
                mined = _int(receipt["blockNumber"])
                for block in (hex(mined), hex(max(0, mined - 1))):
                    try:
                        ok, out, _ = await self.eth_call(call["to"], bytes.fromhex(call["data"][2:]),
                                                         sender=self.address, block=block)
                    except (RpcError, RpcUnavailable):
                        break
                    if not ok:
                        revert = _evm.decode_revert(out)
                        reason = R.evm_revert_reason(revert, R.TRANSACTION_FAILED)
                        message = R.revert_message(revert)
                        break
            return Outcome("failure", tx_hash, reason, message)
        if call is not None and not self._has_transfer(receipt, call):
            return Outcome("failure", tx_hash, R.EVM_TRANSFER_EVENT_MISMATCH,
                           "the receipt has no Transfer(from, to, value) log of the asset")
        return Outcome("success", tx_hash)

    @staticmethod
    def _has_transfer(receipt: Dict[str, Any], call: Dict[str, Any]) -> bool:
        def word(addr: str) -> str:
            return "0x" + "00" * 12 + addr[2:].lower()

        want = (call["asset"].lower(), word(call["payer"]), word(call["recipient"]), int(call["amount"]))
        for log in receipt.get("logs") or []:
            topics = [str(t).lower() for t in log.get("topics") or []]
            if (str(log.get("address", "")).lower() == want[0] and len(topics) == 3 and topics[0] == TRANSFER_TOPIC
                    and topics[1] == want[1] and topics[2] == want[2]
                    and int.from_bytes(_hexbytes(log.get("data")), "big") == want[3]):
                return True
        return False

    async def status(self, tx_hash: str, call: Optional[Dict[str, Any]]) -> Outcome:
        """The outcome of a transaction now (no waiting)."""
        loop = asyncio.get_running_loop()
        return await self.outcome(tx_hash, call, loop.time())
