"""The deployed system: the deployments file, the shipped ABIs and the web3 contract objects."""

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from web3 import Web3
from web3.contract import Contract

from .config import deployments_dir, write_private
from .errors import DeploymentError
from .parsing import parse_address

#: The contracts of a deployment, by the name the deployments file gives them.
CONTRACT_NAMES = (
    "WorkToken",
    "PlatformRules",
    "TaskEscrow",
    "Reputation",
    "WorkVotes",
    "Timelock",
    "WorkGovernor",
    "AccessCredits",
)


@cache
def load_abi(name: str) -> list[dict[str, Any]]:
    """The ABI of contract type `name`, as shipped inside the package."""
    try:
        text = resources.files("jeton.abi").joinpath(f"{name}.json").read_text()
    except FileNotFoundError as exc:
        raise DeploymentError(f"no ABI named {name!r} ships with jeton") from exc
    return json.loads(text)


@dataclass(frozen=True)
class Deployment:
    """What `ape run deploy` wrote: chain id, first block, and each contract's address and ABI."""

    chain_id: int
    block: int
    addresses: dict[str, str]
    abi_names: dict[str, str]
    path: Path | None = None

    @classmethod
    def load(cls, path: Path | str) -> "Deployment":
        """Read a deployments file (`deployments/<chain-id>.json`)."""
        path = Path(path)
        try:
            document = json.loads(path.read_text())
        except FileNotFoundError as exc:
            raise DeploymentError(
                f"no deployments file at {path}: deploy first (`jeton deploy` or "
                "`ape run deploy`), or give the file's path"
            ) from exc
        except json.JSONDecodeError as exc:
            raise DeploymentError(f"{path} is not valid JSON: {exc}") from exc
        try:
            contracts = document["contracts"]
            missing = [name for name in CONTRACT_NAMES if name not in contracts]
            if missing:
                raise DeploymentError(f"{path} lacks {', '.join(missing)}")
            return cls(
                chain_id=int(document["chain_id"]),
                block=int(document.get("block", 0)),
                addresses={
                    n: parse_address(c["address"], f"{n}'s address") for n, c in contracts.items()
                },
                abi_names={n: c.get("abi", n) for n, c in contracts.items()},
                path=path,
            )
        except (KeyError, TypeError, ValueError) as exc:  # InvalidAddress is a ValueError
            raise DeploymentError(f"{path} is not a Jeton deployments file: {exc}") from exc

    @staticmethod
    def places(chain_id: int) -> list[Path]:
        """Where the deployments file of `chain_id` is looked for, in order: the current
        folder's `deployments/`, then the per-user folder where `jeton deploy` and
        `jeton node` leave the one they wrote last (see `jeton.config`)."""
        name = f"{chain_id}.json"
        return [Path.cwd() / "deployments" / name, deployments_dir() / name]

    @classmethod
    def find_all(cls, chain_id: int) -> list["Deployment"]:
        """The deployments of `chain_id` found in `places`, in that order (none: an error
        that says where it looked and how to deploy)."""
        found = [cls.load(path) for path in cls.places(chain_id) if path.is_file()]
        if not found:
            looked = " and ".join(str(p) for p in cls.places(chain_id))
            raise DeploymentError(
                f"no deployments file for chain {chain_id} (looked for {looked}): start a "
                "local chain with `jeton node`, deploy with `jeton deploy`, or give the "
                "file's path (--deployment FILE)"
            )
        return found

    @classmethod
    def find(cls, chain_id: int, directory: Path | str | None = None) -> "Deployment":
        """The deployment of `chain_id`: in `directory` if given, else the first one found in
        `places` (the current folder's `deployments/`, then the per-user folder)."""
        if directory is not None:
            return cls.load(Path(directory) / f"{chain_id}.json")
        return cls.find_all(chain_id)[0]

    def remember(self) -> Path:
        """Keep a copy of this deployments file in the per-user folder, where the client
        looks when the current folder has none (what `jeton deploy` does); returns its path."""
        if self.path is None:
            raise DeploymentError("this deployment was not read from a file")
        target = deployments_dir() / f"{self.chain_id}.json"
        if target.resolve() != self.path.resolve():
            write_private(target, self.path.read_text(), replace=True)
        return target


class Contracts:
    """The deployment's contracts as web3.py objects, with the ABIs to decode their logs."""

    def __init__(self, w3: Web3, deployment: Deployment):
        self.deployment = deployment
        self._by_name: dict[str, Contract] = {
            name: w3.eth.contract(
                address=deployment.addresses[name], abi=load_abi(deployment.abi_names[name])
            )
            for name in CONTRACT_NAMES
        }
        self.token = self._by_name["WorkToken"]
        self.rules = self._by_name["PlatformRules"]
        self.escrow = self._by_name["TaskEscrow"]
        self.reputation = self._by_name["Reputation"]
        self.votes = self._by_name["WorkVotes"]
        self.timelock = self._by_name["Timelock"]
        self.governor = self._by_name["WorkGovernor"]
        self.credits = self._by_name["AccessCredits"]

    def __getitem__(self, name: str) -> Contract:
        return self._by_name[name]

    def __iter__(self):
        return iter(self._by_name.items())

    def name_of(self, address: str) -> str | None:
        """The deployment's name for `address`, if it is one of its contracts."""
        for name, contract in self._by_name.items():
            if contract.address.lower() == address.lower():
                return name
        return None
