"""Logs decoded into `Event`s with the deployment's ABIs, once per log and fast.

A log is found by its emitter and its first topic (the event's signature hash); its indexed
arguments are read from the other topics and the rest from its data with eth-abi. Logs come as
the node sends them (hex strings: `eth_getLogs`, raw receipts) or as web3.py formats them
(receipts read through `w3.eth`); both give the same `Event`, with the values web3.py's own
decoding gives: checksummed addresses, ints, bools, `bytes`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from eth_abi import decode as abi_decode
from eth_utils import event_abi_to_log_topic
from eth_utils.abi import collapse_if_tuple

from .parsing import checksum
from .types import Event


@dataclass(frozen=True)
class EventType:
    """How one event of one contract is decoded."""

    contract: str
    name: str
    topic: bytes
    #: (name, type) of the indexed inputs, in topic order.
    indexed: tuple[tuple[str, str], ...]
    #: Names and types of the inputs in the data, in order.
    data_names: tuple[str, ...]
    data_types: tuple[str, ...]

    @classmethod
    def from_abi(cls, contract: str, entry: Mapping[str, Any]) -> EventType:
        inputs = entry["inputs"]
        data = [i for i in inputs if not i["indexed"]]
        return cls(
            contract=contract,
            name=entry["name"],
            topic=event_abi_to_log_topic(dict(entry)),  # type: ignore[arg-type]
            indexed=tuple((i["name"], collapse_if_tuple(i)) for i in inputs if i["indexed"]),
            data_names=tuple(i["name"] for i in data),
            data_types=tuple(collapse_if_tuple(i) for i in data),
        )

    def decode(self, topics: list[bytes], data: bytes) -> dict[str, Any]:
        """The event's arguments, by name, from a log's topics (signature first) and data."""
        args = {
            name: _word(kind, topic)
            for (name, kind), topic in zip(self.indexed, topics[1:], strict=True)
        }
        if _all_static(self.data_types):
            words = [data[i : i + 32] for i in range(0, 32 * len(self.data_types), 32)]
            args.update(
                (name, _word(kind, word))
                for name, kind, word in zip(self.data_names, self.data_types, words, strict=True)
            )
        elif self.data_types:
            values = abi_decode(self.data_types, data)
            args.update(
                (name, _checksummed(value, kind))
                for name, kind, value in zip(self.data_names, self.data_types, values, strict=True)
            )
        return args


@lru_cache(maxsize=1024)
def _all_static(kinds: tuple[str, ...]) -> bool:
    """Whether every type of `kinds` is one 32-byte word decoded by `_word`."""
    return all(_is_word(kind) for kind in kinds)


def _is_word(kind: str) -> bool:
    return kind in ("address", "bool") or bool(re.fullmatch(r"u?int\d*|bytes\d+", kind))


def _word(kind: str, word: bytes) -> Any:
    """One 32-byte word (a topic, or a static value of the data) as `kind`'s Python value; a
    topic of a dynamic type is its hash, kept as bytes (as web3.py keeps it)."""
    if kind == "address":
        return checksum("0x" + word[12:].hex())
    if kind.startswith("uint"):
        return int.from_bytes(word, "big")
    if kind == "bool":
        return word[-1] != 0
    if kind.startswith("int"):
        return int.from_bytes(word, "big", signed=True)
    if kind.startswith("bytes") and kind != "bytes":
        return word[: int(kind[5:])]
    return word  # string, bytes, arrays, tuples: the topic is the value's hash


def _checksummed(value: Any, kind: str) -> Any:
    """A value eth-abi decoded, as web3.py gives it: addresses checksummed, arrays as lists."""
    if kind == "address":
        return checksum(value)
    if kind.endswith("]"):
        inner = kind[: kind.rindex("[")]
        return [_checksummed(v, inner) for v in value]
    return value


class EventDecoder:
    """Decodes the logs of a set of contracts (by address) into `Event`s."""

    def __init__(self, contracts: Iterable[tuple[str, str, list[dict[str, Any]]]]):
        """`contracts`: (name, address, ABI) of each contract whose logs are decoded."""
        self._types: dict[tuple[str, bytes], EventType] = {}
        #: Each contract's events, by contract name and event name.
        self.by_contract: dict[str, dict[str, EventType]] = {}
        for name, address, abi in contracts:
            events = self.by_contract.setdefault(name, {})
            for entry in abi:
                if entry.get("type") == "event" and not entry.get("anonymous"):
                    event = EventType.from_abi(name, entry)
                    self._types[(address.lower(), event.topic)] = event
                    events[event.name] = event

    def event_type(self, address: str, topic: bytes) -> EventType | None:
        """The event a log of `address` with first topic `topic` is (None: not one of ours)."""
        return self._types.get((address.lower(), topic))

    def decode(self, log: Mapping[str, Any]) -> Event | None:
        """The `Event` of `log` (raw or formatted by web3.py), or None for a log that is not
        one of the known contracts' events."""
        topics = [_bytes(t) for t in log["topics"]]
        if not topics:
            return None
        event = self.event_type(log["address"], topics[0])
        if event is None:
            return None
        return Event(
            name=event.name,
            contract=event.contract,
            args=event.decode(topics, _bytes(log["data"])),
            block=_int(log["blockNumber"]),
            tx_hash="0x" + _bytes(log["transactionHash"]).hex(),
            log_index=_int(log["logIndex"]),
        )

    def decode_all(self, logs: Iterable[Mapping[str, Any]]) -> list[Event]:
        """The known events among `logs`, in their order (other logs are skipped)."""
        events = []
        for log in logs:
            event = self.decode(log)
            if event is not None:
                events.append(event)
        return events


def _bytes(value: Any) -> bytes:
    if isinstance(value, str):
        return bytes.fromhex(value[2:] if value.startswith("0x") else value)
    return bytes(value)


def _int(value: Any) -> int:
    return int(value, 16) if isinstance(value, str) else int(value)
