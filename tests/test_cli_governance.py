"""The DAO from the command, as issue 9 asked: proposals numbered #1, #2... (from events, in the
library, either the number or the id accepted), `gov rules` (value, bounds, step, last change),
a gasless vote (`gov vote --by-signature` writes a ballot, `gov relay BALLOT` casts it), `--wait`
that says when the chain is not moving and how to move it (on stderr, also when piped), one
date format, and rule names decoded.
"""

import json
import threading
import time

import pytest
from click.testing import CliRunner
from helpers import mine_past
from jeton.cli import cli, waiting
from jeton.errors import GovernorNonexistentProposal, RuleStepTooLarge
from jeton.governance import SignedBallot

KEY_VAR = "JETON_TEST_KEY"
DAY = 86_400


@pytest.fixture
def run(rpc_url, deployment_file):
    def _run(*args, as_=None, code=0):
        env = {KEY_VAR: as_.private_key} if as_ is not None else {}
        wallet = ["--key-env", KEY_VAR] if as_ is not None else []
        where = ["--rpc", rpc_url, "--deployment", str(deployment_file), *wallet]
        result = CliRunner(mix_stderr=False).invoke(cli, [*map(str, args), *where], env=env)
        assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
        return result

    return _run


def nonce(jeton):
    return jeton.w3.eth.get_transaction_count(jeton.address)


def words(text):
    """`text` with its whitespace and a table's column lines squeezed: one line of words."""
    return " ".join(text.replace("│", " ").split())


# ------------------------------------------------------------------ numbers


def test_proposals_are_numbered_in_the_library_and_the_command(run, members):
    chair, member, _ = members
    first = chair.gov.propose_fee(450, "First")
    second = member.gov.propose_fee(400, "Second")
    assert (first.number, second.number) == (1, 2)
    assert chair.gov.proposal_ids() == [first.id, second.id]
    assert member.gov.proposal_number(second.id) == 2
    for ref in (2, "2", "#2", second.id, str(second.id), hex(second.id)):
        assert chair.gov.proposal(ref).id == second.id
    assert [p.number for p in chair.gov.proposals()] == [1, 2]
    with pytest.raises(GovernorNonexistentProposal, match="no proposal #3: 2 proposals"):
        chair.gov.proposal(3)

    listed = json.loads(run("gov", "list", "--json").stdout)
    assert [(p["number"], p["id"]) for p in listed] == [(1, str(first.id)), (2, str(second.id))]
    assert "#2" in run("gov", "list").stdout
    for ref in ("2", "#2", str(second.id)):
        shown = json.loads(run("gov", "show", ref, "--json").stdout)
        assert (shown["number"], shown["text"]) == (2, "Second")  # without #proposer=
    assert "Proposal #2" in run("gov", "show", "#2").stdout
    missing = run("gov", "show", "#7", code=1)
    assert "no proposal #7" in missing.stderr
    assert "is not a proposal number" in run("gov", "show", "latest", code=2).stderr
    assert str(first).startswith("#1 (pending): set the platform fee from 5.00% to 4.50%")


# ------------------------------------------------------------------ rules, dates, names


def pass_fee_change(members, relayer, chain, bps=400):
    chair, member, other = members
    proposal = chair.gov.propose_fee(bps, "Cheaper")
    mine_past(proposal.snapshot)
    for voter in members:
        voter.gov.vote(proposal.id, "for")
    mine_past(chair.gov.proposal(proposal.id).deadline)
    relayer.gov.queue(proposal.id)
    return chair.gov.proposal(proposal.id)


def test_rules_show_values_bounds_steps_and_the_last_change(run, members, jw, chain, deployer):
    rules = json.loads(run("gov", "rules", "--json").stdout)
    by_key = {r["key"]: r for r in rules}
    assert {"fee", "reward", "review_period", "voting_period", "timelock_delay"} <= set(by_key)
    fee = by_key["fee"]
    assert (fee["value"], fee["value_text"], fee["step"], fee["changed_at"]) == (
        "500",
        "5.00%",
        "100",
        None,
    )
    assert fee["bounds_text"] == "0.00% to 10.00%"
    assert by_key["timelock_delay"]["value_text"] == "2 days"
    human = words(run("gov", "rules").stdout)
    assert "the platform fee 5.00% 0.00% to 10.00% 1.00% never (as deployed)" in human

    queued = pass_fee_change(members, jw, chain)
    shown = words(run("gov", "show", "#1").stdout)
    assert "executable from " in shown and "(in 2 days)" in shown  # one format: ISO, UTC, "in"
    chain.pending_timestamp += 2 * DAY
    chain.mine()
    executed = json.loads(run("gov", "execute", "1", "--json", as_=deployer).stdout)
    assert any(e["name"] == "RuleChanged" for e in executed["events"])
    human = words(run("gov", "execute", "1", as_=deployer, code=1).stderr)
    assert "executed" in human
    rules = {r["key"]: r for r in json.loads(run("gov", "rules", "--json").stdout)}
    assert (rules["fee"]["value"], rules["fee"]["previous"]) == ("400", "500")
    assert rules["fee"]["changed_at_iso"].endswith("Z") and rules["fee"]["changed_block"] > 0
    assert rules["reward"]["changed_at"] is None
    assert "from 5.00%" in run("gov", "rules").stdout
    assert queued.eta and str(members[0].gov.rules()[0]).startswith("the platform fee: 4.00%")


def test_rule_names_and_changes_read_as_words(run, members, jw, chain, client):
    refused = run("gov", "propose-fee", 200, "--description", "Halve", as_=client, code=1)
    assert refused.stderr == (
        "Error: PlatformRules: RuleStepTooLarge: the platform fee moves at most 1.00% per vote: "
        "from 5.00% to 2.00% is too far; propose a change within the rule's bounds and step\n"
    )
    with pytest.raises(RuleStepTooLarge) as info:  # the library's message lists the inputs
        members[1].gov.propose_fee(200, "Halve")
    assert "RuleStepTooLarge(rule=feeBps, oldValue=500, newValue=200, maxStep=100)" in str(
        info.value
    )
    assert "0x666565" not in str(info.value)
    queued = pass_fee_change(members, jw, chain)
    chain.pending_timestamp += 2 * DAY
    chain.mine()
    human = run("gov", "execute", str(queued.id), as_=client).stdout
    assert "the platform fee: 5.00% -> 4.00%" in human


# ------------------------------------------------------------------ a vote signed, then relayed


def test_a_signed_ballot_is_relayed_by_someone_else_who_pays_the_gas(
    run, members, connect, client, worker, tmp_path, chain
):
    _, member, _ = members
    proposal = member.gov.propose_fee(450, "Signed")
    path = tmp_path / "ballot.json"
    signer_nonce = nonce(member)
    signed = json.loads(
        run(
            "gov", "vote", "#1", "for", "--by-signature", "--out", path, "--json", as_=client
        ).stdout
    )
    assert nonce(member) == signer_nonce  # signing sent nothing
    assert (signed["file"], signed["voter"], signed["support"]) == (
        str(path),
        client.address,
        "for",
    )
    ballot = SignedBallot.load(path)
    assert (ballot.proposal_id, ballot.voter) == (proposal.id, client.address)
    early = run("gov", "relay", path, as_=worker, code=1)  # pending: voting not open yet
    assert "GovernorUnexpectedProposalState" in early.stderr
    mine_past(proposal.snapshot)
    relayer = connect(worker)
    relayer_nonce = nonce(relayer)
    relayed = json.loads(run("gov", "relay", path, "--json", as_=worker).stdout)
    cast = next(e for e in relayed["events"] if e["name"] == "VoteCast")
    assert cast["args"]["voter"] == client.address and cast["args"]["support"] == "1"
    assert nonce(relayer) == relayer_nonce + 1 and nonce(member) == signer_nonce
    assert member.gov.has_voted(proposal.id)
    again = run("gov", "relay", path, as_=worker, code=1)
    assert "GovernorAlreadyCastVote" in again.stderr
    exists = run("gov", "vote", "1", "for", "--by-signature", "--out", path, as_=client, code=1)
    assert "GovernorAlreadyCastVote" in exists.stderr


def test_ballot_refusals(run, members, client, worker, tmp_path):
    members[1].gov.propose_fee(450, "Signed")
    usage = run("gov", "vote", "1", "for", "--by-signature", "--reason", "x", as_=client, code=2)
    assert "takes no --reason" in usage.stderr
    path = tmp_path / "b.json"
    run("gov", "vote", "1", "against", "--by-signature", "--out", path, as_=client)
    document = json.loads(path.read_text())
    forged = tmp_path / "forged.json"
    forged.write_text(json.dumps({**document, "chain_id": 1}))
    assert "on chain 1, not this one" in run("gov", "relay", forged, as_=worker, code=1).stderr
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"hello": "world"}))
    assert "is not a Jeton ballot" in run("gov", "relay", other, as_=worker, code=1).stderr
    assert "no ballot file" in run("gov", "relay", tmp_path / "none", as_=worker, code=1).stderr


# ------------------------------------------------------------------ waiting


def _mine_later(rpc_url, blocks, delay):
    import requests

    def mine():
        time.sleep(delay)
        requests.post(
            rpc_url,
            json={"jsonrpc": "2.0", "id": 1, "method": "anvil_mine", "params": [hex(blocks)]},
            timeout=10,
        )

    thread = threading.Thread(target=mine)
    thread.start()
    return thread


def test_wait_says_the_chain_is_not_moving_and_how_to_move_it(
    run, members, client, rpc_url, monkeypatch
):
    monkeypatch.setattr(waiting, "POLL_SECONDS", 0.05)
    monkeypatch.setattr(waiting, "STALL_SECONDS", 0.3)
    members[1].gov.propose_fee(450, "Wait for me")
    mover = _mine_later(rpc_url, 3, delay=1.5)
    result = run("gov", "vote", "1", "for", "--wait", "--json", as_=client)
    mover.join()
    assert json.loads(result.stdout)["number"] == 1  # stdout is one JSON document
    assert "Waiting: Voting starts after block" in result.stderr  # shown although piped
    stalled = words(result.stderr)
    assert "The chain is not moving" in stalled
    assert "`jeton chain mine 2`" in stalled or "`jeton chain mine 1`" in stalled
    assert stalled.count("The chain is not moving") == 1


def test_execute_wait_names_the_time_to_move(run, members, jw, chain, client, rpc_url, monkeypatch):
    monkeypatch.setattr(waiting, "POLL_SECONDS", 0.05)
    monkeypatch.setattr(waiting, "STALL_SECONDS", 0.3)
    pass_fee_change(members, jw, chain)

    def advance_later():
        import requests

        time.sleep(1.5)
        for method, params in (("evm_increaseTime", [2 * DAY]), ("evm_mine", [])):
            requests.post(
                rpc_url, json={"jsonrpc": "2.0", "id": 1, "method": method, "params": params}
            )

    mover = threading.Thread(target=advance_later)
    mover.start()
    result = run("gov", "execute", "1", "--wait", as_=client)
    mover.join()
    stalled = words(result.stderr)
    assert "Waiting: Timelock: executable from" in stalled
    assert "`jeton chain advance 17" in stalled  # the seconds left: 2 days, about
    assert "Executed proposal #1" in result.stdout
