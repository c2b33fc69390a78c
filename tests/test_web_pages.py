"""The web app's pages in a real headless Chromium, without the happy path: no wallet at all
(read-only), a wallet on another chain (switched, the chain added), a node that goes down
while the page is open and comes back, and every page at 375 pixels wide.
"""

import pytest
from browser import (
    BrowserWallet,
    close_panel,
    connect,
    open_tab,
    relay,
    until,
    wait_for_view,
)
from jeton import Jeton
from jeton.web import Api, WebServer

WAD = 10**18
DAY = 86_400


@pytest.fixture
def tabs():
    opened = []
    yield opened
    for tab in opened:
        tab.assert_no_console_errors()
        tab.context.close()


def test_without_a_wallet_the_app_is_read_only(chromium, web, tabs, jc, accounts):
    task = jc.tasks.post(
        30 * WAD, deadline=jc.block_timestamp() + 3 * DAY, spec="Read-only", bond_bps=0
    )
    tab = open_tab(chromium)
    tabs.append(tab)
    tab.goto(web, "tasks")
    wait_for_view(tab.page, "tasks")
    assert tab.page.locator("#account").get_attribute("data-wallet") == "none"
    assert "browsing read-only" in tab.page.inner_text("#account")
    row = tab.page.locator(f"tr[data-task='{task.id}']")
    assert row.locator("[data-value]").get_attribute("data-value") == str(30 * WAD)
    assert row.locator("[data-claimable]").count() == 0

    tab.goto(web, f"tasks/{task.id}")
    wait_for_view(tab.page, "task")
    assert "Connect a wallet" in tab.page.inner_text("main section.actions")
    assert tab.page.locator("main section.actions button").count() == 0
    assert tab.page.locator("#timeline tbody tr").count() == 1

    for route, view in (("rules", "rules"), ("proposals", "proposals"), ("post", "post")):
        tab.goto(web, route)
        wait_for_view(tab.page, view)
    assert tab.page.locator("#propose-form").count() == 0
    tab.goto(web, f"accounts/{accounts[1].address}")
    wait_for_view(tab.page, "account")
    assert tab.page.locator("#history-posted tbody tr").count() == 1


def test_a_wallet_on_another_chain_is_asked_to_switch_and_add_it(
    chromium, web, tabs, rpc_url, accounts, jc
):
    task = jc.tasks.post(
        30 * WAD, deadline=jc.block_timestamp() + 3 * DAY, spec="Switch", bond_bps=0
    )
    wallet = BrowserWallet(accounts[4].address, rpc_url, chain_id=1, known_chains={1})
    tab = open_tab(chromium, wallet)
    tabs.append(tab)
    tab.goto(web, f"tasks/{task.id}")
    tab.page.click("[data-role=connect]")
    tab.page.wait_for_selector("#account[data-wallet=wrong-chain]")
    notice = tab.page.locator("[data-banner=chain]")
    assert "Your wallet is on chain 1; Jeton runs on chain 31337" in notice.inner_text()
    wait_for_view(tab.page, "task")
    assert "Connect a wallet on this chain" in tab.page.inner_text("main section.actions")

    notice.locator("[data-role=switch-chain]").click()
    tab.page.wait_for_selector("#account[data-wallet=connected] [data-field=balance]")
    assert tab.page.locator("[data-banner=chain]").count() == 0
    added = [params[0] for method, params in wallet.requests if method == "wallet_addEthereumChain"]
    assert added == [
        {
            "chainId": "0x7a69",
            "chainName": "Jeton local chain",
            "nativeCurrency": {"name": "Ether", "symbol": "ETH", "decimals": 18},
            "rpcUrls": [rpc_url],
        }
    ]
    assert wallet.methods().count("wallet_switchEthereumChain") == 2  # refused, then done
    tab.page.wait_for_selector("[data-role=claim]")
    assert wallet.signed() == []


def test_a_node_that_goes_down_while_the_page_is_open(
    chromium, tabs, rpc_url, deployment_file, accounts, jc
):
    task = jc.tasks.post(
        30 * WAD, deadline=jc.block_timestamp() + 3 * DAY, spec="Outage", bond_bps=0
    )
    with relay(rpc_url) as node:
        jeton = Jeton.connect(node.url, deployment=deployment_file)
        with WebServer(Api(jeton, node.url)) as server:
            server.start()
            tab = open_tab(chromium, BrowserWallet(accounts[4].address, node.url))
            tabs.append(tab)
            connect(tab, server.url, f"tasks/{task.id}")
            wait_for_view(tab.page, "task")
            tab.page.wait_for_selector("[data-role=claim]")

            node.stop()  # the node goes away
            tab.page.wait_for_selector("[data-banner=node]")
            assert "The node does not answer" in tab.page.inner_text("#banner")
            assert tab.page.locator("#footer").get_attribute("data-node") == "down"
            # The last figures stay on the page; an action says why it waits, and sends nothing.
            assert tab.page.locator(f"text=Task #{task.id}").count() == 1
            tab.page.click("[data-role=claim]")
            tab.page.wait_for_selector("#action[data-state=failed]")
            assert "The node does not answer" in tab.page.inner_text("#action")
            close_panel(tab.page)
            assert tab.wallet.signed() == []

            node.start()  # back on the same port
            tab.page.wait_for_selector("[data-banner=node]", state="detached")
            until(tab.page, "document.getElementById('footer').dataset.node === 'up'")
            jc.tasks.cancel(task.id)  # a new block: the page reads again
            tab.page.wait_for_selector("main [data-status=cancelled]")


#: (route, the view it shows)
ROUTES = (
    ("tasks", "tasks"),
    ("tasks/{task}", "task"),
    ("post", "post"),
    ("rules", "rules"),
    ("proposals", "proposals"),
    ("accounts/{worker}", "account"),
    ("me", "me"),
)


def test_every_page_fits_a_375_pixel_screen(chromium, web, tabs, rpc_url, accounts, jc, jw):
    task = jc.tasks.post(
        30 * WAD, deadline=jc.block_timestamp() + 3 * DAY, spec="Narrow", bond_bps=0
    )
    jw.tasks.claim(task.id)
    worker = accounts[4]
    tab = open_tab(
        chromium, BrowserWallet(worker.address, rpc_url), viewport={"width": 375, "height": 740}
    )
    tabs.append(tab)
    connect(tab, web, "tasks")
    for route, view in ROUTES:
        tab.goto(web, route.format(task=task.id, worker=worker.address))
        wait_for_view(tab.page, view)
        width = tab.page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"#/{route} is {width} pixels wide"
    # The action panel too.
    tab.goto(web, f"tasks/{task.id}")
    wait_for_view(tab.page, "task")
    tab.page.set_input_files(
        "#deliver-file", files=[{"name": "a.txt", "mimeType": "text/plain", "buffer": b"done"}]
    )
    tab.page.click("[data-role=deliver]")
    tab.page.wait_for_selector("#action[data-state=review] [data-field=cost]")
    assert tab.page.evaluate("document.documentElement.scrollWidth") <= 375
    tab.page.click("#action [data-role=cancel]")
    tab.page.wait_for_selector("#action", state="hidden")
