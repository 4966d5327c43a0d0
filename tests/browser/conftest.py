"""One local server and one headless Debian Chromium per test session; a fresh page per test that
records every request it makes, so any test can assert nothing left 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.server import LocalServer

from .helpers import CHROMIUM, SERVER_ENV, launch


@pytest.fixture(scope="session")
def server():
    srv = LocalServer(**SERVER_ENV)
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `bash scripts/setup.sh --with-browser`")
    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.requested = []
    page.on("request", lambda request: page.requested.append(request.url))
    yield page
    context.close()
