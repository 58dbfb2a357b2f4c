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
    """One validation finding, printed as `file:element-id: message`.

    `message` is the engine's English text (the CLI prints it). `code` is a stable identifier from
    `PROBLEM_CODES` (e.g. `user_task.no_form`) and `params` the values behind the message, so the
    web layer can show the finding in the process owner's language with what to do about it.
    """

    __slots__ = ("code", "element_id", "file", "message", "params")

    def __init__(self, file: str, element_id: str | None, message: str,
                 code: str | None = None, params: dict[str, str] | None = None):
        self.file = file
        self.element_id = element_id
        self.message = message
        self.code = code
        self.params = dict(params or {})

    @classmethod
    def coded(cls, file: str, element_id: str | None, code: str, **params: object) -> Problem:
        """A problem whose English message comes from `PROBLEM_CODES[code]`, filled with `params`.

        Every parameter the code declares must be given (as text); a mismatch is a bug in the
        caller, so it raises rather than printing a half-filled message.
        """
        template, names = PROBLEM_CODES[code]
        values = {k: "" if v is None else str(v) for k, v in params.items()}
        if set(values) != set(names):
            raise ValueError(f"problem {code} takes {sorted(names)}, got {sorted(values)}")
        return cls(file, element_id, template.format(**values), code, values)

    def __str__(self) -> str:
        return f"{self.file}:{self.element_id or '-'}: {self.message}"

    def __repr__(self) -> str:
        return f"Problem({str(self)!r})"

    def as_dict(self) -> dict[str, object]:
        return {"file": self.file, "element_id": self.element_id, "message": self.message,
                "code": self.code, "params": dict(self.params)}


# Every problem code the engine produces: code -> (English message template, parameter names).
# The English text is what the CLI prints; web/problem_text.py holds the nb/nn/en texts shown to
# process owners, with the same parameters. `name` is the element's name as shown in the modeler
# (its id when it has none). Codes are stable: the modeler and saved answers refer to them.
PROBLEM_CODES: dict[str, tuple[str, tuple[str, ...]]] = {
    # files and bundles
    "bundle.no_files": ("the folder holds no .bpmn or .dmn file", ()),
    "bundle.not_found": ("no such file or folder", ()),
    "bundle.too_many_files": ("more than {max} files", ("max",)),
    "bundle.no_bpmn": ("the bundle has no BPMN diagram", ()),
    "bundle.nothing_to_deploy": ("the bundle has no BPMN diagram to deploy", ()),
    "bundle.entry_count": (("the bundle must have exactly one executable process that no call "
                           "activity calls; found {count}: {processes}"), ("count", "processes")),
    "draft.file_count": ("a draft holds 1 to {max} files", ("max",)),
    "draft.file_name": ("only .bpmn and .dmn files, by plain name", ()),
    "draft.file_too_large": ("the file is not text or is larger than 5 MB", ()),
    "file.unreadable": ("cannot read the file: {reason}", ("reason",)),
    "file.not_bpmn_or_dmn": ("not a BPMN 2.0 or DMN file (root element is '{root}')", ("root",)),
    "xml.too_large": ("{detail}", ("detail",)),
    "xml.doctype": ("{detail}", ("detail",)),
    "xml.not_xml": ("{detail}", ("detail",)),
    "xml.broken": ("the XML is broken: {detail}", ("detail",)),
    "xml.unsafe": ("{detail}", ("detail",)),
    "bpmn.schema": ("not valid BPMN 2.0: {detail}", ("detail",)),
    "process.not_executable": (("no executable process: this diagram only describes a process "
                               "(isExecutable is not true) and cannot be run"), ()),
    "engine.rejected": ("{detail}", ("detail",)),
    "engine.unreadable": ("the engine cannot read this process: {detail}", ("detail",)),
    # forms
    "form.invalid": ("{detail}", ("form", "field", "detail")),
    # user tasks
    "user_task.no_form": ("user task has no form: set the formKey property", ("name",)),
    "user_task.unknown_form": ("form '{form}' does not exist in forms/", ("name", "form")),
    "user_task.camunda_form": (("camunda:formKey is not read by this engine: set the "
                               "spiffworkflow formKey property instead"), ("name", "form")),
    "user_task.no_stage": ("user task has no stage: set the stage property ({stages})",
                           ("name", "stages")),
    "user_task.unknown_stage": ("stage '{stage}' is unknown ({stages})",
                                ("name", "stage", "stages")),
    "user_task.bad_due": ("dueIn '{due}' is not an ISO 8601 duration such as P14D or P1M",
                          ("name", "due")),
    "user_task.no_lane": ("user task is in no lane: put it in the lane of the role that does it",
                          ("name",)),
    "user_task.unknown_lane": (("lane '{lane}' is not a known role (Koordinerende enhet, "
                               "Koordinator, Leder)"), ("name", "lane")),
    "task.no_type": ("task has no type: make it a user task with a form, or a script task",
                     ("name",)),
    # business rule tasks and DMN
    "rule_task.camunda_decision": (("camunda:decisionRef is not read by this engine: set "
                                   "spiffworkflow:calledDecisionId instead"),
                                   ("name", "decision")),
    "rule_task.no_decision": ("business rule task names no decision (calledDecisionId)",
                              ("name",)),
    "rule_task.missing_decision": ("DMN table '{decision}' is missing from the bundle",
                                   ("name", "decision")),
    "dmn.several_decisions": (("the file holds {count} decisions; the engine reads one decision "
                              "per DMN file: put each decision in a file of its own"), ("count",)),
    "dmn.no_table": ("the decision has no decision table", ("name",)),
    "dmn.input_no_expression": ("DMN input has no expression", ("name",)),
    "dmn.input_refused": ("DMN input expression refused: {reason}", ("expression", "reason")),
    "dmn.cell_refused": ("DMN cell refused: {reason}", ("text", "reason")),
    "dmn.duplicate_id": ("decision id also used in {other_file}", ("decision", "other_file")),
    "dmn.unreadable": ("the engine cannot read this decision: {detail}", ("detail",)),
    "dmn.field_not_provided": (("DMN table '{decision}' reads '{field}', which no earlier form or "
                               "decision provides"), ("name", "decision", "field")),
    # conditions, scripts, timers
    "condition.juel": (("condition '{condition}' is a JUEL/Camunda expression: conditions here "
                       "are Python expressions over the form fields, e.g. approved == True"),
                       ("name", "condition")),
    "condition.refused": ("condition refused by the sandbox: {reason}",
                          ("name", "condition", "reason")),
    "condition.field_not_provided": (("condition reads '{field}', which no earlier form or "
                                     "decision provides"), ("name", "condition", "field")),
    "script.refused": ("script refused by the sandbox: {reason}", ("name", "reason")),
    "script.hook_refused": ("{hook} refused by the sandbox: {reason}", ("name", "hook", "reason")),
    "timer.no_value": ("timer has no timeDuration, timeDate or timeCycle value", ("name",)),
    "timer.empty": ("timer {kind} is empty", ("name", "kind")),
    "timer.not_expression": (("timer {kind} '{value}' must be a Python expression: write an ISO "
                             "8601 value in quotes, e.g. \"{suggestion}\""),
                             ("name", "kind", "value", "suggestion")),
    "timer.refused": ("timer expression refused: {reason}", ("name", "reason")),
    "timer.not_text": ("timer {kind} must be an ISO 8601 text, not {value}",
                       ("name", "kind", "value")),
    "timer.invalid_iso": ("timer {kind} '{value}' is not a valid ISO 8601 value",
                          ("name", "kind", "value")),
    # structure
    "flow.unknown_source": ("sequence flow source '{ref}' is not an element of the diagram",
                            ("name", "ref")),
    "flow.unknown_target": ("sequence flow target '{ref}' is not an element of the diagram",
                            ("name", "ref")),
    "boundary.unknown_host": ("boundary event is attached to '{ref}', which does not exist",
                              ("name", "ref")),
    "element.unreachable": ("element cannot be reached from a start event", ("name",)),
    "gateway.no_default": (("{kind} gateway has no default flow: a case that matches none of "
                           "its conditions would stop there"), ("name", "kind")),
    "gateway.flow_without_condition": (("sequence flow '{flow}' leaves the {kind} gateway without "
                                       "a condition and is not its default flow"),
                                       ("name", "kind", "flow")),
    "gateway.default_not_outgoing": ("the default flow '{flow}' does not leave this gateway",
                                     ("name", "flow")),
    "process.end_never_reached": ("no end event can be reached from the start of '{name}'",
                                  ("name",)),
    "flow.no_exit": (("once a case reaches this element it can never reach an end event "
                     "(a loop with no way out)"), ("name",)),
}
