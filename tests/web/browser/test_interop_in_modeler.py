"""Every MIWG reference diagram opens in the modeler without a script error: files our engine
cannot run are shown read-only, with what the engine makes of them, element by element."""

from __future__ import annotations

from pathlib import Path

from engine.drafts import Drafts
from tests.conftest import shared_path
from tests.web.browser.casework_pages import owner_with_draft


def test_every_miwg_file_opens_in_the_modeler(app, engine, page, live_server_factory,
                                              vendor_assets):
    miwg = shared_path("interop", "miwg")
    files = sorted(Path(miwg).rglob("*.bpmn"))  # the reference files and bpmn.io's exports
    assert len(files) >= 42
    base, draft = owner_with_draft(page, app, live_server_factory)
    opened = []
    read_only = 0
    for path in files:
        page.goto(f"{base}/prosess/utkast/{draft.id}")
        page.set_input_files("#fil", str(path))
        with page.expect_navigation():
            page.click("#upload")
        box = page.locator("#modeler")
        page.wait_for_selector("#modeler[data-ready], #modeler[data-error]")
        assert box.get_attribute("data-error") is None, (path.name, box.get_attribute("data-error"))
        assert page.locator("#modeler .djs-element").count() > 1, path.name
        if box.get_attribute("data-readonly") is not None:
            read_only += 1
            # Read-only, with the reason and the elements explained.
            assert page.locator("#not-added").is_visible(), path.name
            assert page.locator("#explanation tbody tr, #problems li").count() > 0, path.name
            assert page.locator("#modeler .djs-palette").is_hidden(), path.name
        opened.append(path.name)
        assert page.page_errors == [], (path.name, page.page_errors)
        # (the read-only page answers 422: the file was not taken; Chromium logs that status)
        errors = [e for e in page.console_errors if "status of 422" not in e]
        assert errors == [], (path.name, errors)
    assert len(opened) == len(files)
    # None of them can run here as it is (no forms, no roles, other tools' extensions): every
    # one was shown read-only, and the draft is as it was.
    assert read_only == len(files)
    after = Drafts(engine).get("lund", draft.id)
    assert (after.version, after.files) == (draft.version, draft.files)


def test_a_camunda_file_is_explained_and_marked_by_element(app, engine, page,
                                                          live_server_factory, vendor_assets):
    path = shared_path("interop", "camunda", "invoice.v2.bpmn")
    base, draft = owner_with_draft(page, app, live_server_factory)
    page.goto(f"{base}/prosess/utkast/{draft.id}")
    page.set_input_files("#fil", str(path))
    with page.expect_navigation():
        page.click("#upload")
    page.wait_for_selector("#modeler[data-ready]")
    assert page.locator("#modeler").get_attribute("data-readonly") is not None
    # The Java service task: explained in Norwegian, and marked on the diagram.
    row = page.locator('#explanation tr[data-element="ServiceTask_1"]')
    assert "Java" in row.inner_text() and "Koordinator" in row.inner_text()
    assert page.locator('#modeler g.djs-element.k-problem[data-element-id="ServiceTask_1"]') \
        .count() == 1
    # A JUEL condition on a flow, too.
    assert "JUEL" in page.locator('#explanation tr[data-element="invoiceApproved"]').inner_text()
    assert page.page_errors == []
