"""Database connection and schema migrations (Alembic), without Flask."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import StaticPool

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def default_database_url() -> str:
    """`KOORDINATOR_DATABASE_URL`, or a SQLite file in the instance folder."""
    url = os.environ.get("KOORDINATOR_DATABASE_URL")
    if url:
        return url
    instance = Path(os.environ.get("KOORDINATOR_INSTANCE", Path.cwd() / "instance"))
    instance.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{instance / 'koordinator.db'}"


def _sqlite_pragmas(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()


def _sqlite_begin(conn) -> None:  # type: ignore[no-untyped-def]
    immediate = conn.get_execution_options().get("sqlite_immediate")
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def make_engine(url: str | None = None, creator: Callable[[], Any] | None = None) -> Engine:
    """An engine for `url`; with `creator`, a SQLite engine over the one connection it returns
    (an in-memory database loaded from bytes, as a draft's trial run keeps it)."""
    url = "sqlite://" if creator is not None else url or default_database_url()
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    if url.startswith("sqlite"):
        if creator is not None:
            engine = create_engine(url, creator=creator, poolclass=StaticPool)
        else:
            engine = create_engine(url, connect_args={"timeout": 10, "check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        # pysqlite defers BEGIN on its own; we issue it, and write transactions (sessions made
        # with the `sqlite_immediate` option) take the write lock at once, so a read-then-update
        # cannot interleave with another writer.
        event.listen(engine, "connect", lambda c, r: setattr(c, "isolation_level", None))
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_pre_ping=True)


def session_factory(engine: Engine) -> sessionmaker:
    return sessionmaker(engine, expire_on_commit=False)


def alembic_config(url: str):  # type: ignore[no-untyped-def]
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(url: str | None = None) -> None:
    """Bring the database schema to the newest migration."""
    from alembic import command

    command.upgrade(alembic_config(url or default_database_url()), "head")
