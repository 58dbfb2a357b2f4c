"""Fixtures for the process tests: an engine with one kommune's bundle deployed."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from engine.service import Koordinator


@pytest.fixture
def deploy_variant(sqlite_url: str, clock) -> Iterator[Callable[[Path, str], Koordinator]]:  # type: ignore[no-untyped-def]
    """deploy_variant(bundle, kommune): an engine on a fresh database with the bundle deployed."""
    engines: list[Koordinator] = []

    def deploy(bundle: Path, kommune: str) -> Koordinator:
        eng = Koordinator(sqlite_url, clock=clock)
        eng.deploy(bundle, kommune=kommune, actor="test")
        engines.append(eng)
        return eng

    yield deploy
    for eng in engines:
        eng.close()
