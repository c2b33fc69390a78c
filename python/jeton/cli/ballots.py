"""`jeton gov vote --by-signature` and `jeton gov relay`: a vote signed into a file by a voter
who need not hold ETH, and cast on chain by anyone who pays the gas."""

from pathlib import Path

import click

from ..governance import SignedBallot
from .common import emit, progress, state
from .gov import report_proposal


def sign_ballot(jeton, p, number: int | None, support: str, out: str | None) -> None:
    """`vote --by-signature`: the wallet's signed ballot, written to a file; nothing is sent."""
    signed = jeton.gov.sign_ballot(p.id, support)
    path = Path(out or f"ballot-{number or p.id}-{signed.voter[2:10].lower()}.json")
    if path.exists():
        raise click.UsageError(f"{path} exists already: give another --out FILE")
    signed.save(path)
    emit(
        {"file": str(path), "number": number, **signed.to_json()},
        f"[green]✓[/green] Signed a ballot: {signed.voter} votes {support} on proposal "
        f"#{number}. Nothing was sent.",
        f"  {path}",
        f"  Anyone may cast it and pay its gas: jeton gov relay {path}",
        "  It counts once, while the voting is open, unless you vote again first.",
    )


@click.command()
@click.argument("ballot_file", metavar="BALLOT", type=click.Path(dir_okay=False))
def relay(ballot_file):
    """Cast a vote someone signed with `jeton gov vote --by-signature`; you pay the gas."""
    signed = SignedBallot.load(ballot_file)
    jeton = state().connect(wallet=True)
    number = jeton.gov.proposal_number(signed.proposal_id)
    with progress(f"Relaying {signed.voter}'s vote on #{number}…"):
        result = jeton.gov.relay_ballot(signed)
    p = jeton.gov.proposal(signed.proposal_id)
    report_proposal(
        result,
        f"Relayed {signed.voter}'s vote {signed.support} on proposal #{number}",
        p,
        number,
        voter=signed.voter,
    )
