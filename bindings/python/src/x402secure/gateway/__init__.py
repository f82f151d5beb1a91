"""A small, real x402-secure gateway for development and tests (loopback HTTP).

It implements x402-secure 0.1.4's gateway endpoints (``/risk/session``,
``/risk/trace``, ``/risk/evaluate``, ``/x402/verify``, ``/x402/settle``) with
its request and error shapes; the risk decision is the core's mandate gate and
the upstream facilitator is configurable: the core's offline verification with
a settlement stub (no chain) by default, or any facilitator URL.

Run it with ``python -m x402secure.gateway --port 8000``, or in-process::

    from x402secure.gateway import Gateway, GatewayConfig, serve
    running = serve(Gateway(GatewayConfig()))      # a free loopback port
    print(running.url)
    running.close()
"""

from .app import Gateway, GatewayConfig, error_code
from .facilitator import HttpFacilitator, LocalFacilitator, UpstreamUnavailable
from .server import RunningGateway, make_server, serve

__all__ = [
    "Gateway",
    "GatewayConfig",
    "error_code",
    "LocalFacilitator",
    "HttpFacilitator",
    "UpstreamUnavailable",
    "RunningGateway",
    "make_server",
    "serve",
]
