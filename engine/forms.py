"""Form definitions: load `forms/<key>.yaml`, check them, and validate what a user submits.

A user task names its form by `formKey`. The same definition builds the HTML page and checks the
JSON API's input, so the rules live here once: `load_form`/`load_forms` read and check the YAML
files against `form_schema.json` (plus the rules a schema cannot say, such as a `required_if`
that names a field which does not exist), and `validate_submission` turns submitted data into
the plain JSON values the process sees. The file format is described in `forms/README.md`.

Nothing here knows about Flask: the web layer passes in a mapping and gets back a dict or a
`FormValidationError` whose `errors` map field paths (`"neste_evaluering"`,
`"tiltak[1].frist"`) to messages in bokmål, nynorsk or English.
"""

from __future__ import annotations

import json
import keyword
import os
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from dataclasses import field as dc_field
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Final, Literal, get_args

import jsonschema
import yaml

from engine.errors import EngineError, FormRejected, Problem

__all__ = [
    "FIELD_TYPES",
    "FORMS_DIR",
    "FORM_ERROR_KEY",
    "LANGUAGES",
    "MAX_FORM_BYTES",
    "Choice",
    "FormDefinition",
    "FormDefinitionError",
    "FormField",
    "FormValidationError",
    "RequiredIf",
    "Text",
    "load_form",
    "load_forms",
    "parse_form",
    "validate_submission",
]

FORMS_DIR: Final[Path] = Path(__file__).resolve().parent.parent / "forms"
"""The shared form definitions at the top of the repository (a bundle may bring its own)."""

SCHEMA_PATH: Final[Path] = Path(__file__).resolve().parent / "form_schema.json"

LANGUAGES: Final[tuple[str, ...]] = ("nb", "nn", "en")
"""Bokmål, nynorsk, English. Bokmål is required in every text and is the fallback."""

FieldType = Literal["text", "textarea", "integer", "boolean", "date", "choice", "group"]
FIELD_TYPES: Final[tuple[str, ...]] = get_args(FieldType)

MAX_FORM_BYTES: Final[int] = 256 * 1024
"""A form definition larger than this is refused unread."""

DEFAULT_MAX_LENGTH: Final[Mapping[str, int]] = {"text": 500, "textarea": 5000}
"""Longest accepted text when a field sets no `max_length`."""

MAX_GROUP_ROWS: Final[int] = 500
"""More rows than this in one group is not a real plan; refuse it rather than store it."""

MAX_YAML_DEPTH: Final[int] = 32
"""A form nests about eight levels deep; far deeper is a broken or hostile file."""

MIN_YEAR, MAX_YEAR = 1900, 2199

# Names the expression sandbox offers: a field with one of these names would hide the helper.
RESERVED_NAMES: Final[frozenset[str]] = frozenset(
    {"alder", "evalueringstidspunkt", "saker_for_koordinator"}
    | {"len", "min", "max", "abs", "round", "sum", "any", "all", "sorted"}
    | {"str", "int", "float", "bool", "true", "false", "none"}
)

TRUE_WORDS: Final[frozenset[str]] = frozenset({"ja", "true", "on", "1", "yes"})
FALSE_WORDS: Final[frozenset[str]] = frozenset({"nei", "false", "off", "0", "no"})

FORM_ERROR_KEY: Final[str] = "_form"
"""Key in `FormValidationError.errors` for a problem with the submission as a whole."""


# --------------------------------------------------------------------------- definitions


@dataclass(frozen=True)
class Text:
    """A text shown to users, in bokmål (always there), nynorsk and English.

    Call it with a language code to get the text in that language, falling back to bokmål:
    `field.label("nn")`, `form.title("en")`. `str(text)` is the bokmål text.
    """

    nb: str
    nn: str | None = None
    en: str | None = None

    def __call__(self, lang: str = "nb") -> str:
        value = getattr(self, lang, None) if lang in LANGUAGES else None
        return value or self.nb

    def __str__(self) -> str:
        return self.nb

    def as_dict(self) -> dict[str, str]:
        """The languages that are set, as plain JSON."""
        return {lang: v for lang in LANGUAGES if (v := getattr(self, lang))}


@dataclass(frozen=True)
class Choice:
    """One option of a `choice` field: the stored `value` and the `label` users see."""

    value: str
    label: Text


@dataclass(frozen=True)
class RequiredIf:
    """The field is required when the field `field` has the value `equals`.

    `field` names a top-level field, or for a group's column another column of the same row.
    """

    field: str
    equals: str | int | bool


@dataclass(frozen=True)
class FormField:
    """One field of a form, or one column of a group (a repeating set of rows).

    `name` is the variable the process sees. Type-specific keys are `choices` (choice),
    `min`/`max` (integer), `max_length` (text, textarea), `must_be` (boolean: the only
    answer accepted), `fields` and `min_items` (group).
    """

    name: str
    type: FieldType
    label: Text
    help: Text | None = None
    required: bool = False
    required_if: RequiredIf | None = None
    default: str | int | bool | None = None
    choices: tuple[Choice, ...] = ()
    min: int | None = None
    max: int | None = None
    max_length: int | None = None
    must_be: bool | None = None
    min_items: int | None = None
    fields: tuple[FormField, ...] = ()

    @property
    def text_limit(self) -> int | None:
        """The longest text accepted (for text and textarea), defaults included."""
        if self.type not in DEFAULT_MAX_LENGTH:
            return None
        return self.max_length or DEFAULT_MAX_LENGTH[self.type]

    def choice_values(self) -> tuple[str, ...]:
        """The values a `choice` field accepts, in the order shown."""
        return tuple(c.value for c in self.choices)

    def choice_label(self, value: str, lang: str = "nb") -> str:
        """The label of a stored choice value, for showing it; the value itself if unknown."""
        for c in self.choices:
            if c.value == value:
                return c.label(lang)
        return value

    def column(self, name: str) -> FormField:
        """A column of this group by name (KeyError if there is none)."""
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)


@dataclass(frozen=True)
class FormDefinition:
    """A form as loaded from `forms/<key>.yaml`: its key, title, optional intro and fields."""

    key: str
    title: Text
    fields: tuple[FormField, ...]
    intro: Text | None = None
    source: Path | None = dc_field(default=None, compare=False)

    def field_names(self) -> set[str]:
        """The top-level field names: the variables a completed task gives the process."""
        return {f.name for f in self.fields}

    def field(self, name: str) -> FormField:
        """A top-level field by name (KeyError if there is none)."""
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)


class FormDefinitionError(EngineError):
    """A form definition file cannot be used; `str()` is `<file>: <field path>: <message>`.

    `file` names the file, `field` is the path inside it (`tiltak.frist.type`, `title`,
    `line 4, column 3`) or None for the file as a whole (printed as `-`), `detail` is what is
    wrong, and `message` is `<field path>: <detail>`: everything after the file name.
    """

    def __init__(self, path: str | os.PathLike[str], detail: str, field: str | None = None):
        self.file = os.fspath(path)
        self.field = field
        self.detail = _one_line(detail)
        self.message = f"{field or '-'}: {self.detail}"
        super().__init__(f"{self.file}: {self.message}")

    def to_problem(self) -> Problem:
        """The same finding as a bundle-validation `Problem` (`file:field: detail`)."""
        return Problem(self.file, self.field, self.detail, "form.invalid",
                       {"form": os.path.basename(self.file), "field": self.field or "",
                        "detail": self.detail})


class FormValidationError(FormRejected):
    """Submitted data failed the form: `errors` maps a field path to a message for the user."""


# --------------------------------------------------------------------------- loading


def load_form(path: str | os.PathLike[str]) -> FormDefinition:
    """Read and check one form definition file; raise `FormDefinitionError` if it is unusable.

    The file must be at most 256 KB of UTF-8 YAML without anchors, aliases or repeated keys,
    valid against `form_schema.json`, with a `key` equal to the file name without `.yaml`.
    """
    p = Path(path)
    return _parse(_read_text(p), p)


def parse_form(text: str, name: str | os.PathLike[str]) -> FormDefinition:
    """Check a form definition given as YAML text (e.g. the copy stored with a process version).

    `name` is the file name it came from (`planlegging.yaml`): it is used in error messages
    and the form's `key` must match it. The same rules as `load_form` apply.
    """
    p = Path(name)
    if len(text.encode("utf-8")) > MAX_FORM_BYTES:
        raise FormDefinitionError(p, "the file is larger than 256 KB")
    return _parse(text, p)


def _parse(text: str, p: Path) -> FormDefinition:
    doc = _parse_yaml(text, p)
    _check_schema(p, doc)
    form = _build_form(p, doc)
    if form.key != p.stem:
        raise FormDefinitionError(
            p, f"the key '{form.key}' must match the file name ({form.key}.yaml)", "key"
        )
    return form


def load_forms(directory: str | os.PathLike[str] = FORMS_DIR) -> dict[str, FormDefinition]:
    """Load every `*.yaml` form in a folder, by key; the first unusable file raises."""
    d = Path(directory)
    if not d.is_dir():
        raise FormDefinitionError(d, "not a folder")
    forms: dict[str, FormDefinition] = {}
    for p in sorted(d.iterdir()):
        if p.name.startswith(".") or not p.is_file():
            continue
        if p.suffix == ".yml":
            raise FormDefinitionError(p, "form files must end in .yaml")
        if p.suffix == ".yaml":
            form = load_form(p)
            forms[form.key] = form
    return forms


def _read_text(p: Path) -> str:
    """The file's text, refusing files over 256 KB before reading them."""
    try:
        size = p.stat().st_size
        if size > MAX_FORM_BYTES:
            raise FormDefinitionError(p, f"the file is larger than 256 KB ({size} bytes)")
        with p.open("rb") as fh:
            raw = fh.read(MAX_FORM_BYTES + 1)
    except FileNotFoundError:
        raise FormDefinitionError(p, "no such file") from None
    except OSError as e:
        raise FormDefinitionError(p, f"cannot read the file: {e.strerror or e}") from None
    if len(raw) > MAX_FORM_BYTES:
        raise FormDefinitionError(p, "the file is larger than 256 KB")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise FormDefinitionError(p, f"not UTF-8 text (bad byte at offset {e.start})") from None


def _parse_yaml(text: str, p: Path) -> Any:
    try:
        _check_yaml_events(p, yaml.parse(text, Loader=yaml.SafeLoader))
        return yaml.safe_load(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None) or getattr(e, "context_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else None
        problem = getattr(e, "problem", None) or str(e)
        raise FormDefinitionError(p, f"not valid YAML: {problem}", where) from None
    except RecursionError:
        raise FormDefinitionError(p, "the YAML is nested too deeply") from None


def _check_yaml_events(p: Path, events: Iterable[yaml.Event]) -> None:
    """Refuse aliases (they can blow up into huge documents), deep nesting (the YAML composer
    recurses) and keys given twice (PyYAML silently keeps the last one, so a second `label:`
    would hide the first)."""
    stack: list[list[Any]] = []  # [is_mapping, keys seen, next node is a key]

    def take_slot(key: str | None, mark: Any) -> None:
        if not stack or not stack[-1][0]:
            return
        top = stack[-1]
        if top[2] and key is not None:
            if key in top[1]:
                raise FormDefinitionError(p, f"the key '{key}' appears twice", _line(mark))
            top[1].add(key)
        top[2] = not top[2]

    for ev in events:
        if isinstance(ev, yaml.AliasEvent):
            raise FormDefinitionError(
                p,
                "anchors and aliases (&name, *name) are not allowed; write it out",
                _line(ev.start_mark),
            )
        if isinstance(ev, yaml.ScalarEvent):
            take_slot(ev.value, ev.start_mark)
        elif isinstance(ev, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            take_slot(None, ev.start_mark)
            stack.append([isinstance(ev, yaml.MappingStartEvent), set(), True])
            if len(stack) > MAX_YAML_DEPTH:
                raise FormDefinitionError(p, "the YAML is nested too deeply", _line(ev.start_mark))
        elif isinstance(ev, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            stack.pop()


def _line(mark: Any) -> str | None:
    """`line N` for a YAML position (mark), if the parser gave one."""
    return f"line {mark.line + 1}" if mark is not None else None


@lru_cache(maxsize=1)
def _validator() -> jsonschema.protocols.Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def _check_schema(p: Path, doc: Any) -> None:
    if not isinstance(doc, dict):
        raise FormDefinitionError(
            p, "the file must hold one form: a mapping with key, title and fields"
        )
    errors = list(_validator().iter_errors(doc))
    if errors:
        # The shallowest finding first; at the same place a misspelt key before a missing one
        # (a `lable:` typo also makes `label` missing, and the typo is what to fix).
        error = min(
            errors,
            key=lambda e: (len(e.absolute_path), _ERROR_ORDER.get(str(e.validator), 9)),
        )
        where, message = _describe_schema_error(doc, error)
        raise FormDefinitionError(p, message, where)


_ERROR_ORDER = {"additionalProperties": 0, "required": 1, "not": 2, "type": 3, "enum": 4}


_TYPE_WORDS = {
    "string": "a text",
    "integer": "a whole number",
    "boolean": "true or false",
    "object": "a mapping (key: value)",
    "array": "a list",
}


def _describe_schema_error(doc: Any, error: jsonschema.ValidationError) -> tuple[str, str]:
    """A schema error as (field path, short message) a process owner can act on."""
    path = list(error.absolute_path)
    where = _render_path(doc, path)
    inst: Any = error.instance
    rule: Any = error.validator_value
    schema: Any = error.schema
    v = error.validator
    if v == "required" and isinstance(inst, dict):
        missing = [k for k in rule if k not in inst]
        return where, f"missing '{missing[0] if missing else '?'}'"
    if v == "additionalProperties" and isinstance(inst, dict):
        allowed = schema.get("properties", {}) if isinstance(schema, dict) else {}
        extra = [str(k) for k in inst if k not in allowed]
        return where, f"unknown key '{extra[0] if extra else '?'}'"
    if v == "not":  # `notForThisType`: a type-specific key on a field of another type
        parent = _walk(doc, path[:-1])
        ftype = parent.get("type") if isinstance(parent, dict) else None
        return where, f"not allowed for a field of type '{ftype}'"
    if v == "type":
        names = [rule] if isinstance(rule, str) else list(rule)
        msg = "must be " + " or ".join(_TYPE_WORDS.get(n, n) for n in names)
        if isinstance(inst, bool) and "string" in names:
            msg += " (YAML reads yes/no/on/off as true/false: put the text in quotes)"
        elif isinstance(inst, date) and "string" in names:
            msg += " (put the date in quotes)"
        elif inst is None:
            msg += ", not empty"
        return where, msg
    if v in ("enum", "const"):
        options = rule if v == "enum" else [rule]
        return where, f"{_short(inst)} is not allowed; use one of: " + ", ".join(map(str, options))
    if v == "pattern" and isinstance(inst, str):
        if rule == r"\S":
            return where, "must not be empty"
        return where, (
            f"{_short(inst)} is not a valid name: use lower-case letters a-z, digits and _, "
            "starting with a letter (at most 63 characters)"
        )
    simple = {
        "minLength": "must not be empty",
        "maxLength": f"is too long (at most {rule} characters)",
        "minItems": f"needs at least {rule} item(s)",
        "maxItems": f"has more than {rule} items",
        "minimum": f"must be at least {rule}",
        "maximum": f"must be at most {rule}",
    }
    return where, simple.get(str(v), error.message)


def _walk(doc: Any, path: Sequence[Any]) -> Any:
    node = doc
    for part in path:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def _render_path(doc: Any, path: Sequence[Any]) -> str:
    """`['fields', 3, 'fields', 1, 'type']` → `tiltak.frist.type` (by field name where known)."""
    out: list[str] = []
    node = doc
    i = 0
    while i < len(path):
        part = path[i]
        if (
            part == "fields"
            and i + 1 < len(path)
            and isinstance(path[i + 1], int)
            and isinstance(node, dict)
        ):
            idx = path[i + 1]
            node = _walk(node, ["fields", idx])
            name = node.get("name") if isinstance(node, dict) else None
            out.append(name if isinstance(name, str) and name else f"fields[{idx}]")
            i += 2
            continue
        if isinstance(part, int) and out:
            out[-1] += f"[{part}]"
        else:
            out.append(str(part))
        node = _walk(node, [part])
        i += 1
    return ".".join(out) or "-"


def _text(raw: Mapping[str, str]) -> Text:
    return Text(nb=raw["nb"].strip(), nn=_opt_strip(raw.get("nn")), en=_opt_strip(raw.get("en")))


def _opt_strip(value: str | None) -> str | None:
    return value.strip() if value is not None else None


def _build_form(p: Path, doc: Mapping[str, Any]) -> FormDefinition:
    return FormDefinition(
        key=doc["key"],
        title=_text(doc["title"]),
        intro=_text(doc["intro"]) if "intro" in doc else None,
        fields=_build_fields(p, doc["fields"], prefix=""),
        source=p,
    )


def _build_fields(
    p: Path, items: Sequence[Mapping[str, Any]], prefix: str
) -> tuple[FormField, ...]:
    """Build the fields of a form (or the columns of a group) and check what the schema cannot."""
    out: list[FormField] = []
    seen: set[str] = set()
    for item in items:
        name: str = item["name"]
        where = prefix + name
        if name in seen:
            raise FormDefinitionError(p, f"the field name '{name}' is used twice", where)
        seen.add(name)
        if keyword.iskeyword(name) or name in RESERVED_NAMES:
            raise FormDefinitionError(
                p, f"'{name}' is a reserved word in expressions; choose another name", where
            )
        choices = tuple(Choice(c["value"], _text(c["label"])) for c in item.get("choices", ()))
        values = [c.value for c in choices]
        if len(set(values)) != len(values):
            dup = next(v for v in values if values.count(v) > 1)
            raise FormDefinitionError(
                p, f"the choice value '{dup}' is used twice", f"{where}.choices"
            )
        ri = item.get("required_if")
        f = FormField(
            name=name,
            type=item["type"],
            label=_text(item["label"]),
            help=_text(item["help"]) if "help" in item else None,
            required=item.get("required", False),
            required_if=RequiredIf(ri["field"], ri["equals"]) if ri else None,
            choices=choices,
            min=item.get("min"),
            max=item.get("max"),
            max_length=item.get("max_length"),
            must_be=item.get("must_be"),
            min_items=item.get("min_items"),
            fields=_build_fields(p, item["fields"], prefix=where + ".")
            if item["type"] == "group"
            else (),
        )
        if f.type == "choice" and not f.choices:
            raise FormDefinitionError(p, "a choice field needs choices", f"{where}.choices")
        if f.min is not None and f.max is not None and f.min > f.max:
            raise FormDefinitionError(p, f"min ({f.min}) is greater than max ({f.max})", where)
        if "default" in item:
            f = _with_checked_default(p, f, item["default"], where)
        out.append(f)
    by_name = {f.name: f for f in out}
    for f in out:
        if f.required_if is not None:
            _check_required_if(p, f, by_name, prefix + f.name, in_group=bool(prefix))
    return tuple(out)


def _with_checked_default(p: Path, f: FormField, default: Any, where: str) -> FormField:
    try:
        value = _clean_value(f, default, _MESSAGES["en"])
    except _Invalid as e:
        raise FormDefinitionError(
            p, f"not a valid default: {e.message}", f"{where}.default"
        ) from None
    if value is None:
        raise FormDefinitionError(p, "an empty default; leave it out", f"{where}.default")
    return replace(f, default=value)


def _check_required_if(
    p: Path, f: FormField, by_name: Mapping[str, FormField], where: str, in_group: bool
) -> None:
    assert f.required_if is not None
    target_name = f.required_if.field
    equals = f.required_if.equals
    target = by_name.get(target_name)
    at = f"{where}.required_if"
    if target is None:
        scope = "a column of the same group" if in_group else "a field of this form"
        raise FormDefinitionError(p, f"'{target_name}' is not {scope}", f"{at}.field")
    if target is f:
        raise FormDefinitionError(p, "a field cannot depend on itself", f"{at}.field")
    if target.type == "group":
        raise FormDefinitionError(
            p, f"'{target_name}' is a group; name a single field", f"{at}.field"
        )
    try:
        cleaned = _clean_value(target, equals, _MESSAGES["en"])
    except _Invalid:
        cleaned = None
    if cleaned is None or not _same(cleaned, equals):
        hint = f"; use one of: {', '.join(target.choice_values())}" if target.choices else ""
        raise FormDefinitionError(
            p, f"{_short(equals)} is not a possible value of '{target_name}'{hint}", f"{at}.equals"
        )


# --------------------------------------------------------------------------- validation

_MESSAGES: Final[Mapping[str, Mapping[str, str]]] = {
    "nb": {
        "required": "Feltet må fylles ut.",
        "unknown": "Ukjent felt.",
        "invalid": "Ugyldig verdi.",
        "invalid_data": "Skjemaet ble sendt i et format som ikke kan leses.",
        "text_chars": "Teksten inneholder ugyldige tegn.",
        "too_long": "Teksten er for lang (høyst {n} tegn).",
        "integer": "Skriv et heltall.",
        "min": "Tallet må være minst {n}.",
        "max": "Tallet kan ikke være større enn {n}.",
        "boolean": "Velg ja eller nei.",
        "must_be_true": "Dette må bekreftes før du kan gå videre.",
        "must_be_false": "Dette kan ikke være valgt.",
        "date": "Skriv en gyldig dato (dd.mm.åååå).",
        "choice": "Velg et av alternativene.",
        "rows": "Ugyldig liste med rader.",
        "row": "Ugyldig rad.",
        "too_many_rows": "For mange rader (høyst {n}).",
        "min_items_1": "Legg til minst én rad.",
        "min_items": "Legg til minst {n} rader.",
    },
    "nn": {
        "required": "Feltet må fyllast ut.",
        "unknown": "Ukjent felt.",
        "invalid": "Ugyldig verdi.",
        "invalid_data": "Skjemaet vart sendt i eit format som ikkje kan lesast.",
        "text_chars": "Teksten inneheld ugyldige teikn.",
        "too_long": "Teksten er for lang (høgst {n} teikn).",
        "integer": "Skriv eit heiltal.",
        "min": "Talet må vere minst {n}.",
        "max": "Talet kan ikkje vere større enn {n}.",
        "boolean": "Vel ja eller nei.",
        "must_be_true": "Dette må stadfestast før du kan gå vidare.",
        "must_be_false": "Dette kan ikkje vere valt.",
        "date": "Skriv ein gyldig dato (dd.mm.åååå).",
        "choice": "Vel eitt av alternativa.",
        "rows": "Ugyldig liste med rader.",
        "row": "Ugyldig rad.",
        "too_many_rows": "For mange rader (høgst {n}).",
        "min_items_1": "Legg til minst éi rad.",
        "min_items": "Legg til minst {n} rader.",
    },
    "en": {
        "required": "This field is required.",
        "unknown": "Unknown field.",
        "invalid": "Invalid value.",
        "invalid_data": "The form was sent in a format that cannot be read.",
        "text_chars": "The text contains invalid characters.",
        "too_long": "The text is too long (at most {n} characters).",
        "integer": "Enter a whole number.",
        "min": "The number must be at least {n}.",
        "max": "The number cannot be greater than {n}.",
        "boolean": "Choose yes or no.",
        "must_be_true": "This must be confirmed before you can continue.",
        "must_be_false": "This cannot be selected.",
        "date": "Enter a valid date (dd.mm.yyyy).",
        "choice": "Choose one of the options.",
        "rows": "Invalid list of rows.",
        "row": "Invalid row.",
        "too_many_rows": "Too many rows (at most {n}).",
        "min_items_1": "Add at least one row.",
        "min_items": "Add at least {n} rows.",
    },
}


class _Invalid(Exception):
    """A value cannot be cleaned; `message` is already in the user's language."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


_MISSING: Final = object()
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_NO_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_INTEGER = re.compile(r"[+-]?\d{1,15}")


def validate_submission(
    form: FormDefinition, data: Mapping[str, Any], lang: str = "nb"
) -> dict[str, Any]:
    """Check submitted data against a form and return the cleaned values the process gets.

    Every top-level field is in the result: text as `str`, integers as `int`, booleans as
    `bool` (a missing optional boolean is False), dates as ISO `YYYY-MM-DD`, groups as lists
    of dicts (rows where every value is empty are dropped), and None for an empty optional
    field. A field missing from `data` takes its `default`. A required boolean must be
    answered (ja or nei); `must_be` fixes the answer.

    Raises `FormValidationError` with `errors` mapping each bad field path (`"videre"`,
    `"tiltak[1].frist"`; `"_form"` for the submission as a whole) to a message in `lang`
    (nb, nn or en; anything else gives nb). Keys the form does not have are errors.
    """
    msgs = _MESSAGES.get(lang, _MESSAGES["nb"])
    if not isinstance(data, Mapping):
        raise FormValidationError({FORM_ERROR_KEY: msgs["invalid_data"]})
    errors: dict[str, str] = {}
    known = form.field_names()
    for key in data:
        if key not in known:
            errors[_short(key, quote=False)] = msgs["unknown"]
    cleaned = _clean_fields(form.fields, data, "", errors, msgs)
    if errors:
        raise FormValidationError(errors)
    return cleaned


def _clean_fields(
    fields: Sequence[FormField],
    source: Mapping[str, Any],
    prefix: str,
    errors: dict[str, str],
    msgs: Mapping[str, str],
) -> dict[str, Any]:
    """Clean one set of fields (a form, or one group row); errors go into `errors` by path."""
    cleaned: dict[str, Any] = {}
    for f in fields:
        path = prefix + f.name
        raw = source.get(f.name, _MISSING)
        if raw is _MISSING:
            raw = f.default
        if f.type == "group":
            cleaned[f.name] = _clean_group(f, raw, path, errors, msgs)
            continue
        try:
            cleaned[f.name] = _clean_value(f, raw, msgs)
        except _Invalid as e:
            errors[path] = e.message
            cleaned[f.name] = None

    # An unanswered optional boolean is False before anything compares against it.
    for f in fields:
        optional = not f.required and f.required_if is None
        unanswered = cleaned[f.name] is None and prefix + f.name not in errors
        if f.type == "boolean" and optional and unanswered:
            cleaned[f.name] = False

    # Second pass: what depends on other fields' values (required_if) or on emptiness.
    for f in fields:
        path = prefix + f.name
        if path in errors:
            continue
        value = cleaned[f.name]
        needed = f.required or (
            f.required_if is not None
            and _same(cleaned.get(f.required_if.field), f.required_if.equals)
        )
        if f.type == "group":
            least = max(f.min_items or 0, 1 if needed else 0)
            if len(value) < least:
                errors[path] = (
                    msgs["min_items_1"] if least == 1 else msgs["min_items"].format(n=least)
                )
            continue
        if value is None:
            if needed:
                errors[path] = _required_message(f, msgs)
                continue
            if f.type == "boolean":
                value = cleaned[f.name] = False
        if f.type == "boolean" and f.must_be is not None and value is not f.must_be:
            errors[path] = msgs["must_be_true"] if f.must_be else msgs["must_be_false"]
    return cleaned


def _required_message(f: FormField, msgs: Mapping[str, str]) -> str:
    """What to tell someone who left a required field empty (a yes/no asks for an answer)."""
    if f.type == "boolean":
        return msgs["must_be_true"] if f.must_be is True else msgs["boolean"]
    return msgs["required"]


def _clean_group(
    f: FormField, raw: Any, path: str, errors: dict[str, str], msgs: Mapping[str, str]
) -> list[dict[str, Any]]:
    if raw is None or raw == "":
        return []
    if not isinstance(raw, (list, tuple)):
        errors[path] = msgs["rows"]
        return []
    if len(raw) > MAX_GROUP_ROWS:
        errors[path] = msgs["too_many_rows"].format(n=MAX_GROUP_ROWS)
        return []
    names = {c.name for c in f.fields}
    rows: list[dict[str, Any]] = []
    for i, row in enumerate(raw):
        row_path = f"{path}[{i}]"
        if not isinstance(row, Mapping):
            errors[row_path] = msgs["row"]
            continue
        for key in row:
            if key not in names:
                errors[f"{row_path}.{_short(key, quote=False)}"] = msgs["unknown"]
        if all(_blank(v) for v in row.values()):
            continue
        rows.append(_clean_fields(f.fields, row, row_path + ".", errors, msgs))
    return rows


def _clean_value(f: FormField, raw: Any, msgs: Mapping[str, str]) -> Any:
    """One scalar value in its cleaned form, None when empty; raises `_Invalid`."""
    if raw is None or raw is _MISSING:
        return None
    if f.type in ("text", "textarea"):
        return _clean_text(f, raw, msgs)
    if f.type == "integer":
        return _clean_integer(f, raw, msgs)
    if f.type == "boolean":
        return _clean_boolean(raw, msgs)
    if f.type == "date":
        return _clean_date(raw, msgs)
    if f.type == "choice":
        if not isinstance(raw, str):
            raise _Invalid(msgs["choice"])
        value = raw.strip()
        if not value:
            return None
        if value not in f.choice_values():
            raise _Invalid(msgs["choice"])
        return value
    raise _Invalid(msgs["invalid"])


def _clean_text(f: FormField, raw: Any, msgs: Mapping[str, str]) -> str | None:
    if not isinstance(raw, str):
        raise _Invalid(msgs["invalid"])
    value = raw.replace("\r\n", "\n").replace("\r", "\n")
    if f.type == "text":
        value = value.replace("\n", " ").replace("\t", " ")
    value = value.strip()
    if not value:
        return None
    if any(unicodedata.category(ch) == "Cc" and ch not in "\n\t" for ch in value):
        raise _Invalid(msgs["text_chars"])
    limit = f.text_limit
    if limit is not None and len(value) > limit:
        raise _Invalid(msgs["too_long"].format(n=limit))
    return value


def _clean_integer(f: FormField, raw: Any, msgs: Mapping[str, str]) -> int | None:
    if isinstance(raw, bool):
        raise _Invalid(msgs["integer"])
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, float) and raw.is_integer() and abs(raw) < 1e15:
        value = int(raw)
    elif isinstance(raw, str):
        text = raw.strip()
        if not text:
            return None
        if not _INTEGER.fullmatch(text):
            raise _Invalid(msgs["integer"])
        value = int(text)
    else:
        raise _Invalid(msgs["integer"])
    if f.min is not None and value < f.min:
        raise _Invalid(msgs["min"].format(n=f.min))
    if f.max is not None and value > f.max:
        raise _Invalid(msgs["max"].format(n=f.max))
    return value


def _clean_boolean(raw: Any, msgs: Mapping[str, str]) -> bool | None:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int) and raw in (0, 1):
        return bool(raw)
    if isinstance(raw, str):
        word = raw.strip().lower()
        if not word:
            return None
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
    raise _Invalid(msgs["boolean"])


def _clean_date(raw: Any, msgs: Mapping[str, str]) -> str | None:
    if isinstance(raw, datetime):
        raise _Invalid(msgs["date"])
    if isinstance(raw, date):
        day = raw
    elif isinstance(raw, str):
        text = raw.strip()
        if not text:
            return None
        try:
            if m := _ISO_DATE.fullmatch(text):
                day = date(int(m[1]), int(m[2]), int(m[3]))
            elif m := _NO_DATE.fullmatch(text):
                day = date(int(m[3]), int(m[2]), int(m[1]))
            else:
                raise _Invalid(msgs["date"])
        except ValueError:
            raise _Invalid(msgs["date"]) from None
    else:
        raise _Invalid(msgs["date"])
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise _Invalid(msgs["date"])
    return day.isoformat()


def _blank(value: Any) -> bool:
    """Empty as far as dropping a row goes: nothing typed, nothing ticked."""
    if value is None or value is False:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, tuple, dict)):
        return len(value) == 0
    return False


def _same(a: Any, b: Any) -> bool:
    """Equal and of the same kind (so that True does not equal 1)."""
    return a is not None and type(a) is type(b) and a == b


def _short(value: Any, quote: bool = True, limit: int = 80) -> str:
    text = repr(value) if quote else str(value)
    text = _one_line(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _one_line(text: str) -> str:
    return " ".join(str(text).split())
