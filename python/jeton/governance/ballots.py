"""The governor's EIP-712 vote ballots: the typed data a voter signs for `castVoteBySig`
(OpenZeppelin 5's `Ballot`), and who signed one."""

from typing import Any

from eth_account import Account
from eth_account.messages import encode_typed_data

from ..eip712 import domain_type
from ..types import Vote

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


__all__ = ["BALLOT_TYPE", "ballot", "ballot_signer"]
