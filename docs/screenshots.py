"""Take the README's screenshots: the demo kommune served locally, photographed in Chromium.

Run with `make screenshots` (needs Debian's chromium); writes docs/img/*.png.
"""

from __future__ import annotations

import sys
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from engine.db import upgrade
from engine.demo import DEMO_PASSWORD, load_demo
from web import create_app

OUT = Path(__file__).resolve().parent / "img"
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage"]


def _signed_in(browser, base: str, username: str):  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 1280, "height": 860}, locale="nb-NO",
                            timezone_id="Europe/Oslo")
    page.goto(f"{base}/logg-inn")
    page.fill("#username", username)
    page.fill("#password", DEMO_PASSWORD)
    page.click("form button.primary")
    page.wait_for_url(f"{base}/")
    return page


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/demo.db"
        upgrade(url)
        app = create_app({"DATABASE_URL": url, "SECRET_KEY": "screenshots"})
        load_demo(app.extensions["koordinator"], app.extensions["koordinator_staff"])
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_port}"
        OUT.mkdir(parents=True, exist_ok=True)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = _signed_in(browser, base, "ola.koordinator")
            page.screenshot(path=str(OUT / "worklist.png"), full_page=True)
            cases = app.extensions["koordinator"].list_cases("demo", coordinator="ola.koordinator")
            page.goto(f"{base}/saker/{cases[0].id}")
            page.wait_for_selector('.bpmn-diagram[data-ready="true"]')
            page.screenshot(path=str(OUT / "case.png"), full_page=False)
            owner = _signed_in(browser, base, "pia.prosess")
            owner.goto(f"{base}/prosess")
            owner.click('form[action="/prosess/utkast"] button')
            owner.wait_for_selector('#modeler[data-ready="true"]')
            owner.evaluate("() => { const m = window.koordinatorModeler; "
                           "m.get('selection').select(m.get('elementRegistry')"
                           ".get('Task_vurder_rett')); }")
            owner.wait_for_selector('#properties[data-element="Task_vurder_rett"]')
            owner.screenshot(path=str(OUT / "modeler.png"), full_page=False)
            browser.close()
        server.shutdown()
    print(f"wrote worklist.png, case.png and modeler.png in {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
