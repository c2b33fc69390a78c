"""The ABIs shipped inside the Python package are the compiled contracts' ABIs.

A contract change that is not exported (`ape run export_abi`) fails here.
"""

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))

from export_abi import ABI_DIR, EXPORTED, abi_json  # noqa: E402


@pytest.mark.parametrize("name", EXPORTED)
def test_shipped_abi_matches_compiled(name):
    shipped = ABI_DIR / f"{name}.json"
    assert shipped.exists(), f"{name} ABI not exported: run `ape run export_abi`"
    assert json.loads(shipped.read_text()) == json.loads(abi_json(name)), (
        f"{name} changed since its ABI was exported: run `ape run export_abi`"
    )


def test_package_loads_every_shipped_abi():
    from jeton.contracts import CONTRACT_NAMES, load_abi

    for name in CONTRACT_NAMES:
        assert any(entry.get("type") == "function" for entry in load_abi(name))
