"""Process versions of the kommune, and validation of an uploaded BPMN or DMN file."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from flask import request

from engine.bundle import BPMN_SUFFIXES, DMN_SUFFIXES
from engine.service import Koordinator
from engine.xmlsafe import MAX_XML_BYTES

from ..extensions import engine, user
from . import bp
from .common import ApiProblem
from .serialize import version_json

XML_TYPES = ("application/xml", "text/xml", "application/bpmn+xml", "application/dmn+xml")
MAX_FILES = 20
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


@bp.get("/versions", provide_automatic_options=False)
def versions():  # type: ignore[no-untyped-def]
    return {"versions": [version_json(v) for v in engine().versions(user().kommune)]}


def _file_name(raw: str | None, index: int, taken: set[str]) -> str:
    """A safe name for an upload that keeps a .dmn or .bpmn suffix (default: .bpmn)."""
    name = _SAFE_NAME.sub("_", Path(raw or "").name).strip("._")[:100]
    if not name.lower().endswith(BPMN_SUFFIXES + DMN_SUFFIXES):
        name = (name or (f"upload-{index}" if index > 1 else "upload")) + ".bpmn"
    while name in taken:
        name = f"{index}-{name}"
    taken.add(name)
    return name


def _read_limited(stream, what: str) -> bytes:  # type: ignore[no-untyped-def]
    data = stream.read(MAX_XML_BYTES + 1)
    if len(data) > MAX_XML_BYTES:
        raise ApiProblem(413, f"{what} is larger than {MAX_XML_BYTES // (1024 * 1024)} MB")
    return data


def _uploads() -> list[tuple[str, bytes]]:
    """(name, bytes) of the uploaded files: a raw XML body or multipart fields `file`."""
    taken: set[str] = set()
    if request.content_length is not None and request.content_length > MAX_XML_BYTES + 64 * 1024:
        raise ApiProblem(413, f"the upload is larger than {MAX_XML_BYTES // (1024 * 1024)} MB")
    if request.mimetype == "multipart/form-data":
        files = request.files.getlist("file")
        if not files:
            raise ApiProblem(400, "send the BPMN or DMN file in the multipart field 'file'")
        if len(files) > MAX_FILES:
            raise ApiProblem(400, f"at most {MAX_FILES} files at once")
        return [(_file_name(f.filename, i, taken), _read_limited(f.stream, f"'{f.filename}'"))
                for i, f in enumerate(files, 1)]
    if request.mimetype in XML_TYPES:
        data = _read_limited(request.stream, "the file")
        if not data.strip():
            raise ApiProblem(400, "the request body is empty: send the BPMN or DMN XML")
        return [(_file_name(request.args.get("filename"), 1, taken), data)]
    raise ApiProblem(415, "send the file as application/xml (or text/xml), or as "
                     "multipart/form-data in the field 'file'")


@bp.post("/validate", provide_automatic_options=False)
def validate():  # type: ignore[no-untyped-def]
    uploads = _uploads()
    with tempfile.TemporaryDirectory(prefix="koordinator-validate-") as tmp:
        folder = Path(tmp) / "upload"
        folder.mkdir()
        for name, data in uploads:
            (folder / name).write_bytes(data)
        target = folder / uploads[0][0] if len(uploads) == 1 else folder
        problems = Koordinator.validate(target)
    return {"valid": not problems, "problems": [p.as_dict() for p in problems]}
