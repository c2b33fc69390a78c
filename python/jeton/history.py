"""History rebuilt from events alone: an incremental index of the deployment's logs.

`jeton.events` (an `EventIndex`, one per connection) answers every question about the past
from ranged `eth_getLogs` queries. A query names a contract, the events it wants and values of
their indexed arguments; the index keeps one *stream* per such filter: all of its logs, decoded
once, and the block it has read up to (its cursor). Reading a stream again sends one batched
round trip that asks for the new head and for the logs after the cursor, so a second call costs
what happened since the first. A first read walks the chain from the deployment block in windows
of `window` blocks (most public endpoints refuse wider ranges), all windows of a batch in one
HTTP request. A stream whose filter another one covers (the same contract, no fewer events,
no narrower arguments) is answered from that one.

The index also remembers the head it last read and that block's hash: if the chain no longer
has that block (a reorganisation, or a development chain reverted to a snapshot), it forgets
everything and reads again.
"""

from __future__ import annotations

import threading
from bisect import bisect_left, bisect_right
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .decoding import EventDecoder, EventType
from .parsing import checksum
from .rpc import Request, RpcFailure, quantity
from .types import Event

if TYPE_CHECKING:
    from .client import Jeton

#: Blocks per eth_getLogs query: most public RPC endpoints accept a few thousand.
DEFAULT_PAGE = 5_000
#: Windows (eth_getLogs requests) sent in one HTTP batch during a first read.
WINDOWS_PER_BATCH = 20
#: Narrow streams kept (the least recently used one is dropped past this); the index never
#: drops a stream that covers others.
MAX_STREAMS = 256

#: A topic filter: per position (0 to 3), None (any) or the accepted 32-byte values.
Topics = tuple[tuple[bytes, ...] | None, ...]


@dataclass(eq=False)
class Stream:
    """The logs of one filter (an address and topics), decoded, up to block `cursor`."""

    address: str
    topics: Topics
    events: list[Event] = field(default_factory=list)
    #: Block numbers of `events` (for finding a block range by bisection).
    blocks: list[int] = field(default_factory=list)
    #: The last block read (None: nothing read yet).
    cursor: int | None = None
    #: Incremented whenever the stream is emptied (a reorganisation): readers that kept a
    #: position in `events` start again.
    generation: int = 0

    def covers(self, address: str, topics: Topics) -> bool:
        """Whether every log matching (address, topics) also matches this stream's filter."""
        if address != self.address:
            return False
        for mine, theirs in zip(self.topics, _padded(topics), strict=True):
            if mine is not None and (theirs is None or not set(theirs) <= set(mine)):
                return False
        return True

    def reset(self) -> None:
        self.events, self.blocks, self.cursor = [], [], None
        self.generation += 1

    def add(self, events: Iterable[Event]) -> None:
        for event in events:
            self.events.append(event)
            self.blocks.append(event.block)

    def between(self, from_block: int | None, to_block: int | None) -> list[Event]:
        """The stream's events from `from_block` to `to_block` (inclusive, None: open)."""
        start = 0 if from_block is None else bisect_left(self.blocks, from_block)
        end = len(self.blocks) if to_block is None else bisect_right(self.blocks, to_block)
        return self.events[start:end]


class EventIndex:
    """The deployment's logs as streams, read incrementally (`jeton.events`)."""

    def __init__(self, jeton: Jeton, window: int = DEFAULT_PAGE):
        self._jeton = jeton
        self.window = window
        self.decoder = EventDecoder(
            (name, contract.address, contract.abi) for name, contract in jeton.contracts
        )
        self._streams: OrderedDict[tuple[str, Topics], Stream] = OrderedDict()
        #: The head read last, and its hash: (number, hash).
        self._anchor: tuple[int, str] | None = None
        self._timestamps: dict[int, int] = {}
        # The web server answers from threads that share one connection.
        self._lock = threading.RLock()

    @property
    def head(self) -> int | None:
        """The chain's head as the index read it last (None before its first read)."""
        return None if self._anchor is None else self._anchor[0]

    # ------------------------------------------------------------------ queries

    def query(
        self,
        contract: str,
        events: Sequence[str] | None = None,
        where: dict[str, Any] | None = None,
        from_block: int | None = None,
        to_block: int | None = None,
    ) -> list[Event]:
        """Events `events` (default: all) of deployment contract `contract` whose indexed
        arguments match `where` (a value, or a list of accepted values, per argument), from
        `from_block` to `to_block` (inclusive; default: the whole chain), oldest first."""
        with self._lock:
            stream, names, matches = self.stream(contract, events, where)
            self.sync([stream])
            found = stream.between(from_block, to_block)
        if names is None and matches is None:
            return list(found)
        return [
            e
            for e in found
            if (names is None or e.name in names) and (matches is None or matches(e))
        ]

    def query_all(
        self, specs: Sequence[tuple[str, Sequence[str] | None, dict[str, Any] | None]]
    ) -> list[list[Event]]:
        """The events of several queries (contract, events, where), oldest first each, their
        streams brought up to date in one round trip."""
        with self._lock:
            found = [self._stream(*spec) for spec in specs]
            self.sync([stream for stream, _, _ in found])
            return [
                [
                    e
                    for e in stream.events
                    if (names is None or e.name in names) and (matches is None or matches(e))
                ]
                for stream, names, matches in found
            ]

    def fetch(
        self,
        contract: str,
        events: Sequence[str] | None = None,
        where: dict[str, Any] | None = None,
    ) -> list[Event]:
        """The events of a one-off query (the chain read in windows, nothing kept): for
        filters that are not worth following, such as a list of task ids."""
        kinds = self._event_types(contract, events)
        stream = Stream(self._jeton.contracts[contract].address, _topics(kinds, where or {}))
        with self._lock:
            self._sync([stream])
        return stream.events

    def stream(
        self,
        contract: str,
        events: Sequence[str] | None = None,
        where: dict[str, Any] | None = None,
    ) -> tuple[Stream, frozenset[str] | None, Any]:
        """The stream that answers (contract, events, where), created if need be, with what
        to filter its events by when it is a wider one: the event names (None: all of its
        events match) and a predicate on the arguments (None: all match)."""
        with self._lock:
            return self._stream(contract, events, where)

    def _stream(
        self, contract: str, events: Sequence[str] | None, where: dict[str, Any] | None
    ) -> tuple[Stream, frozenset[str] | None, Any]:
        address = self._jeton.contracts[contract].address
        kinds = self._event_types(contract, events)
        topics = _topics(kinds, where or {})
        key = (address, topics)
        stream = self._streams.get(key)
        if stream is not None:
            self._streams.move_to_end(key)
            return stream, None, None
        for wide in self._streams.values():
            if wide.cursor is not None and wide.covers(address, topics):
                names = frozenset(k.name for k in kinds)
                return wide, names, _predicate(kinds, where or {})
        stream = Stream(address, topics)
        self._streams[key] = stream
        self._prune()
        return stream, None, None

    def timestamps(self, blocks: Iterable[int]) -> dict[int, int]:
        """The timestamps of `blocks`, read in one batch (and remembered)."""
        blocks = list(blocks)
        with self._lock:
            missing = sorted({b for b in blocks if b not in self._timestamps})
            if not missing:
                return {b: self._timestamps[b] for b in blocks}
            replies = self._jeton.rpc.batch(
                [("eth_getBlockByNumber", [hex(b), False]) for b in missing]
            )
            for number, block in zip(missing, replies, strict=True):
                if isinstance(block, dict):
                    self._timestamps[number] = quantity(block["timestamp"])
            return {b: self._timestamps[b] for b in blocks if b in self._timestamps}

    # ------------------------------------------------------------------ reading the chain

    def sync(self, streams: Sequence[Stream]) -> int:
        """Bring `streams` up to the chain's head; returns the head's number.

        One round trip asks for the head, the block the index read last (to notice a
        reorganisation) and every stream's new logs; a stream read for the first time (or
        whose range the node refused) is then read window by window.
        """
        with self._lock:
            return self._sync(list(dict.fromkeys(streams)))

    def _sync(self, streams: list[Stream]) -> int:
        rpc = self._jeton.rpc
        requests: list[Request] = [("eth_getBlockByNumber", ["latest", False])]
        if self._anchor is not None:
            requests.append(("eth_getBlockByNumber", [hex(self._anchor[0]), False]))
        tails = [s for s in streams if s.cursor is not None]
        requests += [self._logs_request(s, s.cursor + 1, "latest") for s in tails]  # type: ignore[operator]
        replies = rpc.batch(requests)
        head_block = replies[0]
        head = quantity(head_block["number"])
        if self._anchor is not None:
            anchored = replies[1]
            if not isinstance(anchored, dict) or anchored.get("hash") != self._anchor[1]:
                self._forget()
                tails = []
        catch_up: list[tuple[Stream, int]] = []
        for stream, logs in zip(tails, replies[len(replies) - len(tails) :], strict=True):
            if isinstance(logs, RpcFailure):  # a range the node will not answer at once
                catch_up.append((stream, stream.cursor + 1))  # type: ignore[operator]
                continue
            stream.add(self.decoder.decode_all(log for log in logs if _block(log) <= head))
            stream.cursor = head
        catch_up += [(s, self._jeton.deployment.block) for s in streams if s.cursor is None]
        self._read_windows(catch_up, head)
        self._anchor = (head, head_block["hash"])
        self._timestamps.setdefault(head, quantity(head_block["timestamp"]))
        return head

    def _read_windows(self, streams: list[tuple[Stream, int]], head: int) -> None:
        """Read each (stream, first block) up to `head`, window by window, in batches."""
        pending: list[tuple[Stream, Request]] = []
        for stream, start in streams:
            stream.cursor = head
            for low in range(start, head + 1, self.window):
                high = min(low + self.window - 1, head)
                pending.append((stream, self._logs_request(stream, low, hex(high))))
        for first in range(0, len(pending), WINDOWS_PER_BATCH):
            chunk = pending[first : first + WINDOWS_PER_BATCH]
            replies = self._jeton.rpc.batch([request for _, request in chunk])
            for (stream, request), logs in zip(chunk, replies, strict=True):
                if isinstance(logs, RpcFailure):
                    stream.reset()
                    raise LogQueryRefused(request, logs)
                stream.add(self.decoder.decode_all(logs))

    def _logs_request(self, stream: Stream, low: int, high: str) -> Request:
        topics = [None if t is None else ["0x" + v.hex() for v in t] for t in stream.topics]
        while topics and topics[-1] is None:
            topics.pop()
        query = {"address": stream.address, "fromBlock": hex(low), "toBlock": high}
        if topics:
            query["topics"] = topics
        return ("eth_getLogs", [query])

    def _forget(self) -> None:
        for stream in self._streams.values():
            stream.reset()
        self._anchor = None
        self._timestamps.clear()

    def _prune(self) -> None:
        """Drop the least recently used streams past MAX_STREAMS."""
        while len(self._streams) > MAX_STREAMS:
            self._streams.popitem(last=False)

    def _event_types(self, contract: str, names: Sequence[str] | None) -> list[EventType]:
        known = self.decoder.by_contract[contract]
        if names is None:
            return list(known.values())
        missing = [n for n in names if n not in known]
        if missing:
            raise KeyError(f"{contract} has no event {missing[0]!r}")
        return [known[n] for n in names]


class LogQueryRefused(Exception):
    """The node refused an eth_getLogs query of a window (its range or result too large)."""

    def __init__(self, request: Request, failure: RpcFailure):
        self.request, self.failure = request, failure
        super().__init__(
            f"the node refused eth_getLogs {request[1][0]}: {failure.message}; try a smaller "
            "window (Jeton.events.window)"
        )


def iter_events(
    jeton: Jeton,
    contract_name: str,
    event_name: str,
    filters: dict[str, Any] | None = None,
    from_block: int | None = None,
    to_block: int | None = None,
) -> Iterator[Event]:
    """Every `event_name` event of contract `contract_name` matching `filters` (values of
    indexed arguments), oldest first, from the connection's event index (`jeton.events`)."""
    yield from jeton.events.query(contract_name, [event_name], filters, from_block, to_block)


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


# ---------------------------------------------------------------------- topics


def _topics(kinds: list[EventType], where: dict[str, Any]) -> Topics:
    """The topic filter of events `kinds` whose indexed arguments match `where`."""
    topics: list[tuple[bytes, ...] | None] = [
        tuple(sorted(k.topic for k in kinds)),
        None,
        None,
        None,
    ]
    for name, value in where.items():
        position = _position(kinds, name)
        values = value if isinstance(value, list | tuple | set | frozenset) else [value]
        topics[position] = tuple(sorted({_topic(v) for v in values}))
    return tuple(topics)


def _position(kinds: list[EventType], name: str) -> int:
    """The topic position of indexed argument `name`: the same in every event of `kinds`."""
    positions = set()
    for kind in kinds:
        names = [n for n, _ in kind.indexed]
        if name not in names:
            raise KeyError(f"{kind.name} has no indexed argument {name!r}")
        positions.add(names.index(name) + 1)
    if len(positions) != 1:
        raise KeyError(f"argument {name!r} is indexed at different places in these events")
    return positions.pop()


def _topic(value: Any) -> bytes:
    if isinstance(value, bool):
        return int(value).to_bytes(32, "big")
    if isinstance(value, int):
        return value.to_bytes(32, "big", signed=value < 0)
    if isinstance(value, str) and value.startswith("0x") and len(value) == 42:
        return bytes(12) + bytes.fromhex(value[2:])
    if isinstance(value, bytes | bytearray) and len(value) == 32:
        return bytes(value)
    raise ValueError(f"can not filter events by {value!r}")


def _predicate(kinds: list[EventType], where: dict[str, Any]) -> Any:
    """A test of an event's arguments against `where` (None if nothing is asked)."""
    if not where:
        return None
    accepted = {
        name: {_normal(v) for v in (value if isinstance(value, list | tuple | set) else [value])}
        for name, value in where.items()
    }
    return lambda event: all(_normal(event.args[n]) in ok for n, ok in accepted.items())


def _normal(value: Any) -> Any:
    if isinstance(value, str) and value.startswith("0x") and len(value) == 42:
        return checksum(value)
    return value


def _padded(topics: Topics) -> Topics:
    return tuple(topics) + (None,) * (4 - len(topics))


def _block(log: dict[str, Any]) -> int:
    return quantity(log["blockNumber"])
