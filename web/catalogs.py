"""Compiled message catalogs: build `messages.mo` from `messages.po` when it is missing or stale.

The `.mo` files are build output (the Makefile compiles them too), so a fresh checkout or an
edited `.po` still shows translated pages. A catalog that cannot be compiled is logged and
skipped: the app then shows the message ids (English) rather than failing to start.
"""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

log = logging.getLogger(__name__)

#: the nb, nn and en catalogs of the web app
TRANSLATIONS = Path(__file__).parent / "translations"


def ensure_compiled(directory: Path = TRANSLATIONS) -> None:
    """Compile every `*/LC_MESSAGES/messages.po` under `directory` whose `.mo` is out of date."""
    try:
        sources = sorted(Path(directory).glob("*/LC_MESSAGES/messages.po"))
    except OSError as exc:
        log.warning("cannot look for message catalogs in %s: %s", directory, exc)
        return
    for po_path in sources:
        mo_path = po_path.with_suffix(".mo")
        try:
            if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                continue
            _compile(po_path, mo_path)
        except Exception as exc:  # noqa: BLE001 - a broken catalog must not stop the app
            log.warning("could not compile %s: %s", po_path, exc)


def _compile(po_path: Path, mo_path: Path) -> None:
    locale = po_path.parent.parent.name
    with po_path.open("rb") as source:
        catalog = read_po(source, locale=locale, abort_invalid=True)
    for message, errors in list(catalog.check()):
        # A string whose placeholders do not match its id would fail when shown: leave it out,
        # so the page shows the English id instead.
        log.warning("%s: leaving out %r: %s", po_path, message.id, "; ".join(map(str, errors)))
        catalog.delete(message.id, context=message.context)
    fd, tmp_name = tempfile.mkstemp(prefix=".messages-", suffix=".mo.tmp", dir=mo_path.parent)
    try:
        with os.fdopen(fd, "wb") as target:
            write_mo(target, catalog)
        os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, mo_path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    log.info("compiled %s", mo_path)
