"""How fast the web app's task list shows its first page with 10,000 tasks on the chain.

10,000 tasks are posted in bulk (signed by the node for an unlocked test account, sent in
JSON-RPC batches while automatic mining is off, then mined), `jeton web` serves the chain, and
a headless Chromium loads the task list several times. The figure is the time from the start
of navigation until the list's first page is on the screen (the page marks it with
`performance.mark`). Printed, never asserted (`make bench`).
"""

import statistics
import time

import requests
from browser import LAUNCH_ARGS, chromium_path, open_tab
from jeton import Jeton
from jeton.web import Api, WebServer
from playwright.sync_api import sync_playwright

TASKS = 10_000
LOADS = 7
BATCH = 500
WAD = 10**18


def rpc(url, calls):
    """A JSON-RPC batch: [(method, params)] -> results (raising on any error)."""
    body = [{"jsonrpc": "2.0", "id": i, "method": m, "params": p} for i, (m, p) in enumerate(calls)]
    answers = sorted(requests.post(url, json=body, timeout=300).json(), key=lambda a: a["id"])
    errors = [a["error"] for a in answers if "error" in a]
    assert not errors, errors[:3]
    return [a["result"] for a in answers]


def post_in_bulk(url, escrow, token, client, count):
    """`count` tasks of 1 JTN by `client`, mined in as few blocks as the gas limit allows."""
    token.approve(escrow, count * WAD, sender=client)
    (deadline,) = rpc(url, [("eth_getBlockByNumber", ["latest", False])])
    deadline = int(deadline["timestamp"], 16) + 30 * 86_400
    data = escrow.postTask.encode_input(token, WAD, deadline, 0, b"\x01" * 32, "0x" + "00" * 20)
    (nonce,) = rpc(url, [("eth_getTransactionCount", [client.address, "latest"])])
    nonce = int(nonce, 16)
    tx = {"from": client.address, "to": escrow.address, "data": data.hex(), "gas": hex(400_000)}
    rpc(url, [("evm_setAutomine", [False])])
    try:
        for start in range(0, count, BATCH):
            size = min(BATCH, count - start)
            sends = [
                ("eth_sendTransaction", [{**tx, "nonce": hex(nonce + start + i)}])
                for i in range(size)
            ]
            rpc(url, sends)
            rpc(url, [("anvil_mine", ["0x1"])])
        while int(rpc(url, [("txpool_status", [])])[0]["pending"], 16):
            rpc(url, [("anvil_mine", ["0x1"])])
    finally:
        rpc(url, [("evm_setAutomine", [True])])


def test_first_page_of_ten_thousand_tasks(system, client, rpc_url, deployment_file):
    escrow = system.escrow
    started = time.monotonic()
    post_in_bulk(rpc_url, escrow, system.token, client, TASKS)
    assert escrow.taskCount() == TASKS
    posting = time.monotonic() - started

    jeton = Jeton.connect(rpc_url, deployment=deployment_file)
    api_times = []
    for _ in range(LOADS):
        begun = time.perf_counter()
        page = jeton.tasks.page(20, status="open")
        api_times.append(time.perf_counter() - begun)
    assert [t.id for t in page.tasks] == list(range(TASKS, TASKS - 20, -1))

    shown = []
    with WebServer(Api(jeton, rpc_url)) as server, sync_playwright() as playwright:
        server.start()
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=LAUNCH_ARGS)
        for _ in range(LOADS):
            tab = open_tab(browser)
            tab.page.goto(f"{server.url}#/tasks")
            tab.page.wait_for_selector(f"tr[data-task='{TASKS}']")
            assert tab.page.locator("#task-list tbody tr").count() == 20
            mark = "performance.getEntriesByName('jeton:view:tasks')[0].startTime"
            shown.append(tab.page.evaluate(mark) / 1000)
            tab.assert_no_console_errors()
            tab.context.close()
        browser.close()

    print()
    print(f"{TASKS:,} tasks posted in bulk in {posting:.0f} s")
    library = statistics.median(api_times) * 1000
    print(f"library, first page of open tasks (tasks.page): median {library:.0f} ms")
    print(
        f"browser, task list's first page on screen after navigation start ({LOADS} loads): "
        f"median {statistics.median(shown) * 1000:.0f} ms, worst {max(shown) * 1000:.0f} ms"
    )
