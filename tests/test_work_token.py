"""WorkToken on anvil: metadata, cap, roles, permit (EIP-2612), delegation and past votes.

Ape's pytest plugin snapshots the chain around every test (function-scoped isolation), so
the session-scoped `token` fixture starts each test in its freshly deployed state.

Note on `ape.reverts(SomeCustomError)`: Ape 0.8 only compares the error class when the revert
was decoded as a `CustomError`; a revert it could not decode (a plain `ContractLogicError`)
passes the context manager silently, whatever error class was expected. With anvil 1.7 that
is the case for every revert of a *call* (view function), see `call_error`. `expect_error`
therefore also checks that the error was decoded, its class and, where given, its inputs.
"""

import contextlib

import ape
import pytest
from conftest import CAP, GENESIS_SUPPLY
from eth_account import Account
from eth_utils import keccak, to_hex
from hexbytes import HexBytes

MINTER_ROLE = keccak(text="MINTER_ROLE")
DEFAULT_ADMIN_ROLE = b"\x00" * 32
UNIT = 10**18


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


@pytest.fixture
def minter(token, admin, accounts):
    acct = accounts[4]
    token.grantRole(MINTER_ROLE, acct, sender=admin)
    return acct


# --- metadata ---------------------------------------------------------------------------


def test_metadata(token, deployer, admin):
    assert token.name() == "Jeton"
    assert token.symbol() == "JTN"
    assert token.decimals() == 18
    assert token.cap() == CAP
    assert token.totalSupply() == GENESIS_SUPPLY
    assert token.balanceOf(deployer) == GENESIS_SUPPLY
    assert token.balanceOf(admin) == 0
    assert token.mintable() == CAP - GENESIS_SUPPLY
    assert token.CLOCK_MODE() == "mode=blocknumber&from=default"
    assert token.clock() == ape.chain.blocks.head.number
    assert token.MINTER_ROLE() == MINTER_ROLE
    assert token.hasRole(DEFAULT_ADMIN_ROLE, admin)
    assert not token.hasRole(DEFAULT_ADMIN_ROLE, deployer)
    assert not token.hasRole(MINTER_ROLE, deployer)


def test_transfer_moves_balance(token, deployer, alice):
    receipt = token.transfer(alice, 5 * UNIT, sender=deployer)
    assert token.balanceOf(alice) == 5 * UNIT
    assert token.balanceOf(deployer) == GENESIS_SUPPLY - 5 * UNIT
    logs = list(receipt.decode_logs(token.Transfer))
    assert len(logs) == 1
    assert logs[0].to == alice.address and logs[0].value == 5 * UNIT


def test_isolation_between_tests(token, deployer, alice):
    # test_transfer_moves_balance sent alice tokens; the snapshot restore must have undone it.
    assert token.balanceOf(alice) == 0
    assert token.balanceOf(deployer) == GENESIS_SUPPLY


# --- cap ----------------------------------------------------------------------------------


def test_mint_up_to_cap_exactly(token, minter, alice):
    room = token.mintable()
    assert room == CAP - GENESIS_SUPPLY
    token.mint(alice, room, sender=minter)
    assert token.totalSupply() == CAP
    assert token.balanceOf(alice) == room
    assert token.mintable() == 0


def test_mint_past_cap_reverts(token, minter, alice):
    room = token.mintable()
    with expect_error(token, "ERC20ExceededCap", increasedSupply=CAP + 1, cap=CAP):
        token.mint(alice, room + 1, sender=minter)
    assert token.totalSupply() == GENESIS_SUPPLY

    token.mint(alice, room, sender=minter)
    with expect_error(token, "ERC20ExceededCap", increasedSupply=CAP + 1, cap=CAP):
        token.mint(alice, 1, sender=minter)
    assert token.totalSupply() == CAP


def test_reverts_helper_rejects_wrong_error(token, minter, alice):
    # The check is real: a different custom error than the one raised fails the test.
    with pytest.raises(AssertionError):
        with expect_error(token, "AccessControlUnauthorizedAccount"):
            token.mint(alice, CAP, sender=minter)
    with pytest.raises(AssertionError):
        with expect_error(token, "ERC20ExceededCap"):
            token.mint(alice, 1, sender=minter)  # does not revert at all


# --- roles --------------------------------------------------------------------------------


def test_stranger_can_not_mint(token, stranger, deployer):
    with expect_error(
        token, "AccessControlUnauthorizedAccount", account=stranger.address, neededRole=MINTER_ROLE
    ):
        token.mint(stranger, UNIT, sender=stranger)
    # Not even the genesis holder or the admin (without the minter role).
    with expect_error(token, "AccessControlUnauthorizedAccount", account=deployer.address):
        token.mint(deployer, UNIT, sender=deployer)
    assert token.totalSupply() == GENESIS_SUPPLY


def test_admin_grants_minter_then_minter_mints(token, admin, alice, bob):
    assert not token.hasRole(MINTER_ROLE, alice)
    with expect_error(token, "AccessControlUnauthorizedAccount", account=admin.address):
        token.mint(bob, UNIT, sender=admin)

    receipt = token.grantRole(MINTER_ROLE, alice, sender=admin)
    assert token.hasRole(MINTER_ROLE, alice)
    granted = list(receipt.decode_logs(token.RoleGranted))
    assert len(granted) == 1 and granted[0].account == alice.address

    token.mint(bob, 7 * UNIT, sender=alice)
    assert token.balanceOf(bob) == 7 * UNIT
    assert token.totalSupply() == GENESIS_SUPPLY + 7 * UNIT

    token.revokeRole(MINTER_ROLE, alice, sender=admin)
    with expect_error(token, "AccessControlUnauthorizedAccount", account=alice.address):
        token.mint(bob, UNIT, sender=alice)


def test_only_admin_can_grant(token, deployer, stranger, minter):
    for sender in (stranger, deployer, minter):
        with expect_error(
            token,
            "AccessControlUnauthorizedAccount",
            account=sender.address,
            neededRole=DEFAULT_ADMIN_ROLE,
        ):
            token.grantRole(MINTER_ROLE, stranger, sender=sender)
    assert not token.hasRole(MINTER_ROLE, stranger)


# --- permit (EIP-2612) --------------------------------------------------------------------


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


def test_eip712_domain_matches_what_we_sign(token):
    domain = token.eip712Domain()
    assert domain.name == "Jeton"
    assert domain.version == "1"
    assert domain.chainId == ape.chain.chain_id
    assert domain.verifyingContract == token.address


def test_permit_sets_allowance(token, deployer, alice, bob):
    value, deadline = 42 * UNIT, later()
    assert token.nonces(deployer) == 0
    v, r, s = sign_permit(
        token, deployer.private_key, deployer.address, alice.address, value, 0, deadline
    )
    # Anyone may submit the signature; bob pays the gas.
    token.permit(deployer, alice, value, deadline, v, r, s, sender=bob)
    assert token.allowance(deployer, alice) == value
    assert token.nonces(deployer) == 1

    token.transferFrom(deployer, bob, value, sender=alice)
    assert token.balanceOf(bob) == value
    assert token.allowance(deployer, alice) == 0


def test_permit_expired_reverts(token, deployer, alice):
    deadline = ape.chain.pending_timestamp - 1
    v, r, s = sign_permit(
        token, deployer.private_key, deployer.address, alice.address, UNIT, 0, deadline
    )
    with expect_error(token, "ERC2612ExpiredSignature", deadline=deadline):
        token.permit(deployer, alice, UNIT, deadline, v, r, s, sender=alice)
    assert token.allowance(deployer, alice) == 0
    assert token.nonces(deployer) == 0


def test_permit_replay_reverts(token, deployer, alice):
    deadline = later()
    v, r, s = sign_permit(
        token, deployer.private_key, deployer.address, alice.address, UNIT, 0, deadline
    )
    token.permit(deployer, alice, UNIT, deadline, v, r, s, sender=alice)
    assert token.allowance(deployer, alice) == UNIT
    token.approve(alice, 0, sender=deployer)

    # Same signature again: the nonce is now 1, so the digest differs and the recovered
    # signer is some unrelated address.
    with expect_error(token, "ERC2612InvalidSigner", owner=deployer.address) as info:
        token.permit(deployer, alice, UNIT, deadline, v, r, s, sender=alice)
    assert info.value.inputs["signer"] != deployer.address
    assert token.allowance(deployer, alice) == 0
    assert token.nonces(deployer) == 1


def test_permit_wrong_key_rejected(token, deployer, alice, bob):
    deadline = later()
    # bob signs a permit that claims to be from deployer.
    v, r, s = sign_permit(
        token, bob.private_key, deployer.address, alice.address, UNIT, 0, deadline
    )
    with expect_error(token, "ERC2612InvalidSigner", signer=bob.address, owner=deployer.address):
        token.permit(deployer, alice, UNIT, deadline, v, r, s, sender=alice)
    assert token.allowance(deployer, alice) == 0
    assert token.nonces(deployer) == 0


def test_permit_tampered_value_rejected(token, deployer, alice):
    deadline = later()
    v, r, s = sign_permit(
        token, deployer.private_key, deployer.address, alice.address, UNIT, 0, deadline
    )
    with expect_error(token, "ERC2612InvalidSigner", owner=deployer.address):
        token.permit(deployer, alice, 1000 * UNIT, deadline, v, r, s, sender=alice)
    assert token.allowance(deployer, alice) == 0


# --- delegation and votes -----------------------------------------------------------------


def test_delegate_property_is_shadowed(token):
    # Documented trap: the attribute is Ape's EIP-7702 property, not the contract method.
    assert not callable(token.delegate)


def test_votes_zero_until_delegate(token, deployer, alice):
    assert token.getVotes(deployer) == 0
    assert token.delegates(deployer) == ape.utils.ZERO_ADDRESS

    receipt = delegate(token, deployer, deployer)
    assert token.delegates(deployer) == deployer.address
    assert token.getVotes(deployer) == GENESIS_SUPPLY
    changed = list(receipt.decode_logs(token.DelegateChanged))
    assert len(changed) == 1 and changed[0].toDelegate == deployer.address

    # Delegating to someone else moves the whole weight.
    delegate(token, alice, deployer)
    assert token.getVotes(deployer) == 0
    assert token.getVotes(alice) == GENESIS_SUPPLY
    assert token.balanceOf(alice) == 0


def test_transfers_move_votes(token, deployer, alice, bob):
    delegate(token, deployer, deployer)
    delegate(token, alice, alice)

    token.transfer(alice, 100 * UNIT, sender=deployer)
    assert token.getVotes(alice) == token.balanceOf(alice) == 100 * UNIT
    assert token.getVotes(deployer) == token.balanceOf(deployer) == GENESIS_SUPPLY - 100 * UNIT

    # bob has not delegated: tokens sent to him leave the voting supply.
    token.transfer(bob, 30 * UNIT, sender=alice)
    assert token.getVotes(alice) == 70 * UNIT
    assert token.getVotes(bob) == 0
    assert token.balanceOf(bob) == 30 * UNIT

    delegate(token, bob, bob)
    assert token.getVotes(bob) == 30 * UNIT


def test_minting_adds_votes(token, minter, alice):
    delegate(token, alice, alice)
    token.mint(alice, 9 * UNIT, sender=minter)
    assert token.getVotes(alice) == 9 * UNIT


def test_past_votes_at_block(token, deployer, alice):
    delegate(token, alice, alice)
    token.transfer(alice, 10 * UNIT, sender=deployer)
    block_ten = ape.chain.blocks.head.number

    token.transfer(alice, 5 * UNIT, sender=deployer)
    block_fifteen = ape.chain.blocks.head.number

    token.transfer(deployer, 12 * UNIT, sender=alice)
    ape.chain.mine(1)  # the last change must be in the past to be read at its block
    assert token.getVotes(alice) == 3 * UNIT

    assert block_ten < block_fifteen
    assert token.getPastVotes(alice, block_ten - 1) == 0
    assert token.getPastVotes(alice, block_ten) == 10 * UNIT
    assert token.getPastVotes(alice, block_fifteen) == 15 * UNIT
    assert token.getPastVotes(alice, ape.chain.blocks.head.number - 1) == 3 * UNIT
    assert token.getPastTotalSupply(block_ten) == GENESIS_SUPPLY


def test_future_lookup_reverts(token, deployer):
    delegate(token, deployer, deployer)
    now = ape.chain.blocks.head.number
    future = now + 10

    # Ape sees the revert, but (for a call) can only match it by the selector in the message.
    with ape.reverts() as info:
        token.getPastVotes(deployer, future)
    assert error_selector(token.ERC5805FutureLookup) in info.value.revert_message

    for method, args in (("getPastVotes", (deployer, future)), ("getPastTotalSupply", (future,))):
        err = call_error(token, method, *args)
        assert isinstance(err, token.ERC5805FutureLookup), repr(err)
        assert err.inputs == {"timepoint": future, "clock": now}

    # The current block is not "past" either.
    err = call_error(token, "getPastVotes", deployer, now)
    assert isinstance(err, token.ERC5805FutureLookup)
    assert token.getPastVotes(deployer, now - 1) == 0  # delegation happened at block `now`
