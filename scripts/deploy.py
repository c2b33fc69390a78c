"""Deploy the whole Jeton system: `ape run deploy --network ethereum:local:foundry`.

Deploys Timelock, WorkToken, PlatformRules, TaskEscrow (which creates Reputation), WorkVotes,
WorkGovernor and AccessCredits; wires the roles; hands every power to the timelock and
renounces the deployer's; pays the genesis grants (the rest goes to the treasury); then writes
`deployments/<chain-id>.json` for the client.

Parameters come from `deploy-config.json` (profile `local` on a local chain, `public`
elsewhere). Before anything is deployed, `jeton.launch.check_launch` refuses a configuration
that can not start a working DAO (another chain's profile, placeholders, no holder able to
propose, a quorum out of reach, no arbiter) and says how to fix it. Environment:
- JETON_DEPLOY_CONFIG: another config file; JETON_DEPLOY_PROFILE: another profile;
- JETON_DEPLOYER: the Ape account alias that deploys (default on a local chain: test account 0);
  its passphrase is asked once (or read from APE_ACCOUNTS_<alias>_PASSPHRASE), then every
  deployment transaction is signed without asking again;
- JETON_DEPLOYMENTS_DIR: where the deployments file goes (default `deployments/`).
"""

import json
import os
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from ape import accounts, chain, project
from jeton.launch import LOCAL_CHAIN_IDS, LaunchRefused, check_launch
from jeton.launch import load_config as _load_config

ROOT = Path(__file__).resolve().parents[1]
ZERO = "0x0000000000000000000000000000000000000000"
WAD = 10**18


@dataclass
class System:
    """The deployed contracts, as Ape contract instances."""

    token: Any
    rules: Any
    escrow: Any
    reputation: Any
    votes: Any
    timelock: Any
    governor: Any
    block: int
    credits: Any

    def by_name(self) -> dict[str, Any]:
        return {
            "WorkToken": self.token,
            "PlatformRules": self.rules,
            "TaskEscrow": self.escrow,
            "Reputation": self.reputation,
            "WorkVotes": self.votes,
            "Timelock": self.timelock,
            "WorkGovernor": self.governor,
            "AccessCredits": self.credits,
        }


def load_config(chain_id: int, path: str | None = None, profile: str | None = None) -> dict:
    """The deployment parameters for `chain_id` (see the module's docstring)."""
    path = path or os.environ.get("JETON_DEPLOY_CONFIG") or str(ROOT / "deploy-config.json")
    return _load_config(chain_id, path, profile)


def test_account(index: int) -> str:
    """The address of the local node's test account `index` (`test:N` in a config)."""
    return accounts.test_accounts[index].address


def deploy_system(deployer, config: dict, chain_id: int | None = None) -> System:
    """Deploy and wire every contract from `deployer`; leave it with no power at all.

    Raises `jeton.launch.LaunchRefused` before any transaction if `config` can not start a
    working DAO on `chain_id` (default: the connected chain's).
    """
    plan = check_launch(config, chain.chain_id if chain_id is None else chain_id, test_account)
    gov = config["governance"]
    rules_cfg = config["rules"]
    tx = {"sender": deployer}

    start_block = chain.blocks.height + 1
    timelock = deployer.deploy(
        project.Timelock, gov["timelock_delay"], gov["grace_period"], [], [ZERO], deployer, **tx
    )
    token = deployer.deploy(
        project.WorkToken,
        deployer,
        timelock,
        deployer,
        plan.genesis_supply,
        config["token"]["cap"] * WAD,
        **tx,
    )
    initial_rules = (
        rules_cfg["fee_bps"],
        rules_cfg["reward_bps"],
        rules_cfg["review_period"],
        rules_cfg["dispute_window"],
        rules_cfg["claim_bond_bps"],
        rules_cfg["credits_cut_bps"],
        rules_cfg["tiers"],
    )
    rules = deployer.deploy(
        project.PlatformRules, timelock, initial_rules, token, plan.arbiters, timelock, **tx
    )
    escrow = deployer.deploy(project.TaskEscrow, token, rules, **tx)
    reputation = project.Reputation.at(escrow.reputation())
    votes = deployer.deploy(
        project.WorkVotes,
        token,
        reputation,
        timelock,
        int(Decimal(str(gov["reputation_weight"])) * WAD),
        **tx,
    )
    settings = (
        gov["voting_delay"],
        gov["voting_period"],
        gov["proposal_threshold"] * WAD,
        gov["quorum_percent"],
        gov["late_quorum_extension"],
    )
    governor = deployer.deploy(project.WorkGovernor, votes, timelock, settings, **tx)
    # Premium tools for tokens: owned by the timelock from the start, nothing to wire.
    credits = deployer.deploy(project.AccessCredits, token, rules, timelock, **tx)

    # The escrow mints rewards; the timelock administers the token; the deployer leaves.
    admin_role = token.DEFAULT_ADMIN_ROLE()
    token.grantRole(token.MINTER_ROLE(), escrow, **tx)
    token.grantRole(admin_role, timelock, **tx)
    token.renounceRole(admin_role, deployer, **tx)

    # The governor alone proposes and cancels; anyone executes (granted at construction), but
    # only a ready operation that has not expired.
    timelock.grantRole(timelock.PROPOSER_ROLE(), governor, **tx)
    timelock.grantRole(timelock.CANCELLER_ROLE(), governor, **tx)
    timelock.renounceRole(timelock.DEFAULT_ADMIN_ROLE(), deployer, **tx)

    # Genesis: the named holders, and the rest to the treasury.
    for holder, amount in plan.grants:
        if holder != deployer.address:
            token.transfer(holder, amount, **tx)
    if plan.treasury_share:
        token.transfer(timelock, plan.treasury_share, **tx)
    keep = sum(amount for holder, amount in plan.grants if holder == deployer.address)
    assert token.balanceOf(deployer) == keep
    return System(token, rules, escrow, reputation, votes, timelock, governor, start_block, credits)


def write_deployment(system: System, chain_id: int, directory: Path | None = None) -> Path:
    """Write `deployments/<chain-id>.json`: chain id, first block, addresses and ABI names."""
    directory = directory or Path(os.environ.get("JETON_DEPLOYMENTS_DIR", ROOT / "deployments"))
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{chain_id}.json"
    document = {
        "chain_id": chain_id,
        "block": system.block,
        "contracts": {
            name: {"address": contract.address, "abi": contract.contract_type.name}
            for name, contract in system.by_name().items()
        },
    }
    path.write_text(json.dumps(document, indent=2) + "\n")
    return path


def pick_deployer(chain_id: int):
    """The deploying account: JETON_DEPLOYER's Ape alias (unlocked once, then signing without
    asking), or test account 0 on a local chain."""
    alias = os.environ.get("JETON_DEPLOYER")
    if alias:
        account = accounts.load(alias)
        if hasattr(account, "set_autosign"):
            account.set_autosign(True)  # the passphrase once, or APE_ACCOUNTS_<alias>_PASSPHRASE
        return account
    if chain_id in LOCAL_CHAIN_IDS:
        return accounts.test_accounts[0]
    raise SystemExit("deploy: set JETON_DEPLOYER to the Ape account alias that pays for deployment")


def main():
    chain_id = chain.chain_id
    config = load_config(chain_id)
    try:
        # Checked before the deployer is unlocked: a refused config asks for nothing.
        check_launch(config, chain_id, test_account)
        system = deploy_system(pick_deployer(chain_id), config, chain_id)
    except LaunchRefused as refused:
        raise SystemExit(str(refused)) from None
    path = write_deployment(system, chain_id)
    for name, contract in system.by_name().items():
        print(f"{name:14} {contract.address}")
    print(f"Deployed on chain {chain_id} from block {system.block}: {path}")
    print(
        "Next: each genesis holder delegates its votes (`jeton gov delegate`) before proposing "
        "or voting; the treasury's tokens never vote."
    )
