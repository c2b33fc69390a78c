"""The deployment: `scripts/deploy.py` leaves the deployer with no power, hands everything to the
timelock and the governor, pays the genesis grants, and `ape run deploy` writes the
deployments file.

The `system` fixture is the deploy script's own `deploy_system` with the `local` profile.
"""

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
import rlp
from deploy import deploy_system, load_config
from eth_utils import keccak, to_canonical_address, to_checksum_address
from jeton.contracts import CONTRACT_NAMES

WAD = 10**18
ZERO = "0x" + "00" * 20
DEFAULT_ADMIN_ROLE = b"\x00" * 32
MINTER_ROLE = keccak(text="MINTER_ROLE")
PROPOSER_ROLE = keccak(text="PROPOSER_ROLE")
EXECUTOR_ROLE = keccak(text="EXECUTOR_ROLE")
CANCELLER_ROLE = keccak(text="CANCELLER_ROLE")
ROOT = Path(__file__).resolve().parents[1]
# Every contract the client loads must be in the deployments file.
NAMES = list(CONTRACT_NAMES)


def role_holders(contract, start, chain):
    """Every role's holders now, rebuilt from all RoleGranted/RoleRevoked logs since `start`."""
    stop = chain.blocks.height + 1
    events = [(log, True) for log in contract.RoleGranted.range(start, stop)]
    events += [(log, False) for log in contract.RoleRevoked.range(start, stop)]
    events.sort(key=lambda e: (e[0].block_number, e[0].log_index))
    holders = {}
    for log, granted in events:
        members = holders.setdefault(bytes(log.role), set())
        (members.add if granted else members.discard)(log.account)
    return {role: members for role, members in holders.items() if members}


def test_deployer_holds_no_power(
    system, jtn, timelock, rules, votes, escrow, governor, credits, deployer
):
    for role in (DEFAULT_ADMIN_ROLE, MINTER_ROLE):
        assert not jtn.hasRole(role, deployer)
    for role in (DEFAULT_ADMIN_ROLE, PROPOSER_ROLE, CANCELLER_ROLE):
        assert not timelock.hasRole(role, deployer)
    assert rules.owner() == timelock.address
    assert votes.owner() == timelock.address
    assert credits.owner() == timelock.address
    assert jtn.getRoleAdmin(MINTER_ROLE) == DEFAULT_ADMIN_ROLE
    assert jtn.hasRole(DEFAULT_ADMIN_ROLE, timelock)
    assert jtn.hasRole(MINTER_ROLE, escrow) and jtn.minterFixed()


def test_roles_are_exactly_the_intended_ones(system, jtn, timelock, escrow, governor, chain):
    # From the logs, not just hasRole: nobody else holds any role, on the token or the timelock.
    assert role_holders(jtn, system.block, chain) == {
        DEFAULT_ADMIN_ROLE: {timelock.address},
        MINTER_ROLE: {escrow.address},
    }
    assert role_holders(timelock, system.block, chain) == {
        DEFAULT_ADMIN_ROLE: {timelock.address},  # the timelock administers itself
        PROPOSER_ROLE: {governor.address},
        CANCELLER_ROLE: {governor.address},
        EXECUTOR_ROLE: {ZERO},  # anyone may execute a ready operation
    }
    assert timelock.hasRole(EXECUTOR_ROLE, ZERO)
    assert timelock.hasRole(PROPOSER_ROLE, governor)
    assert timelock.hasRole(CANCELLER_ROLE, governor)


def test_contracts_are_wired_together(
    system, jtn, rules, escrow, reputation, votes, timelock, governor, credits
):
    assert escrow.reputation() == reputation.address
    assert reputation.escrow() == escrow.address
    assert reputation.rules() == rules.address
    assert escrow.workToken() == jtn.address
    assert escrow.rules() == rules.address
    assert rules.treasury() == timelock.address
    assert votes.token() == jtn.address
    assert votes.reputation() == reputation.address
    assert governor.token() == votes.address
    assert governor.timelock() == timelock.address
    assert escrow.rewardRoom() == jtn.cap() - jtn.totalSupply()
    assert credits.token() == jtn.address and credits.rules() == rules.address
    assert credits.serviceCount() == 0  # the DAO adds its services by vote


def test_settings_follow_the_local_profile(system, config, jtn, rules, votes, timelock, governor):
    gov, rules_cfg = config["governance"], config["rules"]
    assert governor.name() == "Jeton DAO"
    assert governor.votingDelay() == gov["voting_delay"] == 1
    assert governor.votingPeriod() == gov["voting_period"] == 50
    assert governor.proposalThreshold() == gov["proposal_threshold"] * WAD == 0
    assert governor.quorumNumerator() == gov["quorum_percent"] == 4
    assert governor.lateQuorumVoteExtension() == gov["late_quorum_extension"] == 10
    assert timelock.getMinDelay() == gov["timelock_delay"] == 2 * 86_400
    # The weight is a decimal string in the config: 0.05 JTN of votes per point, the maximum.
    assert gov["reputation_weight"] == "0.05"
    assert votes.reputationWeight() == int(Decimal(gov["reputation_weight"]) * WAD) == WAD // 20
    assert votes.reputationWeight() == votes.MAX_REPUTATION_WEIGHT()
    assert rules.feeBps() == rules_cfg["fee_bps"] == 500
    assert rules.rewardBps() == rules_cfg["reward_bps"]
    assert rules.reviewPeriod() == rules_cfg["review_period"]
    assert rules.disputeWindow() == rules_cfg["dispute_window"]
    assert rules.claimBondBps() == rules_cfg["claim_bond_bps"]
    assert rules.creditsCutBps() == rules_cfg["credits_cut_bps"] == 500
    assert list(rules.tierThresholds()) == rules_cfg["tiers"]
    assert rules.isPaymentToken(jtn) and rules.tokenUnit(jtn) == WAD
    assert jtn.cap() == config["token"]["cap"] * WAD


def test_hard_bounds_of_the_settings(governor, timelock, votes, escrow):
    """The bounds written in the contracts (see WorkGovernor, Timelock, WorkVotes, TaskEscrow)."""
    assert (governor.MIN_VOTING_DELAY(), governor.MAX_VOTING_DELAY()) == (1, 50_400)
    assert (governor.MIN_VOTING_PERIOD(), governor.MAX_VOTING_PERIOD()) == (10, 302_400)
    assert governor.MAX_PROPOSAL_THRESHOLD() == 10_000_000 * WAD
    assert (governor.MIN_QUORUM_PERCENT(), governor.MAX_QUORUM_PERCENT()) == (1, 50)
    assert governor.MAX_LATE_QUORUM_EXTENSION() == 50_400
    assert (timelock.MIN_DELAY(), timelock.MAX_DELAY()) == (86_400, 30 * 86_400)
    assert votes.MAX_REPUTATION_WEIGHT() == WAD // 20
    assert votes.MAX_REPUTATION_WEIGHT_STEP() == WAD // 100
    assert escrow.FEE_PER_POINT() == WAD // 10


@pytest.mark.parametrize("profile", ["local", "public"])
def test_every_profile_lies_within_the_bounds(governor, timelock, votes, profile):
    """Each setting of both shipped profiles lies within its hard bound."""
    gov = load_config(31337, profile=profile)["governance"]
    within = [
        (gov["voting_delay"], governor.MIN_VOTING_DELAY(), governor.MAX_VOTING_DELAY()),
        (gov["voting_period"], governor.MIN_VOTING_PERIOD(), governor.MAX_VOTING_PERIOD()),
        (gov["proposal_threshold"] * WAD, 0, governor.MAX_PROPOSAL_THRESHOLD()),
        (gov["quorum_percent"], governor.MIN_QUORUM_PERCENT(), governor.MAX_QUORUM_PERCENT()),
        (gov["late_quorum_extension"], 0, governor.MAX_LATE_QUORUM_EXTENSION()),
        (gov["timelock_delay"], timelock.MIN_DELAY(), timelock.MAX_DELAY()),
        (int(Decimal(gov["reputation_weight"]) * WAD), 0, votes.MAX_REPUTATION_WEIGHT()),
    ]
    for value, low, high in within:
        assert low <= value <= high, (profile, value, low, high)


def test_the_public_profile_deploys(accounts):
    """The public profile's settings pass the constructors' bounds (here on anvil)."""
    config = load_config(1, profile="public")
    gov = config["governance"]
    public = deploy_system(accounts[8], config)
    governor, timelock = public.governor, public.timelock
    assert governor.votingDelay() == gov["voting_delay"] == 7_200
    assert governor.votingPeriod() == gov["voting_period"] == 50_400
    assert governor.proposalThreshold() == gov["proposal_threshold"] * WAD == 10_000 * WAD
    assert governor.quorumNumerator() == gov["quorum_percent"] == 4
    assert governor.lateQuorumVoteExtension() == gov["late_quorum_extension"] == 14_400
    assert timelock.getMinDelay() == gov["timelock_delay"] == 2 * 86_400
    assert public.votes.reputationWeight() == WAD // 20
    assert public.token.balanceOf(timelock) == config["token"]["genesis_supply"] * WAD


def test_genesis_grants_and_the_rest_in_the_treasury(system, config, jtn, timelock, accounts):
    supply = config["token"]["genesis_supply"] * WAD
    assert jtn.totalSupply() == supply == 100_000_000 * WAD
    granted = 0
    for grant in config["genesis"]:
        index = int(grant["holder"].split(":")[1])
        assert jtn.balanceOf(accounts[index]) == grant["amount"] * WAD == 10_000_000 * WAD
        granted += grant["amount"] * WAD
    assert jtn.balanceOf(timelock) == supply - granted == 70_000_000 * WAD
    for index in range(3, 10):
        assert jtn.balanceOf(accounts[index]) == 0


def test_arbiter_is_test_account_9(rules, arbiter, accounts):
    assert rules.isArbiter(arbiter)
    assert arbiter.address == accounts[9].address
    assert not rules.isArbiter(accounts[0])


def create_address(sender, nonce):
    return to_checksum_address(keccak(rlp.encode([to_canonical_address(sender), nonce]))[12:])


def test_ape_run_deploy_writes_the_deployments_file(tmp_path, accounts, project):
    env = {
        key: os.environ[key]
        for key in ("PATH", "SOLCX_BINARY_PATH", "APE_DATA_FOLDER", "HOME")
        if key in os.environ
    }
    env["JETON_DEPLOYMENTS_DIR"] = str(tmp_path)
    before = _snapshot(ROOT / "deployments" / "31337.json")
    ape = Path(sys.executable).parent / "ape"
    result = subprocess.run(
        [str(ape), "run", "deploy", "--network", "ethereum:local:foundry"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    path = tmp_path / "31337.json"
    assert path.is_file(), result.stdout
    document = json.loads(path.read_text())
    assert document["chain_id"] == 31337
    assert document["block"] == 1  # a fresh anvil: the first transaction is in block 1
    contracts = document["contracts"]
    assert list(contracts) == NAMES
    for name in NAMES:
        assert contracts[name]["abi"] == name
        assert getattr(project, name).contract_type.name == name
        assert name in result.stdout and contracts[name]["address"] in result.stdout

    # On a fresh chain the addresses follow from test account 0's nonces, in deployment order;
    # the escrow creates the Reputation as its first contract (nonce 1).
    deployer = accounts[0].address
    order = [
        "Timelock",
        "WorkToken",
        "PlatformRules",
        "TaskEscrow",
        "WorkVotes",
        "WorkGovernor",
        "AccessCredits",
    ]
    for nonce, name in enumerate(order):
        assert contracts[name]["address"] == create_address(deployer, nonce)
    escrow = contracts["TaskEscrow"]["address"]
    assert contracts["Reputation"]["address"] == create_address(escrow, 1)
    assert f"Deployed on chain 31337 from block 1: {path}" in result.stdout
    # JETON_DEPLOYMENTS_DIR was honoured: the project's own deployments file was not written.
    assert _snapshot(ROOT / "deployments" / "31337.json") == before


def _snapshot(path):
    return path.stat().st_mtime_ns if path.exists() else None
