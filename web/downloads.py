"""Stored diagrams sent to the browser."""

from __future__ import annotations

from urllib.parse import quote

from flask import Response


def xml_download(name: str, text: str) -> Response:
    """A diagram as a download: fetched by bpmn-js it is read, opened directly it is saved,
    never shown as a page (a diagram is text from users, and XML can carry XHTML).

    Header values must be Latin-1, so the plain file name is ASCII and the real one (Sami and
    Norwegian letters) goes in `filename*`."""
    plain = "".join(c if (c.isascii() and c.isalnum()) or c in "-_." else "_" for c in name)
    disposition = f'attachment; filename="{plain or "diagram.bpmn"}"'
    if plain != name:
        disposition += f"; filename*=UTF-8''{quote(name, safe='')}"
    return Response(text, mimetype="application/xml",
                    headers={"Content-Disposition": disposition})
