"""The JSON API's OpenAPI document and Swagger UI, served at /docs, render with no outside request."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_swagger_ui_renders_offline(page, server):
    answer = page.goto(server.base + "/docs")
    assert answer.status == 200
    page.get_by_text("/intros").first.wait_for(timeout=10_000)  # Swagger UI drew the operations
    assert page.get_by_role("heading", name="Warm introductions").first.is_visible()
    page.wait_for_load_state("networkidle")
    assert page.requested and all(url.startswith(server.base + "/") for url in page.requested), page.requested
