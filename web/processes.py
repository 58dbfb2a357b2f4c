"""Process versions for process owners: who published what and when, and what changed."""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from engine.drafts import DraftChoices, Drafts
from engine.errors import (
    BundleInvalid,
    Conflict,
    NotFound,
    Problem,
)
from engine.explain import FileExplanation, explain_bundle, explain_file
from engine.roles import ROLES, STAGES
from engine.types import UserInfo
from engine.xmlsafe import MAX_XML_BYTES

from .downloads import xml_download
from .explain_text import describe, status_text
from .explain_text import describe_all as explain_all
from .extensions import engine, kommune, user
from .i18n import lang
from .panel_text import panel_texts
from .problem_text import describe_all

bp = Blueprint("processes", __name__)

PROCESS_ROLES = ("prosesseier", "admin")


@bp.route("/prosess")
@login_required
def versions():  # type: ignore[no-untyped-def]
    me = user()
    if not me.has_role(*PROCESS_ROLES):
        abort(403)
    listed = list(reversed(engine().versions(me.kommune)))
    comparison = before = after = None
    a, b = request.args.get("fra", ""), request.args.get("til", "")
    if a or b:
        if not (a.isdigit() and b.isdigit()):
            abort(400)
        try:
            comparison = engine().compare_versions(int(a), int(b), kommune=me.kommune)
        except NotFound:
            abort(404)
        by_id = {v.id: v for v in listed}
        before, after = by_id.get(int(a)), by_id.get(int(b))
    sides = _diff_sides(me.kommune, before, after, comparison) if comparison else None
    return render_template("process_versions.html", versions=listed, comparison=comparison,
                           before=before, after=after, drafts=_drafts().list(me.kommune),
                           sides=sides, kommune=kommune())


def _diff_sides(kommune_id: str, before: Any, after: Any,
                comparison: Any) -> list[dict[str, Any]] | None:
    """The two diagrams of a comparison: removed and changed marked on the old one, added and
    changed on the new one."""
    if before is None or after is None:
        return None
    sides = []
    for version, marks in ((before, {"removed": sorted(comparison.removed),
                                     "changed": sorted(comparison.changed)}),
                           (after, {"added": sorted(comparison.added),
                                    "changed": sorted(comparison.changed)})):
        files = engine().version_files(version.id, kommune=kommune_id)
        name = next((n for n in sorted(files) if n.endswith(".bpmn")), None)
        if name is None:
            return None
        sides.append({"version": version, "marks": json.dumps(marks),
                      "url": url_for("processes.version_file", version_id=version.id, name=name)})
    return sides


def _drafts() -> Drafts:
    return Drafts(engine())


def process_owner() -> UserInfo:
    """The signed-in user if a process owner or admin (of their own kommune only), else 403."""
    me = user()
    if not me.has_role(*PROCESS_ROLES):
        abort(403)
    return me


@bp.route("/prosess/utkast", methods=["POST"])
@login_required
def new_draft():  # type: ignore[no-untyped-def]
    me = process_owner()
    version = request.form.get("version_id", "")
    if not version.isdigit():
        abort(400)
    try:
        draft = _drafts().start_from_version(me.kommune, int(version), actor=me.username)
    except NotFound:
        abort(404)
    return redirect(url_for("processes.draft", draft_id=draft.id))


@bp.route("/prosess/utkast/<int:draft_id>")
@login_required
def draft(draft_id: int):  # type: ignore[no-untyped-def]
    me = process_owner()
    try:
        info = _drafts().get(me.kommune, draft_id)
        choices = _drafts().choices(me.kommune, draft_id)
    except NotFound:
        abort(404)
    chosen = request.args.get("fil", "")
    if chosen and chosen not in info.files:
        abort(404)
    shown = chosen or next((n for n in sorted(info.files) if n.endswith(".bpmn")), None) \
        or next(iter(sorted(info.files)), None)
    explanation = _explained(_explanation_among(shown, info.files)) if shown else None
    return render_template("draft.html", draft=info, shown=shown, kommune=kommune(),
                           trial_url=url_for("trial.page", draft_id=draft_id),
                           problems=describe_all(info.problems, lang()),
                           explanation=explanation, panel=_panel_data(choices))


def _panel_data(choices: DraftChoices) -> dict[str, str]:
    """The properties panel's choices and labels, as JSON for its data attributes."""
    language = lang()
    data = {
        "forms": [[key, form.title(language)] for key, form in choices.forms.items()],
        "stages": [[sid, names.get(language, names["nb"])] for sid, names in STAGES.items()],
        "roles": [[names.get(language, names["nb"]), names.get(language, names["nb"])]
                  for names in ROLES.values()],
        "decisions": [[did, name, file] for did, (name, file) in choices.decisions.items()],
        "texts": panel_texts(),
    }
    return {key: json.dumps(value, ensure_ascii=False) for key, value in data.items()}


def _explanation_among(name: str, files: dict[str, str]) -> FileExplanation:
    """What the engine makes of one file among the draft's files (a call activity may name a
    process of another file)."""
    names = list(files)
    return explain_bundle({n: files[n].encode("utf-8") for n in names})[names.index(name)]


def _explained(found: FileExplanation) -> dict[str, Any] | None:
    """An explanation, element by element, in the page's language; None when all of it runs."""
    notes = [n for n in found.elements if n.status != "runs"]
    if found.runnable and not notes:
        return None
    language = lang()
    return {"reason": describe(found.reason_code, found.reason_params, language)
            if found.reason_code else None,
            "notes": [{"element_id": n.element_id, "kind": n.kind, "name": n.name,
                       "status": n.status, "status_text": status_text(n.status, language),
                       "text": " ".join(explain_all(n, language))}
                      for n in notes]}


@bp.route("/prosess/utkast/<int:draft_id>/fil/<name>")
@login_required
def draft_file(draft_id: int, name: str):  # type: ignore[no-untyped-def]
    me = process_owner()
    try:
        files = _drafts().get(me.kommune, draft_id).files
    except NotFound:
        abort(404)
    return _download(files, name)


@bp.route("/prosess/utkast/<int:draft_id>/lagre", methods=["POST"])
@login_required
def save_draft(draft_id: int):  # type: ignore[no-untyped-def]
    """Save from the modeler (JSON, with the CSRF token in X-CSRFToken)."""
    me = process_owner()
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("files"), dict):
        return {"error": _("The draft could not be read.")}, 400
    expected = body.get("version")
    try:
        # The modeler sends the files it edited; the draft's other files (DMN tables) stay.
        files = {**_drafts().get(me.kommune, draft_id).files, **body["files"]}
        info = _drafts().save(me.kommune, draft_id, files, actor=me.username,
                              expected_version=expected if isinstance(expected, int) else None)
    except NotFound:
        abort(404)
    except Conflict:
        return {"error": _("Someone else saved this draft after you opened it. Reload the page; "
                           "your changes are not saved.")}, 409
    except BundleInvalid as exc:
        return {"error": _("The draft was not saved."), "problems": _problems(exc.problems)}, 422
    return {"version": info.version, "problems": _problems(info.problems)}


@bp.route("/prosess/utkast/<int:draft_id>/slett", methods=["POST"])
@login_required
def delete_draft(draft_id: int):  # type: ignore[no-untyped-def]
    """Throw a draft away (and its test cases); no version and no case is touched."""
    me = process_owner()
    try:
        name = _drafts().get(me.kommune, draft_id).name
        _drafts().delete(me.kommune, draft_id)
    except NotFound:
        abort(404)
    flash(_("The draft “%(name)s” is deleted.", name=name), "success")
    return redirect(url_for("processes.versions"))


@bp.route("/prosess/utkast/<int:draft_id>/last-opp", methods=["POST"])
@login_required
def upload(draft_id: int):  # type: ignore[no-untyped-def]
    """A .bpmn or .dmn from another tool: added to the draft if our engine can run it, shown
    read-only with an explanation if it is not executable, refused if it cannot be read.
    A refused file changes nothing."""
    me = process_owner()
    try:
        info = _drafts().get(me.kommune, draft_id)
    except NotFound:
        abort(404)
    sent = request.files.get("fil")
    name = _upload_name(sent.filename if sent else "")
    if sent is None or not sent.filename:
        return _refused(draft_id, _("Choose a file to upload."))
    if name is None:
        return _refused(draft_id, _("“%(name)s” is not a BPMN or DMN file, and nothing was "
                                    "changed. Upload a file ending in .bpmn or .dmn.",
                                    name=sent.filename))
    data = sent.stream.read(MAX_XML_BYTES + 1)
    found = explain_file(name, data)
    if found.kind == "dmn" and not name.endswith(".dmn"):  # a decision table sent as .xml
        name = name.rsplit(".", 1)[0] + ".dmn"
        found = explain_file(name, data)
    if not found.readable:
        return _refused(draft_id, _("“%(name)s” could not be read, and nothing was changed: "
                                    "%(reason)s", name=sent.filename,
                                    reason=describe(found.reason_code, found.reason_params,
                                                    lang())))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return _refused(draft_id, _("“%(name)s” is not UTF-8 text, and nothing was changed.",
                                    name=sent.filename))
    files = {**info.files, name: text}
    try:
        new_problems = _drafts().problems_added(me.kommune, draft_id, files)
    except BundleInvalid as exc:
        return _refused(draft_id, "; ".join(p["message"] for p in _problems(exc.problems)))
    among = _explanation_among(name, files)
    if new_problems or not among.runnable:
        # Shown read-only, with what the engine makes of it; the draft keeps what it had.
        return render_template("upload_preview.html", draft=info, name=name, xml=text,
                               problems=_problems(new_problems),
                               explanation=_explained(among), kommune=kommune()), 422
    try:
        _drafts().save(me.kommune, draft_id, files, actor=me.username,
                       expected_version=info.version)
    except Conflict:
        return _refused(draft_id, _("Someone else saved this draft at the same time. "
                                    "Nothing was changed; upload again."))
    flash(_("“%(name)s” is in the draft.", name=name), "success")
    return redirect(url_for("processes.draft", draft_id=draft_id, fil=name))


def _upload_name(filename: str) -> str | None:
    """The name the file gets in the draft (.bpmn20.xml and .xml are BPMN), or None."""
    base = filename.replace("\\", "/").rsplit("/", 1)[-1].strip()
    lowered = base.lower()
    for ending, kind in ((".bpmn20.xml", ".bpmn"), (".bpmn", ".bpmn"), (".dmn", ".dmn"),
                         (".xml", ".bpmn")):
        if lowered.endswith(ending):
            stem = base[: -len(ending)]
            # ASCII only: the name goes into download headers and URLs.
            stem = "".join(c if (c.isascii() and c.isalnum()) or c in "-_." else "_"
                           for c in stem).strip("._")
            return f"{stem or 'diagram'}{kind}"
    return None


def _refused(draft_id: int, message: str):  # type: ignore[no-untyped-def]
    flash(message, "error")
    return redirect(url_for("processes.draft", draft_id=draft_id))


@bp.route("/prosess/versjon/<int:version_id>/fil/<name>")
@login_required
def version_file(version_id: int, name: str):  # type: ignore[no-untyped-def]
    me = process_owner()
    try:
        files = engine().version_files(version_id, kommune=me.kommune)
    except NotFound:
        abort(404)
    return _download(files, name)


@bp.route("/prosess/utkast/<int:draft_id>/publiser", methods=["POST"])
@login_required
def publish_draft(draft_id: int):  # type: ignore[no-untyped-def]
    me = process_owner()
    note = request.form.get("note", "").strip()[:1000]
    seen = request.form.get("draft_version", "")
    try:
        version = _drafts().publish(me.kommune, draft_id, actor=me.username, note=note,
                                    expected_version=int(seen) if seen.isdigit() else None)
    except NotFound:
        abort(404)
    except Conflict:
        flash(_("Someone else saved this draft after you opened it, so it was not published. "
                "Look at the draft as it is now and publish again."), "warning")
        return redirect(url_for("processes.draft", draft_id=draft_id))
    except BundleInvalid:
        flash(_("The draft has problems and was not published. Fix them and try again."),
              "warning")
        return redirect(url_for("processes.draft", draft_id=draft_id))
    flash(_("Version %(n)s is published. New cases start on it.", n=version.number), "success")
    return redirect(url_for("processes.versions"))


def _download(files: dict[str, str], name: str) -> Response:
    if name not in files:
        abort(404)
    return xml_download(name, files[name])


def _problems(problems: list[Problem]) -> list[dict[str, Any]]:
    return describe_all(problems, lang())
