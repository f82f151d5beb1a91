"""Valid raw-ctypes calls of every x402s_evidence_* function, for the NULL-pointer and
short-buffer tests of test_ctypes_abi.py (which adds them to its CASES table).

Each case: name -> (builder of a valid argument list without err, indexes of pointer
arguments that may be NULL, [(out index, cap index, needed size)]).
"""

from __future__ import annotations

import ctypes
import json
from ctypes import c_char, c_size_t
from typing import Any, Callable, Dict, List, Tuple

from conftest import VECTOR_DIR

from x402secure import _native

lib = _native.lib
OK = _native.STATUS["X402S_OK"]


def _buf(n: int):
    return (c_char * max(n, 1))()


def _vector(name: str) -> Dict[str, Any]:
    with (VECTOR_DIR / "evidence.json").open(encoding="utf-8") as f:
        for v in json.load(f)["vectors"]:
            if v["name"] == name:
                return v
    raise KeyError(name)


#: The vectors' receipt key as an x402s_signer (lives as long as the tests).
SIGNER = ctypes.c_void_p()
assert lib.x402s_signer_new(ctypes.byref(SIGNER), bytes.fromhex("42" * 32), 32, 2, None) == OK


def evidence_cases() -> Dict[str, Tuple[Callable[[], List[Any]], Tuple[int, ...], List[Tuple[int, int, int]]]]:
    make = _vector("record_make seq 1 (dec-1 verify)")
    request = json.dumps({"seq": 1, "prev": make["input"]["prev"],
                          "decision": json.loads(make["input"]["decision_json"])}).encode()
    record = make["expect"]["text"].encode()
    receipt = _vector("receipt_sign seq 1")["expect"]["header"].encode()
    keys = _vector("receipt_verify good (JWK Set)")["input"]["public_keys"].encode()
    build = _vector("bundle_build dec-1 (verify + settle, a link between, trace attached)")
    build_req = json.dumps({"decisionId": "dec-1", "records": build["input"]["records"],
                            "attachments": build["input"]["attachments"],
                            "exportedAt": build["input"]["exported_at"]}).encode()
    bundle = build["expect"]["bundle"].encode()
    sig = SIGNER

    # name -> list of the inputs after (out, cap, out_len), in order
    variable: Dict[str, List[Any]] = {
        "x402s_evidence_record_make": [request, len(request)],
        "x402s_evidence_record_parse": [record, len(record)],
        "x402s_evidence_public_key": [sig],
        "x402s_evidence_receipt_sign": [sig, record, len(record)],
        "x402s_evidence_receipt_verify": [receipt, len(receipt), keys, len(keys), record, len(record)],
        "x402s_evidence_bundle_build": [build_req, len(build_req), sig],
        "x402s_evidence_bundle_verify": [bundle, len(bundle), keys, len(keys)],
    }
    # optional pointer inputs (NULL with their length set stays NULL_ARGUMENT; see
    # test_evidence.py for NULL with length 0)
    cases: Dict[str, Tuple[Callable[[], List[Any]], Tuple[int, ...], List[Tuple[int, int, int]]]] = {}
    for name, inputs in variable.items():
        n = c_size_t(0)
        st = getattr(lib, name)(None, 0, n, *inputs, None)
        assert st == _native.S_BUFFER_TOO_SMALL and n.value > 0, (name, st)
        size = n.value
        cases[name] = (lambda size=size, inputs=inputs: [_buf(size), size, c_size_t()] + list(inputs), (), [(0, 1, size)])
    return cases
