"""Renders every email from a realistic sample introduction and screenshots its HTML part in a real
browser (Debian's Chromium through Playwright) at phone width, into docs/emails/<kind>.png.

    .venv/bin/python -m local.screenshot_emails [--out docs/emails] [--width 400]
"""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path

from warm_intro.domain.model import Intro, Kind, Person, Purpose, State, Target
from warm_intro.settings import Settings
from warm_intro.views.emails import compose

BASE = "https://intros.example.org"
SETTINGS = Settings(
    table_name="unused",
    base_url=BASE,
    org_name="Bletchley Circle",
    sender="intros@example.org",
    hash_key="sample-key-not-secret-0123456789",
)
INTRO = Intro(
    id="01JDEMO",
    state=State.AWAITING_TARGET,
    created_at=0,
    requester=Person("Ada Lovelace", "ada@example.org"),
    connector=Person("Grace Hopper", "grace@example.org"),
    target=Target("Alan Turing", "alan@example.net", "runs the Bletchley reading group"),
    blurb=(
        "I'm Ada, I write about analytical engines and what they might one day compute.\n\n"
        "I'd love 20 minutes with Alan to ask how his reading group chooses its papers: "
        "I'm starting a similar one in London."
    ),
    note="Alan, Ada is thoughtful and brief. I think you'd enjoy each other.",
)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def sample_links() -> dict[Purpose, str]:
    return {
        p: f"{BASE}/{'optout' if p is Purpose.OPTOUT else 'link'}/01JDEMO.sample-{p.value}" for p in Purpose
    }


# As photographed: asked on a real day (the asks give their closing date), and saying how Ada knows Grace.
SHOWN = replace(
    INTRO,
    created_at=1_790_000_000,
    asked_at=1_790_000_000,
    acquaintance="Grace supervised my final-year project",
)


def samples() -> dict[Kind, str]:
    """Each kind's HTML part, as the recipient's mail client receives it."""
    out = {}
    for kind in Kind:
        html = compose(kind, SHOWN, sample_links(), SETTINGS).get_body(preferencelist=("html",))
        assert html is not None, kind  # every message has an HTML part
        out[kind] = html.get_content()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("docs/emails"))
    parser.add_argument("--width", type=int, default=400)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": args.width, "height": 600}, java_script_enabled=False)
        page.route("**/*", lambda route: route.abort())  # an email must render with nothing fetched
        for kind, html in samples().items():
            page.set_content(html, wait_until="load")
            path = args.out / f"{kind.value}.png"
            page.screenshot(path=str(path), full_page=True)
            print(path)
        browser.close()


if __name__ == "__main__":
    main()
