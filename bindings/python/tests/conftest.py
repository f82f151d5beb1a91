"""Shared helpers for the x402secure tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List

import pytest

#: bindings/python/tests/conftest.py -> repository root
REPO = Path(__file__).resolve().parents[3]
VECTOR_DIR = REPO / "test-vectors"
HEADER = REPO / "include" / "x402_secure.h"

#: The secp256k1 group order n.
SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141


def vector_files() -> List[Path]:
    return sorted(VECTOR_DIR.glob("*.json"))


def load_vector_file(path: Path) -> Dict[str, Any]:
    with path.open("r", encoding="utf-8") as f:
        return json.load(f)


def hx(value: str) -> bytes:
    """'0x..' hex from a vector file -> bytes (independent of the binding)."""
    assert isinstance(value, str) and value[:2] in ("0x", "0X"), value
    return bytes.fromhex(value[2:])


def expand_text(value: Any) -> str:
    """A vector text: a string, or {"pattern": s, "repeat": n}."""
    if isinstance(value, dict):
        return value["pattern"] * value["repeat"]
    assert isinstance(value, str)
    return value


def expand_bytes(value: Any) -> bytes:
    """Vector bytes: '0x..' hex, or {"pattern": "0x..", "repeat": n}."""
    if isinstance(value, dict):
        return hx(value["pattern"]) * value["repeat"]
    return hx(value)


@pytest.fixture(scope="session")
def x402s():
    import x402secure

    return x402secure
