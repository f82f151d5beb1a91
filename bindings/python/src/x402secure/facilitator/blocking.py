"""The on-chain facilitator for synchronous callers: its async methods run on a private event
loop thread. Used by the development gateway (``python -m x402secure.gateway --upstream
onchain --onchain-config FILE``) until the production proxy takes it as ``upstream = "onchain"``.

``verify(body)`` / ``settle(body)`` answer the gateway's ``(status, json, text)``; the
settle outcome (``success`` / ``failure`` / ``pending``) is in :attr:`last_outcome`."""

from __future__ import annotations

import asyncio
import json
import threading
from typing import Any, Dict, Optional, Tuple

from .config import FacilitatorConfig
from .onchain import OnchainFacilitator, UpstreamAnswer

__all__ = ["BlockingFacilitator"]


class BlockingFacilitator:
    def __init__(self, config: FacilitatorConfig, **kw: Any) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="x402s-onchain", daemon=True)
        self._thread.start()
        try:
            self.facilitator: OnchainFacilitator = self._run(self._make(config, kw))
        except BaseException:
            self._stop()
            raise
        self.last_outcome: Optional[str] = None

    @staticmethod
    async def _make(config: FacilitatorConfig, kw: Dict[str, Any]) -> OnchainFacilitator:
        return OnchainFacilitator(config, **kw)  # built on the loop that will use its clients

    def _run(self, coro: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result()

    def _answer(self, a: UpstreamAnswer) -> Tuple[int, Dict[str, Any], str]:
        self.last_outcome = a.outcome
        return a.status, a.body, json.dumps(a.body)

    def verify(self, body: Dict[str, Any]) -> Tuple[int, Dict[str, Any], str]:
        return self._answer(self._run(self.facilitator.verify(body)))

    def settle(self, body: Dict[str, Any]) -> Tuple[int, Dict[str, Any], str]:
        return self._answer(self._run(self.facilitator.settle(body)))

    def settlement_status(self, reference: Dict[str, Any]) -> Tuple[int, Dict[str, Any], str]:
        return self._answer(self._run(self.facilitator.settlement_status(reference)))

    def supported(self) -> Dict[str, Any]:
        return self._run(self.facilitator.supported())

    def close(self) -> None:
        try:
            self._run(self.facilitator.aclose())
        finally:
            self._stop()

    def _stop(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)
        self._loop.close()
