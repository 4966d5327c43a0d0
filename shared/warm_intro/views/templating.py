"""Jinja environments over one set of templates, one per language and kind of output: HTML is
autoescaped, plain text is not (escaping text would show '&amp;' to readers; plain text cannot carry
markup anyway). Words are gettext messages ({% trans %} and _()), from views.catalogs.

`sam build` compiles every template for both kinds of output (`python -m warm_intro.views.templating DIR`,
from shared/Makefile) into Python modules, which it then compiles to bytecode with the rest of the layer,
so a cold start loads them instead of parsing and compiling each template on its first render. A compiled
template looks its words up when it renders, so one compiled set serves every language. Without them (the
development tree, tests) the templates are read from their sources."""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..domain.languages import SHIPPED, SOURCE, direction
from .catalogs import translations

if TYPE_CHECKING:
    from jinja2 import BaseLoader, Environment

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
COMPILED = TEMPLATES.parent / "compiled_templates"  # what the build writes: html/ and text/


def _environment(html: bool, loader: BaseLoader) -> Environment:
    from jinja2 import Environment, StrictUndefined

    # Escaping is decided when a template compiles, so each environment has its own compiled set.
    env = Environment(
        loader=loader,
        autoescape=html,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        extensions=["jinja2.ext.i18n"],
    )
    # Whitespace inside {% trans %} is collapsed, so a message reads the same wherever it is wrapped
    # (babel.cfg extracts with the same rule); new-style gettext escapes what it puts into a message.
    env.policies["ext.i18n.trimmed"] = True
    env.newstyle_gettext = True  # type: ignore[attr-defined]
    return env


def _flavour(html: bool) -> str:
    return "html" if html else "text"


@cache
def environment(html: bool, language: str = SOURCE) -> Environment:
    # Imported on first render: the JSON API never renders, and its cold start skips Jinja.
    from jinja2 import FileSystemLoader, ModuleLoader

    compiled = COMPILED / _flavour(html)
    loader = ModuleLoader(compiled) if compiled.is_dir() else FileSystemLoader(TEMPLATES)
    env = _environment(html, loader)
    env.install_gettext_translations(translations(language), newstyle=True)  # type: ignore[attr-defined]
    env.globals.update(language=language, direction=direction(language), languages=SHIPPED)
    return env


def render(template: str, context: dict[str, Any], html: bool = True, language: str = SOURCE) -> str:
    return environment(html, language).get_template(template).render(context)


def compile_all(into: Path) -> None:
    """Every template, compiled for both environments, as Python modules in into/html and into/text."""
    from jinja2 import FileSystemLoader

    for html in (True, False):
        source = _environment(html, FileSystemLoader(TEMPLATES))
        # Raise on a template that does not compile: the build must fail, not ship without it.
        source.compile_templates(str(into / _flavour(html)), zip=None, ignore_errors=False)


if __name__ == "__main__":
    compile_all(Path(sys.argv[1]))
