"""Whatever accent an organisation picks, its pages keep WCAG AA contrast on buttons and lines."""

from __future__ import annotations

import re

import pytest

from warm_intro.settings import Settings
from warm_intro.web import contrast, html


def colours(accent: str) -> dict[str, str]:
    settings = Settings(table_name="t", sender="s@example.org", hash_key="k" * 16, accent_color=accent)
    page = html(settings, "outcome.html", title="t", lines=[]).body
    return dict(re.findall(r"--([\w-]+):(#[0-9a-fA-F]+)", page))


def test_the_default_accent_reads_well_with_white_labels():
    found = colours(Settings.default("accent_color"))
    assert found["on-accent"] == "#ffffff"
    assert contrast(found["accent"], "#ffffff") >= 4.5


@pytest.mark.parametrize(
    "accent", ["#1f6f5c", "#ffcc00", "#fff", "#777777", "#7f7f7f", "#0000ff", "#e91e63", "#000"]
)
def test_any_accent_keeps_labels_and_lines_readable(accent):
    found = colours(accent)
    assert contrast(found["accent"], found["on-accent"]) >= 4.5
    assert contrast(found["accent-line"], "#ffffff") >= 4.5


def test_contrast_matches_wcag_reference_values():
    assert round(contrast("#000", "#fff"), 2) == 21
    assert round(contrast("#777777", "#ffffff"), 2) == 4.48
