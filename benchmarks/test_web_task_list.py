"""How fast the web app's task list shows its first page with 10,000 tasks on the chain.

On a chain of its own (`own_chain`), 10,000 tasks are posted in bulk (`bulk.py`: signed by the
node for an unlocked test account,
sent in JSON-RPC batches while automatic mining is off, then mined), `jeton web` serves the
chain, and a headless Chromium loads the task list several times. The figure is the time from
the start of navigation until the list's first page is on the screen (the page marks it with
`performance.mark`). Into the benchmark's table (`make bench`).
"""

import statistics
import time

from browser import LAUNCH_ARGS, chromium_path, open_tab
from bulk import Bulk
from jeton import Jeton
from jeton.web import Api, WebServer
from playwright.sync_api import sync_playwright


def test_first_page_of_many_tasks(own_chain, scale, bench):
    rpc_url = own_chain.url
    jeton = Jeton.connect(rpc_url, deployment=own_chain.deployment)
    tasks = scale.web_tasks
    started = time.monotonic()
    escrow, token = jeton.contracts.escrow, jeton.contracts.token
    Bulk(rpc_url, escrow, token, own_chain.address(1), []).tasks(tasks, complete=False)
    assert jeton.tasks.count() == tasks
    posting = time.monotonic() - started

    api_times = []
    for _ in range(max(scale.web_loads, 3)):
        begun = time.perf_counter()
        page = jeton.tasks.page(20, status="open")
        api_times.append(time.perf_counter() - begun)
    assert [t.id for t in page.tasks] == list(range(tasks, max(tasks - 20, 0), -1))

    shown = []
    with WebServer(Api(jeton, rpc_url)) as server, sync_playwright() as playwright:
        server.start()
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=LAUNCH_ARGS)
        for _ in range(scale.web_loads):
            tab = open_tab(browser)
            tab.page.goto(f"{server.url}#/tasks")
            tab.page.wait_for_selector(f"tr[data-task='{tasks}']")
            assert tab.page.locator("#task-list tbody tr").count() == min(tasks, 20)
            mark = "performance.getEntriesByName('jeton:view:tasks')[0].startTime"
            shown.append(tab.page.evaluate(mark))
            tab.assert_no_console_errors()
            tab.context.close()
        browser.close()

    bench.add(
        "web app",
        "web.first_page",
        f"task list's first page on screen, {tasks:,} tasks on the chain (browser, "
        f"{scale.web_loads} loads; worst {max(shown):.0f} ms)",
        statistics.median(shown),
        "ms",
    )
    bench.add(
        "web app",
        "web.library_page",
        f"  the library's first page of open tasks (tasks.page; {tasks:,} posted in "
        f"{posting:.0f} s)",
        statistics.median(api_times) * 1000,
        "ms",
    )
