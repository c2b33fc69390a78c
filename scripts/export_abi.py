"""Export the ABIs the Python client needs into `python/jeton/abi/`: `ape run export_abi`.

The client ships these files so that it runs with web3.py alone, without Ape or a build.
`tests/test_abi_export.py` fails when a compiled contract and its shipped ABI differ.
"""

import json
from pathlib import Path

from ape import project
from jeton.contracts import CONTRACT_NAMES

ROOT = Path(__file__).resolve().parents[1]
ABI_DIR = ROOT / "python" / "jeton" / "abi"
# The contracts the client loads, and the test token the demo and tests allow as a second
# payment token (its ABI also serves the client as the standard ERC-20 + permit ABI).
EXPORTED = (*CONTRACT_NAMES, "MockERC20")


def abi_json(name: str) -> str:
    """The ABI of contract `name`, as the shipped file holds it."""
    contract_type = getattr(project, name).contract_type
    abi = [entry.model_dump(mode="json", by_alias=True) for entry in contract_type.abi]
    return json.dumps(abi, indent=1, sort_keys=True) + "\n"


def main():
    ABI_DIR.mkdir(parents=True, exist_ok=True)
    for name in EXPORTED:
        (ABI_DIR / f"{name}.json").write_text(abi_json(name))
        print(f"exported {name}")
