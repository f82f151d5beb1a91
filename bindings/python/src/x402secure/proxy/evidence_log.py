"""Evidence records of the proxy's decisions, appended to the store's hash chain.

Every decision (verify, settle, evaluate) becomes one record: what it was based on
(session, mandate, trace id and digest, payment header digest, requirements, risk
headers), the verdict, reasons, risk level, upstream answer and times. The store keeps
the record's canonical text, its hash and the previous record's hash (append-only).

The record's canonical bytes and hash are made by :func:`make_record`; the receipt,
bundle format and offline verification come from ``x402secure.evidence`` (the core)
once available — see docs/PROXY.md.

Records are batched: concurrent requests' records go to the store in one transaction
(group commit). Settlement decisions wait until their record is durable before the answer
leaves; verify and evaluate decisions (which move no money) are queued and committed within
milliseconds without holding the answer (``wait=False``), up to ``max_queue`` records, past
which they wait too. A graceful shutdown drains the queue; a crash can lose the verify
records of the last few milliseconds, never a settlement's.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from typing import Any, Dict, List, Optional, Tuple

from hashlib import sha256

__all__ = ["make_record", "EvidenceLog", "RECORD_FORMAT"]

RECORD_FORMAT = "x402s-proxy-evidence.v0"


def make_record(fields: Dict[str, Any], seq: int, prev_hash: str) -> Tuple[str, str]:
    """``(canonical text, hash hex)`` of a record with its position and link.

    Canonical text: JSON with sorted keys, no whitespace, raw UTF-8; the hash is SHA-256
    of those bytes, and the text contains ``prev`` (the previous record's hash), so the
    chain is checked by recomputing each hash and comparing ``prev``."""
    doc = dict(fields)
    doc["format"] = RECORD_FORMAT
    doc["seq"] = seq
    doc["prev"] = prev_hash
    text = json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text, "sha256:" + sha256(text.encode("utf-8")).hexdigest()


class EvidenceLog:
    """Group commit of evidence records into a :class:`~x402secure.proxy.store.Store`."""

    def __init__(self, store: Any, max_batch: int = 256, max_queue: int = 10000, on_error: Any = None) -> None:
        self.store = store
        self.max_batch = max_batch
        self.max_queue = max_queue
        self.on_error = on_error
        self._pending: List[Tuple[str, str, Dict[str, Any], "asyncio.Future[Tuple[int, str]]"]] = []
        self._flushing = False

    async def append(self, decision_id: str, kind: str, fields: Dict[str, Any], wait: bool = True) -> Optional[Tuple[int, str]]:
        """Append one record; with ``wait`` returns ``(seq, hash)`` once it is committed,
        else returns None at once (the record is committed with the next batch)."""
        loop = asyncio.get_running_loop()
        fut: "asyncio.Future[Tuple[int, str]]" = loop.create_future()
        self._pending.append((decision_id, kind, fields, fut))
        if not self._flushing:
            self._flushing = True
            loop.create_task(self._flush())
        if wait or len(self._pending) > self.max_queue:
            return await fut
        fut.add_done_callback(self._unwaited)
        return None

    def _unwaited(self, fut: "asyncio.Future[Tuple[int, str]]") -> None:
        exc = fut.exception()
        if exc is not None:
            logging.getLogger("x402secure.proxy").error("evidence record not stored",
                                                        extra={"fields": {"error": str(exc)[:200]}})
            if self.on_error is not None:
                self.on_error(exc)

    async def drain(self, timeout: float = 10.0) -> None:
        """Wait until every queued record is committed (or failed)."""
        end = time.monotonic() + timeout
        while (self._pending or self._flushing) and time.monotonic() < end:
            await asyncio.sleep(0.005)

    async def _flush(self) -> None:
        try:
            await asyncio.sleep(0)  # let concurrent requests join this batch
            while self._pending:
                batch, self._pending = self._pending[: self.max_batch], self._pending[self.max_batch:]
                try:
                    out = await self.store.append_evidence([(d, k, f) for d, k, f, _ in batch], time.time(), make_record)
                except BaseException as exc:  # noqa: BLE001
                    for *_, fut in batch:
                        if not fut.done():
                            fut.set_exception(exc if isinstance(exc, Exception) else RuntimeError(str(exc)))
                    continue
                for (_, _, _, fut), res in zip(batch, out):
                    if not fut.done():
                        fut.set_result(res)
        finally:
            self._flushing = False


def verify_chain(records: List[Dict[str, Any]], prev: Optional[str] = None) -> Optional[str]:
    """Check consecutive stored records (``record``, ``hash``, ``prev_hash``): each hash is
    SHA-256 of its text and each ``prev`` the hash before. Returns None or the first problem."""
    for r in records:
        if "sha256:" + sha256(r["record"].encode("utf-8")).hexdigest() != r["hash"]:
            return f"record {r['seq']}: hash does not match its text"
        doc = json.loads(r["record"])
        if doc.get("prev") != r["prev_hash"] or (prev is not None and r["prev_hash"] != prev):
            return f"record {r['seq']}: broken link"
        prev = r["hash"]
    return None
