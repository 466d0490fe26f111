"""Fetching pages and feeds over HTTP, politely and defensively.

Every fetch has connect/read timeouts and an overall deadline, a size limit enforced while the
body streams in (a 50 MB page is cut off at the limit, not downloaded), a redirect limit with
loop detection, a content-type check, and a User-Agent that says who is asking. Addresses are
vetted by :mod:`armswatch.ingest.safety` on every hop. Proxies from the environment are not
used: they would connect on our behalf, past the address check.

Each site's ``robots.txt`` is read once per fetcher (the standard library's parser, rules for
the User-Agent's first word, ``armswatch``, or for every robot): a path it disallows is not
fetched, and its ``Crawl-delay`` spaces the requests to that site. As RFC 9309 asks, a missing
file (4xx) allows everything and a server error (5xx) on it refuses the whole site for the run;
a site that cannot be reached at all gets its page fetched, which then fails with its own
reason.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from email.message import Message
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import httpx

from armswatch import __version__
from armswatch.ingest.files import MAX_DOCUMENT_BYTES
from armswatch.ingest.safety import GuardedBackend, UnsafeUrl, UrlPolicy

USER_AGENT_ENV = "ARMSWATCH_USER_AGENT"
# A placeholder contact address: deployments set their own with ARMSWATCH_USER_AGENT.
DEFAULT_USER_AGENT = f"armswatch/{__version__} (arms-trade research; +https://armswatch.example/contact)"

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
FEED_TYPES = frozenset(
    {
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/xml",
        "text/xml",
        "application/feed+json",
        "text/plain",  # some servers label their feeds so; feedparser decides
    }
)
DEFAULT_TIMEOUT = 15.0  # seconds to connect, and between two reads
DEADLINE_FACTOR = 4  # the whole fetch, redirects included, may take this many timeouts
REDIRECTS = frozenset({301, 302, 303, 307, 308})
ROBOTS_TYPES = frozenset({"text/plain", "application/octet-stream"})
MAX_CRAWL_DELAY = 60.0  # seconds: a larger Crawl-delay is held to this


class FetchError(RuntimeError):
    """The URL could not be fetched; the message is the reason recorded in the store."""


class HttpStatusError(FetchError):
    """The server answered with an error status."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(f"HTTP {status} {reason}".strip())
        self.status = status


@dataclass(frozen=True)
class FetchSettings:
    timeout: float = DEFAULT_TIMEOUT
    deadline: float = DEADLINE_FACTOR * DEFAULT_TIMEOUT  # a server that trickles bytes is cut off
    max_bytes: int = MAX_DOCUMENT_BYTES
    max_redirects: int = 5
    user_agent: str = field(default_factory=lambda: os.environ.get(USER_AGENT_ENV) or DEFAULT_USER_AGENT)
    obey_robots: bool = True  # each site's robots.txt: its disallowed paths and its Crawl-delay

    @classmethod
    def with_timeout(cls, timeout: float | None) -> FetchSettings:
        """The defaults, or another timeout (and the deadline that goes with it)."""
        return cls() if timeout is None else cls(timeout=timeout, deadline=DEADLINE_FACTOR * timeout)


@dataclass(frozen=True)
class Fetched:
    url: str  # as asked for
    final_url: str  # after redirects
    status: int
    content_type: str
    charset: str | None
    body: bytes
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


@dataclass
class _SiteRules:
    """What one site's robots.txt says to this fetcher, and when the site may next be asked."""

    parser: RobotFileParser | None = None  # None: no rules (no file, or none readable)
    refused: str | None = None  # why nothing of the site is fetched (its robots.txt answered 5xx)
    delay: float = 0.0
    next_request: float = 0.0  # time.monotonic() value

    def check(self, url: str, user_agent: str) -> None:
        if self.refused:
            raise FetchError(self.refused)
        if self.parser is not None and not self.parser.can_fetch(user_agent, url):
            raise FetchError(f"disallowed by the site's robots.txt: {url}")


class Fetcher:
    """One HTTP client (connection reuse) under one :class:`UrlPolicy`; close it when done."""

    def __init__(self, policy: UrlPolicy | None = None, settings: FetchSettings | None = None) -> None:
        self.policy = policy or UrlPolicy.configured()
        self.settings = settings or FetchSettings()
        self._client = httpx.Client(
            transport=guarded_transport(self.policy),
            timeout=httpx.Timeout(self.settings.timeout),
            follow_redirects=False,  # followed by hand, so that each hop is checked
            trust_env=False,
            headers={"User-Agent": self.settings.user_agent},
        )
        self._sites: dict[str, _SiteRules] = {}  # by scheme and host

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def get(
        self,
        url: str,
        accept: frozenset[str] = HTML_TYPES,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> Fetched:
        """The body of ``url`` (or a 304 answer to a conditional request); raises FetchError."""
        headers = {"Accept": ", ".join(sorted(accept)) + ", */*;q=0.1"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        try:
            self.policy.check_url(url)  # before anything is asked of the site, robots.txt included
            self._wait_turn(url)
            deadline = time.monotonic() + self.settings.deadline
            return self._follow(url, accept, headers, deadline)
        except UnsafeUrl as exc:
            raise FetchError(str(exc)) from None
        except httpx.TimeoutException as exc:
            raise FetchError(f"timed out ({type(exc).__name__}, limit {self.settings.timeout:g} s)") from None
        except httpx.HTTPError as exc:
            raise FetchError(f"cannot fetch: {type(exc).__name__}: {exc}") from None

    def _wait_turn(self, url: str) -> None:
        """Space the requests to one site by its robots.txt's Crawl-delay."""
        if not self.settings.obey_robots:
            return
        site = self._rules(url)
        wait = site.next_request - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        site.next_request = time.monotonic() + site.delay

    def _rules(self, url: str) -> _SiteRules:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._sites:
            self._sites[origin] = self._read_robots(f"{origin}/robots.txt")
        return self._sites[origin]

    def _read_robots(self, robots_url: str) -> _SiteRules:
        headers = {"Accept": "text/plain, */*;q=0.1"}
        try:
            deadline = time.monotonic() + self.settings.deadline
            fetched = self._follow(robots_url, ROBOTS_TYPES, headers, deadline, obey_robots=False)
        except HttpStatusError as exc:
            if exc.status >= 500:
                return _SiteRules(refused=f"{robots_url} answered {exc}: the site is not fetched in this run")
            return _SiteRules()  # no robots.txt: everything is allowed
        except (FetchError, UnsafeUrl, httpx.HTTPError):
            return _SiteRules()  # unreachable or unreadable: the page's own fetch says why
        parser = RobotFileParser(robots_url)
        parser.parse(fetched.body.decode("utf-8", "replace").splitlines())
        delay = parser.crawl_delay(self.settings.user_agent)
        return _SiteRules(parser, delay=min(float(delay or 0), MAX_CRAWL_DELAY))

    def _follow(
        self, url: str, accept: frozenset[str], headers: dict[str, str], deadline: float, *, obey_robots: bool = True
    ) -> Fetched:
        current, seen = url, [url]
        for _hop in range(self.settings.max_redirects + 1):
            self.policy.check_url(current)
            if obey_robots and self.settings.obey_robots:  # every hop: a redirect may lead to another site
                self._rules(current).check(current, self.settings.user_agent)
            request = self._client.build_request("GET", current, headers=headers)
            response = self._client.send(request, stream=True)
            try:
                if response.status_code in REDIRECTS and "location" in response.headers:
                    current = urljoin(current, response.headers["location"])
                    if current in seen:
                        raise FetchError(f"redirect loop: {' -> '.join([*seen, current])}")
                    seen.append(current)
                    continue
                return self._read(url, current, response, accept, deadline)
            finally:
                response.close()
        raise FetchError(f"too many redirects (more than {self.settings.max_redirects}): {' -> '.join(seen)}")

    def _read(
        self, url: str, final_url: str, response: httpx.Response, accept: frozenset[str], deadline: float
    ) -> Fetched:
        if response.status_code == 304:
            return Fetched(url, final_url, 304, "", None, b"", *_validators(response))
        if response.status_code >= 400 or response.status_code < 200:
            raise HttpStatusError(response.status_code, response.reason_phrase)
        content_type, charset = parse_content_type(response.headers.get("content-type", ""))
        if content_type and content_type not in accept:
            raise FetchError(f"unexpected content type {content_type!r} (expected {', '.join(sorted(accept))})")
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.settings.max_bytes:
            raise FetchError(f"too large: {declared} bytes (limit {self.settings.max_bytes})")
        body = self._body(response, deadline)
        return Fetched(url, final_url, response.status_code, content_type, charset, body, *_validators(response))

    def _body(self, response: httpx.Response, deadline: float) -> bytes:
        """The (decoded) body, stopped as soon as it passes the size limit or the deadline."""
        chunks, size = [], 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > self.settings.max_bytes:
                raise FetchError(f"too large: more than {self.settings.max_bytes} bytes")
            if time.monotonic() > deadline:
                raise FetchError(f"too slow: not complete after {self.settings.deadline:g} s")
            chunks.append(chunk)
        return b"".join(chunks)


def guarded_transport(policy: UrlPolicy) -> httpx.HTTPTransport:
    """httpx's transport with the connection pool's network backend replaced by the guarded one.

    httpx has no public hook for the backend, so this reaches into its pool; the fetcher's tests
    fail loudly if a new httpx version moves it."""
    transport = httpx.HTTPTransport(retries=0)
    pool = getattr(transport, "_pool", None)
    if pool is None or not hasattr(pool, "_network_backend"):
        raise RuntimeError("this httpx version hides its network backend: the address guard cannot be installed")
    pool._network_backend = GuardedBackend(policy)
    return transport


def parse_content_type(value: str) -> tuple[str, str | None]:
    """``text/html; charset=ISO-8859-1`` -> ("text/html", "iso-8859-1")."""
    message = Message()
    message["content-type"] = value
    charset = message.get_param("charset")
    return (message.get_content_type() if value else "", str(charset).lower() if isinstance(charset, str) else None)


def _validators(response: httpx.Response) -> tuple[str | None, str | None]:
    return response.headers.get("etag"), response.headers.get("last-modified")
