"""`jeton gov rules`: every governed rule with its value, hard bounds, step per vote and last
change."""

import click

from .common import emit, iso, state, table


@click.command()
def rules():
    """Every rule the DAO governs: its value, hard bounds, largest step per vote, last change."""
    st = state()
    found = st.connect().gov.rules()
    records = [
        {
            "key": r.key,
            "label": r.label,
            "contract": r.contract,
            "value": str(r.value),
            "value_text": r.format(r.value),
            "min": str(r.limits.min),
            "max": None if r.limits.max is None else str(r.limits.max),
            "step": None if r.limits.step is None else str(r.limits.step),
            "bounds_text": r.bounds,
            "step_text": r.step,
            "changed_at": r.changed_at,
            "changed_at_iso": iso(r.changed_at),
            "changed_block": r.changed_block,
            "previous": None if r.previous is None else str(r.previous),
        }
        for r in found
    ]
    rows = [
        [
            r.label,
            r.format(r.value),
            r.bounds,
            r.step,
            f"from {r.format(r.previous)}, {st.when(r.changed_at)}"
            if r.changed_at is not None and r.previous is not None
            else "never (as deployed)",
        ]
        for r in found
    ]
    emit(
        records,
        table(["Rule", "Value", "Hard bounds", "Step per vote", "Last changed"], rows),
        'Change one by a vote: jeton gov propose-fee 4% --description "..." (the fee); '
        "any rule through the library's jeton.gov.propose_rule.",
    )
