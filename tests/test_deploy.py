"""The deployment: `scripts/deploy.py` leaves the deployer with no power, hands everything to the
timelock and the governor, pays the genesis grants, and `ape run deploy` writes the
deployments file; a configuration that can not start a working DAO is refused before anything
is deployed, naming the rule it breaks.

The `system` fixture is the deploy script's own `deploy_system` with the `local` profile.
"""

import copy
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
from helpers import PENDING, delegate, propose
from jeton.contracts import CONTRACT_NAMES
from jeton.devchain import deploy as devchain_deploy
from jeton.launch import THRESHOLD_CAP_PERCENT, LaunchRefused

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


def test_the_treasury_never_votes_and_the_quorum_leaves_it_out(
    system, jtn, votes, timelock, governor, chain
):
    """The timelock is the token's treasury, delegated to itself from the token's construction:
    its 70M JTN are checkpointed as its votes, which WorkVotes gives no power and leaves out of
    the supply the quorum is reckoned on (30M JTN of genesis grants outside it)."""
    assert jtn.treasury() == votes.treasury() == timelock.address
    assert jtn.delegates(timelock) == timelock.address
    assert jtn.getVotes(timelock) == jtn.balanceOf(timelock) == 70_000_000 * WAD
    assert votes.getVotes(timelock) == 0
    chain.mine(1)
    past = chain.blocks.height - 1
    assert votes.getPastVotes(timelock, past) == 0
    assert votes.getPastTotalSupply(past) == 30_000_000 * WAD
    assert governor.quorum(past) == 30_000_000 * WAD * 4 // 100


def test_settings_follow_the_local_profile(system, config, jtn, rules, votes, timelock, governor):
    gov, rules_cfg = config["governance"], config["rules"]
    assert governor.name() == "Jeton DAO"
    assert governor.votingDelay() == gov["voting_delay"] == 1
    assert governor.votingPeriod() == gov["voting_period"] == 50
    assert governor.proposalThreshold() == gov["proposal_threshold"] * WAD == 0
    assert governor.quorumNumerator() == gov["quorum_percent"] == 4
    assert governor.lateQuorumVoteExtension() == gov["late_quorum_extension"] == 10
    assert timelock.getMinDelay() == gov["timelock_delay"] == 2 * 86_400
    assert timelock.gracePeriod() == gov["grace_period"] == 14 * 86_400
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
    """The bounds and steps written in the contracts (WorkGovernor, Timelock, WorkVotes,
    TaskEscrow); block counts assume 12-second blocks."""
    day_of_blocks = 7_200
    assert (governor.MIN_VOTING_DELAY(), governor.MAX_VOTING_DELAY()) == (1, 50_400)
    assert governor.MAX_VOTING_DELAY_STEP() == day_of_blocks
    assert (governor.MIN_VOTING_PERIOD(), governor.MAX_VOTING_PERIOD()) == (10, 302_400)
    assert governor.MAX_VOTING_PERIOD_STEP() == day_of_blocks
    assert governor.MAX_PROPOSAL_THRESHOLD() == 10_000_000 * WAD
    assert governor.MAX_PROPOSAL_THRESHOLD_STEP() == 1_000_000 * WAD
    assert governor.PROPOSAL_THRESHOLD_CAP_PERCENT() == THRESHOLD_CAP_PERCENT == 1
    assert (governor.MIN_QUORUM_PERCENT(), governor.MAX_QUORUM_PERCENT()) == (1, 50)
    assert governor.MAX_QUORUM_STEP() == 5
    assert governor.MAX_LATE_QUORUM_EXTENSION() == 50_400
    assert governor.MAX_LATE_QUORUM_EXTENSION_STEP() == day_of_blocks
    assert (timelock.MIN_DELAY(), timelock.MAX_DELAY()) == (86_400, 30 * 86_400)
    assert timelock.MAX_DELAY_STEP() == 2 * 86_400
    assert (timelock.MIN_GRACE_PERIOD(), timelock.MAX_GRACE_PERIOD()) == (86_400, 30 * 86_400)
    assert timelock.MAX_GRACE_PERIOD_STEP() == 7 * 86_400
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
        (gov["late_quorum_extension"], 0, min(gov["voting_period"], 50_400)),
        (gov["timelock_delay"], timelock.MIN_DELAY(), timelock.MAX_DELAY()),
        (gov["grace_period"], timelock.MIN_GRACE_PERIOD(), timelock.MAX_GRACE_PERIOD()),
        (int(Decimal(gov["reputation_weight"]) * WAD), 0, votes.MAX_REPUTATION_WEIGHT()),
    ]
    for value, low, high in within:
        assert low <= value <= high, (profile, value, low, high)


# --- the public profile: a real launch, refused while it is not filled in ---------------------

SEPOLIA = 11_155_111


def public_config(accounts, chain_ids=(31337,)):
    """The shipped `public` profile filled in as an operator would: its placeholders replaced by
    test accounts 3..5 (holders) and 6..7 (arbiters), named for `chain_ids`."""
    config = copy.deepcopy(load_config(SEPOLIA, profile="public"))
    config["chain"]["ids"] = list(chain_ids)
    for grant, index in zip(config["genesis"], (3, 4, 5), strict=True):
        grant["holder"] = accounts[index].address
    config["rules"]["arbiters"] = [accounts[6].address, accounts[7].address]
    return config


def test_the_filled_in_public_profile_launches_a_dao_that_can_act(accounts, chain):
    """The public profile, its placeholders replaced: founders hold 10M JTN of 100M, the
    treasury the rest. A founder can propose (it holds more than the threshold), and the
    founders together hold 25 times the quorum of the votes outside the treasury. Settings are
    the profile's: a week-long vote in 12-second blocks (too many blocks to mine on anvil, so
    the vote itself is not run here; the local profile runs the same contracts)."""
    config = public_config(accounts)
    gov = config["governance"]
    public = deploy_system(accounts[8], config)
    governor, timelock, jtn = public.governor, public.timelock, public.token
    assert config["chain"]["name"] == "Sepolia" and config["chain"]["block_seconds"] == 12
    assert governor.votingDelay() == gov["voting_delay"] == 7_200
    assert governor.votingPeriod() == gov["voting_period"] == 50_400
    assert governor.proposalThresholdSetting() == gov["proposal_threshold"] * WAD == 10_000 * WAD
    assert governor.quorumNumerator() == gov["quorum_percent"] == 4
    assert governor.lateQuorumVoteExtension() == gov["late_quorum_extension"] == 14_400
    assert timelock.getMinDelay() == gov["timelock_delay"] == 2 * 86_400
    assert timelock.gracePeriod() == gov["grace_period"] == 14 * 86_400
    assert public.votes.reputationWeight() == WAD // 20
    founders = [accounts[i] for i in (3, 4, 5)]
    grants = [4_000_000 * WAD, 3_000_000 * WAD, 3_000_000 * WAD]
    assert [jtn.balanceOf(f) for f in founders] == grants
    assert jtn.balanceOf(timelock) == 90_000_000 * WAD
    assert all(public.rules.isArbiter(accounts[i]) for i in (6, 7))

    for founder in founders:
        delegate(jtn, founder, founder)
    chain.mine(1)
    past = chain.blocks.height - 1
    assert public.votes.getPastTotalSupply(past) == sum(grants)
    assert governor.quorum(past) == 400_000 * WAD  # 4% of the 10M outside the treasury
    assert governor.proposalThreshold() == 10_000 * WAD
    rules = public.rules
    proposal = propose(
        governor, [(rules, rules.setFeeBps.encode_input(400))], "Fee 4%", founders[2]
    )
    assert proposal.state() == PENDING
    assert governor.proposalSnapshot(proposal.id) == chain.blocks.height + 7_200


def deployed_nothing(chain, deployer):
    """A check that no transaction was sent between its creation and its call."""
    height, nonce = chain.blocks.height, deployer.nonce
    return lambda: (chain.blocks.height, deployer.nonce) == (height, nonce)


def refusal(deployer, config, chain_id, chain):
    """The rules `deploy_system` refuses `config` for, checking that nothing was deployed."""
    unchanged = deployed_nothing(chain, deployer)
    with pytest.raises(LaunchRefused) as info:
        deploy_system(deployer, config, chain_id)
    assert unchanged()
    assert str(info.value).startswith("deploy refused before deploying anything")
    return info.value


def test_the_shipped_public_profile_is_refused_while_placeholders_remain(accounts, chain):
    config = load_config(SEPOLIA, profile="public")
    refused = refusal(accounts[8], config, SEPOLIA, chain)
    assert [p.rule for p in refused.problems] == ["placeholders"] * 5
    assert [p.message for p in refused.problems] == [
        "genesis holder 1 is still the placeholder 'REPLACE:founder-1': replace it with a real "
        "address",
        "genesis holder 2 is still the placeholder 'REPLACE:founder-2': replace it with a real "
        "address",
        "genesis holder 3 is still the placeholder 'REPLACE:early-workers-fund': replace it "
        "with a real address",
        "arbiter 1 is still the placeholder 'REPLACE:arbiter-1': replace it with a real address",
        "arbiter 2 is still the placeholder 'REPLACE:arbiter-2': replace it with a real address",
    ]


def test_the_dead_profile_of_the_review_is_refused(accounts, chain):
    """The `public` profile as it was: no genesis grant (the whole supply to the treasury, which
    never votes) and no arbiter. Nobody could propose, the quorum could never be reached, and
    no dispute could be decided: each rule is named, with the fix."""
    config = public_config(accounts, chain_ids=[SEPOLIA])
    config["genesis"], config["rules"]["arbiters"] = [], []
    refused = refusal(accounts[8], config, SEPOLIA, chain)
    assert {p.rule: p.message for p in refused.problems} == {
        "quorum": "the votes that can exist outside the treasury (0 JTN of genesis grants) can "
        "not reach the quorum (4% of them): grant tokens to named holders in `genesis`",
        "proposal-threshold": "no genesis holder outside the treasury reaches the proposal "
        "threshold (10,000 JTN; the largest grant is 0 JTN), so nobody could ever propose: grant "
        "at least that much to a named holder in `genesis`, or lower "
        "governance.proposal_threshold",
        "arbiters": "no arbiter is appointed, so no dispute could ever be decided by one: name at "
        "least one address in rules.arbiters",
    }


def _no_grants_and_no_threshold(config, accounts):
    config["genesis"] = []
    config["governance"]["proposal_threshold"] = 0


def _grants_below_the_threshold(config, accounts):
    # 101 holders of 1,000 JTN: the threshold is 1,010 JTN (1% of the 101,000 JTN outside the
    # treasury, below the 10,000 JTN setting), and no single holder reaches it.
    config["genesis"] = [
        {"holder": to_checksum_address(f"0x{n:040x}"), "amount": 1_000} for n in range(1, 102)
    ]


def _no_arbiter(config, accounts):
    config["rules"]["arbiters"] = []


def _test_account_on_a_public_chain(config, accounts):
    config["genesis"][0]["holder"] = "test:1"


def _not_an_address(config, accounts):
    config["genesis"][1]["holder"] = accounts[4].address.lower()[:-1]  # a digit short
    config["rules"]["arbiters"][0] = "0x" + "00" * 20


def _grants_past_the_supply(config, accounts):
    config["token"]["genesis_supply"] = 5_000_000


def _supply_past_the_cap(config, accounts):
    config["token"]["cap"] = 50_000_000


@pytest.mark.parametrize(
    "change, rules, words",
    [
        (_no_grants_and_no_threshold, ["quorum"], "0 JTN of genesis grants"),
        (
            _grants_below_the_threshold,
            ["proposal-threshold"],
            "(1,010 JTN; the largest grant is 1,000 JTN)",
        ),
        (_no_arbiter, ["arbiters"], "name at least one address in rules.arbiters"),
        (_test_account_on_a_public_chain, ["addresses"], "'test:1', a local test account"),
        (_not_an_address, ["addresses", "addresses"], "[addresses] arbiter 1 is the zero address"),
        (_grants_past_the_supply, ["supply"], "the genesis grants (10,000,000 JTN) exceed"),
        (_supply_past_the_cap, ["supply"], "exceeds the cap (50,000,000 JTN)"),
    ],
)
def test_each_launch_rule_refuses_alone(accounts, chain, change, rules, words):
    config = public_config(accounts, chain_ids=[SEPOLIA])
    change(config, accounts)
    refused = refusal(accounts[8], config, SEPOLIA, chain)
    assert [p.rule for p in refused.problems] == rules
    assert words in str(refused)


def test_a_profile_for_another_chain_is_refused(accounts, chain):
    """The public profile names Sepolia; its block counts assume 12-second blocks, so another
    chain (here the local one) needs its own copy."""
    config = public_config(accounts, chain_ids=[SEPOLIA])
    refused = refusal(accounts[8], config, chain.chain_id, chain)
    [problem] = refused.problems
    assert problem.rule == "chain"
    assert problem.message.startswith(
        "the profile is for Sepolia (chain id 11155111, 12 s blocks) and this node is chain "
        "31337: copy the profile, name this chain in `chain`, and scale the block counts"
    )
    config = public_config(accounts, chain_ids=[SEPOLIA])
    del config["chain"]
    assert [p.rule for p in refusal(accounts[8], config, SEPOLIA, chain).problems] == ["chain"]


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


def ape_run_deploy(tmp_path, **extra):
    """`ape run deploy` on a fresh local node, deployments written to `tmp_path`."""
    env = {
        key: os.environ[key]
        for key in ("PATH", "SOLCX_BINARY_PATH", "APE_DATA_FOLDER", "HOME")
        if key in os.environ
    }
    env.update(JETON_DEPLOYMENTS_DIR=str(tmp_path), **extra)
    ape = Path(sys.executable).parent / "ape"
    return subprocess.run(
        [str(ape), "run", "deploy", "--network", "ethereum:local:foundry"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_ape_run_deploy_writes_the_deployments_file(tmp_path, accounts, project):
    before = _snapshot(ROOT / "deployments" / "31337.json")
    result = ape_run_deploy(tmp_path)
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
    assert "each genesis holder delegates its votes" in result.stdout
    # JETON_DEPLOYMENTS_DIR was honoured: the project's own deployments file was not written.
    assert _snapshot(ROOT / "deployments" / "31337.json") == before


def test_ape_run_deploy_refuses_a_config_that_can_not_start(tmp_path, accounts):
    """The public profile as shipped, on the local chain: refused with every failed rule and
    its fix, exit code 1, and no deployments file."""
    result = ape_run_deploy(tmp_path, JETON_DEPLOY_PROFILE="public")
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines[0] == (
        "deploy refused before deploying anything: this configuration can not start a working DAO."
    )
    assert lines[1].startswith("- [chain] the profile is for Sepolia (chain id 11155111")
    assert lines[2:] == [
        f"- [placeholders] {what} is still the placeholder {value!r}: replace it with a real "
        f"address"
        for what, value in [
            ("genesis holder 1", "REPLACE:founder-1"),
            ("genesis holder 2", "REPLACE:founder-2"),
            ("genesis holder 3", "REPLACE:early-workers-fund"),
            ("arbiter 1", "REPLACE:arbiter-1"),
            ("arbiter 2", "REPLACE:arbiter-2"),
        ]
    ]
    assert list(tmp_path.iterdir()) == []


def test_jeton_deploy_refuses_before_running_the_script(tmp_path, rpc_url, accounts, chain):
    """`jeton deploy` (and `jeton.devchain.deploy`) check the launch rules first: a dead config
    is refused at once, exit code 1, and nothing is sent."""
    from click.testing import CliRunner
    from jeton.cli import cli

    config = public_config(accounts)
    config["genesis"], config["rules"]["arbiters"] = [], []
    path = tmp_path / "dead.json"
    path.write_text(json.dumps({"public": config}))
    unchanged = deployed_nothing(chain, accounts[0])
    with pytest.raises(LaunchRefused) as info:
        devchain_deploy(rpc_url, path, profile="public", deployments_dir=tmp_path)
    assert [p.rule for p in info.value.problems] == ["quorum", "proposal-threshold", "arbiters"]

    result = CliRunner().invoke(
        cli,
        ["--rpc", rpc_url, "deploy", "--config", str(path)],
        env={"JETON_DEPLOY_PROFILE": "public"},
    )
    assert result.exit_code == 1, result.output
    assert "Error: deploy refused before deploying anything" in result.output
    assert "[quorum]" in result.output and "[arbiters]" in result.output
    assert unchanged()
    assert not (tmp_path / "31337.json").exists()


def _snapshot(path):
    return path.stat().st_mtime_ns if path.exists() else None
