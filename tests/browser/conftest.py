"""Real-browser fixtures: a JupyterLab on a temp copy of the course, driven by headless Chromium.

Selenium drives Debian's own ``chromium`` through Debian's ``chromium-driver`` (same version,
same package source): no browser or driver is downloaded. The tests skip with the reason when
Selenium, JupyterLab, Chromium or its driver is missing (a user's machine); ``.ci/run``
installs them and sets ``CREDITLAB_REQUIRE_BROWSER=1``, under which a missing tool fails
instead of skipping (CI never skips them silently). Paths can be set with ``CREDITLAB_CHROMIUM``
and ``CREDITLAB_CHROMEDRIVER``.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from creditlab.cli import main
from creditlab.course import lab_command


def _which(env: str, *names: str) -> str | None:
    if os.environ.get(env):
        return os.environ[env]
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, proc: subprocess.Popen, timeout: float = 60.0) -> None:
    """Wait until ``url`` answers 200, or fail with the server's output."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            break
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    proc.kill()
    out = proc.stdout.read().decode(errors="replace") if proc.stdout else ""
    pytest.fail(f"server at {url} did not start in {timeout:.0f} s:\n{out[-3000:]}")


def _absent(reason: str):
    """Skip (a user's machine) or fail (CI, ``CREDITLAB_REQUIRE_BROWSER=1``)."""
    if os.environ.get("CREDITLAB_REQUIRE_BROWSER"):
        pytest.fail(f"CREDITLAB_REQUIRE_BROWSER is set but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chrome_paths():
    try:
        import selenium  # noqa: F401
    except ImportError:
        _absent("Selenium is not installed (pip install 'creditlab[test]')")
    browser = _which("CREDITLAB_CHROMIUM", "chromium", "chromium-browser", "google-chrome")
    driver = _which("CREDITLAB_CHROMEDRIVER", "chromedriver")
    if browser is None:
        _absent("no Chromium on this machine (Debian: apt-get install chromium "
                    "chromium-driver; or set CREDITLAB_CHROMIUM)")
    if driver is None:
        _absent("no chromedriver on this machine (Debian: apt-get install chromium-driver; "
                    "or set CREDITLAB_CHROMEDRIVER)")
    return browser, driver


@pytest.fixture(scope="module")
def browser(chrome_paths, tmp_path_factory):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    binary, driver = chrome_paths
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", "--window-size=1400,1000",
                 f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
        options.add_argument(flag)
    drv = webdriver.Chrome(options=options, service=Service(executable_path=driver))
    drv.set_script_timeout(120)
    yield drv
    drv.quit()


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab serving a fresh copy of the course; yields (base url, token, folder)."""
    try:
        import jupyterlab  # noqa: F401
    except ImportError:
        _absent("JupyterLab is not installed (pip install 'creditlab[course]')")
    root = tmp_path_factory.mktemp("lab")
    folder = root / "cours"
    assert main(["course", str(folder), "--no-launch"]) == 0   # what a trainee runs
    port, token = free_port(), secrets.token_hex(16)
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(root / "config"),
           "JUPYTER_RUNTIME_DIR": str(root / "runtime"),
           "JUPYTERLAB_WORKSPACES_DIR": str(root / "workspaces"),
           "JUPYTERLAB_SETTINGS_DIR": str(root / "settings")}
    env.pop("MPLBACKEND", None)   # the kernel's own inline backend, as a trainee has it
    # the command `creditlab course` runs (--allow-root added as root), on a known port and
    # token, with the application object exposed to the test's scripts
    cmd = [*lab_command(folder, browser=False), f"--port={port}", "--ip=127.0.0.1",
           f"--IdentityProvider.token={token}", "--LabApp.expose_app_in_browser=True",
           "--LabApp.news_url=None"]
    proc = subprocess.Popen(cmd, cwd=folder, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    wait_http(f"{base}/api/status?token={token}", proc)
    yield base, token, Path(folder)
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
