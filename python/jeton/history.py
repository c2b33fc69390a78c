"""History rebuilt from events alone, with paged log queries that work on long chains."""

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from .types import Event

if TYPE_CHECKING:
    from .client import Jeton

#: Blocks per eth_getLogs query: most public RPC endpoints accept a few thousand.
DEFAULT_PAGE = 5_000


def iter_events(
    jeton: "Jeton",
    contract_name: str,
    event_name: str,
    filters: dict[str, Any] | None = None,
    from_block: int | None = None,
    to_block: int | None = None,
    page: int = DEFAULT_PAGE,
) -> Iterator[Event]:
    """Every `event_name` event of contract `contract_name` matching `filters` (indexed
    arguments), oldest first, queried `page` blocks at a time from the deployment block."""
    contract = jeton.contracts[contract_name]
    event = contract.events[event_name]
    start = jeton.deployment.block if from_block is None else from_block
    end = jeton.w3.eth.block_number if to_block is None else to_block
    while start <= end:
        stop = min(start + page - 1, end)
        for log in event.get_logs(argument_filters=filters or {}, from_block=start, to_block=stop):
            yield event_from_log(log, contract_name)
        start = stop + 1


def event_from_log(log: Any, contract_name: str) -> Event:
    """The `Event` of a log web3 decoded (its `EventData`), emitted by `contract_name`."""
    return Event(
        name=log["event"],
        contract=contract_name,
        args=dict(log["args"]),
        block=log["blockNumber"],
        tx_hash="0x" + bytes(log["transactionHash"]).hex(),
        log_index=log["logIndex"],
    )
