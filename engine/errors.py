"""Errors the engine raises to its callers (web layer, CLI). Each carries a message a person can act on."""

from __future__ import annotations


class EngineError(Exception):
    """Base class: something the caller asked for cannot be done; nothing was stored."""


class NotFound(EngineError):
    """The case, task or version does not exist (or is not visible to this kommune)."""


class Conflict(EngineError):
    """Someone else changed the case first: the task was completed or the case moved on."""


class InvalidTransition(EngineError):
    """The task or case is not in a state where this is possible."""


class ProcessError(EngineError):
    """The diagram failed while running (a condition on missing data, a DMN table without a match).

    The case is left as it was before the request.
    """

    def __init__(self, message: str, element_id: str | None = None):
        super().__init__(message)
        self.element_id = element_id


class FormRejected(EngineError):
    """Submitted data failed the form's validation; `errors` maps field path to message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


class BundleInvalid(EngineError):
    """A process bundle failed validation; `problems` are `file:element-id: message` lines."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


class Problem:
    """One validation finding, printed as `file:element-id: message`."""

    __slots__ = ("element_id", "file", "message")

    def __init__(self, file: str, element_id: str | None, message: str):
        self.file = file
        self.element_id = element_id
        self.message = message

    def __str__(self) -> str:
        return f"{self.file}:{self.element_id or '-'}: {self.message}"

    def __repr__(self) -> str:
        return f"Problem({str(self)!r})"

    def as_dict(self) -> dict[str, str | None]:
        return {"file": self.file, "element_id": self.element_id, "message": self.message}
