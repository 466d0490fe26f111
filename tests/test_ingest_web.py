"""The fetcher against a real HTTP server on 127.0.0.1: limits, redirects, refusals, politeness."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from armswatch.ingest.files import MAX_DOCUMENT_BYTES
from armswatch.ingest.safety import GuardedBackend, ReservedUrls, UrlPolicy, parse_networks, reserved_hash
from armswatch.ingest.web import Fetcher, FetchError, FetchSettings, guarded_transport
from tests.support.web import Reply, TestSite, article_html

LOOPBACK = parse_networks(["127.0.0.1/32"])


@pytest.fixture
def fetcher() -> Iterator[Fetcher]:
    with Fetcher(UrlPolicy(LOOPBACK), FetchSettings(timeout=5, deadline=30)) as f:
        yield f


def test_a_page_is_fetched_with_a_polite_user_agent(site: TestSite, fetcher: Fetcher) -> None:
    url = site.page("/a", article_html("Ships sold", "Body."), content_type="text/html; charset=ISO-8859-1")
    page = fetcher.get(url)
    assert (page.status, page.content_type, page.charset) == (200, "text/html", "iso-8859-1")
    assert b"Ships sold" in page.body
    agent = site.headers["/a"]["user-agent"]
    assert agent.startswith("armswatch/") and "+https://" in agent


def test_loopback_is_refused_by_default_and_nothing_is_sent(site: TestSite) -> None:
    url = site.page("/secret", "<p>admin</p>")
    with Fetcher(UrlPolicy()) as default, pytest.raises(FetchError, match=r"127\.0\.0\.1 is a loopback address"):
        default.get(url)
    assert site.hits["/secret"] == 0


def test_a_host_name_is_checked_on_every_address_it_resolves_to(site: TestSite) -> None:
    site.page("/a", article_html("Ships sold", "Body."))
    url = f"http://localhost:{site.port}/a"
    with Fetcher(UrlPolicy(parse_networks(["127.0.0.1/32", "::1/128"]))) as both:
        assert both.get(url).status == 200
    with Fetcher(UrlPolicy()) as none, pytest.raises(FetchError, match="loopback"):
        none.get(url)


def test_each_redirect_hop_is_checked(site: TestSite, fetcher: Fetcher) -> None:
    site.page("/target", article_html("Moved", "Body."))
    ok = site.redirect("/moved", "/target")
    assert fetcher.get(ok).final_url == site.url("/target")
    other_loopback = site.redirect("/escape", f"http://127.0.0.2:{site.port}/target")
    with pytest.raises(FetchError, match=r"127\.0\.0\.2 is a loopback address"):
        fetcher.get(other_loopback)
    assert site.hits["/target"] == 1  # only the allowed hop reached it


def test_redirect_loops_and_long_chains_stop(site: TestSite, fetcher: Fetcher) -> None:
    site.redirect("/ping", "/pong")
    loop = site.redirect("/pong", "/ping")
    with pytest.raises(FetchError, match=r"redirect loop: .*/pong -> .*/ping -> .*/pong"):
        fetcher.get(loop)
    for n in range(7):
        site.redirect(f"/hop{n}", f"/hop{n + 1}")
    with pytest.raises(FetchError, match=r"too many redirects \(more than 5\)"):
        fetcher.get(site.url("/hop0"))


def test_server_errors_and_hangs_fail_with_a_reason(site: TestSite, fetcher: Fetcher) -> None:
    site.routes["/error"] = Reply(status=500, body=b"oops")
    site.routes["/hang"] = Reply(delay=3.0, body=b"late")
    with pytest.raises(FetchError, match="HTTP 500 Internal Server Error"):
        fetcher.get(site.url("/error"))
    started = time.monotonic()
    impatient = Fetcher(UrlPolicy(LOOPBACK), FetchSettings(timeout=0.5))
    with impatient, pytest.raises(FetchError, match="timed out"):
        impatient.get(site.url("/hang"))
    assert time.monotonic() - started < 2.5


def test_a_50_mb_page_is_cut_off_at_the_limit(site: TestSite, fetcher: Fetcher) -> None:
    site.routes["/huge"] = Reply(stream_bytes=50 * 1024 * 1024)
    site.routes["/declared"] = Reply(body=b"x" * 100, headers={"Content-Length": str(50 * 1024 * 1024)})
    with pytest.raises(FetchError, match=f"too large: more than {MAX_DOCUMENT_BYTES} bytes"):
        fetcher.get(site.url("/huge"))
    with pytest.raises(FetchError, match=f"too large: {50 * 1024 * 1024} bytes"):
        fetcher.get(site.url("/declared"))  # refused on its Content-Length, before the body
    small = Fetcher(UrlPolicy(LOOPBACK), FetchSettings(max_bytes=50))
    with small, pytest.raises(FetchError, match="too large: 100 bytes"):
        small.get(site.page("/small", "y" * 100))


def test_content_types_are_checked(site: TestSite, fetcher: Fetcher) -> None:
    site.routes["/file.bin"] = Reply(body=b"\x00\x01", content_type="application/octet-stream")
    with pytest.raises(FetchError, match="unexpected content type 'application/octet-stream'"):
        fetcher.get(site.url("/file.bin"))


def test_reserved_pages_are_never_requested(site: TestSite) -> None:
    url = site.page("/reserved", "<p>kept for evaluation</p>")
    policy = UrlPolicy(LOOPBACK, ReservedUrls(frozenset({reserved_hash(url)})))
    with Fetcher(policy) as f, pytest.raises(FetchError, match="reserved for evaluation"):
        f.get(url)
    assert site.hits["/reserved"] == 0


def test_conditional_requests_get_304(site: TestSite, fetcher: Fetcher) -> None:
    url = site.page("/feed", "<rss/>", etag='"v1"', content_type="application/rss+xml")
    first = fetcher.get(url, frozenset({"application/rss+xml"}))
    again = fetcher.get(url, frozenset({"application/rss+xml"}), etag=first.etag)
    assert (first.status, first.etag, again.not_modified) == (200, '"v1"', True)
    assert site.headers["/feed"]["if-none-match"] == '"v1"'


def test_the_guard_sits_in_httpx_connection_pool() -> None:
    transport = guarded_transport(UrlPolicy())
    assert isinstance(transport._pool._network_backend, GuardedBackend)


# --- robots.txt ------------------------------------------------------------------------

ROBOTS = "User-agent: *\nDisallow: /private\n\nUser-agent: otherbot\nDisallow: /\n"


def test_paths_a_sites_robots_txt_disallows_are_not_fetched(site: TestSite, fetcher: Fetcher) -> None:
    site.routes["/robots.txt"] = Reply(body=ROBOTS.encode(), content_type="text/plain")
    public = site.page("/public", article_html("Open", "Body."))
    private = site.page("/private/memo", article_html("Closed", "Body."))
    assert fetcher.get(public).status == 200
    with pytest.raises(FetchError, match=r"disallowed by the site's robots\.txt"):
        fetcher.get(private)
    assert fetcher.get(public).status == 200
    assert (site.hits["/private/memo"], site.hits["/robots.txt"]) == (0, 1)  # read once per fetcher


def test_rules_for_armswatch_by_name_apply(site: TestSite, fetcher: Fetcher) -> None:
    site.routes["/robots.txt"] = Reply(body=b"User-agent: ArmsWatch\nDisallow: /feeds\n", content_type="text/plain")
    with pytest.raises(FetchError, match=r"robots\.txt"):
        fetcher.get(site.page("/feeds/world", article_html("Feed", "Body.")))
    assert fetcher.get(site.page("/news", article_html("News", "Body."))).status == 200


def test_a_redirect_into_a_disallowed_path_is_not_followed(site: TestSite, fetcher: Fetcher) -> None:
    site.routes["/robots.txt"] = Reply(body=ROBOTS.encode(), content_type="text/plain")
    site.page("/private/target", article_html("Closed", "Body."))
    with pytest.raises(FetchError, match=r"robots\.txt"):
        fetcher.get(site.redirect("/go", "/private/target"))
    assert site.hits["/private/target"] == 0


def test_a_failing_robots_txt_refuses_the_site_and_a_missing_one_allows_it(site: TestSite) -> None:
    page = site.page("/story", article_html("Story", "Body."))
    with Fetcher(UrlPolicy(LOOPBACK)) as missing:  # no /robots.txt: 404
        assert missing.get(page).status == 200
    site.routes["/robots.txt"] = Reply(status=503, body=b"busy", content_type="text/plain")
    with Fetcher(UrlPolicy(LOOPBACK)) as failing, pytest.raises(FetchError, match=r"robots.txt answered HTTP 503"):
        failing.get(page)
    assert site.hits["/story"] == 1


def test_crawl_delay_spaces_requests_to_a_site(site: TestSite) -> None:
    site.routes["/robots.txt"] = Reply(body=b"User-agent: *\nCrawl-delay: 1\n", content_type="text/plain")
    pages = [site.page(f"/p{n}", article_html(f"P{n}", "Body.")) for n in range(3)]
    with Fetcher(UrlPolicy(LOOPBACK)) as polite:
        started = time.monotonic()
        for page in pages:
            polite.get(page)
        assert time.monotonic() - started >= 2.0  # three requests, two delays
    with Fetcher(UrlPolicy(LOOPBACK), FetchSettings(obey_robots=False)) as rude:
        started = time.monotonic()
        for page in pages:
            rude.get(page)
        assert time.monotonic() - started < 2.0  # no delay: the polite run needs at least 2 s
    assert site.hits["/robots.txt"] == 1  # the second fetcher never asked
