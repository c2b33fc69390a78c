"""OpenZeppelin's plain governor, the reference for the gas of a vote.

`benchmarks/contracts/Reference.sol` (OpenZeppelin's Governor with its usual extensions over a
plain ERC20Votes token) is compiled here with the project's compiler bridge and OpenZeppelin
from node_modules, and deployed on the benchmark's own chain only: it is not in the project's
contracts folder, so `ape compile` never builds it and nothing of it ships. The compiler's
output is kept in out/bench/ and reused while the source is unchanged.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from pathlib import Path
from typing import Any

from eth_account import Account
from jeton.eip712 import domain_type, erc5267_domain
from table import OUT
from web3 import Web3

ROOT = Path(__file__).resolve().parents[1]
SOURCE = Path("benchmarks/contracts/Reference.sol")
SOLC_VERSION = "0.8.37"
#: As ape-config.yaml compiles the project's contracts.
SETTINGS = {
    "optimizer": {"enabled": True, "runs": 200},
    "evmVersion": "cancun",
    "outputSelection": {"*": {"*": ["abi", "evm.bytecode.object"]}},
}
FOR = 1
BALLOT = [
    {"name": "proposalId", "type": "uint256"},
    {"name": "support", "type": "uint8"},
    {"name": "voter", "type": "address"},
    {"name": "nonce", "type": "uint256"},
]


def compile_reference() -> dict[str, dict[str, Any]]:
    """{contract name: {"abi", "bytecode"}} of Reference.sol, compiled once per source."""
    text = (ROOT / SOURCE).read_text()
    key = hashlib.sha256(json.dumps([text, SETTINGS, SOLC_VERSION]).encode()).hexdigest()
    cache = OUT / "reference-build.json"
    if cache.is_file():
        kept = json.loads(cache.read_text())
        if kept.get("key") == key:
            return kept["contracts"]
    solc = Path(os.environ.get("SOLCX_BINARY_PATH", ROOT / ".solcx")) / f"solc-v{SOLC_VERSION}"
    request = {
        "language": "Solidity",
        "sources": {str(SOURCE): {"content": text}},
        "settings": SETTINGS,
    }
    answer = subprocess.run(
        [str(solc), "--standard-json", "--base-path", str(ROOT)]
        + ["--include-path", str(ROOT / "node_modules")],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    output = json.loads(answer.stdout)
    errors = [e for e in output.get("errors", []) if e["severity"] == "error"]
    assert not errors, "\n".join(e["formattedMessage"] for e in errors)
    contracts = {
        name: {"abi": spec["abi"], "bytecode": "0x" + spec["evm"]["bytecode"]["object"]}
        for name, spec in output["contracts"][str(SOURCE)].items()
    }
    OUT.mkdir(parents=True, exist_ok=True)
    cache.write_text(json.dumps({"key": key, "contracts": contracts}))
    return contracts


class Reference:
    """The reference token and governor deployed on `w3`'s chain by `deployer` (an unlocked
    test account), the whole supply to it."""

    def __init__(self, w3: Web3, deployer: str, supply: int):
        self.w3 = w3
        built = compile_reference()
        token = self._deploy(built["ReferenceToken"], deployer, deployer, supply)
        self.token = w3.eth.contract(address=token, abi=built["ReferenceToken"]["abi"])
        governor = self._deploy(built["ReferenceGovernor"], deployer, token)
        self.governor = w3.eth.contract(address=governor, abi=built["ReferenceGovernor"]["abi"])

    def send(self, fn: Any, sender: str) -> dict[str, Any]:
        """Send `fn` from unlocked account `sender`; its receipt (it must succeed)."""
        tx_hash = fn.transact({"from": sender})
        receipt = self.w3.eth.wait_for_transaction_receipt(tx_hash)
        assert receipt["status"] == 1, f"{getattr(fn, 'fn_name', 'deployment')} reverted"
        return receipt

    def ballot_signature(self, key: str, proposal_id: int, support: int) -> bytes:
        """`key`'s EIP-712 ballot for `castVoteBySig`, as 65 bytes."""
        voter = Account.from_key(key).address
        domain = erc5267_domain(self.governor.functions.eip712Domain().call())
        typed = {
            "types": {"EIP712Domain": domain_type(domain), "Ballot": BALLOT},
            "primaryType": "Ballot",
            "domain": domain,
            "message": {
                "proposalId": proposal_id,
                "support": support,
                "voter": voter,
                "nonce": self.governor.functions.nonces(voter).call(),
            },
        }
        return bytes(Account.sign_typed_data(key, full_message=typed).signature)

    def _deploy(self, built: dict[str, Any], sender: str, *args: Any) -> str:
        factory = self.w3.eth.contract(abi=built["abi"], bytecode=built["bytecode"])
        receipt = self.send(factory.constructor(*args), sender)
        return receipt["contractAddress"]
