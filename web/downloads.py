"""Stored diagrams sent to the browser."""

from __future__ import annotations

from flask import Response


def xml_download(name: str, text: str) -> Response:
    """A diagram as a download: fetched by bpmn-js it is read, opened directly it is saved,
    never shown as a page (a diagram is text from users, and XML can carry XHTML)."""
    safe = "".join(c for c in name if c.isalnum() or c in "-_.") or "diagram.bpmn"
    return Response(text, mimetype="application/xml",
                    headers={"Content-Disposition": f'attachment; filename="{safe}"'})
