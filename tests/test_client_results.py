"""What the library returns reads in tokens and dates when printed, and keeps its integers as
fields: accounts, tasks, payouts, earnings, proposals, votes and rules; one date format (ISO
8601 in UTC, with "in 2 days" / "2 days ago" by the chain's clock); amounts exact at any size.
"""

from helpers import mine_past
from jeton.account import AccountSummary, Earnings, WorkHistory
from jeton.formatting import format_relative, format_time, iso_time
from jeton.tasks import Task
from jeton.types import Timestamp
from jeton.units import TokenAmount, TokenInfo, format_eth, from_base_units

WAD = 10**18
DAY = 86_400


# ------------------------------------------------------------------ values, no chain needed


def test_one_date_format_with_how_far_it_is():
    assert iso_time(1_796_000_000) == "2026-11-30T00:53:20Z"
    assert format_time(1_796_000_000) == "2026-11-30T00:53:20Z"
    assert format_time(1_796_000_000, now=1_796_000_000 - 2 * DAY) == (
        "2026-11-30T00:53:20Z (in 2 days)"
    )
    assert format_relative(-3 * 3600) == "3 hours ago"
    assert format_relative(DAY + 6 * 3600) == "in 1 day 6 hours"
    assert format_relative(2 * DAY + 5 * 3600) == "in 2 days"
    assert format_relative(0) == "now"
    stamp = Timestamp(1_796_000_000, now=1_796_000_000 + 90)
    assert stamp == 1_796_000_000 and str(stamp) == "2026-11-30T00:53:20Z (1 minute 30 seconds ago)"


def test_token_amounts_print_in_tokens_and_stay_ints():
    amount = TokenAmount(12_500_000, 6, "USD")
    assert amount == 12_500_000 and amount + 1 == 12_500_001
    assert str(amount) == "12.5 USD"
    assert str(TokenAmount(2**96, 18, "JTN")) == "79,228,162,514.264337593543950336 JTN"
    assert str(from_base_units(2**256 - 1, 18)).endswith(".584007913129639935")  # exact
    assert TokenInfo("0x" + "00" * 20, "JTN", 18).format(1234 * WAD // 10) == "123.40 JTN"
    assert (format_eth(0), format_eth(15 * WAD // 10), format_eth(315 * 10**12)) == (
        "0 ETH",
        "1.5 ETH",
        "0.000315 ETH",
    )


def test_summary_objects_print_in_tokens():
    summary = AccountSummary(
        address="0xAb",
        balance=1234 * WAD // 2,
        eth_balance=WAD,
        votes=700 * WAD,
        token_votes=617 * WAD,
        delegate="0xAb",
        reputation=150,
        tier=1,
        tier_name="skilled",
        next_tier_points=1000,
        rewards_owed=WAD // 4,
    )
    assert summary.balance == 617 * WAD  # the integer, as a field
    assert str(summary) == (
        "0xAb: 617.00 JTN and 1 ETH; 700 votes (617 from tokens, delegated to itself); 150 "
        "reputation points, tier 1 skilled, next tier at 1,000; 0.25 JTN of rewards to collect"
    )
    empty = Earnings(address="0xAb", tasks=0)
    assert str(empty) == (
        "0xAb: 0 tasks paid, 0.00 JTN earned (fees 0.00 JTN), 0.00 JTN of work rewards, "
        "+0 reputation points"
    )


# ------------------------------------------------------------------ from the chain


def test_tasks_payouts_and_earnings_print_in_their_tokens(jc, jw, usd):
    now = jc.block_timestamp()
    in_jtn = jc.tasks.post(20 * WAD, deadline=now + 3 * DAY, spec="a", bond_bps=0)
    in_usd = jc.tasks.post(
        10 * 10**6, deadline=now + 3 * DAY, spec="b", token=usd.address, bond_bps=0
    )
    assert isinstance(in_usd, Task) and in_usd.amount == 10 * 10**6
    assert (in_usd.token_symbol, in_usd.token_decimals) == ("USD", 6)
    text = str(in_usd)
    assert text.startswith(
        f"task {in_usd.id} (open): 10.00 USD, fee 5.00%, claim bond 0.00%, deadline 20"
    )
    assert f"client {jc.address}" in text
    for task in (in_jtn, in_usd):
        jw.tasks.claim(task.id)
        jw.tasks.submit(task.id, "ipfs://done")
        jc.tasks.approve(task.id)
    history = jw.me.history()
    assert isinstance(history, WorkHistory)
    first, second = history.payouts
    assert first.worker_amount == 19 * WAD and first.timestamp >= now
    assert str(first).startswith(f"task {in_jtn.id}, approved on 20")
    assert "19.00 JTN paid (fee 1.00 JTN), reward 0.50 JTN, +10 points" in str(first)
    assert "9.50 USD paid (fee 0.50 USD), reward 0.00 JTN" in str(second)
    earnings = history.earnings
    assert earnings == jw.me.earnings()
    assert str(earnings) == (
        f"{jw.address}: 2 tasks paid, 19.00 JTN and 9.50 USD earned (fees 1.00 JTN and "
        "0.50 USD), 0.50 JTN of work rewards, +15 reputation points"
    )
    assert str(history).splitlines()[1:] == [f"  {first}", f"  {second}"]
    assert "15 reputation points, tier 0 newcomer" in str(jw.me.summary())


def test_proposals_votes_and_rules_print_in_words(connect, deployer, client):
    chair, member = connect(deployer), connect(client)
    for m in (chair, member):
        m.gov.delegate()
    proposal = chair.gov.propose_fee(450, "Lower")
    mine_past(proposal.snapshot)
    member.gov.vote(proposal.id, "for", reason="cheaper")
    proposal = chair.gov.proposal(proposal.id)
    assert str(proposal).startswith(
        "#1 (active): set the platform fee from 5.00% to 4.50%; for 10,000,000, against 0, "
        "abstain 0 (quorum 1,200,000, reached)"  # 4% of the 30M outside the treasury
    )
    (vote,) = chair.gov.votes(proposal.id)
    assert str(vote) == f'{client.address} voted for with 10,000,000 votes: "cheaper"'
    assert str(proposal.changes[0]) == "set the platform fee from 5.00% to 4.50%"
    fee = chair.gov.rules()[0]
    assert fee.value == 500
    assert str(fee) == (
        "the platform fee: 5.00% (bounds 0.00% to 10.00%, step 1.00%; last changed never "
        "(set at deployment))"
    )
