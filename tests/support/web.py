"""A real HTTP server on 127.0.0.1, run in a thread, serving pages and feeds written by the tests,
and misbehaving on request: errors, hangs, redirect loops, huge bodies, wrong content types.

Every request is counted by path, and the request headers are kept, so tests can assert what
was (or was not) fetched. Hangs are bounded, so the server always shuts down.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

CHUNK = 64 * 1024
ALLOW_LOCAL = ["--allow-network", "127.0.0.1/32", "--reserved-urls", "none"]  # CLI options for this server


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before anything is sent (a hanging server)
    stream_bytes: int = 0  # a body of this many bytes, streamed without a length, instead of ``body``
    etag: str | None = None  # answer 304 to a request that sends it back


Route = Reply | Callable[[dict[str, str]], Reply]


class TestSite:
    """Routes by path; ``hits`` counts requests, ``headers`` keeps the last request's headers per path."""

    __test__ = False  # not a test class, despite the name

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: Counter[str] = Counter()
        self.headers: dict[str, dict[str, str]] = {}
        self.port = 0
        self._lock = threading.Lock()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return self.base + path

    def page(self, path: str, html: str, **reply: object) -> str:
        self.routes[path] = Reply(body=html.encode("utf-8"), **reply)  # type: ignore[arg-type]
        return self.url(path)

    def redirect(self, path: str, to: str, status: int = 302) -> str:
        self.routes[path] = Reply(status=status, headers={"Location": to})
        return self.url(path)

    def reply_for(self, path: str, headers: dict[str, str]) -> Reply:
        with self._lock:
            self.hits[path] += 1
            self.headers[path] = headers
        route = self.routes.get(path)
        if route is None:
            return Reply(status=404, body=b"not found", content_type="text/plain")
        return route(headers) if callable(route) else route


def _handler(site: TestSite) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self._reply()  # the client may give up (a limit, a timeout), as the tests intend

        def _reply(self) -> None:
            reply = site.reply_for(self.path, {k.lower(): v for k, v in self.headers.items()})
            if reply.delay:
                time.sleep(reply.delay)
            if reply.etag is not None and self.headers.get("If-None-Match") == reply.etag:
                self.send_response(304)
                self.send_header("ETag", reply.etag)
                self.end_headers()
                return
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.content_type)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            if reply.etag is not None:
                self.send_header("ETag", reply.etag)
            if reply.stream_bytes:
                self.end_headers()  # no length: the body ends when the connection closes
                self._stream(reply.stream_bytes)
                return
            if "Content-Length" not in reply.headers:
                self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            self.wfile.write(reply.body)

        def _stream(self, size: int) -> None:
            chunk = b"<p>" + b"x" * (CHUNK - 8) + b"</p>\n"
            for _ in range(size // len(chunk)):
                self.wfile.write(chunk)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


@contextmanager
def serve_site() -> Iterator[TestSite]:
    site = TestSite()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(site))
    server.daemon_threads = True
    server.block_on_close = False  # a handler still sleeping in a hang must not hold up shutdown
    site.port = int(server.server_address[1])
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()


def article_html(title: str, body: str, published: str | None = "2024-03-05") -> str:
    """A news page with navigation and a footer around the article, as sites have."""
    meta = f'<meta property="article:published_time" content="{published}T09:00:00Z">' if published else ""
    paragraphs = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
    return (
        f"<!doctype html><html><head><title>{title} | Test Gazette</title>{meta}</head><body>"
        "<nav><a href='/'>Home</a> | <a href='/world'>World</a> | <a href='/sport'>Sport</a></nav>"
        f"<article><h1>{title}</h1>{paragraphs}</article>"
        "<footer>Copyright Test Gazette. All rights reserved.</footer></body></html>"
    )


def rss(items: list[tuple[str, str, str]], title: str = "Test Gazette: World") -> str:
    """An RSS 2.0 document; items are (guid, link, title)."""
    entries = "".join(
        f"<item><guid>{guid}</guid><link>{link}</link><title>{item_title}</title>"
        "<pubDate>Tue, 05 Mar 2024 09:00:00 GMT</pubDate></item>"
        for guid, link, item_title in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{title}</title><link>https://gazette.example/</link><description>News</description>"
        f"{entries}</channel></rss>"
    )
