"""The deployment configuration (`deploy-config.json`) and its launch rules.

A profile holds everything `ape run deploy` needs: the chain it is for, the token's cap and
genesis supply, the genesis grants, the platform's first rules and arbiters, and the DAO's
settings. `load_config` picks the profile for a chain; `check_launch` refuses, before anything
is deployed, a configuration that can not start a working DAO, naming each failed rule and how
to fix the config:

- `chain`: the profile is for another chain (its block counts assume that chain's block time);
- `placeholders`: a holder or an arbiter is still a placeholder such as "REPLACE:founder-1";
- `addresses`: a holder or an arbiter is not an address, is the zero address, or is a local
  test account (`test:N`, whose key is public) on a public chain;
- `supply`: the genesis supply exceeds the cap, or the grants exceed the genesis supply;
- `proposal-threshold`: no genesis holder outside the treasury reaches the votes needed to
  propose, so nobody could ever make a proposal;
- `quorum`: the votes that can exist outside the treasury can not reach the quorum;
- `arbiters`: no arbiter is appointed, so no dispute could be decided by one.

Everything not granted goes to the treasury (the timelock), whose votes never count: the
quorum is a share of the supply outside it (WorkVotes), and the votes needed to propose never
exceed `THRESHOLD_CAP_PERCENT` of that supply (WorkGovernor). The figures below follow those
rules, checked against the contracts' constants by the tests.
"""

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import InvalidAddress, JetonError
from .parsing import parse_address

#: Chain ids of local development nodes (anvil 31337; 1337 for other local nodes).
LOCAL_CHAIN_IDS = (31337, 1337)
#: How a placeholder value starts (for example "REPLACE:founder-1").
PLACEHOLDER = "REPLACE"
#: WorkGovernor.PROPOSAL_THRESHOLD_CAP_PERCENT.
THRESHOLD_CAP_PERCENT = 1
WAD = 10**18


class LaunchRefused(JetonError):
    """The configuration can not start a working DAO; `problems` names each failed rule."""

    def __init__(self, problems: list["LaunchProblem"]):
        self.problems = problems
        listed = "\n".join(f"- {problem}" for problem in problems)
        super().__init__(
            f"deploy refused before deploying anything: this configuration can not start a "
            f"working DAO.\n{listed}"
        )


@dataclass(frozen=True)
class LaunchProblem:
    """One failed launch rule (see the module's docstring) and how to fix the config."""

    rule: str
    message: str

    def __str__(self) -> str:
        return f"[{self.rule}] {self.message}"


@dataclass(frozen=True)
class LaunchPlan:
    """What a configuration that passed `check_launch` deploys, in token base units."""

    #: (address, amount) of each genesis grant, in the config's order.
    grants: list[tuple[str, int]]
    arbiters: list[str]
    genesis_supply: int
    #: The genesis supply nobody was granted: the treasury's.
    treasury_share: int
    #: The votes a proposal needs at launch, and the votes needed to propose.
    quorum: int
    proposal_threshold: int


def profile_name(chain_id: int) -> str:
    """The profile `ape run deploy` uses on `chain_id`: "local" on a local node, else "public"."""
    return "local" if chain_id in LOCAL_CHAIN_IDS else "public"


def load_config(
    chain_id: int, path: str | Path | None = None, profile: str | None = None
) -> dict[str, Any]:
    """The deployment parameters for `chain_id`.

    `path` defaults to JETON_DEPLOY_CONFIG, then the project's deploy-config.json (in the
    current folder); `profile` to JETON_DEPLOY_PROFILE, then `profile_name(chain_id)`.
    """
    path = Path(path or os.environ.get("JETON_DEPLOY_CONFIG") or "deploy-config.json")
    profile = profile or os.environ.get("JETON_DEPLOY_PROFILE") or profile_name(chain_id)
    profiles = json.loads(path.read_text())
    if profile not in profiles:
        raise LaunchRefused([LaunchProblem("profile", f"no profile {profile!r} in {path}")])
    return profiles[profile]


def check_launch(
    config: dict[str, Any], chain_id: int, resolve: Callable[[int], str]
) -> LaunchPlan:
    """The launch plan of `config` on `chain_id`, or LaunchRefused naming every failed rule.

    `resolve(n)` is the address of local test account n, for holders written `test:N` (allowed
    on local chains only).
    """
    problems: list[LaunchProblem] = []
    local = chain_id in LOCAL_CHAIN_IDS
    _check_chain(config.get("chain"), chain_id, problems)

    def address(value: Any, where: str) -> str | None:
        text = str(value)
        if text.upper().startswith(PLACEHOLDER):
            problems.append(
                LaunchProblem(
                    "placeholders",
                    f"{where} is still the placeholder {text!r}: replace it with a real address",
                )
            )
            return None
        if text.startswith("test:"):
            if not local:
                problems.append(
                    LaunchProblem(
                        "addresses",
                        f"{where} is {text!r}, a local test account whose key is public: use "
                        f"an address you control on chain {chain_id}",
                    )
                )
                return None
            return resolve(int(text.split(":", 1)[1]))
        try:
            parsed = parse_address(text, where)
        except InvalidAddress as exc:
            problems.append(LaunchProblem("addresses", str(exc)))
            return None
        if int(parsed, 16) == 0:
            problems.append(LaunchProblem("addresses", f"{where} is the zero address"))
            return None
        return parsed

    token, gov = config["token"], config["governance"]
    cap, supply = token["cap"] * WAD, token["genesis_supply"] * WAD
    grants = []
    amounts = [int(grant["amount"]) * WAD for grant in config["genesis"]]
    for number, (grant, amount) in enumerate(zip(config["genesis"], amounts, strict=True), start=1):
        holder = address(grant["holder"], f"genesis holder {number}")
        if holder is not None:
            grants.append((holder, amount))
    arbiters = [
        a
        for number, value in enumerate(config["rules"]["arbiters"], start=1)
        if (a := address(value, f"arbiter {number}")) is not None
    ]

    # The figures count every grant, placeholder or not: each problem is reported once.
    granted = sum(amounts)
    if supply > cap:
        problems.append(
            LaunchProblem(
                "supply",
                f"the genesis supply ({_jtn(supply)}) exceeds the cap ({_jtn(cap)}): lower "
                f"token.genesis_supply",
            )
        )
    if granted > supply:
        problems.append(
            LaunchProblem(
                "supply",
                f"the genesis grants ({_jtn(granted)}) exceed the genesis supply "
                f"({_jtn(supply)}): lower the amounts in `genesis`",
            )
        )

    # The votes that can exist at launch: every token outside the treasury, i.e. the grants.
    quorum = granted * int(gov["quorum_percent"]) // 100
    if granted == 0 or granted < quorum:
        problems.append(
            LaunchProblem(
                "quorum",
                f"the votes that can exist outside the treasury ({_jtn(granted)} of genesis "
                f"grants) can not reach the quorum ({gov['quorum_percent']}% of them): grant "
                f"tokens to named holders in `genesis`",
            )
        )
    setting = int(gov["proposal_threshold"]) * WAD
    threshold = min(setting, granted * THRESHOLD_CAP_PERCENT // 100)
    largest = max(amounts, default=0)
    if setting and (granted == 0 or largest < threshold):
        needed = threshold if granted else setting
        problems.append(
            LaunchProblem(
                "proposal-threshold",
                f"no genesis holder outside the treasury reaches the proposal threshold "
                f"({_jtn(needed)}; the largest grant is {_jtn(largest)}), so nobody could ever "
                f"propose: grant at least that much to a named holder in `genesis`, or lower "
                f"governance.proposal_threshold",
            )
        )
    if not config["rules"]["arbiters"]:
        problems.append(
            LaunchProblem(
                "arbiters",
                "no arbiter is appointed, so no dispute could ever be decided by one: name at "
                "least one address in rules.arbiters",
            )
        )
    if problems:
        raise LaunchRefused(problems)
    return LaunchPlan(
        grants=grants,
        arbiters=arbiters,
        genesis_supply=supply,
        treasury_share=supply - granted,
        quorum=quorum,
        proposal_threshold=threshold,
    )


def _check_chain(chain: Any, chain_id: int, problems: list[LaunchProblem]) -> None:
    if not isinstance(chain, dict) or not chain.get("ids"):
        problems.append(
            LaunchProblem(
                "chain",
                'the profile names no chain: add "chain": {"name": ..., "ids": [chain id], '
                '"block_seconds": ...} for the network it is written for',
            )
        )
        return
    if chain_id not in chain["ids"]:
        problems.append(
            LaunchProblem(
                "chain",
                f"the profile is for {chain.get('name', 'another chain')} (chain id "
                f"{', '.join(str(i) for i in chain['ids'])}, {chain.get('block_seconds', '?')} s "
                f"blocks) and this node is chain {chain_id}: copy the profile, name this chain "
                f"in `chain`, and scale the block counts (voting_delay, voting_period, "
                f"late_quorum_extension) to its block time",
            )
        )


def _jtn(amount: int) -> str:
    return f"{amount / WAD:,.0f} JTN" if amount % WAD == 0 else f"{amount / WAD:,} JTN"


__all__ = [
    "LOCAL_CHAIN_IDS",
    "PLACEHOLDER",
    "THRESHOLD_CAP_PERCENT",
    "LaunchPlan",
    "LaunchProblem",
    "LaunchRefused",
    "check_launch",
    "load_config",
    "profile_name",
]
