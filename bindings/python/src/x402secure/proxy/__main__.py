"""``python -m x402secure.proxy``: the same as ``x402secure-proxy``."""

import sys

from .cli import main

sys.exit(main())
