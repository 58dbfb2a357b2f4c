"""The engine's public face: deploy, start, list and complete tasks, signals, timers, audit.

Everything here takes and returns plain values (see `engine.types`); SpiffWorkflow objects never
leave the engine. Every change to a case happens in one transaction that ends with a
version-checked update of the case row, so a stale request changes nothing.
"""

from __future__ import annotations

import json
import logging
import os
import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import Engine, and_, func, or_, select, union, update
from sqlalchemy import case as sql_case
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from . import forms as form_defs
from . import spiff
from .bundle import Bundle, due_delta, load_bundle, validate_bundle
from .clock import SystemClock, add_duration
from .compaction import compact
from .compare import Comparison, compare_elements
from .db import make_engine, session_factory
from .errors import (
    BundleInvalid,
    Conflict,
    FormRejected,
    InvalidTransition,
    NotFound,
    Problem,
    ProcessError,
)
from .helpers import make_helpers
from .models import AuditEvent, Case, HumanTask, ProcessVersion, Timer, User
from .roles import case_stage
from .sandbox import SandboxViolation, script_engine
from .signals import CaseSignal, catchable_signals
from .timers import all_tasks, force_fire, rebase_new_timers, waiting_timers
from .types import AuditInfo, CaseInfo, TaskInfo, VersionInfo, Worklist

log = logging.getLogger(__name__)

# Form fields that the case row indexes, so lists need not open the case state.
INDEXED_FIELDS = {"koordinator": "coordinator", "person_initialer": "person_label",
                  "person_navn": "person_name", "sekundar_koordinator": "secondary_coordinator"}
RECORDED_ENGINE_STEPS = {"BusinessRuleTask", "EndEvent", "ScriptTask"}


class Koordinator:
    """One engine instance over one database. Thread-safe; create one per process."""

    def __init__(self, database_url: str | None = None, clock: SystemClock | None = None,
                 db: Engine | None = None):
        # `db`: a ready engine instead of a URL (a draft's trial run, in memory)
        self.db = db if db is not None else make_engine(database_url)
        self.is_postgres = self.db.dialect.name == "postgresql"
        self._read = session_factory(self.db)
        self._write = session_factory(self.db.execution_options(sqlite_immediate=True))
        self.clock = clock or SystemClock()
        self._db_name = self.db.url.render_as_string(hide_password=True)
        self.ticker_id = f"{socket.gethostname()}:{os.getpid()}"
        # Versions are immutable: what is derived from one is parsed once per process.
        self._forms_cache: dict[int, dict[str, form_defs.FormDefinition]] = {}
        self._elements_cache: dict[int, dict[str, dict[str, Any]]] = {}

    # --- bundles and versions ------------------------------------------------------------

    @staticmethod
    def validate(path: str | Path) -> list[Problem]:
        """Check a bundle folder or file; an empty list means it can be deployed."""
        return validate_bundle(load_bundle(path)).problems

    def deploy(self, path: str | Path | Bundle, kommune: str, actor: str,
               note: str = "", only_if_changed: bool = False) -> VersionInfo:
        """Deploy a bundle as the kommune's next immutable version; raise BundleInvalid if unsound.

        With `only_if_changed`, a bundle identical to the newest version returns that version.
        """
        bundle = path if isinstance(path, Bundle) else load_bundle(path)
        result = validate_bundle(bundle)
        if not result.ok:
            raise BundleInvalid(result.problems or [
                Problem.coded(bundle.name, None, "bundle.nothing_to_deploy")])
        built = result.built
        assert built is not None
        used_forms = {e["form"] for e in built.elements.values() if e.get("form")}
        files_json = json.dumps({k: v.decode("utf-8") for k, v in bundle.files.items()})
        forms_json = json.dumps({k: bundle.form_sources[k] for k in sorted(used_forms)})
        with self._write() as s, s.begin():
            last = s.scalars(select(ProcessVersion).where(
                ProcessVersion.kommune == kommune, ProcessVersion.process_id == built.process_id)
                .order_by(ProcessVersion.number.desc()).limit(1)).first()
            if (only_if_changed and last is not None and last.files_json == files_json
                    and last.forms_json == forms_json):
                return self._version_info(last)
            version = ProcessVersion(
                kommune=kommune, process_id=built.process_id,
                number=(last.number if last else 0) + 1,
                name=getattr(built.spec, "description", None) or built.process_id,
                created_at=self.clock.now(), created_by=actor, note=note,
                files_json=files_json, forms_json=forms_json,
                spec_json=spiff.dump_specs(built.spec, built.subprocess_specs),
                elements_json=json.dumps(built.elements),
            )
            s.add(version)
            s.flush()
            return self._version_info(version)

    def versions(self, kommune: str) -> list[VersionInfo]:
        with self._read() as s:
            rows = s.scalars(select(ProcessVersion).where(ProcessVersion.kommune == kommune)
                             .order_by(ProcessVersion.process_id, ProcessVersion.number))
            return [self._version_info(v) for v in rows]

    def version_files(self, version_id: int, kommune: str | None = None) -> dict[str, str]:
        with self._read() as s:
            return json.loads(self._version_of(s, version_id, kommune).files_json)

    @staticmethod
    def _version_of(s: Session, version_id: int, kommune: str | None) -> ProcessVersion:
        version = s.get(ProcessVersion, version_id)
        if version is None or (kommune is not None and version.kommune != kommune):
            raise NotFound(f"process version {version_id} does not exist")
        return version

    @staticmethod
    def compare_bundles(before: str | Path | Bundle, after: str | Path | Bundle) -> Comparison:
        """Element by element, what `after` changes in `before` (e.g. a variant and the standard).

        Raises BundleInvalid when either side cannot be built."""
        sides = []
        for side in (before, after):
            bundle = side if isinstance(side, Bundle) else load_bundle(side)
            result = validate_bundle(bundle)
            if not result.ok or result.built is None:
                raise BundleInvalid(result.problems)
            files = {k: v.decode("utf-8") for k, v in bundle.files.items()}
            files.update({f"forms/{k}.yaml": v for k, v in bundle.form_sources.items()})
            sides.append((result.built.elements, files))
        return compare_elements(sides[0][0], sides[1][0], sides[0][1], sides[1][1])

    def compare_versions(self, before_id: int, after_id: int,
                         kommune: str | None = None) -> Comparison:
        """What a deployed version changes in another (any two versions the kommune can see)."""
        with self._read() as s:
            # A kommune compares its own versions; the standard it started from is one of them.
            a, b = (self._version_of(s, v, kommune) for v in (before_id, after_id))
            files = []
            for v in (a, b):
                merged = json.loads(v.files_json)
                merged.update({f"forms/{k}.yaml": t for k, t in json.loads(v.forms_json).items()})
                files.append(merged)
            return compare_elements(self._elements(a), self._elements(b), files[0], files[1])

    def version_elements(self, version_id: int,
                         kommune: str | None = None) -> dict[str, dict[str, Any]]:
        """bpmn id -> {name, kind, role, form, stage, due} of a version's diagram elements."""
        with self._read() as s:
            return self._elements(self._version_of(s, version_id, kommune))

    def version_forms(self, version_id: int,
                      kommune: str | None = None) -> dict[str, form_defs.FormDefinition]:
        """The forms a version's user tasks use, by form key."""
        with self._read() as s:
            return self._forms_of(self._version_of(s, version_id, kommune))

    @staticmethod
    def _version_info(v: ProcessVersion) -> VersionInfo:
        return VersionInfo(id=v.id, kommune=v.kommune, process_id=v.process_id, number=v.number,
                           name=v.name, created_at=v.created_at, created_by=v.created_by,
                           note=v.note)

    def _forms_of(self, version: ProcessVersion) -> dict[str, form_defs.FormDefinition]:
        forms = self._forms_cache.get(version.id)
        if forms is None:
            forms = {key: form_defs.parse_form(text, f"{key}.yaml")
                     for key, text in json.loads(version.forms_json).items()}
            self._forms_cache[version.id] = forms
        return forms

    # --- moving running cases to another version (engine/migrate.py) ---------------------

    def migration_candidates(self, kommune: str, to_version_id: int) -> list[Any]:
        """The kommune's active cases on other versions of that process, and whether each can
        move (a list of `engine.migrate.MigrationCandidate`)."""
        from .migrate import migration_candidates

        return migration_candidates(self, kommune, to_version_id)

    def migrate_cases(self, kommune: str, case_ids: list[int], to_version_id: int, actor: str,
                      expected_versions: dict[int, int] | None = None) -> int:
        """Move the chosen cases onto the version in one transaction (all or none)."""
        from .migrate import migrate_cases

        return migrate_cases(self, kommune, case_ids, to_version_id, actor, expected_versions)

    # --- running a case ------------------------------------------------------------------

    def _script_engine(self, s: Session, kommune: str, case_id: int | None) -> Any:
        def caseload(username: str) -> int:
            query = select(func.count(Case.id)).where(
                Case.kommune == kommune, Case.status == "active", Case.coordinator == username)
            if case_id is not None:
                query = query.where(Case.id != case_id)
            return int(s.scalar(query) or 0)

        return script_engine(make_helpers(self.clock, caseload))

    def _spec_key(self, version: ProcessVersion) -> tuple[str, int]:
        return (self._db_name, version.id)

    def _elements(self, version: ProcessVersion) -> dict[str, dict[str, Any]]:
        elements = self._elements_cache.get(version.id)
        if elements is None:
            elements = self._elements_cache[version.id] = json.loads(version.elements_json)
        return elements

    def _load_workflow(self, s: Session, case: Case, version: ProcessVersion) -> Any:
        spec, subs = spiff.load_specs(self._spec_key(version), version.spec_json)
        return spiff.load_workflow(case.state_json, spec, subs,
                                   self._script_engine(s, case.kommune, case.id),
                                   private_specs=lambda: spiff.parse_specs(version.spec_json))

    @contextmanager
    def _engine_errors(self) -> Iterator[None]:
        try:
            yield
        except Exception as exc:
            # The step may have rewired a cached spec before it failed (an event sub-process
            # that started); nothing is saved, so the cache must not keep that wiring either.
            spiff.forget_all_changed()
            if isinstance(exc, SpiffWorkflowException):
                task = getattr(exc, "task", None)
                element = getattr(getattr(task, "task_spec", None), "bpmn_id", None)
                inner = getattr(exc, "exception", None) or exc.__cause__
                detail = f" ({type(inner).__name__}: {inner})" if inner else ""
                raise ProcessError(f"the process failed at {element or 'an element'}: "
                                   f"{str(exc).splitlines()[0]}{detail}", element) from None
            if isinstance(exc, SandboxViolation):
                raise ProcessError(f"diagram code refused by the sandbox: {exc}") from None
            raise

    def start_case(self, kommune: str, actor: str, process_id: str = "koordinering",
                   version_id: int | None = None) -> CaseInfo:
        """Start a case on the kommune's newest version (or the given one) and run to a wait state."""
        with self._write() as s, s.begin():
            if version_id is not None:
                version = s.get(ProcessVersion, version_id)
                if version is None or version.kommune != kommune:
                    raise NotFound(f"process version {version_id} does not exist")
            else:
                version = s.scalars(select(ProcessVersion).where(
                    ProcessVersion.kommune == kommune, ProcessVersion.process_id == process_id)
                    .order_by(ProcessVersion.number.desc()).limit(1)).first()
                if version is None:
                    raise NotFound(f"no version of process '{process_id}' is deployed for "
                                   f"kommune '{kommune}'")
            now = self.clock.now()
            case = Case(kommune=kommune, process_version_id=version.id, status="active",
                        state_json="{}", serializer_version=spiff.SERIALIZER_VERSION, version=1,
                        created_at=now, updated_at=now)
            s.add(case)
            s.flush()
            spec, subs = spiff.load_specs(self._spec_key(version), version.spec_json)
            wf = spiff.new_workflow(spec, subs, self._script_engine(s, kommune, case.id))
            steps: list[dict[str, Any]] = []
            with self._engine_errors():
                wf.do_engine_steps(did_complete_task=self._step_recorder(steps))
            self._audit(s, case.id, actor, "case_started", data={"version": version.number})
            self._save(s, case, version, wf, actor, steps, expected_version=1, bump=False)
            return self._case_info(s, case.id)

    def _step_recorder(self, steps: list[dict[str, Any]]) -> Callable[[Any], None]:
        def record(task: Any) -> None:
            kind = type(task.task_spec).__name__
            if kind in RECORDED_ENGINE_STEPS:
                data = None
                if kind == "BusinessRuleTask":
                    decision = task.task_spec.dmnEngine.decision_table
                    data = {o.name: task.data.get(o.name) for o in decision.outputs
                            if o.name in task.data}
                steps.append({"task_id": str(task.id), "bpmn_id": task.task_spec.bpmn_id,
                              "kind": kind, "data": data})
        return record

    def _load_for_change(self, s: Session, case_id: int, kommune: str | None,
                         expected_version: int | None) -> tuple[Case, ProcessVersion, Any]:
        case = s.get(Case, case_id)
        if case is None or (kommune is not None and case.kommune != kommune):
            raise NotFound(f"case {case_id} does not exist")
        if expected_version is not None and case.version != expected_version:
            raise Conflict(f"case {case_id} was changed by someone else since you opened it "
                           f"(version {expected_version}, now {case.version}); reload and try again")
        if case.status != "active":
            raise InvalidTransition(f"case {case_id} is {case.status}")
        version = s.get(ProcessVersion, case.process_version_id)
        return case, version, self._load_workflow(s, case, version)

    def complete_task(self, task_id: str, data: dict[str, Any], actor: str,
                      kommune: str | None = None, expected_case_version: int | None = None,
                      lang: str = "nb") -> CaseInfo:
        """Complete a ready user task with form data, then run the case to its next wait state.

        Raises FormRejected (with per-field messages in `lang`), Conflict when the task was already
        completed or the case changed since `expected_case_version`, NotFound, ProcessError.
        """
        try:
            with self._write() as s, s.begin():
                row = s.get(HumanTask, task_id)
                if row is None or (kommune is not None and row.kommune != kommune):
                    raise NotFound(f"task {task_id} does not exist")
                if row.state != "ready":
                    who = f" by {row.completed_by}" if row.completed_by else ""
                    raise Conflict(f"the task '{row.name}' is already {row.state}{who}")
                case, version, wf = self._load_for_change(s, row.case_id, kommune,
                                                          expected_case_version)
                forms = self._forms_of(version)
                form = forms.get(row.form_key or "")
                if form is None:
                    raise ProcessError(f"form '{row.form_key}' is not part of this version")
                try:
                    cleaned = form_defs.validate_submission(form, data, lang=lang)
                except form_defs.FormValidationError as exc:
                    raise FormRejected(exc.errors) from None
                task = wf.get_task_from_id(UUID(task_id))
                if task is None or task.state != TaskState.READY:
                    raise Conflict(f"the task '{row.name}' is no longer waiting")
                steps: list[dict[str, Any]] = []
                with self._engine_errors():
                    task.set_data(**cleaned)
                    task.run()
                    wf.refresh_timers()
                    wf.do_engine_steps(did_complete_task=self._step_recorder(steps))
                now = self.clock.now()
                s.execute(update(HumanTask).where(HumanTask.id == task_id).values(
                    state="completed", completed_at=now, completed_by=actor))
                self._audit(s, case.id, actor, "task_completed", task_id=task_id,
                            bpmn_id=row.bpmn_id, stage=row.stage, data=cleaned)
                self._index_fields(case, cleaned)
                self._save(s, case, version, wf, actor, steps, expected_version=case.version)
                return self._case_info(s, case.id)
        except OperationalError as exc:
            raise Conflict("the case is busy; try again") from exc

    def case_signals(self, case_id: int, kommune: str | None = None) -> list[CaseSignal]:
        """The signals the case can take now (its diagram waits for them), by name and label."""
        with self._read() as s:
            case = s.get(Case, case_id)
            if case is None or (kommune is not None and case.kommune != kommune):
                raise NotFound(f"case {case_id} does not exist")
            if case.status != "active":
                return []
            version = s.get(ProcessVersion, case.process_version_id)
            with self._engine_errors():
                return catchable_signals(self._load_workflow(s, case, version))

    def send_signal(self, case_id: int, signal: str, actor: str, kommune: str | None = None,
                    expected_case_version: int | None = None) -> CaseInfo:
        """Raise a signal the case's diagram catches (e.g. `skifte_koordinator` for a handover)."""
        from SpiffWorkflow.bpmn import BpmnEvent
        from SpiffWorkflow.spiff.specs.event_definitions import SignalEventDefinition

        with self._write() as s, s.begin():
            case, version, wf = self._load_for_change(s, case_id, kommune, expected_case_version)
            steps: list[dict[str, Any]] = []
            # Only what the diagram waits for now: a signal nobody catches would vanish.
            label = next((c.label for c in catchable_signals(wf) if c.signal == signal), None)
            if label is None:
                raise InvalidTransition(f"case {case_id} cannot take the event '{signal}' now")
            with self._engine_errors():
                try:
                    wf.send_event(BpmnEvent(SignalEventDefinition(signal), {}))
                except SpiffWorkflowException as exc:
                    if "not waiting" in str(exc):
                        raise InvalidTransition(
                            f"case {case_id} cannot take the event '{signal}' now") from None
                    raise
                wf.refresh_timers()
                wf.do_engine_steps(did_complete_task=self._step_recorder(steps))
            self._audit(s, case.id, actor, "signal", data={"signal": signal, "label": label})
            self._save(s, case, version, wf, actor, steps, expected_version=case.version)
            return self._case_info(s, case.id)

    def cancel_case(self, case_id: int, actor: str, reason: str = "",
                    kommune: str | None = None) -> CaseInfo:
        with self._write() as s, s.begin():
            case, version, wf = self._load_for_change(s, case_id, kommune, None)
            wf.cancel()
            self._audit(s, case.id, actor, "case_cancelled", data={"reason": reason})
            self._save(s, case, version, wf, actor, [], expected_version=case.version,
                       status="cancelled")
            return self._case_info(s, case.id)

    # --- after every run: index, compact, save -------------------------------------------

    @staticmethod
    def _index_fields(case: Case, data: dict[str, Any]) -> None:
        for field_name, column in INDEXED_FIELDS.items():
            if data.get(field_name):
                setattr(case, column, str(data[field_name]))

    def _save(self, s: Session, case: Case, version: ProcessVersion, wf: Any, actor: str,
              steps: list[dict[str, Any]], expected_version: int, bump: bool = True,
              status: str | None = None) -> None:
        now = self.clock.now()
        elements = self._elements(version)
        for step in steps:
            self._audit(s, case.id, actor, "engine_step", task_id=step["task_id"],
                        bpmn_id=step["bpmn_id"], stage=elements.get(step["bpmn_id"], {}).get("stage"),
                        data=step["data"])
        stages = self._sync_tasks(s, case, wf, elements, now)
        timers = self._sync_timers(s, case, wf, elements)
        stages += [elements.get(t.bpmn_id, {}).get("stage") for t in timers]
        if status is None:
            status = "closed" if wf.is_completed() else "active"
        spiff.forget_if_changed(self._spec_key(version))
        compact(wf)
        values: dict[str, Any] = {
            "state_json": spiff.dump_workflow(wf),
            "status": status,
            "stage": case_stage([st for st in stages if st]) or ("closure" if status == "closed"
                                                                  else case.stage),
            "coordinator": case.coordinator,
            "person_label": case.person_label,
            "person_name": case.person_name,
            "secondary_coordinator": case.secondary_coordinator,
            "updated_at": now,
            "next_timer_due": min((t.due_at for t in timers), default=None),
            "version": expected_version + 1 if bump else expected_version,
        }
        if status != "active":
            values["closed_at"] = now
            if status == "closed":
                self._audit(s, case.id, actor, "case_closed")
        result = s.execute(update(Case).where(Case.id == case.id, Case.version == expected_version)
                           .values(**values).execution_options(synchronize_session=False))
        if result.rowcount != 1:
            raise Conflict(f"case {case.id} was changed by someone else at the same time; "
                           "nothing was saved, try again")

    def _sync_tasks(self, s: Session, case: Case, wf: Any, elements: dict[str, dict[str, Any]],
                    now: datetime) -> list[str]:
        ready = {str(t.id): t for t in all_tasks(wf)
                 if t.state == TaskState.READY and t.task_spec.manual}
        open_rows = {r.id: r for r in s.scalars(select(HumanTask).where(
            HumanTask.case_id == case.id, HumanTask.state == "ready"))}
        for task_id in open_rows.keys() - ready.keys():
            s.execute(update(HumanTask).where(HumanTask.id == task_id, HumanTask.state == "ready")
                      .values(state="cancelled", completed_at=now))
        stages = []
        coordinator_now = self._acting_coordinator(s, case)
        for task_id, task in ready.items():
            info = elements.get(task.task_spec.bpmn_id, {})
            stages.append(info.get("stage"))
            if task_id in open_rows:
                continue
            role = info.get("role")
            due_parts = due_delta(info["due"]) if info.get("due") else None
            s.add(HumanTask(
                id=task_id, case_id=case.id, kommune=case.kommune, bpmn_id=task.task_spec.bpmn_id,
                name=info.get("name") or task.task_spec.bpmn_name or task.task_spec.bpmn_id,
                role=role, form_key=info.get("form"), stage=info.get("stage"), state="ready",
                assignee=coordinator_now if role == "koordinator" else None, created_at=now,
                due_at=add_duration(now, due_parts) if due_parts else None))
        return stages

    @staticmethod
    def _acting_coordinator(s: Session, case: Case) -> str | None:
        """The case's coordinator, or the secondary coordinator while the coordinator is away."""
        if case.coordinator and case.secondary_coordinator and s.scalar(
                select(User.absent).where(User.username == case.coordinator)):
            return case.secondary_coordinator
        return case.coordinator

    def set_absent(self, kommune: str, username: str, absent: bool, actor: str) -> int:
        """Mark a coordinator away or back; their open tasks move to or from each case's
        secondary coordinator, recorded in each case's history. Returns how many moved."""
        with self._write() as s, s.begin():
            user = s.scalars(select(User).where(User.username == username,
                                                User.kommune == kommune)).first()
            if user is None:
                raise NotFound(f"user '{username}' does not exist")
            user.absent = absent
            cases = s.scalars(select(Case).where(
                Case.kommune == kommune, Case.status == "active", Case.coordinator == username,
                Case.secondary_coordinator.is_not(None)))
            moved = 0
            for case in cases:
                source, target = ((username, case.secondary_coordinator) if absent
                                  else (case.secondary_coordinator, username))
                tasks = s.scalars(select(HumanTask).where(
                    HumanTask.case_id == case.id, HumanTask.state == "ready",
                    HumanTask.role == "koordinator", HumanTask.assignee == source)).all()
                for task in tasks:
                    task.assignee = target
                    if task.claimed_by == source:
                        task.claimed_by = None
                    self._audit(s, case.id, actor, "task_reassigned", task_id=task.id,
                                bpmn_id=task.bpmn_id, stage=task.stage,
                                data={"from": source, "to": target,
                                      "reason": "absent" if absent else "back"})
                    moved += 1
            return moved

    def _sync_timers(self, s: Session, case: Case, wf: Any,
                     elements: dict[str, dict[str, Any]]) -> list[Any]:
        every = {r.id: r for r in s.scalars(select(Timer).where(Timer.case_id == case.id))}
        rows = {i: r for i, r in every.items() if r.state == "waiting"}
        # Durations count from the engine's clock when it runs ahead of the wall clock (a tried
        # draft's jumps, tests). Behind it, SpiffWorkflow would see shifted timers as overdue.
        offset = self.clock.now() - SystemClock().now()
        if offset > timedelta(seconds=1):
            rebase_new_timers(wf, set(every), offset)
        timers = waiting_timers(wf)
        current = {t.task_id: t for t in timers}
        for timer_id in rows.keys() - current.keys():
            task = wf.get_task_from_id(UUID(timer_id))
            fired = task is not None and task.state == TaskState.COMPLETED
            s.execute(update(Timer).where(Timer.id == timer_id, Timer.state == "waiting").values(
                state="fired" if fired else "cancelled",
                fired_at=self.clock.now() if fired else None,
                fired_by="engine" if fired else None))
        for timer_id, timer in current.items():
            row = every.get(timer_id)
            if row is None:
                s.add(Timer(id=timer_id, case_id=case.id, bpmn_id=timer.bpmn_id,
                            due_at=timer.due_at, state="waiting"))
            elif row.state == "failed":
                continue  # stays failed, with its error, until someone looks at it
            elif row.state != "waiting":  # a cycle that fired waits for its next round
                row.state, row.due_at = "waiting", timer.due_at
            elif row.due_at != timer.due_at:
                row.due_at = timer.due_at
        return timers

    def _audit(self, s: Session, case_id: int, actor: str, kind: str, task_id: str | None = None,
               bpmn_id: str | None = None, stage: str | None = None,
               data: Any = None) -> None:
        s.add(AuditEvent(case_id=case_id, at=self.clock.now(), actor=actor, kind=kind,
                         task_id=task_id, bpmn_id=bpmn_id, stage=stage,
                         data_json=json.dumps(data, ensure_ascii=False) if data is not None
                         else None))

    # --- timers --------------------------------------------------------------------------

    def fire_due_timers(self, limit: int = 500) -> list[str]:
        """One pass of the scheduler: fire every timer due by the engine's clock, each once.

        Several passes may run at once (several processes, several machines): on PostgreSQL a
        timer row is claimed with FOR UPDATE SKIP LOCKED, on SQLite with a guarded update inside
        an immediate transaction. A timer whose case changed meanwhile is left for the next pass.
        """
        fired: list[str] = []
        skipped: set[str] = set()
        while len(fired) + len(skipped) < limit:
            outcome = self._fire_one(skipped)
            if outcome is None:
                break
            timer_id, ok = outcome
            (fired.append if ok else skipped.add)(timer_id)
        return fired

    def _fire_one(self, skipped: set[str]) -> tuple[str, bool] | None:
        now = self.clock.now()
        try:
            with self._write() as s, s.begin():
                query = (select(Timer).where(Timer.state == "waiting", Timer.due_at <= now)
                         .order_by(Timer.due_at).limit(1))
                if skipped:
                    query = query.where(Timer.id.not_in(skipped))
                if self.is_postgres:
                    query = query.with_for_update(skip_locked=True)
                timer = s.scalars(query).first()
                if timer is None:
                    return None
                if not self.is_postgres:
                    claimed = s.execute(update(Timer).where(
                        Timer.id == timer.id, Timer.state == "waiting").values(state="firing"))
                    if claimed.rowcount != 1:
                        return timer.id, False
                timer_id = timer.id
                try:
                    self._fire(s, timer)
                except (ProcessError, Conflict, InvalidTransition) as exc:
                    raise _FireFailed(timer_id, str(exc)) from exc
                return timer_id, True
        except OperationalError as exc:  # the database was busy: leave it for the next pass
            log.warning("timer pass stopped early, database busy: %s", exc)
            return None
        except _FireFailed as failed:
            if isinstance(failed.__cause__, Conflict):
                return failed.timer_id, False
            self._mark_failed(failed.timer_id, failed.message)
            return failed.timer_id, False

    def _fire(self, s: Session, timer: Timer) -> None:
        case, version, wf = self._load_for_change(s, timer.case_id, None, None)
        task = wf.get_task_from_id(UUID(timer.id))
        steps: list[dict[str, Any]] = []
        with self._engine_errors():
            restore = force_fire(task) if task is not None and task.state == TaskState.WAITING \
                else None
            wf.refresh_timers()
            if restore is not None:
                restore()
            wf.do_engine_steps(did_complete_task=self._step_recorder(steps))
        now = self.clock.now()
        s.execute(update(Timer).where(Timer.id == timer.id).values(
            state="fired", fired_at=now, fired_by=self.ticker_id))
        self._audit(s, case.id, "scheduler", "timer_fired", task_id=timer.id,
                    bpmn_id=timer.bpmn_id, stage=self._elements(version).get(
                        timer.bpmn_id, {}).get("stage"), data={"due_at": timer.due_at.isoformat()})
        self._save(s, case, version, wf, "scheduler", steps, expected_version=case.version)

    def _mark_failed(self, timer_id: str, message: str) -> None:
        log.error("timer %s failed: %s", timer_id, message)
        with self._write() as s, s.begin():
            s.execute(update(Timer).where(Timer.id == timer_id, Timer.state.in_(
                ["waiting", "firing"])).values(state="failed", error=message))

    # --- reading -------------------------------------------------------------------------

    def get_case(self, case_id: int, kommune: str | None = None,
                 actor: str | None = None) -> CaseInfo:
        """A case with its open tasks; when `actor` is given the read is logged in the audit trail."""
        if actor is None:
            with self._read() as s:
                return self._case_info(s, case_id, kommune)
        with self._write() as s, s.begin():
            info = self._case_info(s, case_id, kommune)
            self._audit(s, case_id, actor, "case_read")
            return info

    def _case_info(self, s: Session, case_id: int, kommune: str | None = None) -> CaseInfo:
        case = s.get(Case, case_id, populate_existing=True)
        if case is None or (kommune is not None and case.kommune != kommune):
            raise NotFound(f"case {case_id} does not exist")
        version = s.get(ProcessVersion, case.process_version_id)
        tasks = [self._task_info(t) for t in s.scalars(select(HumanTask).where(
            HumanTask.case_id == case.id, HumanTask.state == "ready").order_by(
            HumanTask.created_at))]
        return self._case_row(case, version.process_id, version.number, tasks)

    @staticmethod
    def _case_row(case: Case, process_id: str, number: int, tasks: list[TaskInfo]) -> CaseInfo:
        return CaseInfo(
            id=case.id, kommune=case.kommune, status=case.status, stage=case.stage,
            coordinator=case.coordinator, person_label=case.person_label,
            process_id=process_id, version_number=number,
            process_version_id=case.process_version_id, version=case.version,
            created_at=case.created_at, updated_at=case.updated_at, closed_at=case.closed_at,
            next_timer_due=case.next_timer_due, open_tasks=tasks, state_bytes=len(case.state_json),
            person_name=case.person_name, secondary_coordinator=case.secondary_coordinator)

    def list_cases(self, kommune: str, status: str | None = None, stage: str | None = None,
                   coordinator: str | None = None, limit: int = 200, offset: int = 0,
                   involving: str | None = None) -> list[CaseInfo]:
        """A kommune's cases, newest first, each with its open tasks (two queries in all).

        `involving` keeps the cases a person works on: they coordinate it or have an open
        task in it (assigned to or taken by them). The engine state is not read.
        """
        with self._read() as s:
            columns = [getattr(Case, c) for c in _CASE_LIST_COLUMNS]
            query = (select(*columns, func.length(Case.state_json), ProcessVersion.process_id,
                            ProcessVersion.number)
                     .join(ProcessVersion, ProcessVersion.id == Case.process_version_id)
                     .where(Case.kommune == kommune))
            if status:
                query = query.where(Case.status == status)
            if stage:
                query = query.where(Case.stage == stage)
            if coordinator:
                query = query.where(Case.coordinator == coordinator)
            if involving:
                # A union of two indexed lookups: an OR here would scan the kommune's cases.
                coordinates = select(Case.id).where(Case.coordinator == involving)
                assigned = select(HumanTask.case_id).where(
                    HumanTask.kommune == kommune, HumanTask.state == "ready",
                    HumanTask.assignee == involving)
                taken = select(HumanTask.case_id).where(
                    HumanTask.kommune == kommune, HumanTask.state == "ready",
                    HumanTask.claimed_by == involving)
                query = query.where(Case.id.in_(union(coordinates, assigned, taken)))
            rows = s.execute(query.order_by(Case.id.desc()).limit(limit).offset(offset)).all()
            tasks: dict[int, list[TaskInfo]] = {}
            if rows:
                for t in s.scalars(select(HumanTask).where(
                        HumanTask.case_id.in_([r.id for r in rows]),
                        HumanTask.state == "ready").order_by(HumanTask.created_at)):
                    tasks.setdefault(t.case_id, []).append(self._task_info(t))
            result = []
            for row in rows:
                values = dict(zip(_CASE_LIST_COLUMNS, row[:len(_CASE_LIST_COLUMNS)], strict=True))
                size, process_id, number = row[len(_CASE_LIST_COLUMNS):]
                result.append(CaseInfo(
                    **{k: v for k, v in values.items() if k != "process_version_id"},
                    process_version_id=values["process_version_id"], process_id=process_id,
                    version_number=number, open_tasks=tasks.get(values["id"], []),
                    state_bytes=int(size or 0)))
            return result

    def coordinator_loads(self, kommune: str) -> dict[str, int]:
        """Active cases per coordinator in the kommune (what the caseload rule counts)."""
        with self._read() as s:
            rows = s.execute(select(Case.coordinator, func.count(Case.id)).where(
                Case.kommune == kommune, Case.status == "active",
                Case.coordinator.is_not(None)).group_by(Case.coordinator))
            return {name: int(n) for name, n in rows}

    def count_cases(self, kommune: str, status: str | None = None) -> int:
        with self._read() as s:
            query = select(func.count(Case.id)).where(Case.kommune == kommune)
            if status:
                query = query.where(Case.status == status)
            return int(s.scalar(query) or 0)

    def ready_tasks(self, kommune: str, case_id: int | None = None, role: str | None = None,
                    assignee: str | None = None) -> list[TaskInfo]:
        """Open user tasks of a kommune, oldest first, optionally for one case, role or person."""
        with self._read() as s:
            query = select(HumanTask).where(HumanTask.kommune == kommune,
                                            HumanTask.state == "ready")
            if case_id is not None:
                query = query.where(HumanTask.case_id == case_id)
            if role is not None:
                query = query.where(HumanTask.role == role)
            if assignee is not None:
                query = query.where(HumanTask.assignee == assignee)
            return [self._task_info(t) for t in s.scalars(query.order_by(HumanTask.created_at))]

    def get_task(self, task_id: str, kommune: str | None = None) -> TaskInfo:
        with self._read() as s:
            row = s.get(HumanTask, task_id)
            if row is None or (kommune is not None and row.kommune != kommune):
                raise NotFound(f"task {task_id} does not exist")
            return self._task_info(row)

    def form_for_task(self, task_id: str, kommune: str | None = None) -> form_defs.FormDefinition:
        with self._read() as s:
            row = s.get(HumanTask, task_id)
            if row is None or (kommune is not None and row.kommune != kommune):
                raise NotFound(f"task {task_id} does not exist")
            case = s.get(Case, row.case_id)
            version = s.get(ProcessVersion, case.process_version_id)
            form = self._forms_of(version).get(row.form_key or "")
            if form is None:
                raise NotFound(f"form '{row.form_key}' does not exist")
            return form

    @staticmethod
    def _task_info(t: HumanTask, person_label: str | None = None,
                   person_name: str | None = None) -> TaskInfo:
        return TaskInfo(id=t.id, case_id=t.case_id, kommune=t.kommune, bpmn_id=t.bpmn_id,
                        name=t.name, role=t.role, form_key=t.form_key, stage=t.stage,
                        state=t.state, assignee=t.assignee, claimed_by=t.claimed_by,
                        created_at=t.created_at, completed_at=t.completed_at,
                        completed_by=t.completed_by, due_at=t.due_at, person_label=person_label,
                        person_name=person_name)

    # --- the worklist --------------------------------------------------------------------

    def worklist(self, kommune: str, username: str, roles: tuple[str, ...] | list[str],
                 stage: str | None = None, case_id: int | None = None, due: str | None = None,
                 limit: int = 200) -> Worklist:
        """A user's tasks (claimed by or assigned to them) and the unclaimed tasks of their roles.

        `due` is `overdue` (past its due date) or `week` (due within seven days). Each list is
        sorted by due date (undated last), then age; counts are of all matches, not the limit.
        """
        now = self.clock.now()
        base = [HumanTask.kommune == kommune, HumanTask.state == "ready"]
        if stage:
            base.append(HumanTask.stage == stage)
        if case_id is not None:
            base.append(HumanTask.case_id == case_id)
        if due == "overdue":
            base.append(HumanTask.due_at < now)
        elif due == "week":
            base.append(HumanTask.due_at < now + timedelta(days=7))
        mine = or_(HumanTask.claimed_by == username,
                   and_(HumanTask.assignee == username, HumanTask.claimed_by.is_(None)))
        available = and_(HumanTask.role.in_(list(roles)), HumanTask.claimed_by.is_(None),
                         HumanTask.assignee.is_(None))
        order = (HumanTask.due_at.is_(None), HumanTask.due_at, HumanTask.created_at)
        with self._read() as s:
            def rows(cond: Any) -> list[TaskInfo]:
                # Pick the page of task ids on the task indexes first, then join the cases.
                ids = select(HumanTask.id).where(*base, cond).order_by(*order).limit(limit)
                query = (select(HumanTask, Case.person_label, Case.person_name)
                         .join(Case, Case.id == HumanTask.case_id)
                         .where(HumanTask.id.in_(ids)).order_by(*order))
                return [self._task_info(t, label, name) for t, label, name in s.execute(query)]

            late = HumanTask.due_at < now
            counts = s.execute(select(
                func.coalesce(func.sum(sql_case((mine, 1), else_=0)), 0),
                func.coalesce(func.sum(sql_case((available, 1), else_=0)), 0),
                func.coalesce(func.sum(sql_case((late, 1), else_=0)), 0),
            ).where(*base, or_(mine, available))).one()
            return Worklist(mine=rows(mine), available=rows(available), mine_count=int(counts[0]),
                            available_count=int(counts[1]), overdue_count=int(counts[2]))

    def claim_task(self, task_id: str, username: str, roles: tuple[str, ...] | list[str],
                   kommune: str) -> TaskInfo:
        """Take an unclaimed task of one's role (or one assigned to oneself)."""
        with self._write() as s, s.begin():
            row = s.get(HumanTask, task_id)
            if row is None or row.kommune != kommune:
                raise NotFound(f"task {task_id} does not exist")
            if row.state != "ready":
                raise Conflict(f"the task '{row.name}' is already {row.state}")
            if row.claimed_by == username:
                return self._task_info(row)
            if row.claimed_by is not None:
                raise Conflict(f"the task '{row.name}' is already claimed by {row.claimed_by}")
            if row.assignee not in (None, username) or row.role not in roles:
                raise InvalidTransition(f"the task '{row.name}' is not for your role")
            done = s.execute(update(HumanTask).where(
                HumanTask.id == task_id, HumanTask.state == "ready",
                HumanTask.claimed_by.is_(None)).values(claimed_by=username))
            if done.rowcount != 1:
                raise Conflict(f"the task '{row.name}' was claimed by someone else just now")
            s.refresh(row)
            return self._task_info(row)

    def release_task(self, task_id: str, username: str, kommune: str) -> TaskInfo:
        """Give a claimed task back to its role."""
        with self._write() as s, s.begin():
            row = s.get(HumanTask, task_id)
            if row is None or row.kommune != kommune:
                raise NotFound(f"task {task_id} does not exist")
            if row.claimed_by != username:
                raise InvalidTransition(f"the task '{row.name}' is not claimed by you")
            s.execute(update(HumanTask).where(HumanTask.id == task_id,
                                              HumanTask.claimed_by == username)
                      .values(claimed_by=None))
            s.refresh(row)
            return self._task_info(row)

    def audit_trail(self, case_id: int, kommune: str | None = None) -> list[AuditInfo]:
        with self._read() as s:
            case = s.get(Case, case_id)
            if case is None or (kommune is not None and case.kommune != kommune):
                raise NotFound(f"case {case_id} does not exist")
            rows = s.scalars(select(AuditEvent).where(AuditEvent.case_id == case_id)
                             .order_by(AuditEvent.at, AuditEvent.id))
            return [AuditInfo(at=r.at, actor=r.actor, kind=r.kind, task_id=r.task_id,
                              bpmn_id=r.bpmn_id, stage=r.stage,
                              data=json.loads(r.data_json) if r.data_json else None)
                    for r in rows]

    def case_data(self, case_id: int, kommune: str | None = None) -> dict[str, Any]:
        """The process data of a case as its diagram sees it now (for the case view)."""
        with self._read() as s:
            case = s.get(Case, case_id)
            if case is None or (kommune is not None and case.kommune != kommune):
                raise NotFound(f"case {case_id} does not exist")
            wf = self._load_workflow(s, case, s.get(ProcessVersion, case.process_version_id))
            tasks = [t for t in all_tasks(wf) if not t.has_state(TaskState.FINISHED_MASK)]
            merged: dict[str, Any] = dict(wf.data)
            for task in tasks:
                merged.update(task.data)
            return json.loads(json.dumps(merged, default=str))

    def timers(self, case_id: int, kommune: str | None = None) -> list[dict[str, Any]]:
        with self._read() as s:
            case = s.get(Case, case_id)
            if case is None or (kommune is not None and case.kommune != kommune):
                raise NotFound(f"case {case_id} does not exist")
            rows = s.scalars(select(Timer).where(Timer.case_id == case_id).order_by(Timer.due_at))
            return [{"id": r.id, "bpmn_id": r.bpmn_id, "due_at": r.due_at, "state": r.state,
                     "fired_at": r.fired_at, "fired_by": r.fired_by, "error": r.error}
                    for r in rows]

    def optimize(self) -> None:
        """Refresh the query planner's statistics, so the list indexes are used (the worklist's
        "mine" is an OR over two indexes, which SQLite only takes with statistics)."""
        with self.db.begin() as conn:
            if self.is_postgres:
                conn.exec_driver_sql("ANALYZE")
            else:
                conn.exec_driver_sql("PRAGMA analysis_limit=1000")
                conn.exec_driver_sql("ANALYZE")

    def close(self) -> None:
        self.db.dispose()


_CASE_LIST_COLUMNS = ("id", "kommune", "status", "stage", "coordinator", "person_label",
                      "process_version_id", "version", "created_at", "updated_at", "closed_at",
                      "next_timer_due", "person_name", "secondary_coordinator")


class _FireFailed(Exception):
    def __init__(self, timer_id: str, message: str):
        super().__init__(message)
        self.timer_id = timer_id
        self.message = message
