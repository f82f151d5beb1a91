"""Evidence records of the proxy's decisions, appended to the store's hash chain.

Every decision (verify, settle, evaluate, refusals included) becomes one record in the
schema of docs/EVIDENCE.md: ``decisionId``, ``kind``, ``receivedAt``/``decidedAt`` (ms),
``verdict``, ``reasons``, ``riskLevel``, ``session``, ``mandate``, ``trace`` (tid and
digest), ``payment`` (payload, requirements, header), ``riskHeaders``, ``upstream``,
``extra``. The store keeps the record's canonical text, its hash and the previous hash
(append-only); the agent trace a record names is kept beside it (``evidence_attachments``) so
a bundle can carry it after the trace itself expired.

The records, receipts (``X-Risk-Receipt``, Ed25519 with the proxy's key), key set and
bundles are the core's (``x402secure.evidence``); the proxy stores and serves them.

Records are group-committed: concurrent requests' records go to the store in one
transaction (one fsync), and each request waits until its record is durable, since its
receipt names the record's position and hash.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any, Dict, List, Optional, Tuple

from .. import evidence as core

__all__ = ["make_record", "EvidenceLog", "core", "verify_chain", "CHAIN"]

CHAIN = "main"


def make_record(fields: Dict[str, Any], seq: int, prev_hash: str) -> Tuple[str, str]:
    """``(canonical text, hash)`` of one record at ``seq`` after ``prev_hash`` (the core's)."""
    rec = core.make_record(fields, seq=seq, prev=None if seq == 0 else prev_hash, chain=CHAIN)
    return rec.text, rec.hash


class EvidenceLog:
    """Group commit of evidence records into a :class:`~x402secure.proxy.store.Store`,
    and their receipts when a receipt key is given."""

    def __init__(self, store: Any, key: Any = None, max_batch: int = 256) -> None:
        self.store = store
        self.key = key
        self.max_batch = max_batch
        self._pending: List[Tuple[str, str, Dict[str, Any], List[Tuple[str, str]], Optional[str],
                                  "asyncio.Future[Any]"]] = []
        self._flushing = False

    async def append(self, decision_id: str, kind: str, fields: Dict[str, Any],
                     attachments: Optional[List[Tuple[str, str]]] = None,
                     payment_key: Optional[str] = None) -> Tuple[int, str, Optional[str]]:
        """Append one record (and the ``(digest, text)`` attachments it names; with
        ``payment_key``, the payment's later records join this decision); returns
        ``(seq, hash, receipt)`` once the record is committed."""
        loop = asyncio.get_running_loop()
        fut: "asyncio.Future[Any]" = loop.create_future()
        self._pending.append((decision_id, kind, fields, attachments or [], payment_key, fut))
        if not self._flushing:
            self._flushing = True
            loop.create_task(self._flush())
        return await fut

    async def _flush(self) -> None:
        try:
            await asyncio.sleep(0)  # let concurrent requests join this batch
            while self._pending:
                batch, self._pending = self._pending[: self.max_batch], self._pending[self.max_batch:]
                receipts: List[Optional[str]] = []
                key = self.key

                def make(fields: Dict[str, Any], seq: int, prev: str) -> Tuple[str, str]:
                    # Runs where the store writes (SQLite: its writer thread, beside the event
                    # loop; the core's calls release the GIL). The receipt is derived from the
                    # record alone; it is handed out only once the record is committed.
                    text, digest = make_record(fields, seq, prev)
                    receipt = None
                    if key is not None:
                        try:
                            receipt = key.sign_receipt(text)
                        except Exception as exc:  # noqa: BLE001 - the key was closed at shutdown
                            logging.getLogger("x402secure.proxy").error(
                                "receipt not signed", extra={"fields": {"error": type(exc).__name__}})
                    receipts.append(receipt)
                    return text, digest

                try:
                    out = await self.store.append_evidence(
                        [(d, k, f) for d, k, f, _, _, _ in batch], time.time(), make,
                        [a for _, _, _, atts, _, _ in batch for a in atts],
                        [(pk, d) for d, _, _, _, pk, _ in batch if pk])
                except BaseException as exc:  # noqa: BLE001
                    for *_, fut in batch:
                        if not fut.done():
                            fut.set_exception(exc if isinstance(exc, Exception) else RuntimeError(str(exc)))
                    continue
                signed = receipts[-len(out):] if out else []
                for (*_, fut), (seq, digest), receipt in zip(batch, out, signed):
                    if not fut.done():
                        fut.set_result((seq, digest, receipt))
        finally:
            self._flushing = False

    async def drain(self, timeout: float = 10.0) -> None:
        """Wait until every queued record is committed (or failed)."""
        end = time.monotonic() + timeout
        while (self._pending or self._flushing) and time.monotonic() < end:
            await asyncio.sleep(0.005)


def verify_chain(records: List[Dict[str, Any]], prev: Optional[str] = None) -> Optional[str]:
    """Check consecutive stored records (``record``, ``hash``, ``prev_hash``, ``seq``): each
    hash is the record's and each ``prev`` the hash before. None, or the first problem."""
    for r in records:
        try:
            parsed = core.parse_record(r["record"])
        except Exception as exc:  # noqa: BLE001 - tampered text
            return f"record {r['seq']}: hash does not match its text ({type(exc).__name__})"
        digest, link = parsed.hash, parsed.prev
        if digest != r["hash"]:
            return f"record {r['seq']}: hash does not match its text"
        if link != r["prev_hash"] or (prev is not None and r["prev_hash"] != prev):
            return f"record {r['seq']}: broken link"
        prev = r["hash"]
    return None
