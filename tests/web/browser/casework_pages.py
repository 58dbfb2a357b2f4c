"""Playwright helpers that work the pages the way a caseworker does."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page

from tests.web.conftest import PASSWORD


def sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/logg-inn")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("form button[type=submit].primary")
    page.wait_for_url(f"{base}/")


def _fill_field(page: Page, name: str, value: Any) -> None:
    field = page.locator(f'[name="{name}"]').first
    kind = field.evaluate("el => el.tagName.toLowerCase() + ':' + (el.type || '')")
    if kind == "input:radio":
        answer = ("ja" if value else "nei") if isinstance(value, bool) else str(value)
        page.check(f'[name="{name}"][value="{answer}"]')
    elif kind == "input:checkbox":
        if value:
            page.check(f'[name="{name}"]')
        else:
            page.uncheck(f'[name="{name}"]')
    elif kind.startswith("select"):
        field.select_option(str(value))
    else:
        field.fill("" if value is None else str(value))


def fill_form(page: Page, data: dict[str, Any]) -> None:
    """Type engine-style answers into the task form, adding group rows as needed."""
    for key, value in data.items():
        if isinstance(value, list):
            for i, row in enumerate(value):
                first_col = next(iter(row))
                if page.locator(f'[name="{key}-{i}-{first_col}"]').count() == 0:
                    page.click(f'button[name="_add_row"][value="{key}"]')
                    page.wait_for_selector(f'[name="{key}-{i}-{first_col}"]')
                for col, cell in row.items():
                    _fill_field(page, f"{key}-{i}-{col}", cell)
        else:
            _fill_field(page, key, value)


def submit(page: Page) -> None:
    with page.expect_navigation():
        page.click("form.task-form button[type=submit].primary")


def open_task(page: Page, base: str, name: str) -> None:
    """From the worklist, open the task with this name (the first, most urgent one)."""
    page.goto(f"{base}/")
    page.locator("table.list a", has_text=name).first.click()
    page.wait_for_selector("form.task-form")


def open_new_draft(page: Page, base: str) -> None:
    """As a process owner: a new draft from the newest version, open in the modeler."""
    page.goto(f"{base}/prosess")
    with page.expect_navigation():
        page.click('form[action="/prosess/utkast"] button')
    page.wait_for_selector('#modeler[data-ready="true"]')


def owner_with_draft(page: Page, app: Any, live_server_factory: Any) -> tuple[str, Any]:
    """Serve the app, sign the process owner in, and give a fresh draft of Lund's newest
    version: (base URL, the draft)."""
    from engine.drafts import Drafts

    engine = app.extensions["koordinator"]
    draft = Drafts(engine).start_from_version("lund", engine.versions("lund")[-1].id,
                                              actor="pia.prosess")
    base = live_server_factory(app)
    sign_in(page, base, "pia.prosess")
    return base, draft


def open_draft(page: Page, base: str, draft_id: int, file: str = "") -> None:
    page.goto(f"{base}/prosess/utkast/{draft_id}" + (f"?fil={file}" if file else ""))
    page.wait_for_selector('#modeler[data-ready="true"]')
