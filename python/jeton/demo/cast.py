"""The people of the demo and the work they trade: clients, workers, a backer, an arbiter.

Clients, the backer, the arbiter and the faucet are the local node's funded test accounts
(anvil's default mnemonic); workers are fresh wallets in encrypted keystore files, as a real
worker would bring. The genesis written here is in deploy-config.json's format.
"""

from __future__ import annotations

import json
import random
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..devchain import test_wallet
from ..wallet import THROWAWAY_SCRYPT_N, Wallet

if TYPE_CHECKING:
    from ..client import Jeton

#: The password of the demo workers' keystores (they hold nothing of value).
DEMO_PASSWORD = "jeton-demo"

WORKER_NAMES = (
    "Ada", "Bao", "Chidi", "Dilnoza", "Emeka", "Farah", "Goran", "Hana",
    "Ines", "Jonas", "Kofi", "Lena", "Mateo", "Noor", "Oskar", "Priya",
)  # fmt: skip

#: Whole JTN the treasury keeps at genesis (besides what the clients and the backer get).
TREASURY_JTN = 50_000


@dataclass
class Person:
    """Someone in the story: a name, a role, a wallet, and a connection once deployed."""

    key: str
    name: str
    role: str  # "client", "worker", "backer", "arbiter" or "faucet"
    wallet: Wallet
    keystore: Path | None = None
    genesis_jtn: int = 0
    jeton: Jeton | None = field(default=None, repr=False)

    @property
    def address(self) -> str:
        return self.wallet.address

    @property
    def j(self) -> Jeton:
        """The person's connection (set once the system is deployed)."""
        if self.jeton is None:
            raise RuntimeError(f"{self.name} is not connected yet")
        return self.jeton


@dataclass(frozen=True)
class Kind:
    """A kind of work: who posts it, how large it is (whole JTN), and example briefs."""

    name: str
    client: str
    sizes: tuple[int, int]
    titles: tuple[str, ...]


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind(
            "translation",
            "lumen",
            (20, 80),
            (
                "Translate the onboarding guide into Spanish",
                "Localise the app's strings into Japanese",
                "Subtitle the product video in French",
                "Translate the privacy policy into German",
                "Proofread the Portuguese help centre",
                "Translate support macros into Italian",
            ),
        ),
        Kind(
            "software",
            "forge",
            (60, 160),
            (
                "Fix the CSV export bug",
                "Add dark mode to the dashboard",
                "Write integration tests for the billing API",
                "Speed up the search endpoint",
                "Migrate the CI pipeline",
                "Add webhook retries",
            ),
        ),
        Kind(
            "training",
            "atlas",
            (30, 100),
            (
                "Label 2,000 product photos",
                "Rate 500 chatbot answers",
                "Transcribe an hour of support calls",
                "Write 300 question-answer pairs",
                "Review a sentiment dataset for errors",
                "Draw boxes around street signs in 800 images",
            ),
        ),
    )
}


def client_jtn(tasks: int) -> int:
    """Each client's genesis grant: enough for `tasks` tasks with room to spare."""
    return 5_000 + 100 * tasks


def backer_jtn(tasks: int) -> int:
    """The backer's grant: a tenth of everything else, so it clears the 4% quorum alone."""
    others = 3 * client_jtn(tasks) + TREASURY_JTN
    return max(1_000, int(round(others / 10, -3)))


def cast(tasks: int) -> dict[str, Person]:
    """Everyone but the workers (see `create_workers`), keyed by role name."""
    c = client_jtn(tasks)
    return {
        "faucet": Person("faucet", "Faucet", "faucet", test_wallet(0)),
        "lumen": Person("lumen", "Lumen Translations", "client", test_wallet(1), genesis_jtn=c),
        "forge": Person("forge", "Forge Software", "client", test_wallet(2), genesis_jtn=c),
        "atlas": Person("atlas", "Atlas ML", "client", test_wallet(3), genesis_jtn=c),
        "vesta": Person(
            "vesta", "Vesta Capital", "backer", test_wallet(4), genesis_jtn=backer_jtn(tasks)
        ),
        "iris": Person("iris", "Iris (arbiter)", "arbiter", test_wallet(9)),
    }


def worker_name(index: int) -> str:
    return WORKER_NAMES[index] if index < len(WORKER_NAMES) else f"Worker {index + 1}"


def create_workers(folder: Path, count: int) -> list[Person]:
    """`count` fresh wallets, each saved as an encrypted keystore in `folder` (made in
    parallel). They are throwaway demo keys, so their keystores use the light work factor
    THROWAWAY_SCRYPT_N (16 MB each instead of the standard 256 MB, opened in milliseconds);
    a real worker's keystore keeps the standard strength."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = [
        folder / f"worker-{i + 1:02d}-{worker_name(i).lower().replace(' ', '-')}.json"
        for i in range(count)
    ]
    for path in paths:
        path.unlink(missing_ok=True)  # a keystore of an earlier demo run
    with ThreadPoolExecutor(max_workers=min(8, count)) as pool:
        wallets = list(
            pool.map(
                lambda p: Wallet.create_keystore(p, DEMO_PASSWORD, scrypt_n=THROWAWAY_SCRYPT_N),
                paths,
            )
        )
    return [
        Person(f"worker{i + 1}", worker_name(i), "worker", wallet, keystore=path)
        for i, (wallet, path) in enumerate(zip(wallets, paths, strict=True))
    ]


def open_keystores(workers: list[Person]) -> None:
    """Each worker connects its wallet: the keystore file, decrypted with its password."""
    with ThreadPoolExecutor(max_workers=min(8, len(workers))) as pool:
        loaded = list(pool.map(lambda w: Wallet.from_keystore(w.keystore, DEMO_PASSWORD), workers))
    for person, wallet in zip(workers, loaded, strict=True):
        if wallet.address != person.address:  # pragma: no cover - a keystore bug
            raise RuntimeError(f"{person.keystore} does not hold {person.name}'s key")
        person.wallet = wallet


def write_config(
    path: Path, base_config: Path, people: dict[str, Person], workers: list[Person], tasks: int
) -> dict:
    """The demo's deployment parameters, in deploy-config.json's format (profile `local`):
    the project's local rules and governance, and a genesis for the demo's people."""
    base = json.loads(base_config.read_text())["local"]
    granted = [p for p in people.values() if p.genesis_jtn]
    supply = sum(p.genesis_jtn for p in granted) + TREASURY_JTN
    profile = {
        "chain": base["chain"],
        "token": {**base["token"], "genesis_supply": supply},
        "genesis": [{"holder": p.address, "amount": p.genesis_jtn} for p in granted],
        "rules": {**base["rules"], "arbiters": [people["iris"].address]},
        "governance": dict(base["governance"]),
    }
    document = {
        "_doc": (
            "Written by `jeton demo`: the project's local profile with the demo's genesis. "
            f"The treasury (the timelock) receives the rest of the genesis supply "
            f"({TREASURY_JTN:,} JTN); workers start with nothing."
        ),
        "_people": {
            p.name: {"role": p.role, "address": p.address} for p in [*people.values(), *workers]
        },
        "local": profile,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=2) + "\n")
    return profile


def pick_size(rng: random.Random, kind: Kind) -> int:
    low, high = kind.sizes
    return rng.randint(low, high)
