"""The web page in a real browser: Debian's chromium, driven by Playwright, against a real
server started with ``armswatch serve``. Open the page, filter, open a transfer, read its
evidence; the screenshots are kept under ``test-artifacts/``."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from armswatch.store.db import open_database
from tests.support.corpus import seed
from tests.support.server import REPO, free_port, server_process

CHROMIUM = os.environ.get("ARMSWATCH_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]  # fmt: skip
ARTIFACTS = REPO / "test-artifacts"


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not shutil.which(CHROMIUM):
        if os.environ.get("CI") == "true":
            pytest.fail(f"chromium is required in CI ({CHROMIUM} not found)")
        pytest.skip(f"browser test skipped: no chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One server for the module: the tests only read."""
    db_path = tmp_path_factory.mktemp("web") / "web.sqlite"
    db = open_database(db_path)
    seed(db)
    db.dispose()
    port = free_port()
    command = [str(Path(sys.executable).parent / "armswatch"), "serve", "--db", str(db_path), "--port", str(port)]
    with server_process(command, port) as base:
        yield base


@pytest.fixture
def page(browser: object, site: str) -> Iterator[Any]:
    """A fresh browser page, closed before the server stops (an open connection would delay it)."""
    from playwright.sync_api import Browser

    assert isinstance(browser, Browser)
    context = browser.new_context(viewport={"width": 1360, "height": 1000}, base_url=site)
    yield context.new_page()
    context.close()


def test_filter_open_a_transfer_and_read_its_evidence(page: Any) -> None:
    from playwright.sync_api import expect

    ARTIFACTS.mkdir(exist_ok=True)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    page.goto("/")
    rows = page.locator("#transfers tbody tr")
    expect(rows).to_have_count(4)
    expect(page.locator("#flow-chart .main-svg").first).to_be_visible()  # plotly drew the Sankey
    page.screenshot(path=ARTIFACTS / "index.png", full_page=True)

    page.select_option("select[name=supplier]", "RUS")
    page.select_option("select[name=type]", "DELIVER")
    page.click("button[type=submit]")
    expect(rows).to_have_count(1)
    assert "supplier=RUS" in page.url

    page.click("#transfers tbody tr a")
    expect(page.locator("#transfer-title")).to_contain_text("S-400")
    cards = page.locator("#evidence li")
    expect(cards).to_have_count(4)
    expect(cards.locator("mark").first).to_have_text(
        "Turkey signed a deal to buy four S-400 batteries from Russia, officials in Ankara said on Tuesday."
    )
    expect(page.locator("#evidence")).to_contain_text("syndicated copy of document")
    expect(page.locator("#timeline-chart .main-svg").first).to_be_visible()
    page.screenshot(path=ARTIFACTS / "transfer.png", full_page=True)
    assert errors == []


def test_article_markup_never_runs(page: Any) -> None:
    from playwright.sync_api import expect

    page.goto("/?recipient=POL")
    page.click("#transfers tbody tr a")
    expect(page.locator("#evidence mark")).to_contain_text("<script>window.__pwned = 1</script>")
    assert page.evaluate("typeof window.__pwned") == "undefined"
