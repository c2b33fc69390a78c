"""Shared fixtures: accounts and a deployed system on the anvil node that ape-foundry starts."""

import pytest

CAP = 1_000_000_000 * 10**18
GENESIS_SUPPLY = 100_000_000 * 10**18


@pytest.fixture(scope="session")
def deployer(accounts):
    return accounts[0]


@pytest.fixture(scope="session")
def admin(accounts):
    return accounts[1]


@pytest.fixture(scope="session")
def alice(accounts):
    return accounts[2]


@pytest.fixture(scope="session")
def bob(accounts):
    return accounts[3]


@pytest.fixture(scope="session")
def stranger(accounts):
    return accounts[9]


@pytest.fixture(scope="session")
def treasury(accounts):
    """The stand-alone token's treasury (test account 8), delegated to itself for good."""
    return accounts[8]


@pytest.fixture(scope="session")
def token(project, deployer, admin, treasury):
    return deployer.deploy(project.WorkToken, admin, treasury, deployer, GENESIS_SUPPLY, CAP)


# ---------------------------------------------------------------- the whole system

import sys  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))

from deploy import deploy_system, load_config  # noqa: E402

WAD = 10**18


@pytest.fixture(scope="session")
def config():
    """The `local` deployment profile, as `ape run deploy` uses on anvil."""
    return load_config(31337, profile="local")


@pytest.fixture(scope="session")
def system(deployer, config):
    """The whole system, deployed and wired by the deploy script's own function."""
    return deploy_system(deployer, config)


@pytest.fixture(scope="session")
def jtn(system):
    return system.token


@pytest.fixture(scope="session")
def rules(system):
    return system.rules


@pytest.fixture(scope="session")
def escrow(system):
    return system.escrow


@pytest.fixture(scope="session")
def reputation(system):
    return system.reputation


@pytest.fixture(scope="session")
def votes(system):
    return system.votes


@pytest.fixture(scope="session")
def timelock(system):
    return system.timelock


@pytest.fixture(scope="session")
def governor(system):
    return system.governor


@pytest.fixture
def delegated(jtn, deployer, client, alice):
    """The three genesis holders of the local profile (test accounts 0, 1 and 2, 10M JTN each),
    each delegated to itself."""
    holders = (deployer, client, alice)
    for holder in holders:
        jtn.invoke_transaction("delegate", holder, sender=holder)
    return holders


@pytest.fixture(scope="session")
def credits(system):
    return system.credits


@pytest.fixture(scope="session")
def dao(accounts, timelock):
    """The timelock as a sender (anvil impersonation): what an executed proposal does."""
    account = accounts[timelock.address]
    account.balance += 10 * WAD
    return account


@pytest.fixture(scope="session")
def client(accounts):
    """A client with JTN from genesis (test account 1)."""
    return accounts[1]


@pytest.fixture(scope="session")
def worker(accounts):
    return accounts[4]


@pytest.fixture(scope="session")
def worker2(accounts):
    return accounts[5]


@pytest.fixture(scope="session")
def arbiter(accounts):
    """The arbiter appointed by the local profile (test account 9)."""
    return accounts[9]


# ---------------------------------------------------------------- the Python client


@pytest.fixture(scope="session")
def rpc_url(chain):
    """The URL of the anvil node ape-foundry started (a random port)."""
    return chain.provider.uri


@pytest.fixture(scope="session")
def deployment_file(system, chain, tmp_path_factory):
    """The deployments file the deploy script writes, for the session's system."""
    from deploy import write_deployment

    return write_deployment(system, chain.chain_id, tmp_path_factory.mktemp("deployments"))


@pytest.fixture(scope="session")
def connect(rpc_url, deployment_file):
    """`connect(ape_account)`: a `jeton.Jeton` client signing as that test account."""
    from jeton import Jeton, Wallet

    def _connect(account=None):
        wallet = Wallet.from_key(account.private_key) if account is not None else None
        return Jeton.connect(rpc_url, account=wallet, deployment=deployment_file)

    return _connect


@pytest.fixture
def run(rpc_url, deployment_file):
    """`run(*args, as_=account, code=0)`: the `jeton` command's result on the session's
    system (in-process, click's CliRunner), after checking its exit code."""
    from click.testing import CliRunner
    from helpers import KEY_VAR
    from jeton.cli import cli

    def _run(*args, as_=None, code=0, env=None, node=True):
        options = ["--rpc", rpc_url, "--deployment", str(deployment_file)] if node else []
        env = dict(env or {})
        if as_ is not None:
            options += ["--key-env", KEY_VAR]
            env[KEY_VAR] = as_.private_key
        result = CliRunner(mix_stderr=False).invoke(cli, [*options, *map(str, args)], env=env)
        assert result.exit_code == code, (
            f"exit {result.exit_code} != {code}\nstdout: {result.stdout}\n"
            f"stderr: {result.stderr}\nexception: {result.exception!r}"
        )
        return result

    return _run


# Clients of the Python library, one per role: the client, the workers and the arbiter.


@pytest.fixture
def jc(connect, client):
    return connect(client)


@pytest.fixture
def jw(connect, worker):
    return connect(worker)


@pytest.fixture
def jw2(connect, worker2):
    return connect(worker2)


@pytest.fixture
def ja(connect, arbiter):
    return connect(arbiter)


@pytest.fixture
def members(connect, deployer, client, alice):
    """The three genesis holders as connected clients, each delegated to itself (DAO tests)."""
    clients = [connect(account) for account in (deployer, client, alice)]
    for member in clients:
        member.gov.delegate()
    return clients


# ---------------------------------------------------------------- escrow unit tests


@pytest.fixture(scope="session")
def outsider(accounts):
    """Test account 7: no role, no task, no tokens (`stranger` is also the arbiter)."""
    return accounts[7]


@pytest.fixture
def usd(project, deployer, dao, rules, client):
    """A 6-decimal stablecoin allowed by the DAO (unit 1e6: one USD counts as one JTN);
    the client holds 1,000,000 USD."""
    token = deployer.deploy(project.MockERC20, "US Dollar", "USD", 6)
    rules.setPaymentToken(token, True, 10**6, sender=dao)
    token.mint(client, 10**12, sender=deployer)
    return token


@pytest.fixture
def fresh_deployer(accounts):
    """A new funded account for deployments that are meant to revert.

    Ape enriches a reverted deployment's trace with the contract type it last saw at the
    would-be address; after a snapshot restore that can be another contract deployed there
    by an earlier test, and decoding fails. A new sender gives a never-used address."""
    account = accounts.generate_test_account()
    account.balance += 10 * WAD
    return account


# ---------------------------------------------------------------- the web app, in a browser


@pytest.fixture(scope="session")
def chromium():
    """One headless Chromium for the whole run (contexts keep the tests apart)."""
    from browser import LAUNCH_ARGS, chromium_path
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def web_server(rpc_url, deployment_file, connect, client, worker):
    """`jeton web`'s server on the session's chain, for one test module (set up with the
    session's fixtures, so that Ape's per-test chain isolation needs no rebase)."""
    from jeton import Jeton
    from jeton.web import Api, WebServer

    server = WebServer(Api(Jeton.connect(rpc_url, deployment=deployment_file), rpc_url))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def web(web_server, rpc_url, deployment_file):
    """The app's base URL, answered by a fresh connection: Ape reverts the chain after each
    test, and the library caches what it read of proposals."""
    from jeton import Jeton
    from jeton.web import Api

    web_server.api = Api(Jeton.connect(rpc_url, deployment=deployment_file), rpc_url)
    return web_server.url


@pytest.fixture
def person(chromium, rpc_url):
    """`person(account, **wallet)`: a browser context (a page) whose injected wallet holds
    `account`; each must end the test with no error in its console."""
    from browser import BrowserWallet, open_tab

    tabs = []

    def _open(account, **wallet):
        tab = open_tab(chromium, BrowserWallet(account.address, rpc_url, **wallet))
        tabs.append(tab)
        return tab

    yield _open
    for tab in tabs:
        tab.assert_no_console_errors()
        tab.context.close()


# ---------------------------------------------------------------- access credits


@pytest.fixture(scope="session")
def provider(accounts):
    """The provider of the access credits' test service (test account 6)."""
    return accounts[6]


@pytest.fixture
def service(credits, dao, provider):
    """The AI translation aid at 2 JTN a unit, added by the DAO, provided by `provider`: its id."""
    from helpers import add_service

    return add_service(credits, dao, provider, 2 * WAD)


@pytest.fixture
def buyer(jtn, deployer, worker):
    """The worker, holding 1,000 JTN to buy credits with."""
    jtn.transfer(worker, 1_000 * WAD, sender=deployer)
    return worker
