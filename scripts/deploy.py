"""Deploy the whole Jeton system: `ape run deploy --network ethereum:local:foundry`.

Deploys WorkToken, PlatformRules, TaskEscrow (which creates Reputation), WorkVotes, Timelock,
WorkGovernor and AccessCredits; wires the roles; hands every power to the timelock and
renounces the deployer's; then writes `deployments/<chain-id>.json` for the client.

Parameters come from `deploy-config.json` (profile `local` on a local chain, `public`
elsewhere). Environment:
- JETON_DEPLOY_CONFIG: another config file; JETON_DEPLOY_PROFILE: another profile;
- JETON_DEPLOYER: the Ape account alias that deploys (default on a local chain: test account 0);
- JETON_DEPLOYMENTS_DIR: where the deployments file goes (default `deployments/`).
"""

import json
import os
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from ape import accounts, chain, project

ROOT = Path(__file__).resolve().parents[1]
LOCAL_CHAIN_IDS = (31337, 1337)
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
    profile = profile or os.environ.get("JETON_DEPLOY_PROFILE")
    profile = profile or ("local" if chain_id in LOCAL_CHAIN_IDS else "public")
    profiles = json.loads(Path(path).read_text())
    if profile not in profiles:
        raise SystemExit(f"deploy: no profile {profile!r} in {path}")
    return profiles[profile]


def resolve_address(holder: str) -> str:
    """An address, or `test:N` for the Nth test account of the local node."""
    if holder.startswith("test:"):
        return accounts.test_accounts[int(holder.split(":", 1)[1])].address
    return holder


def deploy_system(deployer, config: dict) -> System:
    """Deploy and wire every contract from `deployer`; leave it with no power at all."""
    gov = config["governance"]
    rules_cfg = config["rules"]
    token_cfg = config["token"]
    tx = {"sender": deployer}

    start_block = chain.blocks.height + 1
    timelock = deployer.deploy(project.Timelock, gov["timelock_delay"], [], [ZERO], deployer, **tx)
    genesis_supply = token_cfg["genesis_supply"] * WAD
    token = deployer.deploy(
        project.WorkToken, deployer, deployer, genesis_supply, token_cfg["cap"] * WAD, **tx
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
    arbiters = [resolve_address(a) for a in rules_cfg["arbiters"]]
    rules = deployer.deploy(
        project.PlatformRules, timelock, initial_rules, token, arbiters, timelock, **tx
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

    # The governor alone proposes and cancels; anyone executes (granted at construction).
    timelock.grantRole(timelock.PROPOSER_ROLE(), governor, **tx)
    timelock.grantRole(timelock.CANCELLER_ROLE(), governor, **tx)
    timelock.renounceRole(timelock.DEFAULT_ADMIN_ROLE(), deployer, **tx)

    # Genesis: the named holders, and the rest to the treasury.
    grants = [(resolve_address(g["holder"]), g["amount"] * WAD) for g in config["genesis"]]
    rest = genesis_supply - sum(amount for _, amount in grants)
    if rest < 0:
        raise SystemExit("deploy: the genesis grants exceed the genesis supply")
    for holder, amount in grants:
        if holder != deployer.address:
            token.transfer(holder, amount, **tx)
    if rest:
        token.transfer(timelock, rest, **tx)
    keep = sum(amount for holder, amount in grants if holder == deployer.address)
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
    alias = os.environ.get("JETON_DEPLOYER")
    if alias:
        return accounts.load(alias)
    if chain_id in LOCAL_CHAIN_IDS:
        return accounts.test_accounts[0]
    raise SystemExit("deploy: set JETON_DEPLOYER to the Ape account alias that pays for deployment")


def main():
    chain_id = chain.chain_id
    deployer = pick_deployer(chain_id)
    system = deploy_system(deployer, load_config(chain_id))
    path = write_deployment(system, chain_id)
    for name, contract in system.by_name().items():
        print(f"{name:14} {contract.address}")
    print(f"Deployed on chain {chain_id} from block {system.block}: {path}")
