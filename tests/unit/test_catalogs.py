"""The catalogs can't go stale: each shipped language has every message, none fuzzy, each with the
placeholders of its English; extracting the templates and code again finds exactly the messages
committed (run `make catalogs` after changing words); and no template has a word outside a
translation call."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from jinja2 import Environment, nodes

from warm_intro.domain.languages import SHIPPED, SOURCE
from warm_intro.views.catalogs import LOCALES, pseudo, translations
from warm_intro.views.templating import TEMPLATES

ROOT = Path(__file__).resolve().parents[2]
TRANSLATED = [code for code in SHIPPED if code != SOURCE]


def ids(catalog) -> set:
    return {m.id for m in catalog if m.id}


def committed(code: str):
    with (LOCALES / code / "LC_MESSAGES" / "messages.po").open("rb") as file:
        return read_po(file, locale=code)


def extracted() -> set:
    with (ROOT / "babel.cfg").open() as file:
        method_map, options_map = parse_mapping_cfg(file)
    found = set()
    for _, _, message, _, _ in extract_from_dir(
        ROOT, method_map, options_map, keywords={"_": None, "N_": None, "gettext": None, "ngettext": (1, 2)}
    ):
        found.add(message if isinstance(message, str) else tuple(message))
    return found


def test_every_shipped_language_but_the_source_has_a_catalog():
    assert set(TRANSLATED) == {p.name for p in LOCALES.iterdir() if p.is_dir()}


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_message_is_translated_and_none_is_fuzzy(code):
    catalog = committed(code)
    template = read_po((LOCALES / "messages.pot").open("rb"))
    assert ids(catalog) == ids(template)
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert len(strings) == (catalog.num_plurals if message.pluralizable else 1), message.id
        assert all(s.strip() for s in strings), f"{code}: untranslated {message.id!r}"
        assert not message.fuzzy, f"{code}: fuzzy {message.id!r}"
    assert not list(catalog.check()), f"{code}: placeholders that differ from the English"


def test_extraction_would_not_change_the_committed_catalogs():
    template = read_po((LOCALES / "messages.pot").open("rb"))
    now = extracted()
    assert now == ids(template), "run `make catalogs`: the words in templates or code changed"
    for code in TRANSLATED:
        assert ids(committed(code)) == now, code


@pytest.mark.parametrize("code", TRANSLATED)
def test_a_catalog_is_read_as_gettext_reads_it(code):
    english = "Would you like to meet %(r)s?"
    said = translations(code).gettext(english)
    assert said != english and "%(r)s" in said
    assert translations(code).ngettext("%(num)s day", "%(num)s days", 2) != "%(num)s days"


def test_the_pseudo_locale_stretches_accents_and_marks_but_keeps_placeholders_and_markup():
    said = pseudo('Hello %(name)s, <a href="%(url)s">ask again</a> &amp; more')
    assert said.startswith("⟦") and said.endswith("⟧")
    assert "%(name)s" in said and '<a href="%(url)s">' in said and "</a>" in said and "&amp;" in said
    words = said.replace("%(name)s", "").replace('<a href="%(url)s">', "").replace("</a>", "")
    assert not re.search(r"[A-Za-z]", words.replace("&amp;", ""))  # every letter outside markup is accented
    plain = "Nobody is introduced without saying yes first, and whoever asked never learns who said no."
    assert len(pseudo(plain)) >= 1.3 * len(plain)


# What a reader meets of a template's own text: text nodes, and the attributes read out or shown.
SEEN_ATTRIBUTE = re.compile(r'\b(?:alt|title|aria-label|placeholder)="([^"]*)"')


def bare_words(source: str) -> list[str]:
    """The words of a template written outside {% trans %} and _(): its literal text, with every
    expression (a translated message, a name, a link) taken out, and markup, entities and the path
    after a link's expression (`{{ request_url }}introduce`) left aside."""
    env = Environment(extensions=["jinja2.ext.i18n"])
    env.policies["ext.i18n.trimmed"] = True
    literal = "\n".join(
        "".join(n.data if isinstance(n, nodes.TemplateData) else "\x00" for n in output.nodes)
        for output in env.parse(source).find_all(nodes.Output)
    )
    shown = SEEN_ATTRIBUTE.findall(literal)
    text = re.sub(r"<!--.*?-->|<[^>]*>|&[#a-z0-9]+;|\x00[\w/.-]*", " ", literal, flags=re.DOTALL)
    return re.findall(r"[^\W\d_]+", " ".join([text, *shown]).replace("\x00", " "))


@pytest.mark.parametrize(
    "template",
    sorted(str(p.relative_to(TEMPLATES)) for p in TEMPLATES.rglob("*") if p.suffix in (".html", ".jinja")),
)
def test_no_template_has_a_word_outside_a_translation_call(template):
    assert bare_words((TEMPLATES / template).read_text()) == []


def test_a_word_outside_a_translation_call_is_found_wherever_it_is():
    assert bare_words("<p>{% trans %}Hello{% endtrans %}</p>") == []
    assert bare_words("<p>{{ _('Hello') }} there</p>") == ["there"]
    assert bare_words('<nav aria-label="Language">{{ x }}</nav>') == ["Language"]
    assert bare_words('<a href="{{ url }}introduce">{{ _("propose") }}</a>{{ url }}introduce') == []
    assert bare_words("{% if a %}Reminder: {% endif %}{{ b }}") == ["Reminder"]
