"""Templates compiled at build time (`python -m warm_intro.views.templating DIR`, run by shared/Makefile)
render exactly what their sources render, in both environments (HTML autoescaped, plain text not)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from local.screenshot_emails import INTRO, SETTINGS, sample_links
from warm_intro.domain.model import Kind, Person
from warm_intro.views import templating
from warm_intro.views.emails import compose
from warm_intro.web import html

HOSTILE = '<script>alert(1)</script> & <b>bold</b> "quoted"'
HOSTILE_INTRO = replace(INTRO, blurb=HOSTILE, requester=Person(HOSTILE[:40], INTRO.requester.email))
PAGES = [
    ("outcome.html", {"title": "Done <b>", "lines": ["Thank you & goodbye"], "notice": "<i>"}),
    (
        "request_form.html",
        {"form": {"requester_name": "Ada <script>"}, "errors": {"form": "Too many & more"}},
    ),
    ("request_sent.html", {"email": "ada<b>@example.org", "confirm_within": "24 hours"}),
]


@pytest.fixture(scope="module")
def compiled(tmp_path_factory):
    into = tmp_path_factory.mktemp("compiled_templates")
    templating.compile_all(into)
    return into


def rendered(monkeypatch, compiled_dir) -> tuple[list, list]:
    monkeypatch.setattr(templating, "COMPILED", compiled_dir)
    templating.environment.cache_clear()
    try:
        messages = [compose(k, i, sample_links(), SETTINGS) for k in Kind for i in (INTRO, HOSTILE_INTRO)]
        mails = [
            [
                m["Subject"],
                *((p.get_content_type(), p.get_content()) for p in m.walk() if not p.is_multipart()),
            ]
            for m in messages
        ]
        pages = [html(SETTINGS, name, **context).body for name, context in PAGES]
        return mails, pages
    finally:
        templating.environment.cache_clear()


def test_the_build_compiles_every_template_for_both_environments(compiled):
    from jinja2 import FileSystemLoader, ModuleLoader

    names = FileSystemLoader(templating.TEMPLATES).list_templates()
    assert len(names) > 20
    for flavour in ("html", "text"):
        modules = {p.name for p in (compiled / flavour).glob("*.py")}
        assert modules == {ModuleLoader.get_module_filename(name) for name in names}


def test_precompiled_templates_render_what_their_sources_render(compiled, tmp_path, monkeypatch):
    from jinja2 import ModuleLoader

    from_sources = rendered(monkeypatch, tmp_path / "absent")
    assert not isinstance(templating.environment(True).loader, ModuleLoader)
    from_build = rendered(monkeypatch, compiled)
    assert from_build == from_sources
    monkeypatch.setattr(templating, "COMPILED", compiled)
    assert isinstance(templating.environment(True).loader, ModuleLoader)
    assert isinstance(templating.environment(False).loader, ModuleLoader)
    templating.environment.cache_clear()
