"""The benchmarks use the test suite's fixtures and helpers."""

import importlib.util
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1] / "tests"
sys.path.insert(0, str(TESTS))

_spec = importlib.util.spec_from_file_location("jeton_test_fixtures", TESTS / "conftest.py")
_fixtures = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_fixtures)
globals().update({k: v for k, v in vars(_fixtures).items() if not k.startswith("__")})

# ---------------------------------------------------------------- the benchmark's table

import os  # noqa: E402
from dataclasses import dataclass  # noqa: E402

import pytest  # noqa: E402
from table import EXPECTED, BenchTable  # noqa: E402


@dataclass(frozen=True)
class Scale:
    """How large the benchmark runs: `full` (`make bench`) or `smoke` (inside `make test`)."""

    name: str
    #: Task counts at which the lifecycle's gas is measured (the earlier tasks set up in bulk).
    counts: tuple[int, ...]
    #: Task counts at which the history is rebuilt (two of `counts`).
    history: tuple[int, int]
    #: Lifecycles per timing round of the client, and rounds (the median is kept).
    lifecycles: int
    rounds: int
    #: The demo's workers and its two task counts.
    demo_workers: int
    demo_tasks: tuple[int, int]
    #: Tasks on the chain and page loads of the web app's task list.
    web_tasks: int
    web_loads: int


SCALES = {
    "full": Scale("full", (1, 100, 1_000, 10_000), (1_000, 10_000), 20, 5, 8, (40, 200), 10_000, 7),
    "smoke": Scale("smoke", (1, 3, 20, 40), (20, 40), 2, 1, 2, (1, 2), 30, 1),
}


@pytest.fixture(scope="session")
def scale():
    name = os.environ.get("JETON_BENCH", "full")
    if name not in SCALES:
        raise pytest.UsageError(f"JETON_BENCH={name!r}: one of {', '.join(SCALES)}")
    return SCALES[name]


@pytest.fixture(scope="session")
def bench(scale, request):
    """The table the benchmarks fill; printed and written to out/bench/ at the end. When every
    benchmark ran, a row that none measured fails the run."""
    table = BenchTable(scale.name)
    yield table
    ran = {item.path.name for item in request.session.items}
    every = {path.name for path in Path(__file__).parent.glob("test_*.py")}
    missing = [key for key in EXPECTED if key not in table.rows] if ran >= every else []
    files = table.write(missing)
    print(f"\n\nJeton benchmark ({scale.name}): every figure measured in this run\n")
    print(table.render())
    print("\nFiles: " + ", ".join(str(f) for f in files))
    assert not missing, f"rows not measured: {', '.join(missing)}"


@dataclass(frozen=True)
class OwnChain:
    """A chain of a benchmark's own: its URL, the deployment, and the test accounts' keys."""

    url: str
    deployment: object
    keys: tuple[str, ...]

    def address(self, index: int) -> str:
        from eth_account import Account

        return Account.from_key(self.keys[index]).address


@pytest.fixture(scope="module")
def own_chain(tmp_path_factory):
    """An anvil node started by `jeton.devchain` with the system deployed by the deploy script,
    for the benchmarks that set up thousands of tasks: the anvil Ape starts keeps the trace of
    every step of every transaction (--steps-tracing), and tens of thousands of transactions
    exhaust a machine's memory that way."""
    from jeton.devchain import LocalNode, deploy, test_wallet

    with LocalNode() as node:
        folder = tmp_path_factory.mktemp("own-chain")
        deployment = deploy(node.url, deployments_dir=folder, overwrite=True)
        keys = tuple(test_wallet(i).export_private_key() for i in range(10))
        yield OwnChain(node.url, deployment, keys)
