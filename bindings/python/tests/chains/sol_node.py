"""A Solana node for tests: LiteSVM (from solders, with the Token, Token-2022, associated
token account and memo programs) behind a thin JSON-RPC front on loopback.

Served with the shapes of Solana's RPC: getLatestBlockhash, isBlockhashValid,
simulateTransaction, sendTransaction (base64; with skipPreflight a transaction with an unknown
blockhash is accepted and never lands, an already processed one is refused),
getSignatureStatuses (processed transactions are "confirmed"). ``hold()`` queues sent
transactions until ``release()`` (confirmation timeouts); ``expire_blockhash()`` moves on."""

from __future__ import annotations

import base64
import struct
import threading
from typing import Any, Dict, List, Optional

from solders.account import Account
from solders.keypair import Keypair
from solders.litesvm import LiteSVM
from solders.pubkey import Pubkey
from solders.transaction import VersionedTransaction

from x402secure import solana as xs

from .rpcserver import NodeFront, RpcFault, RpcServer

TOKEN = xs.TOKEN_PROGRAM
TOKEN_2022 = xs.TOKEN_2022_PROGRAM


def _coption(key: Optional[bytes]) -> bytes:
    return (struct.pack("<I", 1) + key) if key else (struct.pack("<I", 0) + bytes(32))


def mint_data(decimals: int, supply: int, authority: bytes) -> bytes:
    """SPL Mint (82 bytes): authority, supply, decimals, initialized, freeze authority."""
    return _coption(authority) + struct.pack("<QBB", supply, decimals, 1) + _coption(None)


def token_account_data(mint: bytes, owner: bytes, amount: int) -> bytes:
    """SPL token Account (165 bytes), initialized, no delegate, not native, no close authority."""
    return (mint + owner + struct.pack("<Q", amount) + _coption(None) + bytes([1]) + struct.pack("<IQ", 0, 0)
            + struct.pack("<Q", 0) + _coption(None))


def _call(v: Any) -> Any:
    return v() if callable(v) else v


def _logs(r: Any) -> List[str]:
    return [str(x) for x in _call(_call(r.meta).logs)]


def _err(e: Any) -> Any:
    r = repr(e)
    if r.startswith("TransactionErrorFieldless."):
        return r.split(".", 1)[1]
    idx = getattr(e, "index", None)
    if idx is not None:
        return {"InstructionError": [idx, str(getattr(e, "err", e))]}
    return str(r)


class SolanaNode(NodeFront):
    def __init__(self) -> None:
        self.svm = LiteSVM()
        self.lock = threading.RLock()
        self.slot = 1
        self.statuses: Dict[str, Dict[str, Any]] = {}
        self.held: Optional[List[VersionedTransaction]] = None
        self.rpc = RpcServer(self.handle)
        self.authority = Keypair()

    # ---- set-up helpers
    def airdrop(self, address: str, lamports: int = 10**9) -> None:
        with self.lock:
            self.svm.airdrop(Pubkey.from_string(address), lamports)

    def create_mint(self, program: str, decimals: int = 6) -> str:
        mint = Keypair().pubkey()
        data = mint_data(decimals, 10**15, bytes(self.authority.pubkey()))
        with self.lock:
            lamports = self.svm.minimum_balance_for_rent_exemption(len(data))
            self.svm.set_account(mint, Account(lamports, data, Pubkey.from_string(program), False, 0))
        return str(mint)

    def fund_token(self, owner: str, mint: str, program: str, amount: int) -> str:
        """Create (or overwrite) owner's associated token account holding amount."""
        ata = xs.associated_token_address(owner, mint, program)
        data = token_account_data(bytes(Pubkey.from_string(mint)), bytes(Pubkey.from_string(owner)), amount)
        with self.lock:
            lamports = self.svm.minimum_balance_for_rent_exemption(len(data))
            self.svm.set_account(Pubkey.from_string(ata), Account(lamports, data, Pubkey.from_string(program), False, 0))
        return ata

    def token_balance(self, owner: str, mint: str, program: str) -> int:
        ata = xs.associated_token_address(owner, mint, program)
        with self.lock:
            acct = self.svm.get_account(Pubkey.from_string(ata))
        return struct.unpack_from("<Q", bytes(acct.data), 64)[0] if acct is not None else 0

    def latest_blockhash(self) -> str:
        with self.lock:
            return str(self.svm.latest_blockhash())

    def expire_blockhash(self) -> None:
        with self.lock:
            self.svm.expire_blockhash()
            self.slot += 1

    def hold(self) -> None:
        with self.lock:
            self.held = []

    def release(self) -> None:
        with self.lock:
            held, self.held = self.held or [], None
            for tx in held:
                self._process(tx)

    # ---- JSON-RPC
    def _ctx(self) -> Dict[str, Any]:
        return {"slot": self.slot}

    def _process(self, tx: VersionedTransaction) -> None:
        sig = str(tx.signatures[0])
        r = self.svm.send_transaction(tx)
        self.slot += 1
        if type(r).__name__ == "TransactionMetadata":
            self.statuses[sig] = {"slot": self.slot, "confirmations": None, "err": None,
                                  "confirmationStatus": "confirmed"}
            return
        e = _err(r.err())
        if e in ("BlockhashNotFound", "AlreadyProcessed"):
            return  # never lands (or landed before)
        self.statuses[sig] = {"slot": self.slot, "confirmations": None, "err": e, "confirmationStatus": "confirmed"}

    def handle(self, method: str, params: List[Any]) -> Any:
        with self.lock:
            if method == "getLatestBlockhash":
                return {"context": self._ctx(), "value": {"blockhash": str(self.svm.latest_blockhash()),
                                                          "lastValidBlockHeight": self.slot + 150}}
            if method == "isBlockhashValid":
                return {"context": self._ctx(), "value": params[0] == str(self.svm.latest_blockhash())}
            if method in ("simulateTransaction", "sendTransaction"):
                cfg = params[1] if len(params) > 1 and isinstance(params[1], dict) else {}
                if cfg.get("encoding") != "base64":
                    raise RpcFault(-32602, "this test node takes base64 only")
                try:
                    tx = VersionedTransaction.from_bytes(base64.b64decode(params[0], validate=True))
                except Exception:
                    raise RpcFault(-32602, "invalid transaction: failed to deserialize") from None
                sig = str(tx.signatures[0])
                if method == "simulateTransaction":
                    r = self.svm.simulate_transaction(tx)
                    if type(r).__name__ == "SimulatedTransactionInfo":
                        return {"context": self._ctx(), "value": {"err": None, "logs": _logs(r)}}
                    return {"context": self._ctx(), "value": {"err": _err(r.err()), "logs": _logs(r)}}
                if sig in self.statuses:
                    raise RpcFault(-32002, "Transaction simulation failed: This transaction has already been processed")
                if self.held is not None:
                    if all(str(t.signatures[0]) != sig for t in self.held):
                        self.held.append(tx)
                    return sig
                self._process(tx)
                return sig
            if method == "getSignatureStatuses":
                return {"context": self._ctx(), "value": [self.statuses.get(s) for s in params[0]]}
            if method == "getSlot":
                return self.slot
        raise RpcFault(-32601, f"method {method} not found")
