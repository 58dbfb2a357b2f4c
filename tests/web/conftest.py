"""Fixtures for the web tests: an app on a fresh SQLite database with two kommuner and staff."""

from __future__ import annotations

from typing import Any

import pytest

from engine.clock import FixedClock
from engine.db import upgrade
from engine.types import KommuneInfo
from tests.conftest import STANDARD
from web import create_app

PASSWORD = "passord-123"

#: username -> (kommune, roles, full name)
STAFF = {
    "kari.ke": ("lund", ["koordinerende_enhet"], "Kari Enhetsleder"),
    "ola.koordinator": ("lund", ["koordinator"], "Ola Koordinator"),
    "per.koordinator": ("lund", ["koordinator"], "Per Koordinator"),
    "lise.leder": ("lund", ["leder"], "Lise Leder"),
    "pia.prosess": ("lund", ["prosesseier"], "Pia Prosesseier"),
    "anne.admin": ("lund", ["admin"], "Anne Admin"),
    "hanne.ke": ("heroy", ["koordinerende_enhet"], "Hanne Eining"),
    "nils.koordinator": ("heroy", ["koordinator"], "Nils Koordinator"),
}


@pytest.fixture
def web_clock() -> FixedClock:
    return FixedClock()


@pytest.fixture
def app(tmp_path, web_clock):  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'web.db'}"
    upgrade(url)
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "test-secret", "TESTING": True,
                      "CLOCK": web_clock})
    engine = app.extensions["koordinator"]
    staff = app.extensions["koordinator_staff"]
    staff.save_kommune(KommuneInfo(code="lund", name="Lund", number="1112", language="nb"))
    staff.save_kommune(KommuneInfo(code="heroy", name="Herøy", number="1515", language="nn",
                                   initials_only=True))
    for kommune in ("lund", "heroy"):
        engine.deploy(STANDARD, kommune=kommune, actor="test", note="standard")
    for username, (kommune, roles, name) in STAFF.items():
        staff.add_user(username, kommune, roles, full_name=name, password=PASSWORD)
    yield app
    engine.close()


@pytest.fixture
def engine(app):  # type: ignore[no-untyped-def]
    return app.extensions["koordinator"]


@pytest.fixture
def client(app):  # type: ignore[no-untyped-def]
    return app.test_client()


@pytest.fixture
def tokens(app) -> dict[str, str]:  # type: ignore[no-untyped-def]
    staff = app.extensions["koordinator_staff"]
    return {name: staff.create_token(name) for name in STAFF}


def login(client, username: str, password: str = PASSWORD) -> Any:  # type: ignore[no-untyped-def]
    """Sign in through the sign-in form, CSRF token included."""
    from tests.web.pages import csrf_token
    page = client.get("/logg-inn")
    return client.post("/logg-inn", data={"username": username, "password": password,
                                          "csrf_token": csrf_token(page)},
                       follow_redirects=False)
