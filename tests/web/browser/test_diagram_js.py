"""web/static/js/diagram.js in a real browser, on a tiny Flask app of its own (not the staff
app): the standard process is drawn, the case's state is marked, failures leave the fallback."""

from __future__ import annotations

import json

import pytest
from flask import Flask, Response

from .conftest import ROOT, STATIC

pytestmark = pytest.mark.browser

BPMN = (ROOT / "processes" / "standard" / "koordinering.bpmn").read_text(encoding="utf-8")
MARKS = {
    "completed": ["Task_registrer_henvendelse", "Task_finnes_ikke"],
    "active": ["Task_vurder_rett"],
    "waiting": ["Timer_forelopig_svar"],
    "problems": [
        {"element_id": "Gateway_rett", "message": "Ingen standardflyt ut av porten"},
        {"element_id": "Gateway_finnes_ikke", "message": "ukjent element"},
    ],
}
FALLBACK = "Steg: registrer henvendelse, vurder rett"

PAGE = f"""<!doctype html>
<html lang="nb">
<head>
<meta charset="utf-8">
<title>Diagram</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/static/vendor/bpmn-js/assets/diagram-js.css">
<link rel="stylesheet" href="/static/vendor/bpmn-js/assets/bpmn-js.css">
<link rel="stylesheet" href="/static/css/diagram.css">
<script defer src="/static/vendor/bpmn-js/bpmn-navigated-viewer.production.min.js"></script>
<script defer src="/static/js/diagram.js"></script>
</head>
<body>
<main>
<h1>Saken</h1>
<div class="bpmn-diagram" id="d" data-diagram-url="/diagram.bpmn" data-marks-url="/marks.json">
  <div class="bpmn-fallback"><p>{FALLBACK}</p></div>
</div>
</main>
</body>
</html>
"""


def make_app(diagram: Response | None = None, marks: Response | None = None) -> Flask:
    app = Flask(__name__, static_folder=str(STATIC), static_url_path="/static")

    @app.get("/")
    def index() -> Response:
        return Response(PAGE, mimetype="text/html")

    @app.get("/diagram.bpmn")
    def diagram_xml() -> Response:
        return diagram or Response(BPMN, mimetype="application/xml")

    @app.get("/marks.json")
    def marks_json() -> Response:
        return marks or Response(json.dumps(MARKS), mimetype="application/json")

    return app


def open_diagram(page, url: str):
    page.goto(url + "/")
    page.wait_for_selector("#d[data-ready='true']", state="attached")
    return page.locator("#d")


def shape(page, element_id: str):
    return page.locator(f"#d g.djs-element[data-element-id='{element_id}']")


def test_draws_the_standard_process_with_the_case_marked(page, live_server_factory, vendor_assets):
    div = open_diagram(page, live_server_factory(make_app()))

    assert div.get_attribute("data-error") is None
    assert page.locator("#d svg").count() >= 1
    for element_id in ("StartEvent_henvendelse", "Task_registrer_henvendelse", "Gateway_rett"):
        assert shape(page, element_id).count() == 1, element_id

    def classes(element_id: str) -> list[str]:
        return (shape(page, element_id).get_attribute("class") or "").split()

    assert "k-active" in classes("Task_vurder_rett")
    assert "k-completed" in classes("Task_registrer_henvendelse")
    assert "k-waiting" in classes("Timer_forelopig_svar")
    assert "k-problem" in classes("Gateway_rett")
    assert "k-completed" not in classes("Task_vurder_rett")
    assert page.locator(".k-problem-note").inner_text() == "Ingen standardflyt ut av porten"

    # the marker styles apply (diagram.css), the fallback is hidden, the watermark stays
    fill = shape(page, "Task_registrer_henvendelse").locator(".djs-visual > :nth-child(1)")
    assert fill.evaluate("e => getComputedStyle(e).fill") == "rgb(227, 241, 230)"
    assert page.locator("#d .bpmn-fallback").is_hidden()
    assert page.locator("#d .bjs-powered-by").is_visible()
    box = page.locator("#d .djs-container").bounding_box()
    assert box and box["height"] > 300
    assert page.console_errors == []


@pytest.mark.parametrize(
    "diagram",
    [
        Response("Internal Server Error", status=500, mimetype="text/plain"),
        Response("<html><body>ikke BPMN</body></html>", mimetype="application/xml"),
        Response("garbage \x00 <<<", mimetype="application/xml"),
    ],
    ids=["http-500", "not-bpmn", "garbage"],
)
def test_a_failed_diagram_leaves_the_fallback(page, live_server_factory, vendor_assets, diagram):
    div = open_diagram(page, live_server_factory(make_app(diagram=diagram)))

    assert (div.get_attribute("data-error") or "").startswith("diagram: ")
    assert page.get_by_text(FALLBACK).is_visible()
    assert page.locator("#d .bpmn-error[role='alert']").is_visible()
    assert page.locator("#d .djs-container").count() == 0
    assert page.page_errors == []


def test_failed_marks_still_show_the_diagram(page, live_server_factory, vendor_assets):
    marks = Response("nope", status=500, mimetype="text/plain")
    div = open_diagram(page, live_server_factory(make_app(marks=marks)))

    assert div.get_attribute("data-error") == "marks: HTTP 500"
    assert shape(page, "Task_vurder_rett").count() == 1
    assert "k-active" not in (shape(page, "Task_vurder_rett").get_attribute("class") or "")
    assert page.locator("#d .bpmn-fallback").is_hidden()
    assert page.page_errors == []
