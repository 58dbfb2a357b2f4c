"""Reading pages in tests: the CSRF token and visible text of a response."""

from __future__ import annotations

import re
from typing import Any


def csrf_token(response: Any) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', response.get_data(as_text=True))
    assert match, "the page has no CSRF token"
    return match.group(1)


def text(response: Any) -> str:
    """The page's text without tags, whitespace collapsed."""
    html = response.get_data(as_text=True)
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.DOTALL)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()
