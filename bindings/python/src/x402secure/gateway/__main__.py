"""``python -m x402secure.gateway``: the risk proxy (``x402secure-proxy``) with the
development gateway's flags (``--upstream``, ``--session-ttl``, ``--settle-risk``,
``--allow-review``, ``--mandate``, ``--solana-fee-payer-seed-env``, ...).

Prints one JSON line ``{"event": "ready", "url": ..., "port": ...}`` on stdout once it
listens (``--port 0`` for a free port), then serves until SIGINT/SIGTERM.
"""

import sys

from ..proxy.cli import main

sys.exit(main(prog="python -m x402secure.gateway", legacy=True))
