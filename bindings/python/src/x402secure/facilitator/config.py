"""Configuration of the on-chain facilitator, checked when it is loaded.

A configuration is a JSON document (or the same dict)::

    {"networks": [
      {"network": "eip155:8453", "rpcUrls": ["https://..."], "signerKeyEnv": "FACILITATOR_EVM_KEY",
       "confirmations": 1, "receiptTimeout": 60, "pollInterval": 1.0, "rpcTimeout": 10,
       "maxFeePerGas": "200000000000", "maxPriorityFeePerGas": "2000000000", "gasLimit": 300000},
      {"network": "solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp", "rpcUrls": ["https://..."],
       "feePayerKeyFile": "/run/secrets/fee-payer.json", "commitment": "confirmed",
       "confirmTimeout": 30, "pollInterval": 1.0}]}

Keys come from an environment variable (``signerKeyEnv`` / ``feePayerKeyEnv``: the variable's
name) or a file (``signerKeyFile`` / ``feePayerKeyFile``), never from the document itself;
exactly one of the two. EVM keys are 32 bytes of hex (``0x`` optional); Solana keys are a
32-byte seed in hex or a solana-keygen JSON array of 64 bytes (seed then public key, which
must match). Values are never logged or put in error messages. Unknown members, unknown
networks and out-of-range values are refused with :class:`ConfigError` naming the member.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Optional, Tuple, Union

from .. import x402 as _x402
from .._accounts import EvmAccount, SolanaKeypair

__all__ = ["ConfigError", "EvmNetworkConfig", "SolanaNetworkConfig", "FacilitatorConfig", "load_config"]


class ConfigError(ValueError):
    """The facilitator's configuration is invalid (raised when it is loaded)."""


@dataclass(frozen=True)
class EvmNetworkConfig:
    network: str
    rpc_urls: Tuple[str, ...]
    signer_key_env: Optional[str] = None
    signer_key_file: Optional[str] = None
    #: Blocks on top of the receipt's (1 = the block that includes it).
    confirmations: int = 1
    #: Seconds to wait for the receipt (and confirmations) before answering ``settlement_pending``.
    receipt_timeout: float = 60.0
    poll_interval: float = 1.0
    rpc_timeout: float = 10.0
    #: Fee limits in wei: the transaction's maxFeePerGas never exceeds max_fee_per_gas; the
    #: tip is min(node's suggestion, max_priority_fee_per_gas).
    max_fee_per_gas: int = 200 * 10**9
    max_priority_fee_per_gas: int = 2 * 10**9
    #: Gas limit cap; the limit sent is min(estimate * 1.25, gas_limit).
    gas_limit: int = 300_000
    #: Run the eth_call simulation again right before sending.
    simulate_in_settle: bool = True

    @property
    def chain_id(self) -> int:
        return int(self.network.split(":", 1)[1])


@dataclass(frozen=True)
class SolanaNetworkConfig:
    network: str
    rpc_urls: Tuple[str, ...]
    fee_payer_key_env: Optional[str] = None
    fee_payer_key_file: Optional[str] = None
    commitment: str = "confirmed"
    #: Seconds to wait for confirmation before answering ``settlement_pending``.
    confirm_timeout: float = 30.0
    poll_interval: float = 1.0
    rpc_timeout: float = 10.0


NetworkConfig = Union[EvmNetworkConfig, SolanaNetworkConfig]


@dataclass(frozen=True)
class FacilitatorConfig:
    networks: Tuple[NetworkConfig, ...] = field(default_factory=tuple)

    def network(self, network: str) -> Optional[NetworkConfig]:
        """The configuration serving ``network`` (a CAIP-2 id or a v1 name)."""
        caip2 = canonical_network(network)
        for n in self.networks:
            if n.network == caip2:
                return n
        return None


def canonical_network(network: str) -> Optional[str]:
    """CAIP-2 id of a CAIP-2 id or v1 name (``eip155:<n>`` always), else None."""
    if not isinstance(network, str):
        return None
    if network.startswith("eip155:"):
        tail = network[7:]
        return network if tail.isdigit() and not tail.startswith("0") and int(tail) < 2**63 else None
    try:
        entry = _x402.network(network)
    except Exception:
        return None
    return entry.get("caip2") if isinstance(entry, dict) else None


_EVM_KEYS = {
    "network": "network", "rpcUrls": "rpc_urls", "signerKeyEnv": "signer_key_env",
    "signerKeyFile": "signer_key_file", "confirmations": "confirmations", "receiptTimeout": "receipt_timeout",
    "pollInterval": "poll_interval", "rpcTimeout": "rpc_timeout", "maxFeePerGas": "max_fee_per_gas",
    "maxPriorityFeePerGas": "max_priority_fee_per_gas", "gasLimit": "gas_limit",
    "simulateInSettle": "simulate_in_settle",
}
_SOL_KEYS = {
    "network": "network", "rpcUrls": "rpc_urls", "feePayerKeyEnv": "fee_payer_key_env",
    "feePayerKeyFile": "fee_payer_key_file", "commitment": "commitment", "confirmTimeout": "confirm_timeout",
    "pollInterval": "poll_interval", "rpcTimeout": "rpc_timeout",
}


def _num(v: Any, where: str, *, integer: bool = False, minimum: float = 0, positive: bool = False) -> Any:
    if isinstance(v, bool) or not isinstance(v, (int, float, str)):
        raise ConfigError(f"{where} must be a number")
    try:
        x = int(v, 0) if isinstance(v, str) else v
    except ValueError:
        raise ConfigError(f"{where} must be a number") from None
    if integer and (isinstance(x, float) and not x.is_integer()):
        raise ConfigError(f"{where} must be an integer")
    if integer:
        x = int(x)
    if x < minimum or (positive and x <= 0):
        raise ConfigError(f"{where} is out of range")
    return x


def _network_entry(d: Mapping[str, Any], i: int) -> NetworkConfig:
    where = f"networks[{i}]"
    if not isinstance(d, Mapping):
        raise ConfigError(f"{where} must be an object")
    net = d.get("network")
    caip2 = canonical_network(net) if isinstance(net, str) else None
    if caip2 is None:
        raise ConfigError(f"{where}.network is not a known network (CAIP-2 id or v1 name)")
    evm = caip2.startswith("eip155:")
    names = _EVM_KEYS if evm else _SOL_KEYS
    unknown = sorted(set(d) - set(names))
    if unknown:
        raise ConfigError(f"{where}: unknown member(s) {unknown} for a {'EVM' if evm else 'Solana'} network")
    urls = d.get("rpcUrls")
    if isinstance(urls, str):
        urls = [urls]
    if not isinstance(urls, list) or not urls or not all(
            isinstance(u, str) and u.startswith(("http://", "https://")) for u in urls):
        raise ConfigError(f"{where}.rpcUrls must be one or more http(s) URLs")
    kw: Dict[str, Any] = {"network": caip2, "rpc_urls": tuple(urls)}
    env_k, file_k = ("signerKeyEnv", "signerKeyFile") if evm else ("feePayerKeyEnv", "feePayerKeyFile")
    if (d.get(env_k) is None) == (d.get(file_k) is None):
        raise ConfigError(f"{where}: give exactly one of {env_k} and {file_k}")
    for k in (env_k, file_k):
        if d.get(k) is not None:
            if not isinstance(d[k], str) or not d[k]:
                raise ConfigError(f"{where}.{k} must be a non-empty string")
            kw[names[k]] = d[k]
    for k in ("receiptTimeout", "confirmTimeout", "pollInterval", "rpcTimeout"):
        if k in d and k in names:
            kw[names[k]] = float(_num(d[k], f"{where}.{k}", positive=True))
    if evm:
        if "confirmations" in d:
            kw["confirmations"] = _num(d["confirmations"], f"{where}.confirmations", integer=True, minimum=1)
        for k in ("maxFeePerGas", "maxPriorityFeePerGas", "gasLimit"):
            if k in d:
                kw[names[k]] = _num(d[k], f"{where}.{k}", integer=True, positive=True)
        if "simulateInSettle" in d:
            if not isinstance(d["simulateInSettle"], bool):
                raise ConfigError(f"{where}.simulateInSettle must be true or false")
            kw["simulate_in_settle"] = d["simulateInSettle"]
        cfg: NetworkConfig = EvmNetworkConfig(**kw)
        if cfg.max_priority_fee_per_gas > cfg.max_fee_per_gas:
            raise ConfigError(f"{where}: maxPriorityFeePerGas exceeds maxFeePerGas")
        if cfg.gas_limit < 21_000:
            raise ConfigError(f"{where}.gasLimit is below 21000")
        return cfg
    if "commitment" in d and d["commitment"] not in ("confirmed", "finalized"):
        raise ConfigError(f"{where}.commitment must be \"confirmed\" or \"finalized\"")
    if "commitment" in d:
        kw["commitment"] = d["commitment"]
    return SolanaNetworkConfig(**kw)


def load_config(source: Union[str, "os.PathLike[str]", Mapping[str, Any]]) -> FacilitatorConfig:
    """A configuration from a dict or a JSON file; raises :class:`ConfigError`."""
    if isinstance(source, Mapping):
        doc: Any = source
    else:
        try:
            with open(source, "r", encoding="utf-8") as f:
                doc = json.load(f)
        except (OSError, ValueError) as exc:
            raise ConfigError(f"cannot read the configuration file: {type(exc).__name__}") from None
    if not isinstance(doc, Mapping) or set(doc) - {"networks"}:
        raise ConfigError("the configuration is {\"networks\": [...]} (no other members)")
    nets = doc.get("networks")
    if not isinstance(nets, list) or not nets:
        raise ConfigError("networks must be a non-empty array")
    entries = [_network_entry(d, i) for i, d in enumerate(nets)]
    seen = set()
    for e in entries:
        if e.network in seen:
            raise ConfigError(f"network {e.network} is configured twice")
        seen.add(e.network)
    return FacilitatorConfig(tuple(entries))


def _read_secret(env: Optional[str], path: Optional[str], what: str) -> bytearray:
    """The raw text of a key (as a bytearray the caller wipes)."""
    if env is not None:
        value = os.environ.get(env)
        if not value:
            raise ConfigError(f"{what}: the environment variable {env} is not set")
        return bytearray(value.strip().encode("utf-8"))
    assert path is not None
    try:
        with open(path, "rb") as f:
            return bytearray(f.read().strip())
    except OSError as exc:
        raise ConfigError(f"{what}: cannot read the key file ({type(exc).__name__})") from None


def _wipe(b: bytearray) -> None:
    for i in range(len(b)):
        b[i] = 0


def _hex32(text: bytearray, what: str) -> bytearray:
    t = bytes(text)
    if t[:2] in (b"0x", b"0X"):
        t = t[2:]
    try:
        raw = bytearray(bytes.fromhex(t.decode("ascii")))
    except (ValueError, UnicodeDecodeError):
        raise ConfigError(f"{what}: the key is not 32 bytes of hex") from None
    finally:
        t = b""
    if len(raw) != 32:
        _wipe(raw)
        raise ConfigError(f"{what}: the key is not 32 bytes of hex")
    return raw


def load_evm_signer(cfg: EvmNetworkConfig) -> EvmAccount:
    what = f"{cfg.network} signer key"
    text = _read_secret(cfg.signer_key_env, cfg.signer_key_file, what)
    try:
        raw = _hex32(text, what)
        try:
            return EvmAccount.from_key(raw)
        except Exception:
            raise ConfigError(f"{what}: not a valid secp256k1 key") from None
        finally:
            _wipe(raw)
    finally:
        _wipe(text)


def load_solana_fee_payer(cfg: SolanaNetworkConfig) -> SolanaKeypair:
    what = f"{cfg.network} fee payer key"
    text = _read_secret(cfg.fee_payer_key_env, cfg.fee_payer_key_file, what)
    try:
        if text[:1] == b"[":
            try:
                arr = json.loads(bytes(text))
            except ValueError:
                raise ConfigError(f"{what}: the key file is not a JSON array of 64 bytes") from None
            if not (isinstance(arr, list) and len(arr) == 64 and all(isinstance(x, int) and 0 <= x < 256 for x in arr)):
                raise ConfigError(f"{what}: the key file is not a JSON array of 64 bytes")
            seed = bytearray(arr[:32])
            public = bytes(arr[32:])
            for i in range(len(arr)):
                arr[i] = 0
        else:
            seed, public = _hex32(text, what), None
        try:
            pair = SolanaKeypair.from_seed(seed)
        finally:
            _wipe(seed)
        if public is not None and pair.public_key != public:
            pair.close()
            raise ConfigError(f"{what}: the key file's public key does not match its seed")
        return pair
    finally:
        _wipe(text)
