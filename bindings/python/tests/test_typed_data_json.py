"""The dict -> JSON step of typed data: identical to json.dumps(separators=(",", ":"),
ensure_ascii=False), including when the cached ``types`` text is reused."""

from __future__ import annotations

import json
import random

import pytest

import x402secure as x
from x402secure._core import _TYPES_CACHE, typed_data_bytes


def reference(doc) -> bytes:
    return json.dumps(doc, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def test_random_documents_match_json_dumps():
    gen = pytest.importorskip("gen_random_typed_data")
    rng = random.Random(21)
    for _ in range(300):
        doc = gen.random_typed_data(rng)
        assert typed_data_bytes(doc, "op") == reference(doc)
        assert typed_data_bytes(doc, "op") == reference(doc)  # second time from the cache


def test_types_mutated_in_place_is_not_served_stale():
    types = {
        "EIP712Domain": [{"name": "name", "type": "string"}],
        "M": [{"name": "a", "type": "uint256"}],
    }
    doc = {"types": types, "primaryType": "M", "domain": {"name": "x"}, "message": {"a": "1"}}
    first = x.eip712_hash(doc)
    assert typed_data_bytes(doc, "op") == reference(doc)
    types["M"][0]["type"] = "uint128"
    assert typed_data_bytes(doc, "op") == reference(doc)
    assert x.eip712_hash(doc) != first
    types["M"].append({"name": "b", "type": "string"})
    doc["message"]["b"] = "hi"
    assert typed_data_bytes(doc, "op") == reference(doc)


def test_non_string_leaves_are_not_cached_and_odd_keys_follow_json_dumps():
    _TYPES_CACHE.clear()
    types = {"M": [{"name": "a", "type": "uint256", "extra": 1}]}
    doc = {"types": types, "primaryType": "M", "domain": {}, "message": {"a": 1}}
    assert typed_data_bytes(doc, "op") == reference(doc)
    assert not _TYPES_CACHE
    doc2 = {1: "x", "types": {"M": []}, None: True}
    assert typed_data_bytes(doc2, "op") == reference(doc2)
    doc3 = {"types": {"M": [{"name": "é\\\"\n", "type": "string"}]}, "message": {"k": "\u2028"}}
    assert typed_data_bytes(doc3, "op") == reference(doc3)


def test_cyclic_document_is_invalid_json():
    doc = {"types": {}, "message": {}}
    doc["message"]["self"] = doc
    with pytest.raises(x.InvalidArgumentError) as info:
        x.eip712_hash(doc)
    assert info.value.code == "X402S_ERR_INVALID_JSON"


def test_domain_mutations_are_not_served_stale():
    domain = {"name": "USD Coin", "version": "2", "chainId": 1, "verifyingContract": "0x" + "11" * 20}
    doc = {"types": {"EIP712Domain": [{"name": "name", "type": "string"}]}, "primaryType": "EIP712Domain",
           "domain": domain, "message": {}}
    assert typed_data_bytes(doc, "op") == reference(doc)
    assert typed_data_bytes(doc, "op") == reference(doc)
    for change in ({"chainId": True}, {"chainId": 1.0}, {"chainId": 8453}, {"name": "USDC"}, {"extra": "x"}):
        domain.update(change)
        assert typed_data_bytes(doc, "op") == reference(doc), change
    del domain["extra"]
    assert typed_data_bytes(doc, "op") == reference(doc)
    domain["nested"] = {"a": 1}  # not flat: encoded every time
    assert typed_data_bytes(doc, "op") == reference(doc)
    domain["nested"]["a"] = 2
    assert typed_data_bytes(doc, "op") == reference(doc)


def _eip3009_doc():
    return {
        "types": {
            "EIP712Domain": [{"name": "name", "type": "string"}, {"name": "chainId", "type": "uint256"}],
            "T": [{"name": "to", "type": "address"}, {"name": "value", "type": "uint256"},
                  {"name": "nonce", "type": "bytes32"}],
        },
        "primaryType": "T",
        "domain": {"name": "USDC", "chainId": 84532},
        "message": {"to": "0x" + "22" * 20, "value": 10000, "nonce": "0x" + "ab" * 32},
    }


def test_document_cache_reencodes_only_a_fresh_message_and_never_serves_stale_text():
    doc = _eip3009_doc()
    signed = []
    for i in range(5):  # the repeated-payment pattern: same types/domain, new message
        doc["message"] = {"to": "0x" + "22" * 20, "value": 10000 + i, "nonce": "0x%064x" % i}
        assert typed_data_bytes(doc, "op") == reference(doc)
        signed.append(x.eip712_hash(doc))
    assert len(set(signed)) == 5
    # every part that the cached prefix covers, changed in place
    for mutate in (
        lambda d: d["domain"].update(chainId=8453),
        lambda d: d["domain"].update(chainId=True),
        lambda d: d["domain"].update(chainId=84532.0),
        lambda d: d["domain"].update(name="USD Coin"),
        lambda d: d["types"]["T"][1].update(type="uint128"),
        lambda d: d["types"]["T"].append({"name": "memo", "type": "string"}),
        lambda d: d.update(primaryType="EIP712Domain"),
    ):
        doc = _eip3009_doc()
        assert typed_data_bytes(doc, "op") == reference(doc)
        before = x.eip712_hash(doc) if doc["primaryType"] == "T" else None
        mutate(doc)
        assert typed_data_bytes(doc, "op") == reference(doc)
        assert typed_data_bytes(doc, "op") == reference(doc)
        if before is not None:
            try:
                assert x.eip712_hash(doc) != before
            except x.X402SError:
                pass  # a mutation that makes the document invalid is reported, never hashed stale


def test_document_cache_respects_key_order_and_message_shapes():
    doc = _eip3009_doc()
    assert typed_data_bytes(doc, "op") == reference(doc)
    reordered = {"message": doc["message"], "types": doc["types"], "domain": doc["domain"],
                 "primaryType": doc["primaryType"]}
    assert typed_data_bytes(reordered, "op") == reference(reordered)
    assert x.eip712_hash(reordered) == x.eip712_hash(doc)
    for message in ({"to": "0x" + "22" * 20, "value": True, "nonce": "0x" + "00" * 32},  # bool: not flat
                    {"to": "0x" + "22" * 20, "value": 1.5, "nonce": "0x" + "00" * 32},   # float
                    {"to": "0x" + "22" * 20, "value": "10", "nonce": "0x" + "00" * 32, "x": [1, {"y": None}]},
                    {"to": "caf\u00e9 \u2603 \"q\" \\ \n", "value": -1, "nonce": ""},
                    {7: "int key", "to": "0x" + "22" * 20},
                    []):
        doc["message"] = message
        assert typed_data_bytes(doc, "op") == reference(doc)
    cyclic = _eip3009_doc()
    assert typed_data_bytes(cyclic, "op") == reference(cyclic)
    cyclic["message"]["self"] = cyclic["message"]
    with pytest.raises(x.InvalidArgumentError) as info:
        x.eip712_hash(cyclic)
    assert info.value.code == "X402S_ERR_INVALID_JSON"


def test_document_cache_holds_repeated_documents_and_skips_fresh_domains():
    from x402secure._core import _DOC_CACHE
    doc = _eip3009_doc()
    key = (id(doc["types"]), id(doc["domain"]), doc["primaryType"])
    typed_data_bytes(doc, "op")  # first sight: types and domain texts cached
    typed_data_bytes(doc, "op")  # the same domain object again: the document prefix is cached
    assert key in _DOC_CACHE
    doc["message"] = {"to": "0x" + "33" * 20, "value": 5, "nonce": "0x" + "cd" * 32}
    assert typed_data_bytes(doc, "op") == reference(doc)  # served from the prefix
    _DOC_CACHE.clear()
    kept = []  # alive, so no domain dict reuses an earlier one's id
    for i in range(20):  # a new domain dict per call (equal content) is not remembered per document
        fresh = dict(doc, domain=dict(doc["domain"]))
        kept.append(fresh)
        assert typed_data_bytes(fresh, "op") == reference(fresh)
    assert len(_DOC_CACHE) == 0
