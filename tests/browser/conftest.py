"""Browser tests: the real server (``patentbridge serve`` with its worker) on a fresh demo data
directory, driven by Debian's headless Chromium through Playwright (no downloaded browser)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
# Flags for a root user in a closed network (see the machine notes): no sandbox, no
# background networking that would try to reach Google's hosts.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """A running PatentBridge with the bundled demo data; yields its URL and demo credentials."""
    data_dir = tmp_path_factory.mktemp("pb-browser")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(
        PATENTBRIDGE_DATA_DIR=str(data_dir), PATENTBRIDGE_DATABASE_URL="", PATENTBRIDGE_TASKS="database"
    )
    # The E5 re-rank changes only the order of a need's candidates (tested in tests/web); loading
    # the model and encoding the demo's needs would cost minutes of the walk on two cores.
    env.setdefault("PATENTBRIDGE_NEED_RERANK", "off")
    init = subprocess.run(
        [sys.executable, "-m", "patentbridge", "init", "--demo"],
        env=env,
        capture_output=True,
        text=True,
        # The full demo (imports, grades, menus, pools, roadshows, navigation) takes about three
        # minutes on a quiet 2-core machine; the bound is for a hang, not for the normal run.
        timeout=900,
        check=False,
    )
    assert init.returncode == 0, init.stderr
    port = _free_port()
    log = (data_dir / "serve.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "patentbridge", "serve", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url + "/accounts/login/", timeout=2)
            break
        except OSError:
            time.sleep(0.3)
    else:
        proc.terminate()
        pytest.fail("server did not start: " + (data_dir / "serve.log").read_text())
    credentials = {}
    for line in (data_dir / "demo_credentials.txt").read_text(encoding="utf-8").splitlines():
        user, password, _ = (part.strip() for part in line.split(" / ", 2))
        credentials[user] = password
    yield {"url": url, "credentials": credentials, "data_dir": data_dir}
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("Debian chromium is not installed (make sysdeps installs it)")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Any, server: dict[str, Any]) -> Iterator[Any]:
    # Playwright's wait_for_function evaluates a string in the page, which the site's CSP (no
    # 'unsafe-eval') forbids; test_security_ui.py drives pages without this bypass.
    context = browser.new_context(
        viewport={"width": 1400, "height": 1000}, accept_downloads=True, locale="zh-CN", bypass_csp=True
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


def login(page: Any, server: dict[str, Any], username: str) -> None:
    """Sign in through the login form."""
    page.goto(server["url"] + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", server["credentials"][username])
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=total]")
