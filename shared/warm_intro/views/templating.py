"""Jinja environments over one set of templates, one per language and kind of output: HTML is
autoescaped, plain text is not (escaping text would show '&amp;' to readers; plain text cannot carry
markup anyway). Words are gettext messages ({% trans %} and _()), from views.catalogs."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from ..domain.languages import SHIPPED, SOURCE, direction
from .catalogs import translations

if TYPE_CHECKING:
    from jinja2 import Environment

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


@cache
def environment(html: bool, language: str = SOURCE) -> Environment:
    # Imported on first render: the JSON API never renders, and its cold start skips Jinja (~30 ms).
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=html,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        extensions=["jinja2.ext.i18n"],
    )
    # Whitespace inside {% trans %} is collapsed, so a message reads the same wherever it is wrapped
    # (babel.cfg extracts with the same rule).
    env.policies["ext.i18n.trimmed"] = True
    env.install_gettext_translations(translations(language), newstyle=True)
    env.globals.update(language=language, direction=direction(language), languages=SHIPPED)
    return env


def render(template: str, context: dict, html: bool = True, language: str = SOURCE) -> str:
    return environment(html, language).get_template(template).render(context)
