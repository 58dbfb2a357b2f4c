"""Database tables: one compact state row per case, and indexed tables beside it for what is queried.

Times are stored as naive UTC. The case state is SpiffWorkflow's task tree and data without the
spec (the spec is stored once per process version).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class ProcessVersion(Base):
    """An immutable, numbered deployment of a process bundle for one kommune."""

    __tablename__ = "process_version"
    __table_args__ = (UniqueConstraint("kommune", "process_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kommune: Mapped[str] = mapped_column(String(100), index=True)
    process_id: Mapped[str] = mapped_column(String(200))
    #: 1, 2, 3 ... per kommune and process id; the highest is the one new cases start on
    number: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by: Mapped[str] = mapped_column(String(200))
    note: Mapped[str] = mapped_column(Text, default="")
    #: JSON {filename: text} of the BPMN and DMN files as deployed
    files_json: Mapped[str] = mapped_column(Text)
    #: JSON {form key: YAML text} of the forms the version's user tasks use
    forms_json: Mapped[str] = mapped_column(Text)
    #: SpiffWorkflow's serialized spec and sub-process specs, parsed once at deploy time
    spec_json: Mapped[str] = mapped_column(Text)
    #: JSON {bpmn id: {name, kind, role, form, stage}} for indexing and display
    elements_json: Mapped[str] = mapped_column(Text)


class Case(Base):
    """One coordination case: its engine state, optimistic-lock version and what lists need."""

    __tablename__ = "case"
    __table_args__ = (Index("ix_case_kommune_status_stage", "kommune", "status", "stage"),
                      Index("ix_case_kommune_id", "kommune", "id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    kommune: Mapped[str] = mapped_column(String(100))
    process_version_id: Mapped[int] = mapped_column(ForeignKey("process_version.id"), index=True)
    #: active, completed (the process reached its end) or cancelled
    status: Mapped[str] = mapped_column(String(20), default="active")
    stage: Mapped[str | None] = mapped_column(String(40), nullable=True)
    #: user name of the current coordinator, from the last form that named one
    coordinator: Mapped[str | None] = mapped_column(String(200), nullable=True, index=True)
    #: the person's initials, for lists in kommuner that hide names
    person_label: Mapped[str | None] = mapped_column(String(200), nullable=True)
    #: the person's name as the referral gave it, for lists that show names
    person_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    #: who takes the coordinator's tasks while the coordinator is away (the nearest leader)
    secondary_coordinator: Mapped[str | None] = mapped_column(String(200), nullable=True)
    state_json: Mapped[str] = mapped_column(Text)
    serializer_version: Mapped[str] = mapped_column(String(20))
    #: bumped on every change; an update that finds another value changed nothing and conflicts
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    next_timer_due: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class HumanTask(Base):
    """A user task of a case, as the worklist sees it (id = SpiffWorkflow's task id)."""

    __tablename__ = "human_task"
    __table_args__ = (
        Index("ix_human_task_state_role", "state", "role"),
        Index("ix_human_task_case_state", "case_id", "state"),
        Index("ix_human_task_kommune_state_due", "kommune", "state", "due_at"),
        Index("ix_human_task_worklist_role", "kommune", "state", "role", "claimed_by", "assignee",
              "due_at", "created_at"),
        Index("ix_human_task_kommune_state_assignee", "kommune", "state", "assignee"),
        Index("ix_human_task_kommune_state_claimed", "kommune", "state", "claimed_by"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"))
    kommune: Mapped[str] = mapped_column(String(100), index=True)
    bpmn_id: Mapped[str] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(300))
    role: Mapped[str | None] = mapped_column(String(40), nullable=True)
    form_key: Mapped[str | None] = mapped_column(String(100), nullable=True)
    stage: Mapped[str | None] = mapped_column(String(40), nullable=True)
    #: ready, completed or cancelled
    state: Mapped[str] = mapped_column(String(20), default="ready")
    #: who should do it (the case's coordinator for coordinator tasks), or None for the role
    assignee: Mapped[str | None] = mapped_column(String(200), nullable=True, index=True)
    claimed_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    #: when the task should be done, from the user task's `dueIn` property
    due_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    completed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    completed_by: Mapped[str | None] = mapped_column(String(200), nullable=True)


class Timer(Base):
    """A waiting timer of a case; the scheduler claims due rows and fires each exactly once."""

    __tablename__ = "timer"
    __table_args__ = (Index("ix_timer_state_due", "state", "due_at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), index=True)
    bpmn_id: Mapped[str] = mapped_column(String(200))
    due_at: Mapped[datetime] = mapped_column(DateTime)
    #: waiting, fired, cancelled or failed
    state: Mapped[str] = mapped_column(String(20), default="waiting")
    fired_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    fired_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)


class AuditEvent(Base):
    """Who did what to a case, when, with which data: every state change and every read."""

    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_case_at", "case_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"))
    at: Mapped[datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(200))
    #: case_started, task_completed, timer_fired, signal, case_cancelled, case_completed, case_read
    kind: Mapped[str] = mapped_column(String(40))
    task_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    bpmn_id: Mapped[str | None] = mapped_column(String(200), nullable=True)
    stage: Mapped[str | None] = mapped_column(String(40), nullable=True)
    data_json: Mapped[str | None] = mapped_column(Text, nullable=True)


class Kommune(Base):
    """A municipality that uses the installation, and how it wants to be spoken to."""

    __tablename__ = "kommune"

    #: short code used everywhere else (`lund`, `heroy`)
    code: Mapped[str] = mapped_column(String(100), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    #: the four-digit kommunenummer
    number: Mapped[str | None] = mapped_column(String(4), nullable=True)
    #: målform of the UI and forms: nb (bokmål) or nn (nynorsk)
    language: Mapped[str] = mapped_column(String(2), default="nb")
    #: lists show the person's initials rather than the name (Herøy practice)
    initials_only: Mapped[bool] = mapped_column(Boolean, default=False)
    #: what the kommune calls a coordinator (koordinator, stafettholder)
    coordinator_term: Mapped[str | None] = mapped_column(String(100), nullable=True)
    unit_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    unit_contact: Mapped[str | None] = mapped_column(String(300), nullable=True)
    #: ISO 8601 duration that suggests the next evaluation date in forms (P6M)
    evaluation_interval: Mapped[str | None] = mapped_column(String(20), nullable=True)


class User(Base):
    """A member of staff: one kommune, one or more roles, a password hash, never a password."""

    __tablename__ = "app_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(200), unique=True)
    kommune: Mapped[str] = mapped_column(String(100), index=True)
    full_name: Mapped[str] = mapped_column(String(200))
    #: space-separated role ids (koordinerende_enhet koordinator leder prosesseier admin)
    roles: Mapped[str] = mapped_column(String(300))
    password_hash: Mapped[str | None] = mapped_column(String(300), nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: away (leave, illness): the coordinator's tasks go to each case's secondary coordinator
    absent: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class ApiToken(Base):
    """A bearer token for the JSON API; only its SHA-256 is stored."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)


class Draft(Base):
    """A process owner's unpublished change to a kommune's process; never a running version."""

    __tablename__ = "draft"

    id: Mapped[int] = mapped_column(primary_key=True)
    kommune: Mapped[str] = mapped_column(String(100), index=True)
    name: Mapped[str] = mapped_column(String(200))
    #: the published version the draft started from (None: from an uploaded file)
    based_on_version_id: Mapped[int | None] = mapped_column(ForeignKey("process_version.id"),
                                                            nullable=True)
    #: JSON {filename: text} of the BPMN and DMN files
    files_json: Mapped[str] = mapped_column(Text)
    #: JSON {form key: YAML text}: the forms the draft may use
    forms_json: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    updated_by: Mapped[str] = mapped_column(String(200))
    #: bumped on every save; a save that names an older value conflicts
    version: Mapped[int] = mapped_column(Integer, default=1)


class DraftTrial(Base):
    """A process owner's test run of a draft: a whole SQLite database of its own, kept here as
    bytes so any web worker can carry it on. It never holds or touches a real case."""

    __tablename__ = "draft_trial"
    __table_args__ = (UniqueConstraint("draft_id", "username"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: deleting the draft deletes its trials
    draft_id: Mapped[int] = mapped_column(ForeignKey("draft.id", ondelete="CASCADE"))
    username: Mapped[str] = mapped_column(String(200))
    kommune: Mapped[str] = mapped_column(String(100), index=True)
    #: the trial's own clock, moved forward by jumps to the next timer
    clock_at: Mapped[datetime] = mapped_column(DateTime)
    #: the trial database, `sqlite3.Connection.serialize()` compressed with zlib
    db_blob: Mapped[bytes] = mapped_column(LargeBinary)
    #: the draft's version when the trial started; a newer draft makes the trial outdated
    draft_version: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    #: bumped on every change; an update that finds another value changed nothing and conflicts
    version: Mapped[int] = mapped_column(Integer, default=1)
