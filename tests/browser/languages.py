"""The consent page and the request form at phone width in every shipped language and both
pseudo-locales (the longest words and right to left), for the tests and for docs/screenshots/.

.venv/bin/python -m tests.browser.languages   # writes docs/screenshots/<page>-<language>-390.png
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from warm_intro.domain.languages import PSEUDO, SHIPPED

from .helpers import PHONE, ask, decide, link_to, unique

LANGUAGES = [*SHIPPED, *PSEUDO]
OUT = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def consent_link(page, server) -> str:
    """A target's consent link, reached as people would: asked, confirmed, approved."""
    n = len(server.outbox())
    target = unique("alan")
    requester = ask(page, server, target=("Alan Turing", target))
    decide(page, link_to(server, requester, n), "Confirm and send")
    decide(page, link_to(server, "grace@example.org", n), "Approve and ask Alan Turing")
    return link_to(server, target, n)


def pages(page, server) -> Iterator[tuple[str, str]]:
    """(page, language), with the page open in that language at phone width."""
    consent = consent_link(page, server)
    page.set_viewport_size(PHONE)
    for code in LANGUAGES:
        page.goto(f"{server.base}/?lang={code}")
        yield "request-form", code
        page.goto(f"{consent}?lang={code}")
        yield "consent", code


def clipped(page) -> dict:
    """What doesn't fit: the document's extra width, and any element whose content is wider or taller
    than its box where the box hides the rest."""
    return page.evaluate("""() => {
        const root = document.documentElement, width = root.clientWidth;
        const cut = [...document.querySelectorAll('body *')].filter(e => {
            const style = getComputedStyle(e);
            const hides = style.overflowX !== 'visible' || style.overflowY !== 'visible';
            return hides && e.tagName !== 'TEXTAREA' &&
                (e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1);
        }).map(e => e.tagName + ':' + (e.innerText || '').slice(0, 40));
        const outside = [...document.querySelectorAll('button, a, label, h1, h2, p, legend')].filter(e => {
            const box = e.getBoundingClientRect();
            return box.width > 0 && (box.left < -1 || box.right > width + 1);
        }).map(e => e.tagName + ':' + (e.innerText || '').slice(0, 40));
        return {extra: root.scrollWidth - width, cut, outside};
    }""")


def main() -> None:
    from playwright.sync_api import sync_playwright

    from tests.support.server import LocalServer

    from .helpers import SERVER_ENV, launch

    server = LocalServer(**SERVER_ENV)
    try:
        with sync_playwright() as playwright:
            browser = launch(playwright)
            page = browser.new_page(viewport=PHONE)
            for name, code in pages(page, server):
                path = OUT / f"{name}-{code}-390.png"
                page.screenshot(path=path, full_page=True)
                print(path.relative_to(OUT.parents[1]))
            browser.close()
    finally:
        server.stop()


if __name__ == "__main__":
    main()
