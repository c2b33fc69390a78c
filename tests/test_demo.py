"""The demo, played small on its own anvil (not the chain of Ape's fixtures), and LocalNode.

The demo's report is checked against what must be true of any run: every deposit accounted
for, the fee changed only after the timelock (and only for tasks posted after it), the reserved
task taken by a worker who had reached its tier, the out-of-bounds fee refused at execution,
and the report's files in order.
"""

import io
import json
import os
import struct
import zlib
from pathlib import Path

import pytest
from jeton.demo import DemoError, DemoReport, run_demo
from jeton.devchain import DevChainError, LocalNode, free_port, port_is_free
from rich.console import Console

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


# ---------------------------------------------------------------------- LocalNode


def test_local_node_starts_answers_advances_and_stops():
    with LocalNode() as node:
        assert node.running
        url, pid = node.url, node.pid
        port = int(url.rsplit(":", 1)[1])
        assert node.rpc("eth_chainId") == hex(31337)
        assert node.chain_id() == 31337
        before = node.timestamp()
        assert node.advance(3 * 86_400) >= before + 3 * 86_400
        height = node.block_number()
        assert node.mine(7) == height + 7
        assert not port_is_free(port)
    assert not node.running
    assert port_is_free(port)
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
    with pytest.raises(DevChainError, match="no Ethereum node answers"):
        LocalNode.attach(url)


@pytest.mark.parametrize("failure", [RuntimeError("boom"), KeyboardInterrupt()])
def test_local_node_stops_on_failure_and_ctrl_c(failure):
    node = LocalNode()
    with pytest.raises(type(failure)), node:
        pid = node.pid
        raise failure
    assert not node.running
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


# ---------------------------------------------------------------------- the demo


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    console = Console(file=io.StringIO(), width=120, record=True)
    try:
        report = run_demo(workers=2, tasks=3, seed=7, out_dir=out, console=console)
    finally:
        text = console.export_text()
        print(text)
    return report, text


@pytest.fixture(scope="module")
def data(demo):
    report, _ = demo
    return json.loads(report.json_path.read_text())


def test_report_json_parses_and_matches(demo, data):
    report, _ = demo
    assert isinstance(report, DemoReport)
    assert report.json_path.name == "report.json"
    assert data["schema"] == "jeton-demo-report/1"
    assert data["parameters"] == {**data["parameters"], "workers": 2, "tasks": 3, "seed": 7}
    assert data["parameters"]["started_node"] is True
    assert data["accounting"] == report.data["accounting"]
    assert [w["name"] for w in data["workers"]] == ["Ada", "Bao"]


def test_every_deposit_is_accounted_for(data):
    tasks = data["tasks"]
    assert tasks and all(t["final"] for t in tasks)
    deposits = sum(t["amount"] for t in tasks)
    out = sum(t["worker_amount"] + t["fee"] + t["refund"] for t in tasks)
    assert out == deposits
    for t in tasks:
        assert t["worker_amount"] + t["fee"] + t["refund"] == t["amount"], t
    acc = data["accounting"]
    assert acc["escrow_balance"] == 0
    assert acc["deposits"] == deposits
    assert acc["paid_to_workers"] + acc["fees_to_treasury"] + acc["refunds_to_clients"] == deposits
    assert acc["balanced"] is True
    # The workers' table agrees with the tasks' outcomes, and with what the story followed.
    assert sum(w["earned"] for w in data["workers"]) == acc["paid_to_workers"]
    assert sum(w["fees_paid"] for w in data["workers"]) == acc["fees_to_treasury"]
    for w in data["workers"]:
        assert (w["tracked_earned"], w["tracked_points"]) == (w["earned"], w["reputation"]), w
    # Every part of the story happened once.
    outcomes = [t["outcome"] for t in tasks]
    assert outcomes.count("released") == 1
    assert outcomes.count("reclaimed") == 1
    resolved = [t for t in tasks if t["outcome"] == "resolved"]
    assert len(resolved) == 1 and resolved[0]["worker_share_bps"] == 6_000


def test_fee_changed_only_after_the_timelock(data):
    fee = data["fee_change"]
    assert fee["executed_at"] >= fee["queued_at"] + fee["delay"]
    assert fee["delay"] > 0
    assert fee["fee_after_bps"] == fee["fee_before_bps"] - 100
    before, after = fee["task_before"], fee["task_after"]
    assert before["posted_block"] < fee["executed_block"] <= after["posted_block"]
    assert before["fee_bps"] == fee["fee_before_bps"]
    assert after["fee_bps"] == fee["fee_after_bps"]
    assert before["fee"] == before["amount"] * fee["fee_before_bps"] // 10_000
    assert after["fee"] == after["amount"] * fee["fee_after_bps"] // 10_000
    # Every task posted before the execution kept the old fee, every later one the new.
    for task in data["tasks"]:
        posted_before = task["posted_block"] < fee["executed_block"]
        expected = fee["fee_before_bps"] if posted_before else fee["fee_after_bps"]
        assert task["fee_bps"] == expected, task
    first = data["proposals"][0]
    assert first["id"] == fee["proposal_id"]
    assert first["state"] == "executed"
    assert first["for"] > first["against"] > 0
    assert first["for"] + first["abstain"] >= first["quorum"]
    # Tokens and reputation both counted: the workers' votes carry some of each.
    workers = {w["address"] for w in data["workers"]}
    worker_votes = [v for v in first["voters"] if v["address"] in workers]
    assert worker_votes and all(v["reputation_votes"] > 0 for v in worker_votes)
    assert all(v["token_votes"] > 0 for v in worker_votes)


def test_reserved_task_went_to_the_worker_who_reached_the_tier(data):
    reserved = data["reserved_task"]
    threshold = data["tier_thresholds"][0]
    assert reserved["min_reputation"] == threshold
    assert reserved["points_at_claim"] >= threshold
    task = next(t for t in data["tasks"] if t["id"] == reserved["task_id"])
    assert task["role"] == "reserved"
    assert task["min_reputation"] == threshold
    assert task["worker"] == reserved["worker"]
    assert task["claim_block"] == reserved["claim_block"]
    assert task["outcome"] == "approved"
    holder = next(w for w in data["workers"] if w["address"] == reserved["worker"])
    assert holder["tier"] >= 1
    # Before reaching the tier, a newcomer's claim was refused without a transaction.
    assert any(r["error"] == "ReputationTooLow" for r in data["refusals"])


def test_out_of_bounds_fee_failed_at_execution_and_changed_nothing(data):
    oob = data["out_of_bounds"]
    assert oob["proposed_bps"] > oob["max_bps"]
    assert oob["error"] == "RuleOutOfBounds"
    assert oob["tx_sent"] is False and oob["block_before"] == oob["block_after"]
    assert oob["fee_before_bps"] == oob["fee_after_bps"] == data["fee_change"]["fee_after_bps"]
    assert oob["state"] == "queued"
    second = next(p for p in data["proposals"] if p["id"] == oob["proposal_id"])
    # By the end of the story (the tools' act waits out a week's notice and more), its grace
    # period after its ETA (14 days) is over: refused at execution, it can never run.
    assert second["state"] == "expired"


def test_gas_of_each_kind_was_collected(data):
    kinds = set(data["gas"])
    assert {
        "post task",
        "claim",
        "submit",
        "approve",
        "release",
        "reclaim",
        "dispute",
        "resolve",
        "delegate",
        "propose",
        "vote",
        "queue",
        "execute",
        "collect rewards",
    } <= kinds
    for kind, gas in data["gas"].items():
        assert gas["count"] >= 1 and gas["min"] <= gas["mean"] <= gas["max"], kind
        assert gas["min"] >= 21_000, kind


def test_charts_are_valid_pngs(demo, data):
    report, _ = demo
    assert {p.name for p in report.charts} >= {"earnings.png", "votes.png"}
    assert [Path(c) for c in data["charts"]] == report.charts
    for path in report.charts:
        width, height = _check_png(path.read_bytes())
        assert width >= 300 and height >= 200, path


def test_the_story_is_told_step_by_step(demo):
    _, text = demo
    for words in (
        "Start a local chain",
        "Deploy the whole system",
        "refused before sending",
        "ReputationTooLow",
        "review period",
        "reclaims",
        "splits",
        "timelock",
        "RuleOutOfBounds",
        "Report",
        "every deposit accounted for",
    ):
        assert words in text, words


def test_a_failed_step_is_named_with_its_reason(tmp_path):
    dead = f"http://127.0.0.1:{free_port()}"
    console = Console(file=io.StringIO(), width=120, record=True)
    with pytest.raises(DemoError) as info:
        run_demo(rpc_url=dead, out_dir=tmp_path, console=console)
    assert info.value.step == 1
    assert "no Ethereum node answers" in str(info.value)
    assert "Step 1 failed" in console.export_text()


def _check_png(blob: bytes) -> tuple[int, int]:
    """Walk a PNG's chunks, checking each CRC; returns (width, height)."""
    assert blob[:8] == PNG_SIGNATURE
    offset, chunks, size = 8, [], (0, 0)
    while offset < len(blob):
        (length,) = struct.unpack(">I", blob[offset : offset + 4])
        kind = blob[offset + 4 : offset + 8]
        body = blob[offset + 8 : offset + 8 + length]
        (crc,) = struct.unpack(">I", blob[offset + 8 + length : offset + 12 + length])
        assert zlib.crc32(kind + body) == crc, kind
        if kind == b"IHDR":
            size = struct.unpack(">II", body[:8])
        chunks.append(kind)
        offset += 12 + length
    assert chunks[0] == b"IHDR" and chunks[-1] == b"IEND" and b"IDAT" in chunks
    return size


def test_the_dao_raised_a_tool_s_price_by_one_step_and_earlier_credits_kept_their_value(data):
    c = data["credits"]
    assert c["name"] == "AI translation aid"
    # The largest step a vote may take: +25%, announced a week ahead.
    assert c["price_after"] == c["price_before"] * (10_000 + c["max_rise_bps"]) // 10_000
    assert c["rise_effective_at"] == c["rise_executed_at"] + 7 * 86_400
    assert c["price_during_notice"] == c["price_before"]
    # The units bought before the rise: bought, partly used, and used after it at their price.
    assert c["bought_cost"] == c["bought_units"] * c["price_before"]
    held = c["held_at_rise"]
    assert held["units"] == c["bought_units"] - c["used_before_units"]
    assert held["paid"] == held["units"] * c["price_before"]
    assert c["used_after_value"] == c["used_after_units"] * c["price_before"]
    # New units pay the new price.
    assert c["bought_after_cost"] == c["bought_after_units"] * c["price_after"]
    # The provider earned the used units' price less the DAO's 5% cut; the treasury the cut.
    used = (c["used_before_units"] + c["used_after_units"]) * c["price_before"]
    assert c["provider_proceeds"] == used * 95 // 100
    assert c["cut_swept"] + 1 == used * 5 // 100
    # A doubling was refused before it was proposed.
    assert any(r["error"] == "RuleStepTooLarge" for r in data["refusals"])
    proposals = [p for p in data["proposals"] if "AI translation aid" in p["change"]]
    assert [p["state"] for p in proposals] == ["executed", "executed"]
    assert {"buy credits (permit)", "consume credits"} <= set(data["gas"])
