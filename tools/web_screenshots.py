"""Screenshots of the web app's main screens, for the README (docs/web-*.png).

Starts `jeton web --demo` (a local chain with the demo economy and work in progress), opens the
app in the headless Chromium that `make browser` unpacks, with the browser tests' injected
wallet holding a demo worker's or client's address, and saves each screen. Nothing is signed:
the screens are read views and the review of an action before signing.

    make web browser && .venv/bin/python tools/web_screenshots.py
"""

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from browser import LAUNCH_ARGS, BrowserWallet, chromium_path, open_tab, served  # noqa: E402
import requests  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

DOCS = ROOT / "docs"
LUMEN = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"  # the demo's first client (test account 1)


def main() -> None:
    tools = f"{ROOT / 'node_modules/.bin'}:{ROOT / '.venv/bin'}"
    env = {**os.environ, "PATH": f"{tools}:{os.environ['PATH']}"}
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/jeton"), "--json", "web", "--demo"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
    )
    try:
        where = served(server)
        report = json.loads((ROOT / "out/web-demo/report.json").read_text())
        translator = report["credits"]["translator"]
        buyer = next(w["address"] for w in report["workers"] if w["name"] == translator)
        shoot(where["url"], where["rpc"], report["workers"][0]["address"], buyer)
    finally:
        os.killpg(server.pid, signal.SIGINT)
        server.wait(timeout=30)


def shoot(url: str, rpc: str, ada: str, translator: str) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=LAUNCH_ARGS)

        def person(address: str, width: int = 1200, height: int = 820):
            viewport = {"width": width, "height": height}
            tab = open_tab(browser, BrowserWallet(address, rpc), viewport=viewport)
            tab.goto(url, "tasks")
            tab.page.click("[data-role=connect]")
            tab.page.wait_for_selector("#account[data-wallet=connected] [data-field=balance]")
            return tab

        def show(tab, route: str, view: str) -> None:
            tab.goto(url, route)
            tab.page.wait_for_selector(f"main[data-view={view}]:not([aria-busy])")

        def save(tab, name: str, full: bool = True) -> None:
            tab.page.wait_for_timeout(300)
            tab.page.screenshot(path=str(DOCS / name), full_page=full)
            print(DOCS / name)

        worker = person(ada)
        show(worker, "tasks", "tasks")
        save(worker, "web-tasks.png")
        # The open task that asks no claim bond: its claim needs no permit, so the review of
        # the claim (what happens, and its cost) is the first thing the panel shows.
        listed = requests.get(f"{url}api/tasks", params={"for": ada}, timeout=30).json()
        task_id = next(t["id"] for t in listed["tasks"] if t.get("claimable") and t["bond"] == "0")
        show(worker, f"tasks/{task_id}", "task")
        worker.page.click("[data-role=claim]")
        worker.page.wait_for_selector("#action[data-state=review] [data-field=cost]")
        save(worker, "web-claim.png", full=False)
        show(worker, f"accounts/{ada}", "account")
        save(worker, "web-profile.png")

        member = person(LUMEN)
        proposals = requests.get(f"{url}api/proposals", timeout=30).json()["proposals"]
        open_vote = next(p["number"] for p in proposals if p["state"] == "active")
        show(member, f"proposals/{open_vote}", "proposal")
        member.page.fill("#vote-reason", "Cheaper tasks bring more work to all of us")
        save(member, "web-proposal.png")
        show(member, "proposals", "proposals")
        member.page.fill("#propose-fee", "20")
        member.page.click("[data-role=propose]")
        member.page.wait_for_selector("#propose-problem:not([hidden])")
        member.page.locator("#propose-form").scroll_into_view_if_needed()
        save(member, "web-refused.png", full=False)
        show(member, "rules", "rules")
        save(member, "web-rules.png")

        # The translator of the demo's last act: the AI aid, its price after the DAO's rise,
        # the credits bought before it and their uses.
        buyer = person(translator)
        show(buyer, "tools/1", "tool")
        save(buyer, "web-tools.png")

        phone = person(ada, width=375, height=812)
        show(phone, "tasks", "tasks")
        save(phone, "web-mobile.png", full=False)
        for tab in (worker, member, buyer, phone):
            assert not tab.errors, tab.errors
        browser.close()


if __name__ == "__main__":
    main()
