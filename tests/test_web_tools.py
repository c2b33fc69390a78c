"""The Tools page of the web app: the access credits in a real headless Chromium, and their
read-only API, which answers what `jeton --json services ...` answers.

A worker browses the tools, buys credits with a permit signature (then one transaction), sees
an announced rise beside the price in force, sees each use its provider records, is refused
(with the contract's error, nothing sent) when it buys more than it can pay, and takes back
what it paid for its unused credits once the DAO pauses the service. Every figure is checked
against the chain; every test ends with no error in the browser's console.
"""

import requests
from browser import act, close_panel, confirm, connect, field, wait_for_view
from helpers import DAY, run_json

WAD = 10**18
PRICE = 2 * WAD
USE = b"\x0a" * 32


def ok(base, path, **params):
    answer = requests.get(f"{base}api/{path}", params=params, timeout=30)
    assert answer.status_code == 200, answer.text
    return answer.json()


def nonce(chain, account):
    return chain.provider.web3.eth.get_transaction_count(account.address)


def test_buy_see_a_rise_and_the_uses_then_refund(
    person, web, service, buyer, provider, credits, dao, jtn, chain
):
    tab = person(buyer)
    before = jtn.balanceOf(buyer)

    # The list: the price now, no rise announced, no credits yet.
    connect(tab, web, "tools")
    wait_for_view(tab.page, "tools")
    row = tab.page.locator(f"#services tr[data-service='{service}']")
    assert row.locator("[data-field=unit-price]").get_attribute("data-value") == str(PRICE)
    assert row.locator("[data-field=next-price]").inner_text() == "—"
    assert row.locator("[data-field=credit-units]").inner_text() == "none"
    row.locator(f"a[href='#/tools/{service}']").click()
    wait_for_view(tab.page, "tool")

    # Buy 10 units: a permit signature, then one transaction.
    tab.page.fill("#buy-units", "10")
    tab.page.wait_for_selector("#buy-cost:has-text('Cost: 20.00 JTN')")
    tab.page.click("[data-role=buy]")
    assert confirm(tab.page) == "done"
    close_panel(tab.page)
    assert tab.wallet.signed() == ["eth_signTypedData_v4", "eth_sendTransaction"]
    assert tuple(credits.creditOf(service, buyer)) == (10, 20 * WAD, WAD)
    assert jtn.balanceOf(buyer) == before - 20 * WAD
    tab.page.wait_for_selector("[data-field=credit][data-value='10']")

    # The DAO announces a rise of 25%: both prices show, with the date the new one applies.
    chain.pending_timestamp = credits.getService(service).priceChangedAt + 7 * DAY
    announced = credits.setServicePrice(service, PRICE * 5 // 4, sender=dao)
    # The provider records 3 units the worker used; the worker sees the use.
    credits.consume(service, buyer, 3, USE, sender=provider)
    tab.goto(web, f"tools/{service}")
    wait_for_view(tab.page, "tool", chain.blocks.head.number)
    rise = field(tab.page, "next-price")
    assert rise.get_attribute("data-value") == str(PRICE * 5 // 4)
    assert "2.50 JTN from" in rise.inner_text()
    assert announced.timestamp + 7 * DAY > chain.blocks.head.timestamp
    assert field(tab.page, "unit-price").get_attribute("data-value") == str(PRICE)
    uses = tab.page.locator("#uses tbody tr")
    assert uses.count() == 1
    assert uses.nth(0).locator("td").nth(1).inner_text() == "3"
    assert uses.nth(0).locator("td").nth(2).inner_text() == "6.00 JTN"

    # More than the worker can pay: refused with the token's error, and nothing is sent.
    sent = nonce(chain, buyer)
    tab.page.fill("#buy-units", "1000")
    tab.page.click("[data-role=buy]")
    assert confirm(tab.page) == "refused"
    assert field(tab.page, "error-name").inner_text() == "ERC20InsufficientBalance"
    assert nonce(chain, buyer) == sent
    close_panel(tab.page)

    # The DAO pauses the service: the worker takes back what it paid for the 7 units unused.
    # (The page keeps a form being filled in as it is: the worker goes back to the list, and
    # to the service again.)
    credits.pauseService(service, sender=dao)
    tab.goto(web, "tools")
    wait_for_view(tab.page, "tools", chain.blocks.head.number)
    assert row.locator("[data-status]").get_attribute("data-status") == "paused"
    row.locator(f"a[href='#/tools/{service}']").click()
    wait_for_view(tab.page, "tool", chain.blocks.head.number)
    held = jtn.balanceOf(buyer)
    assert act(tab.page, "[data-role=refund]") == "done"
    assert field(tab.page, "outcome").inner_text() == "Refunded: 14.00 JTN is back in your wallet."
    assert jtn.balanceOf(buyer) == held + 14 * WAD
    assert tuple(credits.creditOf(service, buyer)) == (0, 0, 0)


def test_the_api_answers_what_the_command_answers(web, run, service, buyer, provider, credits):
    run("services", "buy", service, 10, as_=buyer)
    credits.consume(service, buyer, 3, USE, sender=provider)
    listed = ok(web, "services", **{"for": buyer.address})
    command = run_json(run, "services", "list")
    assert [{k: v for k, v in s.items() if k != "credit"} for s in listed["services"]] == command
    [mine] = run_json(run, "services", "balance", as_=buyer)
    assert listed["services"][0]["credit"] == mine
    one = ok(web, f"services/{service}", **{"for": buyer.address})
    shown = run_json(run, "services", "show", service, as_=buyer)
    assert {k: v for k, v in one.items() if k not in ("uses", "timestamp")} == shown
    assert one["uses"] == run_json(run, "services", "uses", as_=buyer)
    assert one["uses"][0]["units"] == "3" and one["uses"][0]["value"] == str(3 * PRICE)
    # Without an account: the services alone.
    assert "credit" not in ok(web, f"services/{service}")
    missing = requests.get(f"{web}api/services/9", timeout=30)
    assert missing.status_code == 422
    assert missing.json()["error"]["name"] == "UnknownService"
    bad = requests.get(f"{web}api/services", params={"for": "0xnope"}, timeout=30)
    assert bad.status_code == 400
