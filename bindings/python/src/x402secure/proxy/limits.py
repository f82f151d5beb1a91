"""Request limits: token buckets per client address and per wallet, JSON depth."""

from __future__ import annotations

import time
from collections import OrderedDict
from typing import Any, Tuple

__all__ = ["TokenBuckets", "RateLimiter", "json_depth_exceeds"]


class TokenBuckets:
    """Token buckets keyed by a string; at most ``capacity`` keys (least recently used dropped)."""

    def __init__(self, rate: float, burst: int, capacity: int = 100_000, clock=time.monotonic) -> None:
        self.rate, self.burst, self.capacity, self.clock = rate, burst, capacity, clock
        self._b: "OrderedDict[str, Tuple[float, float]]" = OrderedDict()

    def take(self, key: str) -> float:
        """0.0 if allowed (a token taken), else the seconds until one is available."""
        now = self.clock()
        tokens, last = self._b.pop(key, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - last) * self.rate)
        if tokens >= 1.0:
            self._b[key] = (tokens - 1.0, now)
            wait = 0.0
        else:
            self._b[key] = (tokens, now)
            wait = (1.0 - tokens) / self.rate
        while len(self._b) > self.capacity:
            self._b.popitem(last=False)
        return wait


class RateLimiter:
    """Per client address and per wallet limits of the agent endpoints (per process)."""

    def __init__(self, ip_rate: float, ip_burst: int, wallet_rate: float, wallet_burst: int) -> None:
        self.ip = TokenBuckets(ip_rate, ip_burst)
        self.wallet = TokenBuckets(wallet_rate, wallet_burst)


def json_depth_exceeds(doc: Any, limit: int) -> bool:
    """True when ``doc`` nests deeper than ``limit`` (iterative; stops at the first hit)."""
    stack = [(doc, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            if depth > limit:
                return True
            stack.extend((v, depth + 1) for v in value.values() if isinstance(v, (dict, list)))
        elif isinstance(value, list):
            if depth > limit:
                return True
            stack.extend((v, depth + 1) for v in value if isinstance(v, (dict, list)))
    return False
