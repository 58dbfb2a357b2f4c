"""Shared fixtures: a migrated database per test, on SQLite and (when it can run) PostgreSQL."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest

from engine.clock import FixedClock, SystemClock
from engine.db import upgrade
from engine.service import Koordinator

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
STANDARD = ROOT / "processes" / "standard"
REQUIRE_POSTGRES = os.environ.get("KOORDINATOR_REQUIRE_POSTGRES") == "1"


def standard_variant(tmp_path: Path, replace: dict[str, str]) -> Path:
    """A copy of processes/standard with texts of its diagram replaced (each must be there)."""
    bundle = tmp_path / "variant"
    shutil.copytree(STANDARD, bundle)
    bpmn = bundle / "koordinering.bpmn"
    text = bpmn.read_text(encoding="utf-8")
    for old, new in replace.items():
        assert old in text, old
        text = text.replace(old, new)
    bpmn.write_text(text, encoding="utf-8")
    return bundle


def shared_path(*parts: str) -> Path:
    """A path in ../shared, or a skip when this checkout has none (a user's fresh clone)."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is not here: ../shared comes with CI and developer machines only")
    return path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pg_bin(name: str) -> str | None:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else shutil.which(name)


class PostgresServer:
    """A throwaway PostgreSQL server on 127.0.0.1, owned by this test session."""

    def __init__(self) -> None:
        initdb, pg_ctl = _pg_bin("initdb"), _pg_bin("pg_ctl")
        if not initdb or not pg_ctl:
            raise RuntimeError("PostgreSQL server binaries (initdb, pg_ctl) are not installed")
        self.dir = Path(tempfile.mkdtemp(prefix="koordinator-pg-"))
        self.port = _free_port()
        self.pg_ctl = pg_ctl
        self.as_user: list[str] = []
        if os.geteuid() == 0:  # postgres refuses to run as root
            user = "postgres"
            subprocess.run(["id", user], check=True, capture_output=True)
            shutil.chown(self.dir, user)
            os.chmod(self.dir, 0o700)
            self.as_user = ["runuser", "-u", user, "--"]
        data = self.dir / "data"
        self._run([initdb, "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                   "--no-sync"])
        opts = (f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.dir} -c fsync=off "
                "-c synchronous_commit=off -c full_page_writes=off -c max_connections=60")
        self._run([pg_ctl, "-D", str(data), "-o", opts, "-l", str(self.dir / "log"), "-w",
                   "-t", "60", "start"])
        self.data = data

    def _run(self, cmd: list[str]) -> None:
        subprocess.run(self.as_user + cmd, check=True, capture_output=True, timeout=120)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self) -> str:
        import psycopg

        name = "t_" + uuid.uuid4().hex[:12]
        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres",
                             autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        subprocess.run(self.as_user + [self.pg_ctl, "-D", str(self.data), "-m", "immediate",
                                       "stop"], check=False, capture_output=True, timeout=60)
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_server():
    try:
        server = PostgresServer()
    except (RuntimeError, subprocess.CalledProcessError, subprocess.TimeoutExpired,
            OSError) as exc:
        detail = getattr(exc, "stderr", b"") or b""
        message = f"no PostgreSQL server could be started: {exc} {detail.decode(errors='replace')}"
        if REQUIRE_POSTGRES:
            pytest.fail(message)
        pytest.skip(message)
    yield server
    server.stop()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'koordinator.db'}"
    upgrade(url)
    return url


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> str:
    url = postgres_server.create_database()
    upgrade(url)
    return url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest) -> str:
    return request.getfixturevalue(f"{request.param}_url")


@pytest.fixture
def clock() -> FixedClock:
    # Starts at the real time: SpiffWorkflow computes durations from the wall clock, and the
    # tests move this clock forward past due dates that are real future dates.
    return FixedClock(SystemClock().now().replace(microsecond=0))


@pytest.fixture
def engine(database_url: str, clock: FixedClock):
    eng = Koordinator(database_url, clock=clock)
    yield eng
    eng.close()


@pytest.fixture
def deployed(engine: Koordinator):
    """The engine with the standard process deployed for Lund."""
    engine.deploy(STANDARD, kommune="lund", actor="prosesseier")
    return engine
