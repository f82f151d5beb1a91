# pragma version 0.4.3
# @title A test token with EIP-3009 (transferWithAuthorization) in the shape of FiatToken v2.2:
#        name "USDC", version "2", 6 decimals. Test infrastructure for the on-chain facilitator
#        (bindings/python/tests/test_settle_evm.py); compiled from this source in the test set-up.
# @notice Revert messages are FiatToken's, so a facilitator maps them as it would on a real chain.
#         Both overloads exist: (v, r, s) as an external function, and (bytes signature) through
#         __default__ (Vyper has no overloading), which decodes the call and accepts 65-byte ECDSA
#         signatures (an EOA's; EIP-1271 wallets are not modelled).

event Transfer:
    sender: indexed(address)
    receiver: indexed(address)
    value: uint256

event AuthorizationUsed:
    authorizer: indexed(address)
    nonce: indexed(bytes32)

name: public(String[16])
symbol: public(String[8])
version: public(String[8])
decimals: public(uint8)
totalSupply: public(uint256)
balanceOf: public(HashMap[address, uint256])
minter: public(address)
_used: HashMap[address, HashMap[bytes32, bool]]

DOMAIN_TYPEHASH: constant(bytes32) = keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)")
TWA_TYPEHASH: constant(bytes32) = keccak256("TransferWithAuthorization(address from,address to,uint256 value,uint256 validAfter,uint256 validBefore,bytes32 nonce)")
HALF_N: constant(uint256) = 57896044618658097711785492504343953926418782139537452191302581570759080747168
BYTES_SELECTOR: constant(bytes4) = method_id("transferWithAuthorization(address,address,uint256,uint256,uint256,bytes32,bytes)", output_type=bytes4)


@deploy
def __init__():
    self.name = "USDC"
    self.symbol = "USDC"
    self.version = "2"
    self.decimals = 6
    self.minter = msg.sender


@external
def mint(to: address, amount: uint256):
    assert msg.sender == self.minter, "FiatToken: caller is not a minter"
    self.balanceOf[to] += amount
    self.totalSupply += amount
    log Transfer(sender=empty(address), receiver=to, value=amount)


@internal
def _transfer(sender: address, receiver: address, amount: uint256):
    assert receiver != empty(address), "ERC20: transfer to the zero address"
    assert self.balanceOf[sender] >= amount, "ERC20: transfer amount exceeds balance"
    self.balanceOf[sender] -= amount
    self.balanceOf[receiver] += amount
    log Transfer(sender=sender, receiver=receiver, value=amount)


@external
def transfer(receiver: address, amount: uint256) -> bool:
    self._transfer(msg.sender, receiver, amount)
    return True


@view
@external
def DOMAIN_SEPARATOR() -> bytes32:
    return self._domain()


@view
@internal
def _domain() -> bytes32:
    return keccak256(abi_encode(DOMAIN_TYPEHASH, keccak256(self.name), keccak256(self.version), chain.id, self))


@view
@external
def authorizationState(authorizer: address, nonce: bytes32) -> bool:
    return self._used[authorizer][nonce]


@internal
def _transfer_with_authorization(sender: address, receiver: address, amount: uint256, valid_after: uint256,
                                 valid_before: uint256, nonce: bytes32, v: uint8, r: bytes32, s: bytes32):
    assert block.timestamp > valid_after, "FiatTokenV2: authorization is not yet valid"
    assert block.timestamp < valid_before, "FiatTokenV2: authorization is expired"
    assert not self._used[sender][nonce], "FiatTokenV2: authorization is used or canceled"
    assert convert(s, uint256) <= HALF_N, "ECRecover: invalid signature 's' value"
    struct_hash: bytes32 = keccak256(abi_encode(TWA_TYPEHASH, sender, receiver, amount, valid_after, valid_before, nonce))
    digest: bytes32 = keccak256(concat(b"\x19\x01", self._domain(), struct_hash))
    signer: address = ecrecover(digest, v, r, s)
    assert signer != empty(address) and signer == sender, "FiatTokenV2: invalid signature"
    self._used[sender][nonce] = True
    log AuthorizationUsed(authorizer=sender, nonce=nonce)
    self._transfer(sender, receiver, amount)


@external
def transferWithAuthorization(sender: address, receiver: address, amount: uint256, valid_after: uint256,
                              valid_before: uint256, nonce: bytes32, v: uint8, r: bytes32, s: bytes32):
    self._transfer_with_authorization(sender, receiver, amount, valid_after, valid_before, nonce, v, r, s)


@external
def __default__():
    # transferWithAuthorization(address,address,uint256,uint256,uint256,bytes32,bytes signature)
    # (a 65-byte signature makes the call 4 + 7 * 32 + 32 + 96 = 356 bytes)
    assert len(msg.data) == 356, "FiatTokenV2: invalid signature"
    assert convert(slice(msg.data, 0, 4), bytes4) == BYTES_SELECTOR, "unknown function"
    sender: address = empty(address)
    receiver: address = empty(address)
    amount: uint256 = 0
    valid_after: uint256 = 0
    valid_before: uint256 = 0
    nonce: bytes32 = empty(bytes32)
    signature: Bytes[65] = b""
    sender, receiver, amount, valid_after, valid_before, nonce, signature = abi_decode(
        slice(msg.data, 4, 352), (address, address, uint256, uint256, uint256, bytes32, Bytes[65]))
    assert len(signature) == 65, "FiatTokenV2: invalid signature"
    r: bytes32 = extract32(signature, 0)
    s: bytes32 = extract32(signature, 32)
    v: uint8 = convert(slice(signature, 64, 1), uint8)
    self._transfer_with_authorization(sender, receiver, amount, valid_after, valid_before, nonce, v, r, s)
