"""WorkToken on anvil: metadata, cap, roles, permit (EIP-2612), delegation and past votes.

Ape's pytest plugin snapshots the chain around every test (function-scoped isolation), so
the session-scoped `token` fixture starts each test in its freshly deployed state.

Custom errors are checked with `helpers.expect_error` / `helpers.call_error` (see there why
plain `ape.reverts` is not enough).
"""

import ape
import pytest
from conftest import CAP, GENESIS_SUPPLY
from eth_account import Account
from eth_utils import keccak
from helpers import (
    call_error,
    delegate,
    error_selector,
    expect_error,
    expect_error_via,
    later,
    sign_permit,
    typed_data,
)

MINTER_ROLE = keccak(text="MINTER_ROLE")
DEFAULT_ADMIN_ROLE = b"\x00" * 32
UNIT = 10**18


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

    assert token.minterFixed()


def test_minter_role_is_granted_once_and_never_revoked(token, admin, minter, bob):
    # The escrow owes workers rewards it will mint later: nobody may take its role away,
    # and nobody else may ever mint.
    with expect_error(token, "MinterRoleFixed"):
        token.grantRole(MINTER_ROLE, bob, sender=admin)
    with expect_error(token, "MinterRoleFixed"):
        token.revokeRole(MINTER_ROLE, minter, sender=admin)
    with expect_error(token, "MinterRoleFixed"):
        token.renounceRole(MINTER_ROLE, minter, sender=minter)
    assert token.hasRole(MINTER_ROLE, minter)
    assert not token.hasRole(MINTER_ROLE, bob)
    token.mint(bob, UNIT, sender=minter)
    assert token.balanceOf(bob) == UNIT


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


# --- the treasury ---------------------------------------------------------------------------


def test_the_treasury_is_delegated_to_itself_from_the_start(token, treasury, deployer):
    """Its tokens are checkpointed as its own votes without any call of its own: WorkVotes
    gives them no power and leaves them out of the quorum's supply."""
    assert token.treasury() == treasury.address
    assert token.delegates(treasury) == treasury.address
    assert token.getVotes(treasury) == 0
    token.transfer(treasury, 70 * UNIT, sender=deployer)
    assert token.getVotes(treasury) == token.balanceOf(treasury) == 70 * UNIT


def test_the_treasury_can_not_delegate_elsewhere(token, treasury, alice, deployer):
    token.transfer(treasury, 70 * UNIT, sender=deployer)
    with expect_error(token, "TreasuryDelegationFixed", delegatee=alice.address):
        delegate(token, alice, treasury)
    # Nor by signature (the treasury here is an account with a key).
    expiry = later()
    fields = [
        {"name": "delegatee", "type": "address"},
        {"name": "nonce", "type": "uint256"},
        {"name": "expiry", "type": "uint256"},
    ]
    message = {"delegatee": alice.address, "nonce": 0, "expiry": expiry}
    signed = Account.sign_typed_data(
        treasury.private_key, full_message=typed_data(token, "Delegation", fields, message)
    )
    r, s = signed.r.to_bytes(32, "big"), signed.s.to_bytes(32, "big")
    with expect_error(token, "TreasuryDelegationFixed", delegatee=alice.address):
        token.delegateBySig(alice, 0, expiry, signed.v, r, s, sender=alice)
    delegate(token, treasury, treasury)  # to itself: allowed, nothing changes
    assert token.delegates(treasury) == treasury.address
    assert token.getVotes(alice) == 0 and token.getVotes(treasury) == 70 * UNIT


def test_a_treasury_is_required(project, fresh_deployer, admin, deployer):
    with expect_error_via(project.WorkToken, "TreasuryRequired"):
        fresh_deployer.deploy(
            project.WorkToken, admin, ape.utils.ZERO_ADDRESS, deployer, GENESIS_SUPPLY, CAP
        )
