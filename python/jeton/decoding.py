"""Logs decoded into `Event`s with the deployment's ABIs, once per log and fast.

A log is found by its emitter and its first topic (the event's signature hash); its indexed
arguments are read from the other topics and the rest from its data with eth-abi. Logs come as
the node sends them (hex strings: `eth_getLogs`, raw receipts) or as web3.py formats them
(receipts read through `w3.eth`); both give the same `Event`, with the values web3.py's own
decoding gives: checksummed addresses, ints, bools, `bytes`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from eth_abi import decode as abi_decode
from eth_utils import event_abi_to_log_topic
from eth_utils.abi import collapse_if_tuple

from .parsing import checksum
from .types import Event

#: Reads one 64-hex-digit word (a topic, or a static value of the data) as a Python value.
WordReader = Callable[[str], Any]


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

    @cached_property
    def _topic_readers(self) -> tuple[tuple[str, WordReader], ...]:
        return tuple((name, _reader(kind)) for name, kind in self.indexed)

    @cached_property
    def _data_readers(self) -> tuple[tuple[str, WordReader, int], ...] | None:
        """Each data input's reader and place (in hex digits), if every one is one word."""
        if not all(_is_word(kind) for kind in self.data_types):
            return None
        return tuple(
            (name, _reader(kind), 64 * i)
            for i, (name, kind) in enumerate(zip(self.data_names, self.data_types, strict=True))
        )

    def decode(self, topics: list[str], data: str) -> dict[str, Any]:
        """The event's arguments, by name, from a log's topics (signature first) and data, as
        hex text without the 0x."""
        args = {
            name: read(topic)
            for (name, read), topic in zip(self._topic_readers, topics[1:], strict=True)
        }
        readers = self._data_readers
        if readers is not None:
            for name, read, at in readers:
                args[name] = read(data[at : at + 64])
        elif self.data_types:
            values = abi_decode(self.data_types, bytes.fromhex(data))
            args.update(
                (name, _checksummed(value, kind))
                for name, kind, value in zip(self.data_names, self.data_types, values, strict=True)
            )
        return args


def _is_word(kind: str) -> bool:
    return kind in ("address", "bool") or bool(re.fullmatch(r"u?int\d*|bytes\d+", kind))


def _reader(kind: str) -> WordReader:
    """How one word of `kind` reads; a topic of a dynamic type is the value's hash, kept as
    bytes (as web3.py keeps it)."""
    if kind == "address":
        return lambda word: checksum("0x" + word[24:])
    if kind.startswith("uint"):
        return lambda word: int(word, 16)
    if kind == "bool":
        return lambda word: int(word, 16) != 0
    if kind.startswith("int"):
        bits = 256

        def signed(word: str) -> int:
            value = int(word, 16)
            return value - (1 << bits) if value >> (bits - 1) else value

        return signed
    if kind.startswith("bytes") and kind != "bytes":
        size = int(kind[5:])
        return lambda word: bytes.fromhex(word[: 2 * size])
    return bytes.fromhex  # string, bytes, arrays, tuples: the topic is the value's hash


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
        topics = [_hex(t) for t in log["topics"]]
        if not topics:
            return None
        event = self._types.get((log["address"].lower(), bytes.fromhex(topics[0])))
        if event is None:
            return None
        return Event(
            name=event.name,
            contract=event.contract,
            args=event.decode(topics, _hex(log["data"])),
            block=_int(log["blockNumber"]),
            tx_hash="0x" + _hex(log["transactionHash"]),
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


def _hex(value: Any) -> str:
    """Hex text without 0x, from a node's "0x..." or web3.py's bytes."""
    if isinstance(value, str):
        return value[2:] if value.startswith("0x") else value
    return bytes(value).hex()


def _int(value: Any) -> int:
    return int(value, 16) if isinstance(value, str) else int(value)
