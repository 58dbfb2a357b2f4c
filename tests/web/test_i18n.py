"""Language: every UI string has a bokmål and nynorsk translation, and pages use the right one."""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from tests.web.conftest import login
from tests.web.pages import csrf_token, text
from web.catalogs import ensure_compiled

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "web"
TRANSLATIONS = WEB / "translations"
PLACEHOLDER = re.compile(r"%\((\w+)\)[a-z]")


def extracted_ids() -> list[str]:
    """The message ids in the code and templates now, found as `pybabel extract` finds them."""
    with (WEB / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg, str(WEB / "babel.cfg"))
    keywords = {**DEFAULT_KEYWORDS, "_": None, "gettext": None, "lazy_gettext": None}
    ids: dict[str, None] = {}
    for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT, method_map, options_map, keywords=keywords):
        msgid = message[0] if isinstance(message, tuple | list) else message
        if msgid:
            ids[msgid] = None
    return list(ids)


def load(locale: str):  # type: ignore[no-untyped-def]
    with (TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po").open("rb") as po:
        return read_po(po, locale=locale)


def test_extraction_finds_the_ui_strings() -> None:
    ids = extracted_ids()
    assert "My work" in ids
    assert "Case %(id)s" in ids


@pytest.mark.parametrize("locale", ["nb", "nn", "en"])
def test_every_message_is_translated(locale: str) -> None:
    catalog = load(locale)
    missing = []
    for msgid in extracted_ids():
        message = catalog.get(msgid)
        strings = message.string if message else None
        strings = strings if isinstance(strings, tuple | list) else [strings]
        if message is None or message.fuzzy or not all(s and s.strip() for s in strings):
            missing.append(msgid)
    assert not missing, (
        f"{len(missing)} message(s) without a {locale} translation; run `pybabel extract` "
        f"and `pybabel update` (see web/babel.cfg) and translate them:\n  "
        + "\n  ".join(missing))


@pytest.mark.parametrize("locale", ["nb", "nn", "en"])
def test_placeholders_are_kept(locale: str) -> None:
    wrong = []
    for message in load(locale):
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple | list) else [message.id]
        strings = message.string if isinstance(message.string, tuple | list) else [message.string]
        wanted = set().union(*(PLACEHOLDER.findall(i) for i in ids))
        for string in strings:
            if string and set(PLACEHOLDER.findall(string)) != wanted:
                wrong.append(f"{message.id!r} -> {string!r}")
    assert not wrong, f"placeholders differ in {locale}:\n  " + "\n  ".join(wrong)


def test_bokmal_kommune_sees_bokmal(client) -> None:  # type: ignore[no-untyped-def]
    login(client, "kari.ke")
    page = text(client.get("/"))
    assert "Mine oppgaver" in page
    assert "My work" not in page
    assert "Logg ut" in page


def test_nynorsk_kommune_sees_nynorsk(client) -> None:  # type: ignore[no-untyped-def]
    login(client, "hanne.ke")
    page = text(client.get("/"))
    assert "Mine oppgåver" in page
    assert "Mine oppgaver" not in page
    assert "My work" not in page


def test_choosing_english(client) -> None:  # type: ignore[no-untyped-def]
    login(client, "kari.ke")
    page = client.get("/")
    response = client.post("/sprak", data={"lang": "en", "next": "/",
                                           "csrf_token": csrf_token(page)},
                           follow_redirects=True)
    assert response.status_code == 200
    shown = text(response)
    assert "My work" in shown
    assert "Mine oppgaver" not in shown


def test_sign_in_page_is_bokmal_by_default(client) -> None:  # type: ignore[no-untyped-def]
    page = text(client.get("/logg-inn"))
    assert "Logg inn" in page
    assert "Brukernavn" in page


# ensure_compiled --------------------------------------------------------------------------

PO = """msgid ""
msgstr ""
"Language: nb\\n"
"Content-Type: text/plain; charset=utf-8\\n"

msgid "My work"
msgstr "{}"
"""


def write_po(directory: Path, locale: str, body: str) -> Path:
    path = directory / locale / "LC_MESSAGES" / "messages.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(body, encoding="utf-8")
    return path


def translation(mo: Path) -> str:
    with mo.open("rb") as f:
        return read_mo(f).get("My work").string


def test_ensure_compiled_builds_missing_and_stale_catalogs(tmp_path) -> None:  # type: ignore[no-untyped-def]
    po = write_po(tmp_path, "nb", PO.format("Mine oppgaver"))
    mo = po.with_suffix(".mo")
    ensure_compiled(tmp_path)
    assert translation(mo) == "Mine oppgaver"

    first = mo.stat().st_mtime_ns
    ensure_compiled(tmp_path)
    assert mo.stat().st_mtime_ns == first, "an up-to-date .mo is left alone"

    po.write_text(PO.format("Oppgavene mine"), encoding="utf-8")
    stamp = mo.stat().st_mtime + 10
    os.utime(po, (stamp, stamp))
    ensure_compiled(tmp_path)
    assert translation(mo) == "Oppgavene mine"
    assert sorted(p.name for p in mo.parent.iterdir()) == ["messages.mo", "messages.po"]


def test_ensure_compiled_logs_a_broken_catalog(tmp_path, caplog) -> None:  # type: ignore[no-untyped-def]
    write_po(tmp_path, "nn", 'msgid "x"\nmsgstr "y"\nnot a po line\n')
    good = write_po(tmp_path, "nb", PO.format("Mine oppgaver"))
    with caplog.at_level(logging.WARNING, logger="web.catalogs"):
        ensure_compiled(tmp_path)
    assert "could not compile" in caplog.text
    assert translation(good.with_suffix(".mo")) == "Mine oppgaver"
    assert not (tmp_path / "nn" / "LC_MESSAGES" / "messages.mo").exists()
    assert not list((tmp_path / "nn" / "LC_MESSAGES").glob(".messages-*"))


def test_ensure_compiled_ignores_a_missing_directory(tmp_path) -> None:  # type: ignore[no-untyped-def]
    ensure_compiled(tmp_path / "nowhere")


def test_ensure_compiled_leaves_out_a_string_with_wrong_placeholders(tmp_path) -> None:  # type: ignore[no-untyped-def]
    body = PO.format("Mine oppgaver") + (
        '\n#, python-format\nmsgid "Case %(id)s"\nmsgstr "Sak %(nummer)s"\n')
    po = write_po(tmp_path, "nb", body)
    ensure_compiled(tmp_path)
    with po.with_suffix(".mo").open("rb") as f:
        catalog = read_mo(f)
    assert catalog.get("My work").string == "Mine oppgaver"
    assert catalog.get("Case %(id)s") is None
