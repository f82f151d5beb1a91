"""``python -m x402secure.gateway``: the x402-secure risk proxy (:mod:`x402secure.proxy`).

This used to be a separate development server; it is now the production proxy under its
old name (one server, not two), accepting the development gateway's flags. The
local facilitator (the core's offline verification and a settlement stub) lives here and
is the proxy's ``upstream = "local"``.

In-process (tests, the demo)::

    from x402secure.gateway import serve
    running = serve()               # memory store, local upstream, a free loopback port
    print(running.url)
    running.close()
"""

from .facilitator import LocalFacilitator, payment_header_of

__all__ = ["LocalFacilitator", "payment_header_of", "serve", "error_code"]


def __getattr__(name: str):
    if name == "serve":
        from ..proxy.server import serve

        return serve
    if name == "error_code":
        from ..proxy.app import error_code

        return error_code
    raise AttributeError(name)
