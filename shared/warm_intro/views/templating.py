"""Two Jinja environments over one set of templates: HTML is autoescaped, plain text is not
(escaping text would show '&amp;' to readers; plain text cannot carry markup anyway)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jinja2 import Environment

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


@cache
def environment(html: bool) -> Environment:
    # Imported on first render: the JSON API never renders, and its cold start skips Jinja (~30 ms).
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=html,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )


def render(template: str, context: dict, html: bool = True) -> str:
    return environment(html).get_template(template).render(context)
