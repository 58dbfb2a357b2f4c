"""`koordinator demo` loads the demo kommune and the five seed kommuner, each with its own staff,
language and cases, and a user of one kommune sees only that kommune's cases."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from engine.db import upgrade
from engine.demo import DEMO_PASSWORD, SEED_KOMMUNER
from tests.web.pages import csrf_token, text
from web import create_app


@pytest.fixture
def demo_app(tmp_path):  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    upgrade(url)
    result = subprocess.run([sys.executable, "-m", "web.cli", "--database-url", url, "demo"],
                            capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    for info in SEED_KOMMUNER:
        assert f"{info.code}: " in result.stdout
    again = subprocess.run([sys.executable, "-m", "web.cli", "--database-url", url, "demo"],
                           capture_output=True, text=True, timeout=300, check=False)
    assert "already loaded" in again.stdout  # a second run changes nothing
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "demo", "TESTING": True})
    yield app
    app.extensions["koordinator"].close()


def _sign_in(client, username: str) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/logg-inn")
    response = client.post("/logg-inn", data={"username": username, "password": DEMO_PASSWORD,
                                              "csrf_token": csrf_token(page)})
    assert response.status_code == 302, username


def test_each_seed_kommune_has_its_language_and_only_its_cases(demo_app):
    engine = demo_app.extensions["koordinator"]
    all_ids = {info.code: {c.id for c in engine.list_cases(info.code, status=None)}
               for info in SEED_KOMMUNER}
    for info in SEED_KOMMUNER:
        client = demo_app.test_client()
        _sign_in(client, f"{info.code}.kari.ke")
        listing = client.get("/saker?status=all")
        shown = {int(n) for n in re.findall(r'href="/saker/(\d+)"', listing.get_data(as_text=True))}
        assert shown == all_ids[info.code] and len(shown) == 5, info.code
        worklist = text(client.get("/"))
        heading = "Mine oppgåver" if info.language == "nn" else "Mine oppgaver"
        assert heading in worklist, info.code
        assert info.name in worklist
        stages = {c.stage for c in engine.list_cases(info.code, status=None)}
        assert len(stages) >= 4, (info.code, stages)
