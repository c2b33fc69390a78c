"""The web app in a real headless Chromium: a client and a worker take a task from post to
paid, each in their own browser context with their own injected wallet; a declined signature
and a call that would revert send nothing; a worker claims a task by keyboard alone.

Every figure the page shows is checked against the chain, and every test ends with no error
in the browser's console.
"""

import json

from browser import (
    act,
    close_panel,
    confirm,
    connect,
    field,
    wait_for_view,
)
from eth_utils import keccak
from helpers import run_json
from jeton.errors import error_class

WAD = 10**18
DAY = 86_400


def nonce(chain, account):
    return chain.provider.web3.eth.get_transaction_count(account.address)


def test_a_task_from_post_to_paid_in_two_browsers(
    person, web, accounts, chain, jtn, escrow, reputation, tmp_path, run
):
    client, worker = accounts[1], accounts[4]
    c, w = person(client), person(worker)
    jtn.transfer(worker, 50 * WAD, sender=client)  # the worker holds tokens: it can stake bonds
    client_before, worker_before = jtn.balanceOf(client), jtn.balanceOf(worker)

    # The client posts 100 JTN: a permit signature, then one transaction.
    connect(c, web, "post")
    brief = "Translate the onboarding guide into Spanish"
    c.page.fill("#post-amount", "100")
    c.page.fill("#post-deadline", "7")
    c.page.fill("#post-brief", brief)
    c.page.click("[data-role=post]")
    assert confirm(c.page) == "done"
    assert c.wallet.signed() == ["eth_signTypedData_v4", "eth_sendTransaction"]
    task_id = int(field(c.page, "posted-task").inner_text().removeprefix("task #"))
    posted = escrow.getTask(task_id)
    assert posted.amount == 100 * WAD and posted.client == client.address
    assert posted.feeBps == 500 and posted.bondBps == 1000  # the DAO's default claim bond
    assert jtn.balanceOf(client) == client_before - 100 * WAD

    # The worker finds it among the open tasks, marked as one they may claim, and claims it.
    connect(w, web, "tasks")
    row = w.page.locator(f"tr[data-task='{task_id}']")
    assert row.locator("[data-claimable=yes]").inner_text() == "You qualify"
    assert row.locator("[data-value]").get_attribute("data-value") == str(100 * WAD)
    row.locator(f"a[href='#/tasks/{task_id}']").click()
    wait_for_view(w.page, "task")
    assert field(w.page, "bond").get_attribute("data-value") == str(10 * WAD)
    # The claim stakes the 10 JTN bond: a permit for it, then one transaction.
    assert act(w.page, "[data-role=claim]") == "done"
    close_panel(w.page)
    assert w.wallet.signed() == ["eth_signTypedData_v4", "eth_sendTransaction"]
    assert escrow.getTask(task_id).worker == worker.address
    assert jtn.balanceOf(worker) == worker_before - 10 * WAD

    # ... delivers a file, hashed in the browser (the page never uploads it) ...
    deliverable = tmp_path / "translation-es.txt"
    deliverable.write_text("Guía de incorporación: ¡bienvenido a Jeton!\n")
    w.page.wait_for_selector("#deliver-file")
    w.page.set_input_files("#deliver-file", str(deliverable))
    digest = "0x" + keccak(deliverable.read_bytes()).hex()
    w.page.wait_for_selector(f"#deliverable-hash:has-text('{digest}')")
    w.page.click("[data-role=deliver]")
    assert confirm(w.page) == "done"
    close_panel(w.page)
    submitted = escrow.TaskSubmitted.query("*", start_block=0)
    assert "0x" + bytes(submitted.iloc[-1].event_arguments["deliverableHash"]).hex() == digest

    # ... and the client approves: the worker is paid, less the fee locked at posting.
    c.goto(web, f"tasks/{task_id}")
    wait_for_view(c.page, "task")
    assert act(c.page, "[data-role=approve]") == "done"
    fee, reward = 5 * WAD, 5 * WAD // 2
    assert jtn.balanceOf(worker) == worker_before + 95 * WAD  # paid, and the bond back
    assert escrow.rewardsOwed(worker) == reward

    # The worker's page shows the chain's figures: balance, reputation, rewards to collect.
    block = chain.blocks.head.number
    w.goto(web, f"tasks/{task_id}")
    wait_for_view(w.page, "task", block)
    header = w.page.locator("#account")
    header.locator(f"[data-field=balance][data-value='{jtn.balanceOf(worker)}']").wait_for()
    points = reputation.pointsOf(worker)
    assert points > 0
    assert header.locator("[data-field=reputation]").get_attribute("data-value") == str(points)
    assert header.locator("[data-field=rewards]").get_attribute("data-value") == str(reward)

    # Its history is the timeline `jeton tasks show` prints, in the same words.
    timeline = run_json(run, "tasks", "show", task_id)["timeline"]
    rows = w.page.locator("#timeline tbody tr")
    assert rows.count() == len(timeline) == 4
    for i, event in enumerate(timeline):
        cells = rows.nth(i).locator("td")
        assert cells.nth(2).inner_text() == event["name"]
        assert cells.nth(3).inner_text() == event["summary"]

    # The public profile: reputation, tier, tasks done, the payout.
    w.goto(web, f"accounts/{worker.address}")
    wait_for_view(w.page, "account")
    assert field(w.page, "profile-reputation").get_attribute("data-value") == str(points)
    assert field(w.page, "profile-tasks-done").inner_text() == "1"
    assert field(w.page, "profile-earned").inner_text() == "95.00 JTN"
    assert w.page.locator("#payouts tbody tr").count() == 1
    assert w.page.locator("figure.chart svg path.line").count() == 1

    # The worker collects the work reward from the header.
    assert act(w.page, "[data-role=collect]") == "done"
    assert jtn.balanceOf(worker) == worker_before + 95 * WAD + reward
    assert escrow.rewardsOwed(worker) == 0
    # Net outcome: the client paid 100, the worker got 95 and the reward (its bond back), the
    # DAO the fee.
    assert jtn.balanceOf(client) == client_before - 100 * WAD
    assert fee == 100 * WAD * posted.feeBps // 10_000


def test_a_declined_signature_sends_nothing(person, web, accounts, chain, jc, escrow):
    client, worker = accounts[1], accounts[5]
    task = jc.tasks.post(
        40 * WAD, deadline=jc.block_timestamp() + 5 * DAY, spec="Label photos", bond_bps=0
    )

    # The worker first declines to connect: the page says so and stays read-only.
    w = person(worker)
    w.wallet.decline.append("eth_requestAccounts")
    w.goto(web, f"tasks/{task.id}")
    w.page.click("[data-role=connect]")
    w.page.wait_for_selector("[data-banner=wallet]:has-text('You declined the connection')")
    assert w.page.locator("#account").get_attribute("data-wallet") == "disconnected"

    # Then declines the transaction in the wallet: the page says so, nothing is sent.
    connect(w, web, f"tasks/{task.id}")
    before = nonce(chain, worker)
    w.wallet.decline.append("eth_sendTransaction")
    assert act(w.page, "[data-role=claim]") == "declined"
    assert "You declined the transaction" in field(w.page, "declined").inner_text()
    assert "nothing was sent" in field(w.page, "declined").inner_text()
    assert nonce(chain, worker) == before
    assert escrow.getTask(task.id).status == 1  # still open

    # The client declines the permit signature of a new task: no transaction either.
    c = person(client)
    connect(c, web, "post")
    c.page.fill("#post-amount", "12.5")
    c.page.fill("#post-brief", "Proofread the FAQ")
    c.wallet.decline.append("eth_signTypedData_v4")
    before, count = nonce(chain, client), escrow.taskCount()
    c.page.click("[data-role=post]")
    assert confirm(c.page) == "declined"
    assert "You declined the signature" in field(c.page, "declined").inner_text()
    assert c.wallet.signed() == ["eth_signTypedData_v4"]
    assert nonce(chain, client) == before and escrow.taskCount() == count


def test_a_call_that_would_revert_shows_the_named_error_and_sends_nothing(
    person, web, accounts, chain, jc, jw
):
    task = jc.tasks.post(
        40 * WAD, deadline=jc.block_timestamp() + 5 * DAY, spec="Fix the bug", bond_bps=0
    )
    late = accounts[5]
    tab = person(late)
    connect(tab, web, f"tasks/{task.id}")
    tab.page.wait_for_selector("[data-role=claim]")

    # Another worker claims it first; the page still offers the claim.
    jw.tasks.claim(task.id)
    before = nonce(chain, late)
    assert act(tab.page, "[data-role=claim]") == "refused"
    assert field(tab.page, "error-name").inner_text() == "TaskNotOpen"
    expected = error_class("TaskNotOpen")({"taskId": task.id, "status": 2}, contract="TaskEscrow")
    assert field(tab.page, "error-text").inner_text() == expected.explanation
    assert "Nothing was sent." in tab.page.locator("#action").inner_text()
    assert nonce(chain, late) == before
    assert tab.wallet.signed() == []


def test_a_worker_claims_a_task_by_keyboard_alone(person, web, accounts, chain, jc, escrow):
    task = jc.tasks.post(
        25 * WAD, deadline=jc.block_timestamp() + 5 * DAY, spec="Subtitles", bond_bps=0
    )
    worker = accounts[6]
    tab = person(worker)
    page = tab.page
    tab.goto(web, "tasks")
    wait_for_view(page, "tasks")

    def tab_to(selector: str) -> None:
        for _ in range(80):
            page.keyboard.press("Tab")
            if page.evaluate(f"document.activeElement.matches({json.dumps(selector)})"):
                return
        raise AssertionError(f"Tab never reached {selector}")

    tab_to("[data-role=connect]")
    page.keyboard.press("Enter")
    page.wait_for_selector("#account[data-wallet=connected] [data-field=balance]")
    tab_to(f"a[href='#/tasks/{task.id}']")
    page.keyboard.press("Enter")
    wait_for_view(page, "task")
    page.wait_for_selector("[data-role=claim]")
    tab_to("[data-role=claim]")
    page.keyboard.press("Enter")
    # The panel puts the focus on its own buttons: Enter goes on.
    page.wait_for_selector("#action[data-state=review] [data-field=cost]")
    assert page.evaluate("document.activeElement.dataset.role") == "go"
    page.keyboard.press("Enter")
    page.wait_for_selector("#action[data-state=done]")
    assert escrow.getTask(task.id).worker == worker.address
    page.keyboard.press("Escape")
    page.wait_for_selector("#action", state="hidden")


def test_cancel_dispute_release_and_reclaim_from_the_page(
    person, web, accounts, chain, jc, jw, escrow, jtn
):
    client, worker = accounts[1], accounts[4]
    jtn.transfer(worker, 50 * WAD, sender=client)  # for the claim bonds (10% of each task)
    now = jc.block_timestamp()
    to_cancel = jc.tasks.post(10 * WAD, deadline=now + 5 * DAY, spec="cancel me")
    to_dispute, to_release = (
        jc.tasks.post(20 * WAD, deadline=now + 5 * DAY, spec=spec) for spec in ("a", "b")
    )
    for task in (to_dispute, to_release):
        jw.tasks.claim(task.id)
        jw.tasks.submit(task.id, "ipfs://work")
    to_reclaim = jc.tasks.post(30 * WAD, deadline=now + DAY, spec="never delivered")
    jw.tasks.claim(to_reclaim.id)

    # The client cancels an open task (the deposit comes back) and disputes a delivery.
    c = person(client)
    connect(c, web, f"tasks/{to_cancel.id}")
    before = jtn.balanceOf(client)
    assert act(c.page, "[data-role=cancel-task]") == "done"
    assert escrow.getTask(to_cancel.id).status == 6  # cancelled
    assert jtn.balanceOf(client) == before + 10 * WAD
    c.goto(web, f"tasks/{to_dispute.id}")
    wait_for_view(c.page, "task")
    before = jtn.balanceOf(client)
    assert act(c.page, "[data-role=dispute]") == "done"
    assert escrow.getTask(to_dispute.id).status == 4  # disputed
    assert jtn.balanceOf(client) == before - 2 * WAD  # a dispute bond as large as the claim's
    assert c.wallet.signed().count("eth_signTypedData_v4") == 1  # its permit

    # Four days later: the review period (three days) and the other task's deadline are over.
    chain.pending_timestamp += 4 * DAY
    chain.mine()
    block = chain.blocks.head.number
    w = person(worker)
    connect(w, web, f"tasks/{to_release.id}")
    wait_for_view(w.page, "task", block)
    earned = jtn.balanceOf(worker)
    assert act(w.page, "[data-role=release]") == "done"
    assert escrow.getTask(to_release.id).status == 5  # completed
    assert jtn.balanceOf(worker) == earned + 19 * WAD + 2 * WAD  # less the 5% fee; bond back
    c.goto(web, f"tasks/{to_reclaim.id}")
    wait_for_view(c.page, "task", block)
    before = jtn.balanceOf(client)
    assert act(c.page, "[data-role=reclaim]") == "done"
    assert escrow.getTask(to_reclaim.id).status == 7  # expired
    assert jtn.balanceOf(client) == before + 30 * WAD + 3 * WAD  # and the claimant's bond
