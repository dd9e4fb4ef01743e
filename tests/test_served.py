"""`make run` serves the demo as a product: gunicorn with DEBUG off, the house-style error pages, the
front end served locally. Started here as `make run` starts it, against a database of its own."""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_DEBUG")}
    env |= {"SQLITE_PATH": str(tmp_path_factory.mktemp("served") / "db.sqlite3"), "DJANGO_DEBUG": "0"}

    def manage(*args: str) -> None:
        subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True
        )

    manage("migrate", "--noinput")
    manage(
        "shell",
        "-c",
        "from throughcare.accounts.models import User; "
        "User.objects.create_user('probe', password='probe-pass-1')",
    )
    port = _free_port()
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "throughcare.wsgi", "--config", "python:throughcare.gunicorn_conf"]
        + ["--bind", f"127.0.0.1:{port}", "--workers", "1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(url + "/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=20)


def _signed_in(url: str) -> urllib.request.OpenerDirector:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(url + "/accounts/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token is not None
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token.group(1), "username": "probe", "password": "probe-pass-1"}
    ).encode()
    request = urllib.request.Request(url + "/accounts/login/", data=data, headers={"Referer": url + "/"})
    opener.open(request)
    return opener


def test_the_demo_is_served_by_gunicorn_with_the_front_end_local(served: str) -> None:
    health = urllib.request.urlopen(served + "/healthz")
    assert health.read() == b"ok" and "gunicorn" in health.headers["Server"]
    css = urllib.request.urlopen(served + "/static/img/favicon.svg")
    assert css.status == 200


def test_a_missing_page_is_the_house_style_page_never_a_debug_page(served: str) -> None:
    with pytest.raises(urllib.error.HTTPError) as missing:
        _signed_in(served).open(served + "/no-such-page/")
    assert missing.value.code == 404
    page = missing.value.read().decode()
    assert "Page not found" in page and "Go to your home page" in page
    assert "URLconf" not in page and "DEBUG = True" not in page


def test_make_run_starts_gunicorn_unless_debug_is_asked_for() -> None:
    recipe = subprocess.run(
        ["make", "-n", "run"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert "DJANGO_DEBUG=0" in recipe and "gunicorn throughcare.wsgi" in recipe
    assert "runserver" in recipe  # only behind DJANGO_DEBUG=1
