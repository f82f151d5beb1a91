"""The x402-secure risk proxy: a self-hostable, drop-in x402 facilitator.

Sellers point their facilitator URL at it (``POST /verify``, ``/settle``, ``GET /supported``);
it assesses risk before verify and settle, settles each payment at most once across every
process sharing its database (SQLite or PostgreSQL), and keeps a hash-chained evidence log
of its decisions. Run it with ``x402secure-proxy`` (or ``python -m x402secure.gateway``);
docs/PROXY.md has the configuration table and the deployment guide.

Needs the ``proxy`` extra (``pip install 'x402secure[proxy]'``: starlette, uvicorn,
psycopg, prometheus-client, httpx); importing :mod:`x402secure` itself needs none of it.

In-process (tests)::

    from x402secure.proxy import serve
    with serve() as running:                 # memory store, local upstream, free port
        print(running.url)
"""

from .config import ConfigError, ProxyConfig, load_config
from .upstream import HttpUpstream, LocalUpstream, Upstream, UpstreamAnswer

__all__ = ["ConfigError", "ProxyConfig", "load_config", "Upstream", "UpstreamAnswer", "LocalUpstream",
           "HttpUpstream", "serve", "create_app", "Proxy"]


def __getattr__(name: str):
    if name == "serve":
        from .server import serve

        return serve
    if name in ("create_app", "Proxy"):
        from . import app

        return getattr(app, name)
    raise AttributeError(name)
