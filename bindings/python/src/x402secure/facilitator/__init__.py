"""The on-chain facilitator (``pip install 'x402secure[facilitator]'``): verify against and
settle on EVM chains and Solana, as the x402-secure proxy's upstream or on its own.
See docs/SETTLEMENT.md."""

from .config import ConfigError, EvmNetworkConfig, FacilitatorConfig, SolanaNetworkConfig, load_config
from .evm import NonceManager
from .onchain import OnchainFacilitator, UpstreamAnswer
from .rpc import JsonRpcClient, RpcError, RpcUnavailable

__all__ = [
    "ConfigError",
    "EvmNetworkConfig",
    "SolanaNetworkConfig",
    "FacilitatorConfig",
    "load_config",
    "NonceManager",
    "OnchainFacilitator",
    "UpstreamAnswer",
    "JsonRpcClient",
    "RpcError",
    "RpcUnavailable",
]
