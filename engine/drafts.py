"""Drafts: a process owner's change to the kommune's process, checked on every save and
published as a new immutable version. A draft never touches a published version or a case.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select, update

from . import forms as form_defs
from .bundle import Bundle, validate_bundle
from .errors import Conflict, NotFound, Problem
from .models import Draft, ProcessVersion
from .service import Koordinator
from .types import VersionInfo
from .xmlsafe import MAX_XML_BYTES, UnsafeXml, parse_xml

MAX_DRAFT_FILES = 20


@dataclass(frozen=True)
class DraftInfo:
    id: int
    kommune: str
    name: str
    based_on_version_id: int | None
    files: dict[str, str]
    updated_at: datetime
    updated_by: str
    version: int
    #: what the engine's validation says of the draft now (empty: it can be published)
    problems: list[Problem]


@dataclass(frozen=True)
class DraftChoices:
    #: form key -> the form, for a user task's form
    forms: dict[str, form_defs.FormDefinition]
    #: decision id -> (its name, the DMN file that holds it)
    decisions: dict[str, tuple[str, str]]


class Drafts:
    """Drafts of one engine's database; every call names the kommune."""

    def __init__(self, engine: Koordinator):
        self.engine = engine
        self._read = engine._read
        self._write = engine._write

    def start_from_version(self, kommune: str, version_id: int, actor: str,
                           name: str | None = None) -> DraftInfo:
        """A new draft holding a copy of a published version of the kommune."""
        with self._write() as s, s.begin():
            version = s.get(ProcessVersion, version_id)
            if version is None or version.kommune != kommune:
                raise NotFound(f"process version {version_id} does not exist")
            forms = {**_library(), **json.loads(version.forms_json)}
            draft = Draft(kommune=kommune, name=name or f"{version.process_id} v{version.number}",
                          based_on_version_id=version.id, files_json=version.files_json,
                          forms_json=json.dumps(forms), updated_at=self.engine.clock.now(),
                          updated_by=actor, version=1)
            s.add(draft)
            s.flush()
            return self._info(draft)

    def save(self, kommune: str, draft_id: int, files: dict[str, str], actor: str,
             expected_version: int | None = None) -> DraftInfo:
        """Replace the draft's BPMN/DMN files; the answer carries the validation problems.

        A draft with problems is still saved (work in progress); only publishing needs none.
        """
        _check_files(files)
        with self._write() as s, s.begin():
            draft = self._get(s, kommune, draft_id)
            if expected_version is not None and draft.version != expected_version:
                raise Conflict(f"the draft was saved by {draft.updated_by} since you opened it "
                               f"(version {expected_version}, now {draft.version})")
            done = s.execute(update(Draft).where(
                Draft.id == draft_id, Draft.version == draft.version).values(
                files_json=json.dumps(files), updated_at=self.engine.clock.now(),
                updated_by=actor, version=draft.version + 1))
            if done.rowcount != 1:
                raise Conflict("the draft was saved by someone else at the same time")
            s.refresh(draft)
            return self._info(draft)

    def problems_added(self, kommune: str, draft_id: int,
                       files: dict[str, str]) -> list[Problem]:
        """What the draft's check would find with these files that it does not find now;
        nothing is saved."""
        _check_files(files)
        with self._read() as s:
            draft = self._get(s, kommune, draft_id)
            now = {str(p) for p in validate_bundle(_bundle(draft)).problems}
            changed = Draft(name=draft.name, files_json=json.dumps(files),
                            forms_json=draft.forms_json)
            return [p for p in validate_bundle(_bundle(changed)).problems if str(p) not in now]

    def get(self, kommune: str, draft_id: int) -> DraftInfo:
        with self._read() as s:
            return self._info(self._get(s, kommune, draft_id))

    def list(self, kommune: str) -> list[DraftInfo]:
        with self._read() as s:
            rows = s.scalars(select(Draft).where(Draft.kommune == kommune)
                             .order_by(Draft.updated_at.desc()))
            return [self._info(d, check=False) for d in rows]

    def publish(self, kommune: str, draft_id: int, actor: str, note: str,
                expected_version: int | None = None) -> VersionInfo:
        """Deploy the draft as the kommune's next version (raises BundleInvalid if unsound).

        With `expected_version`, a draft saved by someone since (the publisher has not seen
        that save) raises Conflict and nothing is published."""
        with self._read() as s:
            draft = self._get(s, kommune, draft_id)
            if expected_version is not None and draft.version != expected_version:
                raise Conflict(f"the draft was saved by {draft.updated_by} since you opened it "
                               f"(version {expected_version}, now {draft.version})")
            bundle = _bundle(draft)
            published = draft.version
        version = self.engine.deploy(bundle, kommune=kommune, actor=actor, note=note)
        # The draft is done (its trials go with it, ON DELETE CASCADE). A save that came in
        # meanwhile is newer work: then the draft stays.
        with self._write() as s, s.begin():
            s.execute(delete(Draft).where(Draft.id == draft_id, Draft.version == published))
        return version

    def choices(self, kommune: str, draft_id: int) -> DraftChoices:
        """What the modeler's properties panel offers: the draft's forms and DMN decisions."""
        with self._read() as s:
            draft = self._get(s, kommune, draft_id)
            bundle = _bundle(draft)
        decisions: dict[str, tuple[str, str]] = {}
        for name, data in sorted(bundle.files.items()):
            if not name.lower().endswith(".dmn"):
                continue
            try:
                root = parse_xml(data).getroot()
            except UnsafeXml:
                continue
            for el in root.iter("{*}decision"):
                if el.get("id"):
                    decisions[el.get("id")] = (el.get("name") or el.get("id"), name)
        return DraftChoices(forms=dict(sorted(bundle.forms.items())), decisions=decisions)

    def delete(self, kommune: str, draft_id: int) -> None:
        with self._write() as s, s.begin():
            s.delete(self._get(s, kommune, draft_id))

    @staticmethod
    def _get(s, kommune: str, draft_id: int) -> Draft:  # type: ignore[no-untyped-def]
        draft = s.get(Draft, draft_id)
        if draft is None or draft.kommune != kommune:
            raise NotFound(f"draft {draft_id} does not exist")
        return draft

    @staticmethod
    def _info(d: Draft, check: bool = True) -> DraftInfo:
        problems = validate_bundle(_bundle(d)).problems if check else []
        return DraftInfo(id=d.id, kommune=d.kommune, name=d.name,
                         based_on_version_id=d.based_on_version_id,
                         files=json.loads(d.files_json), updated_at=d.updated_at,
                         updated_by=d.updated_by, version=d.version, problems=problems)


def _library() -> dict[str, str]:
    """The shared forms (forms/ at the top of the repository), by key."""
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(form_defs.FORMS_DIR.glob("*.yaml"))}


def _bundle(d: Draft) -> Bundle:
    bundle = Bundle(name=d.name, files={k: v.encode("utf-8")
                                        for k, v in json.loads(d.files_json).items()})
    for key, text in json.loads(d.forms_json).items():
        try:
            bundle.forms[key] = form_defs.parse_form(text, f"{key}.yaml")
            bundle.form_sources[key] = text
        except form_defs.FormDefinitionError as exc:
            bundle.problems.append(exc.to_problem())
    return bundle


def _check_files(files: dict[str, str]) -> None:
    from .errors import BundleInvalid

    problems = []
    if not files or len(files) > MAX_DRAFT_FILES:
        problems.append(Problem.coded("-", None, "draft.file_count", max=MAX_DRAFT_FILES))
    for name, text in files.items():
        if not isinstance(name, str) or not name.lower().endswith((".bpmn", ".dmn")) \
                or "/" in name or "\\" in name or name.startswith("."):
            problems.append(Problem.coded(str(name), None, "draft.file_name"))
        elif not isinstance(text, str) or len(text.encode("utf-8")) > MAX_XML_BYTES:
            problems.append(Problem.coded(name, None, "draft.file_too_large"))
    if problems:
        raise BundleInvalid(problems)
