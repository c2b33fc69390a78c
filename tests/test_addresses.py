"""Addresses and amounts people type: parsed in one place (`jeton.parsing`), and a mixed-case
address whose EIP-55 checksum fails refused by name, before anything is signed, by every method
of the library and every command that takes an address.

The reported case: one hex digit changed in a mixed-case address posted a task reserved for an
address nobody owns. Each refusal here is checked against the sender's nonce.
"""

import json
from decimal import Decimal

import pytest
from click.testing import CliRunner
from eth_utils import to_checksum_address
from helpers import DAY
from jeton import JetonError
from jeton.cli import cli
from jeton.contracts import Deployment
from jeton.devchain import LocalNode
from jeton.errors import InputError, InvalidAddress, InvalidAmount
from jeton.governance import SignedBallot
from jeton.parsing import check_base_units, check_uint, parse_address, parse_amount
from jeton.types import Vote

WAD = 10**18
KEY_VAR = "JETON_TEST_KEY"


def mistyped(address):
    """`address` checksummed, with one hex digit changed: a mixed-case address whose EIP-55
    checksum fails (the digit changed is a number, so the letters' case stays as it was)."""
    good = to_checksum_address(address)
    for i in range(len(good) - 1, 1, -1):
        if good[i].isdigit():
            bad = good[:i] + str((int(good[i]) + 1) % 10) + good[i + 1 :]
            if bad != to_checksum_address(bad) and any(c.isupper() for c in bad[2:]):
                return bad
    raise AssertionError(f"no digit to change in {good}")


def nonce(chain, address):
    return chain.provider.web3.eth.get_transaction_count(address)


# ---------------------------------------------------------------- parsing, no chain needed


REPORTED = "0x88876A3cF6fdFc05Db24bd0528151AE21A9D8cDe"


def test_the_reported_address_is_refused_by_name():
    with pytest.raises(InvalidAddress, match="EIP-55 checksum"):
        parse_address(REPORTED, "worker")
    assert issubclass(InvalidAddress, JetonError)
    assert issubclass(InvalidAddress, ValueError)


def test_checksummed_lower_and_upper_case_addresses_are_accepted():
    good = to_checksum_address(REPORTED.lower())
    assert parse_address(good) == good
    assert parse_address(good.lower()) == good
    assert parse_address("0x" + good[2:].upper()) == good


@pytest.mark.parametrize(
    "value",
    ["", "0x", "0x1234", "5FbDB2315678afecb367f032d93F642f64180aa3", "0x" + "g" * 40, None, 42],
)
def test_what_is_not_an_address_is_refused(value):
    with pytest.raises(InvalidAddress, match="is not an address"):
        parse_address(value, "token")


def test_amounts_parse_to_base_units():
    assert parse_amount("12.5") == 12_500_000_000_000_000_000
    assert parse_amount("1,000") == 1_000 * WAD
    assert parse_amount("1_000.25", 6) == 1_000_250_000
    assert parse_amount(Decimal("0.1")) == WAD // 10
    assert parse_amount(3, 0) == 3


@pytest.mark.parametrize(
    ("value", "decimals", "match"),
    [
        ("ten", 18, "not a number"),
        ("-5", 18, "negative"),
        ("inf", 18, "not a finite number"),
        ("NaN", 18, "not a finite number"),
        ("0.0000001", 6, "more decimals"),
    ],
)
def test_bad_amounts_are_refused_by_name(value, decimals, match):
    with pytest.raises(InvalidAmount, match=match):
        parse_amount(value, decimals)


def test_base_unit_and_whole_number_checks():
    assert check_base_units(5) == 5
    for bad in (1.5, "5", True, -1, 2**256):
        with pytest.raises(InvalidAmount):
            check_base_units(bad)
    assert check_uint(7, "points", 32) == 7
    with pytest.raises(InputError, match="points must be from 0 to 2\\*\\*32 - 1"):
        check_uint(2**32, "points", 32)


def test_a_deployments_file_with_a_mistyped_address_is_refused(tmp_path, deployment_file):
    document = json.loads(deployment_file.read_text())
    entry = document["contracts"]["TaskEscrow"]
    entry["address"] = mistyped(entry["address"])
    path = tmp_path / "31337.json"
    path.write_text(json.dumps(document))
    with pytest.raises(JetonError, match="TaskEscrow's address .* EIP-55 checksum"):
        Deployment.load(path)


def test_the_dev_chain_refuses_to_fund_a_mistyped_address_or_a_bad_amount():
    node = LocalNode()  # not started: the input is refused before any request
    for call in (node.set_balance, node.fund):
        with pytest.raises(InvalidAddress):
            call(mistyped(REPORTED), WAD)
        for amount in (-1, 1.5, "1"):
            with pytest.raises(InvalidAmount):
                call(REPORTED.lower(), amount)
    with pytest.raises(InvalidAddress):
        node.balance(mistyped(REPORTED))


def test_a_ballot_file_with_a_mistyped_voter_is_refused(tmp_path):
    document = {
        "kind": "jeton-ballot",
        "chain_id": 31337,
        "governor": REPORTED.lower(),
        "proposal_id": "1",
        "support": "for",
        "voter": REPORTED,
        "nonce": "0",
        "signature": "0x" + "00" * 65,
    }
    path = tmp_path / "ballot.json"
    path.write_text(json.dumps(document))
    with pytest.raises(InvalidAddress, match="ballot.json's voter .* EIP-55 checksum"):
        SignedBallot.load(path)


# ---------------------------------------------------------------- every library method


@pytest.fixture
def bad(worker2):
    """A mistyped address of a real account: what a person gets by changing one digit."""
    return mistyped(worker2.address)


@pytest.fixture
def deadline(jc):
    return jc.block_timestamp() + 7 * DAY


def library_calls(jc, bad, deadline):
    """(name, call) for every library method that takes an address, given `bad`."""
    return [
        (
            "tasks.post(worker=)",
            lambda: jc.tasks.post(WAD, deadline=deadline, spec="x", worker=bad),
        ),
        ("tasks.post(token=)", lambda: jc.tasks.post(WAD, deadline=deadline, spec="x", token=bad)),
        ("tasks.list(client=)", lambda: jc.tasks.list(client=bad)),
        ("tasks.list(worker=)", lambda: jc.tasks.list(worker=bad)),
        ("tasks.rewards_owed", lambda: jc.tasks.rewards_owed(bad)),
        ("tasks.collect_rewards", lambda: jc.tasks.collect_rewards(bad)),
        ("me.summary", lambda: jc.me.summary(bad)),
        ("me.payouts", lambda: jc.me.payouts(bad)),
        ("me.earnings", lambda: jc.me.earnings(bad)),
        ("gov.delegate", lambda: jc.gov.delegate(bad)),
        ("gov.has_voted", lambda: jc.gov.has_voted(1, bad)),
        ("gov.voting_power", lambda: jc.gov.voting_power(1, bad)),
        ("gov.votes", lambda: jc.gov.votes(1, bad)),
        ("gov.cast_signed_vote", lambda: jc.gov.cast_signed_vote(1, "for", bad, b"\0" * 65)),
        (
            "gov.propose(targets=)",
            lambda: jc.gov.propose(targets=[bad], values=[0], calldatas=[b""], description="x"),
        ),
        ("erc20", lambda: jc.erc20(bad)),
        ("token_info", lambda: jc.token_info(bad)),
        ("me.history", lambda: jc.me.history(bad)),
        ("gov.proposals(proposer=)", lambda: jc.gov.proposals(proposer=bad)),
        (
            "gov.relay_ballot",
            lambda: jc.gov.relay_ballot(
                SignedBallot(jc.chain_id, jc.contracts.governor.address, 1, Vote.FOR, bad, 0, b"")
            ),
        ),
    ]


def test_every_library_method_refuses_a_mistyped_address_and_sends_nothing(
    chain, jc, bad, deadline
):
    before = nonce(chain, jc.address)
    for name, call in library_calls(jc, bad, deadline):
        with pytest.raises(InvalidAddress, match="EIP-55 checksum") as info:
            call()
        assert bad in str(info.value), name
    assert nonce(chain, jc.address) == before


def test_the_library_takes_a_lower_case_address_as_the_same_account(jc, worker2, deadline):
    task = jc.tasks.post(WAD, deadline=deadline, spec="x", worker=worker2.address.lower())
    assert task.worker == worker2.address
    assert jc.tasks.list(worker=worker2.address.upper().replace("0X", "0x"))[-1].id == task.id


def test_a_bad_amount_is_an_input_error_before_anything_is_sent(chain, jc, deadline):
    before = nonce(chain, jc.address)
    for amount in (1.5, -1, "100"):
        with pytest.raises(InvalidAmount):
            jc.tasks.post(amount, deadline=deadline, spec="x")
    with pytest.raises(InputError, match="min_reputation"):
        jc.tasks.post(WAD, deadline=deadline, spec="x", min_reputation=-1)
    assert nonce(chain, jc.address) == before


# ---------------------------------------------------------------- every command


@pytest.fixture
def run(rpc_url, deployment_file, client):
    def _run(*args):
        options = ["--rpc", rpc_url, "--deployment", str(deployment_file), "--key-env", KEY_VAR]
        env = {KEY_VAR: client.private_key}
        return CliRunner(mix_stderr=False).invoke(cli, [*options, *map(str, args)], env=env)

    return _run


def command_lines(bad):
    """Every command that takes an address, with `bad` in its place."""
    post = ["tasks", "post", "1", "--deadline", "3d", "--spec", "x"]
    return [
        [*post, "--worker", bad],
        [*post, "--token", bad],
        ["me", bad],
        ["me", "history", bad],
        ["gov", "delegate", bad],
        ["chain", "fund", bad, "1"],
    ]


def test_every_command_refuses_a_mistyped_address_and_sends_nothing(chain, run, client, bad):
    before = nonce(chain, client.address)
    for line in command_lines(bad):
        result = run(*line)
        assert result.exit_code in (1, 2), (line, result.exit_code, result.stdout)
        assert "EIP-55 checksum" in result.stderr, (line, result.stderr)
        assert bad in result.stderr
    assert nonce(chain, client.address) == before


def test_the_reported_command_with_the_right_address_posts_the_task(chain, run, worker2):
    result = run(
        "--json",
        "tasks",
        "post",
        "1",
        "--deadline",
        "3d",
        "--spec",
        "x",
        "--worker",
        worker2.address.lower(),
    )
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["task"]["worker"] == worker2.address


def test_a_ballot_with_a_mistyped_voter_is_refused_by_the_command(
    chain, run, client, bad, tmp_path
):
    path = tmp_path / "ballot.json"
    path.write_text(
        json.dumps(
            {
                "kind": "jeton-ballot",
                "chain_id": 31337,
                "governor": client.address,
                "proposal_id": "1",
                "support": "for",
                "voter": bad,
                "nonce": "0",
                "signature": "0x" + "00" * 65,
            }
        )
    )
    before = nonce(chain, client.address)
    result = run("gov", "relay", path)
    assert result.exit_code == 1 and "EIP-55 checksum" in result.stderr and bad in result.stderr
    assert nonce(chain, client.address) == before


def test_bad_amounts_to_the_new_commands_are_refused_and_nothing_is_sent(
    chain, run, client, worker2
):
    before = nonce(chain, client.address)
    balance = chain.provider.web3.eth.get_balance(worker2.address)
    for amount in ("-5", "0", "abc", "0.0000000000000000001"):
        result = run("chain", "fund", worker2.address, amount)
        assert result.exit_code == 2, (amount, result.stdout, result.stderr)
        assert "No such option" not in result.stderr
    post = ["tasks", "post", "-5", "--deadline", "3d", "--spec", "x"]
    assert "must be above zero" in run(*post).stderr
    assert chain.provider.web3.eth.get_balance(worker2.address) == balance
    assert nonce(chain, client.address) == before
