"""`tuific serve`: its arguments, and the app in a real headless browser (chromium)."""

from __future__ import annotations

import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tuific.cli import main
from tuific.serve import app_command

ROOT = Path(__file__).resolve().parents[1]

# Records what the page receives over its websocket: the app's output, whatever the
# terminal widget (a canvas) does with it.
RECORD_WEBSOCKET = r"""
window.__received = "";
const RealWebSocket = window.WebSocket;
window.WebSocket = function (...args) {
  const socket = new RealWebSocket(...args);
  const decoder = new TextDecoder();
  socket.addEventListener("message", (event) => {
    if (typeof event.data === "string") { window.__received += event.data; }
    else if (event.data instanceof ArrayBuffer) { window.__received += decoder.decode(event.data); }
    else if (event.data instanceof Blob) {
      event.data.arrayBuffer().then((b) => { window.__received += decoder.decode(b); });
    }
  });
  return socket;
};
window.WebSocket.prototype = RealWebSocket.prototype;
Object.assign(window.WebSocket, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 });
"""


def test_serve_refuses_a_missing_path(tmp_path, capsys):
    assert main(["serve", str(tmp_path / "nowhere")]) == 2
    assert "no such file or folder" in capsys.readouterr().err


def test_serve_runs_the_app_on_the_path_given(tmp_path):
    path = tmp_path / "my lib"
    assert shlex.split(app_command(path)) == [sys.executable, "-m", "tuific", str(path)]
    assert shlex.split(app_command(None)) == [sys.executable, "-m", "tuific"]


@pytest.mark.parametrize("port", ["0", "65536", "http"])
def test_serve_refuses_a_port_that_cannot_be(port, capsys):
    with pytest.raises(SystemExit) as exit:
        main(["serve", "--port", port])
    assert exit.value.code == 2
    assert "port" in capsys.readouterr().err


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.25)
    return False


def _listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.fixture
def browser():
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver_path = shutil.which("chromedriver")
    if chromium is None or driver_path is None:
        pytest.skip("needs chromium and chromedriver (apt-get install chromium chromium-driver)")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in (
        "--headless=new",
        "--no-sandbox",  # CI runs as root
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--window-size=1200,800",
    ):
        options.add_argument(argument)
    from selenium.webdriver.chrome.service import Service

    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def server(tmp_path):
    """`tuific serve` on a free port; its apps get the test's own state folders."""
    pytest.importorskip("textual_serve", reason="textual-serve is not installed")
    library = tmp_path / "lib"
    library.mkdir()
    (library / "alder.txt").write_text(
        "Title: Alder Song\nAuthor: Rowan\n\nThe heron stood in the shallows.", encoding="utf-8"
    )
    (library / "birch.txt").write_text(
        "Title: Birch Road\nAuthor: Rowan\n\nSnow on the road.", encoding="utf-8"
    )
    port = _free_port()
    log = (tmp_path / "serve.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "tuific", "serve", "--port", str(port), str(library)],
        cwd=ROOT,  # `python -m tuific` in the served tab then runs this checkout
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # the server and the apps it starts, stopped together
    )
    try:
        if not _wait_for(lambda: _listening(port) or process.poll() is not None, 30):
            pytest.fail("tuific serve did not start listening")
        if process.poll() is not None:
            pytest.fail("tuific serve stopped: " + (tmp_path / "serve.log").read_text())
        yield f"http://127.0.0.1:{port}/"
    finally:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=10)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()
    assert not _listening(port)


def test_the_app_in_a_headless_browser_lists_and_opens_a_story(browser, server):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": RECORD_WEBSOCKET})
    browser.get(server)

    def received() -> str:
        return browser.execute_script("return window.__received") or ""

    assert _wait_for(lambda: "Alder Song" in received() and "Birch Road" in received(), 60)
    assert "heron" not in received()
    keys = browser.find_element(By.CSS_SELECTOR, ".xterm-helper-textarea")
    browser.execute_script("arguments[0].focus()", keys)  # where the terminal reads keys
    keys.send_keys(Keys.ENTER)  # open the highlighted story, the first by title
    assert _wait_for(lambda: "The heron stood in the shallows." in received(), 60)
