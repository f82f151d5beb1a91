"""An EVM node for tests: py-evm through eth-tester, behind a thin JSON-RPC front on loopback,
with the EIP-3009 test token (usdc3009.vy, compiled here with vyper).

Only the methods a facilitator uses are served, with geth's shapes: quantities as "0x" hex,
``eth_call`` / ``eth_estimateGas`` reverts as error code 3 with the raw revert data,
receipts ``null`` until the transaction is mined. ``tester`` is the EthereumTester: tests mine
blocks, toggle auto-mining and move balances through it."""

from __future__ import annotations

import functools
import threading
from pathlib import Path
from typing import Any, Dict, List, Optional

from eth_tester import EthereumTester, PyEVMBackend
from eth_tester.backends.pyevm.main import _execute_and_revert_transaction
from eth_tester.exceptions import TransactionNotFound
from eth.vm.spoof import SpoofTransaction
from eth.exceptions import Revert

from .rpcserver import NodeFront, RpcFault, RpcServer

TOKEN_SOURCE = Path(__file__).with_name("usdc3009.vy")


@functools.lru_cache(maxsize=1)
def compiled_token() -> Dict[str, Any]:
    import vyper

    out = vyper.compile_code(TOKEN_SOURCE.read_text(), output_formats=["abi", "bytecode"])
    return {"abi": out["abi"], "bytecode": out["bytecode"]}


def _q(n: int) -> str:
    return hex(n)


def _b(h: Optional[str]) -> bytes:
    if not h:
        return b""
    return bytes.fromhex(h[2:] if h.startswith(("0x", "0X")) else h)


class EvmNode(NodeFront):
    def __init__(self) -> None:
        self.backend = PyEVMBackend(genesis_parameters=PyEVMBackend.generate_genesis_params(
            overrides={"gas_limit": 30_000_000}))
        self.tester = EthereumTester(self.backend)
        self.lock = threading.RLock()
        self.chain_id = int(self.backend.chain.chain_id)
        self.priority_fee = 10**9
        #: While not None, raw transactions wait here (a mempool) instead of being mined at once.
        self.held: Optional[List[Dict[str, Any]]] = None
        self.rpc = RpcServer(self.handle)

    # ---- set-up helpers (tests)
    def funder(self) -> str:
        return self.tester.get_accounts()[0]

    def fund_eth(self, address: str, wei: int) -> None:
        with self.lock:
            self.tester.send_transaction({"from": self.funder(), "to": address, "value": wei, "gas": 21000})

    def deploy_token(self) -> str:
        c = compiled_token()
        with self.lock:
            h = self.tester.send_transaction({"from": self.funder(), "data": c["bytecode"], "gas": 3_000_000})
            return self.tester.get_transaction_receipt(h)["contract_address"]

    def transact(self, to: str, data: bytes, sender: Optional[str] = None, gas: int = 300_000) -> Dict[str, Any]:
        with self.lock:
            h = self.tester.send_transaction({"from": sender or self.funder(), "to": to, "data": "0x" + data.hex(),
                                              "gas": gas})
            return self.tester.get_transaction_receipt(h)

    def hold(self) -> None:
        """Stop mining: sent transactions wait in a mempool (receipts stay null)."""
        with self.lock:
            self.held = []

    def release(self) -> None:
        """Mine every held transaction (one block each, in order) and mine at once again."""
        with self.lock:
            held, self.held = self.held or [], None
            for t in held:
                self.tester.send_raw_transaction(t["raw"])

    def call(self, to: str, data: bytes) -> bytes:
        ok, out = self._call({"to": to, "data": "0x" + data.hex()})
        assert ok, out
        return out

    # ---- JSON-RPC
    def _call(self, tx: Dict[str, Any], block: Any = "latest"):
        if isinstance(block, str) and block.startswith("0x"):
            block = int(block, 16)
        with self.lock:
            from_ = _b(tx.get("from") or self.funder())
            t = {"from": from_, "to": _b(tx.get("to")), "data": _b(tx.get("data") or tx.get("input")),
                 "value": int(tx.get("value", "0x0"), 16), "gas": int(tx.get("gas", hex(2_000_000)), 16)}
            unsigned = self.backend._get_normalized_and_unsigned_evm_transaction(t, block)
            comp = _execute_and_revert_transaction(self.backend.chain, SpoofTransaction(unsigned, from_=from_), block)
            if comp.is_error:
                err = comp._error
                data = err.args[0] if isinstance(err, Revert) and err.args and isinstance(err.args[0], bytes) else b""
                return False, data
            return True, comp.output

    def handle(self, method: str, params: List[Any]) -> Any:
        t = self.tester
        with self.lock:
            if method == "eth_chainId":
                return _q(self.chain_id)
            if method == "eth_blockNumber":
                return _q(t.get_block_by_number("latest")["number"])
            if method == "eth_getBlockByNumber":
                b = t.get_block_by_number(params[0])
                return {"number": _q(b["number"]), "hash": b["hash"], "timestamp": _q(b["timestamp"]),
                        "baseFeePerGas": _q(b["base_fee_per_gas"]), "gasLimit": _q(b["gas_limit"])}
            if method == "eth_maxPriorityFeePerGas":
                return _q(self.priority_fee)
            if method == "eth_gasPrice":
                return _q(t.get_block_by_number("latest")["base_fee_per_gas"] + self.priority_fee)
            if method == "eth_getTransactionCount":
                n = t.get_nonce(params[0], "latest")
                if len(params) > 1 and params[1] == "pending" and self.held:
                    n += sum(1 for h in self.held if h["from"].lower() == params[0].lower())
                return _q(n)
            if method == "eth_getBalance":
                return _q(t.get_balance(params[0]))
            if method == "eth_getCode":
                return t.get_code(params[0])
            if method in ("eth_call", "eth_estimateGas"):
                ok, out = self._call(params[0], params[1] if len(params) > 1 else "latest")
                if not ok:
                    raise RpcFault(3, "execution reverted", "0x" + out.hex())
                if method == "eth_call":
                    return "0x" + out.hex()
                tx = dict(params[0])
                tx.pop("gas", None)
                return _q(t.estimate_gas({k: v for k, v in tx.items() if k in ("from", "to", "data", "value")}))
            if method == "eth_sendRawTransaction":
                if self.held is not None:
                    from x402secure import evm

                    try:
                        d = evm.decode_transaction(bytes.fromhex(params[0][2:]))
                    except Exception as exc:
                        raise RpcFault(-32000, f"invalid transaction: {exc}") from None
                    if any(h["hash"] == d.hash for h in self.held):
                        raise RpcFault(-32000, "already known")
                    expected = int(self.handle("eth_getTransactionCount", [d.sender, "pending"]), 16)
                    if int(d.fields["nonce"]) != expected:
                        raise RpcFault(-32000, f"nonce too low: next nonce {expected}, tx nonce {d.fields['nonce']}")
                    self.held.append({"raw": params[0], "hash": d.hash, "from": d.sender})
                    return d.hash
                try:
                    return t.send_raw_transaction(params[0])
                except Exception as exc:  # the node refuses (nonce, funds, signature)
                    raise RpcFault(-32000, str(exc)) from None
            if method == "eth_getTransactionReceipt":
                try:
                    r = t.get_transaction_receipt(params[0])
                except TransactionNotFound:
                    return None
                if r.get("block_number") is None:
                    return None
                return {"transactionHash": r["transaction_hash"], "blockNumber": _q(r["block_number"]),
                        "status": _q(r["status"]), "gasUsed": _q(r["gas_used"]),
                        "logs": [{"address": lg["address"], "topics": list(lg["topics"]), "data": lg["data"]}
                                 for lg in r["logs"]]}
            if method == "eth_getTransactionByHash":
                for h in self.held or []:
                    if h["hash"] == params[0]:
                        return {"hash": h["hash"], "from": h["from"], "blockNumber": None}
                try:
                    tx = t.get_transaction_by_hash(params[0])
                except TransactionNotFound:
                    return None
                return {"hash": tx["hash"], "nonce": _q(tx["nonce"]), "from": tx["from"],
                        "blockNumber": None if tx.get("block_number") is None else _q(tx["block_number"])}
        raise RpcFault(-32601, f"method {method} not found")
