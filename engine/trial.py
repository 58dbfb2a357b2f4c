"""Trying a draft: a test case run on the draft in a database of its own, with a clock to jump.

A trial never shares a table with real cases. Its whole SQLite database lives as bytes in one
`draft_trial` row of the real database (one per draft and user), so any web worker on any host
can carry it on: each call loads the bytes into an in-memory SQLite, runs an ordinary
`Koordinator` over it with a `FixedClock` at the trial's time, and writes the bytes back under
an optimistic lock. The person trying the draft plays every role: the engine never checks
roles, and the web layer's role check is simply not applied to a trial.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import select, update
from sqlalchemy.exc import DBAPIError, IntegrityError

from . import forms as form_defs
from .clock import FixedClock
from .db import make_engine
from .drafts import Drafts, _bundle
from .errors import Conflict, EngineError, InvalidTransition, NotFound, ProcessError
from .models import AuditEvent, Base, Case, DraftTrial, HumanTask, ProcessVersion, Timer, User
from .service import Koordinator
from .types import AuditInfo

#: what a trial database holds: the engine's case tables, and users (read when tasks are assigned)
TRIAL_TABLES = [m.__table__ for m in (ProcessVersion, Case, HumanTask, Timer, AuditEvent, User)]
#: the audit kinds that make up a trial's timeline (and mark the path on the diagram)
TIMELINE_KINDS = ("case_started", "task_completed", "engine_step", "timer_fired", "signal",
                  "task_reassigned", "case_cancelled", "case_closed")
PASSED_KINDS = ("task_completed", "engine_step", "timer_fired")

T = TypeVar("T")
log = logging.getLogger(__name__)


class NoTrial(NotFound):
    """The user has no trial of this draft (never started, or discarded)."""


class TrialOutdated(Conflict):
    """The draft was saved since the trial started (or the trial cannot be read any more):
    the trial shows an older process, so it can only be started again."""


@dataclass(frozen=True)
class TrialTask:
    id: str
    bpmn_id: str
    name: str
    form_key: str | None
    role: str | None
    stage: str | None
    due_at: datetime | None


@dataclass(frozen=True)
class TrialInfo:
    draft_id: int
    #: the draft's version the trial was started from
    draft_version: int
    #: the draft was saved since: actions are refused until the trial is started again
    outdated: bool
    status: str
    stage: str | None
    #: the trial's clock (naive UTC), moved only by jumps to the next timer
    clock_at: datetime
    tasks: list[TrialTask]
    #: bpmn ids for the diagram: {"completed": [...], "active": [...], "waiting": [...]}
    marks: dict[str, list[str]]
    timeline: list[AuditInfo]
    next_timer_due: datetime | None
    data: dict[str, Any]
    #: bpmn id -> element name, to name the timeline's entries
    names: dict[str, str]
    #: the forms of the ready tasks, by form key
    forms: dict[str, form_defs.FormDefinition]
    #: the size of the stored trial database
    size_bytes: int


class _Run:
    """One trial database loaded in memory, with an engine and a clock over it."""

    def __init__(self, blob: bytes | None, clock_at: datetime):
        self.conn = sqlite3.connect(":memory:", check_same_thread=False)
        if blob is not None:
            self.conn.deserialize(zlib.decompress(blob))
        self.clock = FixedClock(clock_at)
        db = make_engine(creator=lambda: self.conn)
        self.engine = Koordinator(clock=self.clock, db=db)
        if blob is None:
            Base.metadata.create_all(db, tables=TRIAL_TABLES)
        self._name_specs()

    def _name_specs(self) -> None:
        # Parsed specs are cached per (database name, version id), and every in-memory database
        # has the same name and a version 1: name it by the spec itself instead.
        with self.engine._read() as s:
            spec = s.scalar(select(ProcessVersion.spec_json).limit(1))
        digest = hashlib.sha256(spec.encode("utf-8")).hexdigest() if spec else "empty"
        self.engine._db_name = f"trial:{digest}"

    def deploy_and_start(self, bundle: Any, kommune: str, actor: str) -> None:
        version = self.engine.deploy(bundle, kommune=kommune, actor=actor, note="trial")
        self._name_specs()
        self.engine.start_case(kommune, actor=actor, version_id=version.id)

    def case_id(self) -> int:
        with self.engine._read() as s:
            found = s.scalar(select(Case.id).order_by(Case.id).limit(1))
        if found is None:
            raise TrialOutdated("the trial holds no test case; start it again")
        return found

    def jump(self) -> datetime:
        """Move the clock to the earliest waiting timer (never back) and fire what is due."""
        waiting = [t for t in self.engine.timers(self.case_id()) if t["state"] == "waiting"]
        if not waiting:
            raise InvalidTransition("no timer is waiting in the trial")
        # A timer already due (a date the draft sets in the past) fires now; the clock stays.
        target = max(min(t["due_at"] for t in waiting), self.clock.now())
        self.clock.set(target)
        self.engine.fire_due_timers()
        failed = [t for t in self.engine.timers(self.case_id())
                  if t["state"] == "failed" and t["error"]]
        if failed:
            raise ProcessError(failed[0]["error"], failed[0]["bpmn_id"])
        return target

    def info(self, row_draft_version: int, draft_version: int, draft_id: int,
             size: int) -> TrialInfo:
        eng = self.engine
        case_id = self.case_id()
        case = eng.get_case(case_id)
        trail = [e for e in eng.audit_trail(case_id) if e.kind in TIMELINE_KINDS]
        timers = [t for t in eng.timers(case_id) if t["state"] == "waiting"]
        elements = eng.version_elements(case.process_version_id)
        forms = eng.version_forms(case.process_version_id)
        active = {t.bpmn_id for t in case.open_tasks}
        waiting = {t["bpmn_id"] for t in timers}
        passed = {e.bpmn_id for e in trail if e.bpmn_id and e.kind in PASSED_KINDS}
        return TrialInfo(
            draft_id=draft_id, draft_version=row_draft_version,
            outdated=row_draft_version != draft_version, status=case.status, stage=case.stage,
            clock_at=self.clock.now(),
            tasks=[TrialTask(id=t.id, bpmn_id=t.bpmn_id, name=t.name, form_key=t.form_key,
                             role=t.role, stage=t.stage, due_at=t.due_at)
                   for t in case.open_tasks],
            marks={"completed": sorted(passed - active - waiting), "active": sorted(active),
                   "waiting": sorted(waiting)},
            timeline=trail, next_timer_due=min((t["due_at"] for t in timers), default=None),
            data=eng.case_data(case_id),
            names={k: v.get("name") or k for k, v in elements.items()},
            forms={t.form_key: forms[t.form_key] for t in case.open_tasks
                   if t.form_key in forms},
            size_bytes=size)

    def diagram(self) -> str | None:
        with self.engine._read() as s:
            version_id = s.scalar(select(ProcessVersion.id).limit(1))
        files = self.engine.version_files(version_id) if version_id else {}
        return next((text for name, text in sorted(files.items()) if name.endswith(".bpmn")),
                    None)

    def dump(self) -> bytes:
        # The database is mostly JSON text (the version's files and specs): compressed, a
        # trial takes some 30 KB instead of 300 KB.
        return zlib.compress(self.conn.serialize(), 6)

    def close(self) -> None:
        self.engine.close()
        self.conn.close()


class Trials:
    """Trial runs of drafts, kept in the real database's `draft_trial` table."""

    def __init__(self, engine: Koordinator):
        self.engine = engine
        self._read = engine._read
        self._write = engine._write

    def start(self, kommune: str, draft_id: int, actor: str) -> TrialInfo:
        """A fresh trial (replacing the user's earlier one): the draft deployed as the kommune in
        a new trial database and one test case started. Raises BundleInvalid when the draft has
        problems, ProcessError when the diagram fails at its start."""
        with self._read() as s:
            draft = Drafts._get(s, kommune, draft_id)
            bundle, draft_version = _bundle(draft), draft.version
        now = self.engine.clock.now()
        run = _Run(None, now)
        try:
            run.deploy_and_start(bundle, kommune, actor)
            blob = run.dump()
            info = run.info(draft_version, draft_version, draft_id, len(blob))
        finally:
            run.close()
        try:
            with self._write() as s, s.begin():
                row = self._row(s, draft_id, actor)
                if row is None:
                    s.add(DraftTrial(draft_id=draft_id, username=actor, kommune=kommune,
                                     clock_at=now, db_blob=blob, draft_version=draft_version,
                                     updated_at=now, version=1))
                else:
                    row.clock_at, row.db_blob, row.draft_version = now, blob, draft_version
                    row.updated_at, row.version = now, row.version + 1
        except IntegrityError as exc:
            raise Conflict("the trial was started in another window at the same time") from exc
        return info

    reset = start

    def get(self, kommune: str, draft_id: int, actor: str) -> TrialInfo | None:
        """The user's trial of the draft, or None if there is none."""
        with self._read() as s:
            draft = Drafts._get(s, kommune, draft_id)
            row = self._row(s, draft_id, actor)
            if row is None:
                return None
            blob, clock_at, started_from = row.db_blob, row.clock_at, row.draft_version
            draft_version = draft.version
        return self._with_run(blob, clock_at, lambda run: run.info(
            started_from, draft_version, draft_id, len(blob)))

    def diagram(self, kommune: str, draft_id: int, actor: str) -> str | None:
        """The BPMN the trial runs (the draft as it was when the trial started)."""
        with self._read() as s:
            Drafts._get(s, kommune, draft_id)
            row = self._row(s, draft_id, actor)
            if row is None:
                raise NoTrial(f"no trial of draft {draft_id}")
            blob, clock_at = row.db_blob, row.clock_at
        return self._with_run(blob, clock_at, lambda run: run.diagram())

    def complete(self, kommune: str, draft_id: int, actor: str, task_id: str,
                 data: dict[str, Any], lang: str = "nb") -> TrialInfo:
        """Complete a task of the test case (FormRejected, with nothing saved, if the form says
        no). The user acts in whatever role the task has."""
        return self._change(kommune, draft_id, actor, lambda run: run.engine.complete_task(
            task_id, data, actor=actor, kommune=kommune, lang=lang))[1]

    def jump_to_next_timer(self, kommune: str, draft_id: int, actor: str) -> datetime:
        """Move the trial's clock to the next waiting timer and fire it; the time jumped to.

        Raises InvalidTransition when no timer waits."""
        return self._change(kommune, draft_id, actor, lambda run: run.jump())[0]

    def discard(self, kommune: str, draft_id: int, actor: str) -> None:
        with self._write() as s, s.begin():
            Drafts._get(s, kommune, draft_id)
            row = self._row(s, draft_id, actor)
            if row is not None:
                s.delete(row)

    # --- inside ----------------------------------------------------------------------------

    @staticmethod
    def _row(s: Any, draft_id: int, actor: str) -> DraftTrial | None:
        return s.scalars(select(DraftTrial).where(DraftTrial.draft_id == draft_id,
                                                  DraftTrial.username == actor)).first()

    @staticmethod
    def _with_run(blob: bytes, clock_at: datetime, action: Callable[[_Run], T]) -> T:
        try:
            run = _Run(blob, clock_at)
        except (sqlite3.DatabaseError, zlib.error, DBAPIError) as exc:
            raise TrialOutdated("the trial cannot be read (the program was updated since it "
                                "started); start it again") from exc
        try:
            return action(run)
        except EngineError:
            raise
        except Exception as exc:  # an older schema or engine state this version cannot load
            log.warning("trial could not be run", exc_info=True)
            raise TrialOutdated("the trial cannot be read (the program was updated since it "
                                "started); start it again") from exc
        finally:
            run.close()

    def _change(self, kommune: str, draft_id: int, actor: str,
                action: Callable[[_Run], T]) -> tuple[T, TrialInfo]:
        with self._read() as s:
            draft = Drafts._get(s, kommune, draft_id)
            row = self._row(s, draft_id, actor)
            if row is None:
                raise NoTrial(f"no trial of draft {draft_id}; start one")
            if row.draft_version != draft.version:
                raise TrialOutdated("the draft was saved since the trial started; start the "
                                    "trial again to try the saved draft")
            row_id, row_version, started_from = row.id, row.version, row.draft_version
            blob, clock_at = row.db_blob, row.clock_at

        def act(run: _Run) -> tuple[T, TrialInfo, bytes, datetime]:
            result = action(run)
            dumped = run.dump()
            return (result, run.info(started_from, started_from, draft_id, len(dumped)), dumped,
                    run.clock.now())

        result, info, new_blob, new_clock = self._with_run(blob, clock_at, act)
        with self._write() as s, s.begin():
            done = s.execute(update(DraftTrial).where(
                DraftTrial.id == row_id, DraftTrial.version == row_version).values(
                db_blob=new_blob, clock_at=new_clock, updated_at=self.engine.clock.now(),
                version=row_version + 1))
            if done.rowcount != 1:
                raise Conflict("the trial was changed in another window meanwhile; "
                               "nothing was saved, look again")
        return result, info
