"""Random EIP-712 typed-data documents for differential tests.

``random_typed_data(rng)`` returns a full document ``{"types", "primaryType", "domain",
"message"}`` (plain Python ``dict``/``list``/``int``/``str``/``bool``) that is valid both for
eth_account 0.14 ``encode_typed_data(full_message=doc)`` and for the x402-secure core's
stricter rules (see ``Sources/X402Secure/EIP712.swift``):

- struct types form a DAG with exactly one root (the primary type); no cycles;
- field types cover bool, address, string, bytes, bytes1..32, uint8..256, int8..256,
  nested structs, dynamic arrays ``T[]``, fixed arrays ``T[n]`` and nested arrays
  (``uint256[][2]``, ``Person[2][]``), arrays of structs;
- integers appear as JSON numbers, decimal strings and ``0x`` hex strings (hex only for
  non-negative values), including the range limits;
- ``bytesN`` values may be shorter than N (right-padded by both implementations);
- addresses are lowercase or EIP-55 checksummed; strings include non-ASCII and escapes;
- the domain is a random subset of name/version/chainId/verifyingContract/salt, with or
  without an explicit ``types.EIP712Domain`` (always in canonical order);
- message keys are shuffled (key order must not matter).

Serialize with ``json.dumps(doc)`` (Python ints stay exact) before handing it to the core.
Use a seeded ``random.Random`` for reproducible cases.
"""

import random
import string as _string

try:  # optional: checksummed addresses when eth_utils is available
    from eth_utils import to_checksum_address as _checksum
except Exception:  # pragma: no cover
    _checksum = None

_DOMAIN_FIELDS = [("name", "string"), ("version", "string"), ("chainId", "uint256"),
                  ("verifyingContract", "address"), ("salt", "bytes32")]

_TYPE_NAMES = ["Mail", "Person", "Group", "Asset", "Order", "Item", "Zeta", "Alpha", "Permit",
               "TokenPermissions", "Witness", "Leg", "Quote", "Node_1", "Data$"]

_FIELD_NAMES = ["from", "to", "value", "amount", "nonce", "owner", "items", "data", "name", "flag",
                "salt", "deadline", "spender", "memo", "tags", "child", "x", "y_2", "_hidden", "z$"]

_STRINGS = ["", "Hello, Bob!", "USD Coin", "USD\u20ae0", "\u00fcn\u00efc\u00f6d\u00e9", "\U0001F600 emoji",
            "quote \" and backslash \\", "line\nbreak\ttab", "\u2028\u2029", "0x1234", "null"]


def _atomic_types():
    t = ["bool", "address", "string", "bytes"]
    t += [f"bytes{n}" for n in range(1, 33)]
    t += [f"uint{b}" for b in range(8, 257, 8)]
    t += [f"int{b}" for b in range(8, 257, 8)]
    return t


_ATOMIC = _atomic_types()


def _rand_int_repr(rng, v):
    """A JSON representation of integer v accepted by both implementations."""
    choice = rng.random()
    if v >= 0 and choice < 0.25:
        return "0x" + (format(v, "x") if rng.random() < 0.5 else format(v, "X"))
    if choice < 0.6:
        return str(v)
    return v


def _rand_int_value(rng, bits, signed):
    if signed:
        lo, hi = -(1 << (bits - 1)), (1 << (bits - 1)) - 1
    else:
        lo, hi = 0, (1 << bits) - 1
    r = rng.random()
    if r < 0.15:
        v = lo
    elif r < 0.3:
        v = hi
    elif r < 0.4:
        v = 0
    elif r < 0.7:
        v = rng.randint(max(lo, -1000), min(hi, 1000))
    else:
        v = rng.randint(lo, hi)
    return _rand_int_repr(rng, v)


def _rand_address(rng):
    raw = bytes(rng.getrandbits(8) for _ in range(20))
    h = "0x" + raw.hex()
    if _checksum is not None and rng.random() < 0.5:
        return _checksum(h)
    return h


def _rand_hex(rng, n):
    return "0x" + bytes(rng.getrandbits(8) for _ in range(n)).hex()


def _rand_string(rng):
    if rng.random() < 0.5:
        return rng.choice(_STRINGS)
    alphabet = _string.ascii_letters + _string.digits + " .,:;-_/\\\"'\u00e9\u4e2d\U0001F680"
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))


def _rand_atomic_value(rng, t):
    if t == "bool":
        return rng.random() < 0.5
    if t == "address":
        return _rand_address(rng)
    if t == "string":
        return _rand_string(rng)
    if t == "bytes":
        return _rand_hex(rng, rng.choice([0, 1, 20, 32, 33, rng.randint(0, 80)]))
    if t.startswith("bytes"):
        n = int(t[5:])
        return _rand_hex(rng, n if rng.random() < 0.7 else rng.randint(0, n))
    if t.startswith("uint"):
        return _rand_int_value(rng, int(t[4:]), False)
    if t.startswith("int"):
        return _rand_int_value(rng, int(t[3:]), True)
    raise ValueError(t)


def _value_for(rng, types, t, depth=0):
    if t.endswith("]"):
        parent = t[: t.rindex("[")]
        inside = t[t.rindex("[") + 1:-1]
        n = int(inside) if inside else rng.randint(0, 3)
        return [_value_for(rng, types, parent, depth + 1) for _ in range(n)]
    if t in types:
        fields = types[t]
        obj = {f["name"]: _value_for(rng, types, f["type"], depth + 1) for f in fields}
        keys = list(obj.keys())
        if rng.random() < 0.5:
            rng.shuffle(keys)
        return {k: obj[k] for k in keys}
    return _rand_atomic_value(rng, t)


def _rand_dims(rng):
    dims = ""
    for _ in range(rng.choice([0, 0, 0, 1, 1, 2])):
        dims += "[]" if rng.random() < 0.5 else f"[{rng.randint(1, 3)}]"
    return dims


def random_typed_data(rng: random.Random) -> dict:
    """One random typed-data document (see module docstring)."""
    n_types = rng.randint(1, 4)
    names = rng.sample(_TYPE_NAMES, n_types)  # names[0] is the primary type
    types = {}
    # type i may reference types j > i only (acyclic); each j >= 1 is referenced by some i < j
    must_ref = {j: rng.randrange(0, j) for j in range(1, n_types)}
    for i, tname in enumerate(names):
        field_names = rng.sample(_FIELD_NAMES, rng.randint(1, 6))
        fields = []
        refs = [j for j, i0 in must_ref.items() if i0 == i]
        for k, fname in enumerate(field_names):
            if k < len(refs):
                base = names[refs[k]]
            elif i + 1 < n_types and rng.random() < 0.25:
                base = names[rng.randrange(i + 1, n_types)]
            else:
                base = rng.choice(_ATOMIC)
            fields.append({"name": fname, "type": base + _rand_dims(rng)})
        # struct fields referencing must_ref types may need more fields than names sampled
        for j in refs[len(field_names):]:
            extra = rng.choice([f for f in _FIELD_NAMES if f not in field_names and f not in [x["name"] for x in fields]])
            fields.append({"name": extra, "type": names[j] + _rand_dims(rng)})
        rng.shuffle(fields)
        types[tname] = fields

    domain = {}
    present = [f for f in _DOMAIN_FIELDS if rng.random() < 0.7]
    for fname, ftype in present:
        if ftype == "uint256":
            domain[fname] = _rand_int_repr(rng, rng.choice([1, 8453, 84532, 137, 43114, (1 << 64) + 5]))
        elif ftype == "bytes32":
            domain[fname] = _rand_hex(rng, 32)
        else:
            domain[fname] = _rand_atomic_value(rng, ftype)
    all_types = {}
    if rng.random() < 0.5:
        all_types["EIP712Domain"] = [{"name": n, "type": t} for n, t in present]
    type_names = list(types.keys())
    rng.shuffle(type_names)
    for t in type_names:
        all_types[t] = types[t]
    message = _value_for(rng, types, names[0])
    doc = {"types": all_types, "primaryType": names[0], "domain": domain, "message": message}
    return doc


if __name__ == "__main__":  # smoke check against eth_account
    import json
    from eth_account.messages import encode_typed_data, _hash_eip191_message

    rng = random.Random(1)
    for _ in range(200):
        d = random_typed_data(rng)
        m = encode_typed_data(full_message=json.loads(json.dumps(d)))
        _hash_eip191_message(m)
    print("ok")
