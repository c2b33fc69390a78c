"""`jeton web --demo`, as the README tells a newcomer to run it: a local chain with the demo
economy and work in progress, served; Ctrl-C stops the server and its node."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import requests
from browser import served as serving
from jeton.devchain import port_is_free

JETON = str(Path(sys.executable).parent / "jeton")


def test_web_demo_serves_a_living_market_and_stops_its_node(tmp_path):
    narration = tmp_path / "narration.log"  # the demo's story, on stderr with --json
    process = subprocess.Popen(
        [JETON, "--json", "web", "--demo", "--workers", "2", "--tasks", "2", "--seed", "3"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=narration.open("w"),
        text=True,
        start_new_session=True,
    )
    try:
        served = serving(process)
        assert served["chain_id"] == 31337
        assert Path(served["deployment"]).is_relative_to(tmp_path)

        def api(path, **params):
            answer = requests.get(f"{served['url']}api/{path}", params=params, timeout=30)
            assert answer.status_code == 200, answer.text
            return answer.json()

        assert requests.get(served["url"], timeout=30).status_code == 200
        statuses = [t["status"] for t in api("tasks", status="", limit=100)["tasks"]]
        assert statuses.count("open") == 4
        assert statuses.count("claimed") == 1 and statuses.count("submitted") == 1
        assert statuses.count("completed") >= 2
        states = [p["state"] for p in api("proposals")["proposals"]]
        assert states[-1] == "active" and "executed" in states
        port = int(served["rpc"].rsplit(":", 1)[1])
        assert not port_is_free(port)
    finally:
        os.killpg(process.pid, signal.SIGINT)  # Ctrl-C
        process.wait(timeout=60)
    assert process.returncode == 0, narration.read_text()[-2000:]
    assert port_is_free(port)  # its anvil stopped with it
