"""The governor's EIP-712 vote ballots: the typed data a voter signs for `castVoteBySig`
(OpenZeppelin 5's `Ballot`), who signed one, and a signed ballot as a file that anyone can
relay (paying the gas) with `jeton gov relay FILE`."""

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eth_account import Account
from eth_account.messages import encode_typed_data

from ..eip712 import domain_type
from ..errors import InputError
from ..parsing import check_uint, parse_address
from ..types import Vote

#: The `kind` of a ballot file, so that another JSON file is not taken for one.
BALLOT_KIND = "jeton-ballot"

BALLOT_TYPE = [
    {"name": "proposalId", "type": "uint256"},
    {"name": "support", "type": "uint8"},
    {"name": "voter", "type": "address"},
    {"name": "nonce", "type": "uint256"},
]


def ballot(
    domain: dict[str, Any], proposal_id: int, support: Vote, voter: str, nonce: int
) -> dict[str, Any]:
    """The typed data of `voter`'s vote `support` on `proposal_id`, valid for governor nonce
    `nonce`, in the governor's EIP-712 `domain`."""
    return {
        "domain": domain,
        "types": {"EIP712Domain": domain_type(domain), "Ballot": BALLOT_TYPE},
        "primaryType": "Ballot",
        "message": {
            "proposalId": proposal_id,
            "support": int(support),
            "voter": voter,
            "nonce": nonce,
        },
    }


def ballot_signer(typed: dict[str, Any], signature: bytes) -> str | None:
    """The address whose `signature` this is of ballot `typed` (None if the signature bytes
    are malformed)."""
    message = encode_typed_data(full_message=typed)
    try:
        return Account.recover_message(message, signature=signature)
    except Exception:  # malformed signature bytes
        return None


@dataclass(frozen=True)
class SignedBallot:
    """A vote signed by `voter` for anyone to relay: valid on governor `governor` of chain
    `chain_id` while the voter's governor nonce is `nonce` (so it is used once)."""

    chain_id: int
    governor: str
    proposal_id: int
    support: Vote
    voter: str
    nonce: int
    #: The 65-byte signature, r || s || v.
    signature: bytes

    def __str__(self) -> str:
        return f"{self.voter}'s signed vote {self.support} on proposal {self.proposal_id}"

    def to_json(self) -> dict[str, Any]:
        """The ballot as a JSON object (big numbers as decimal strings)."""
        return {
            "kind": BALLOT_KIND,
            "chain_id": self.chain_id,
            "governor": self.governor,
            "proposal_id": str(self.proposal_id),
            "support": str(self.support),
            "voter": self.voter,
            "nonce": str(self.nonce),
            "signature": "0x" + self.signature.hex(),
        }

    @classmethod
    def from_json(cls, document: Any, source: str = "the ballot") -> "SignedBallot":
        """A ballot from `to_json`'s object; InputError (or InvalidAddress for a mistyped
        address) naming what is wrong."""
        if not isinstance(document, dict) or document.get("kind") != BALLOT_KIND:
            raise InputError(
                f"{source} is not a Jeton ballot (made by `jeton gov vote --by-signature`)"
            )
        try:
            signature = bytes.fromhex(str(document["signature"]).removeprefix("0x"))
            support = Vote[str(document["support"]).upper()]
            ballot_ = cls(
                chain_id=check_uint(int(document["chain_id"]), "chain_id"),
                governor=parse_address(document["governor"], f"{source}'s governor"),
                proposal_id=check_uint(int(document["proposal_id"]), "proposal_id"),
                support=support,
                voter=parse_address(document["voter"], f"{source}'s voter"),
                nonce=check_uint(int(document["nonce"]), "nonce"),
                signature=signature,
            )
        except (KeyError, TypeError) as exc:
            raise InputError(f"{source} lacks or garbles {exc}") from None
        except InputError:
            raise
        except ValueError as exc:
            raise InputError(f"{source} is malformed: {exc}") from None
        if len(ballot_.signature) != 65:
            raise InputError(f"{source}'s signature is not 65 bytes")
        return ballot_

    def save(self, path: Path | str) -> Path:
        """Write the ballot to `path` (never overwriting); it holds no secret."""
        path = Path(path)
        with path.open("x") as handle:
            json.dump(self.to_json(), handle, indent=2)
            handle.write("\n")
        return path

    @classmethod
    def load(cls, path: Path | str) -> "SignedBallot":
        """Read a ballot file written by `save`."""
        path = Path(path)
        try:
            document = json.loads(path.read_text())
        except FileNotFoundError:
            raise InputError(f"no ballot file at {path}") from None
        except (OSError, ValueError) as exc:
            raise InputError(f"{path} is not a ballot file: {exc}") from None
        return cls.from_json(document, str(path))


__all__ = ["BALLOT_KIND", "BALLOT_TYPE", "SignedBallot", "ballot", "ballot_signer"]
