"""Helpers shared by the tests: decoded custom errors, delegation, permits, time.

Note on `ape.reverts(SomeCustomError)`: Ape 0.8 only compares the error class when the revert
was decoded as a `CustomError`; a revert it could not decode (a plain `ContractLogicError`)
passes the context manager silently, whatever error class was expected. With anvil 1.7 that
is the case for every revert of a *call* (view function), see `call_error`. `expect_error`
therefore also checks that the error was decoded, its class and, where given, its inputs.
"""

import contextlib

import ape
from eth_account import Account
from eth_utils import keccak, to_hex
from hexbytes import HexBytes


def error_selector(error_cls):
    return "0x" + keccak(text=error_cls.abi.selector)[:4].hex()


@contextlib.contextmanager
def expect_error(contract, name, **inputs):
    """Expect a revert with the custom error `name` of `contract` (and these inputs)."""
    error_cls = getattr(contract, name)
    with ape.reverts(error_cls, **inputs) as info:
        yield info
    err = info.value
    assert isinstance(err, ape.exceptions.CustomError), (
        f"expected {name}, got an undecoded {type(err).__name__}: {err.revert_message!r}"
    )
    assert isinstance(err, error_cls), f"expected {name}, got {type(err).__name__}: {err}"
    for key, value in inputs.items():
        assert err.inputs[key] == value, f"{name}.{key}: {err.inputs[key]!r} != {value!r}"


def call_error(contract, method, *args):
    """eth_call `method` and decode the custom error it reverts with.

    Ape 0.8.51 can not decode custom errors of *calls* on anvil 1.7: its eth_call path keeps
    only the JSON-RPC error message ("execution reverted: custom error 0x<selector>: ...")
    and drops the error's `data`, so `ape.reverts(contract.SomeError)` sees a plain
    ContractLogicError (and would accept any revert). This reads the raw revert data.
    """
    calldata = to_hex(getattr(contract, method).encode_input(*args))
    provider = ape.chain.provider
    response = provider.web3.provider.make_request(
        "eth_call", [{"to": contract.address, "data": calldata}, "latest"]
    )
    assert "error" in response, f"{method} did not revert: {response}"
    data = response["error"].get("data")
    assert data, f"no revert data in {response['error']}"
    err = provider.network.ecosystem.decode_custom_error(HexBytes(data), contract.address)
    assert err is not None, f"could not decode revert data {data}"
    return err


def delegate(token, delegatee, sender):
    # Ape's BaseAddress.delegate (EIP-7702) hides the ERC20Votes method of the same name.
    return token.invoke_transaction("delegate", delegatee, sender=sender)


def sign_permit(token, signer_key, owner, spender, value, nonce, deadline):
    typed = {
        "domain": {
            "name": "Jeton",
            "version": "1",
            "chainId": ape.chain.chain_id,
            "verifyingContract": token.address,
        },
        "types": {
            "EIP712Domain": [
                {"name": "name", "type": "string"},
                {"name": "version", "type": "string"},
                {"name": "chainId", "type": "uint256"},
                {"name": "verifyingContract", "type": "address"},
            ],
            "Permit": [
                {"name": "owner", "type": "address"},
                {"name": "spender", "type": "address"},
                {"name": "value", "type": "uint256"},
                {"name": "nonce", "type": "uint256"},
                {"name": "deadline", "type": "uint256"},
            ],
        },
        "primaryType": "Permit",
        "message": {
            "owner": owner,
            "spender": spender,
            "value": value,
            "nonce": nonce,
            "deadline": deadline,
        },
    }
    signed = Account.sign_typed_data(signer_key, full_message=typed)
    return signed.v, signed.r.to_bytes(32, "big"), signed.s.to_bytes(32, "big")


def later(seconds=3600):
    return ape.chain.pending_timestamp + seconds
