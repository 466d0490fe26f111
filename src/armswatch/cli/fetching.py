"""The options every command that fetches shares: which networks it may reach, which pages it must not."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from armswatch.ingest.web import Fetcher

AllowOption = Annotated[
    list[str] | None,
    typer.Option(
        "--allow-network",
        help="A private, loopback or link-local network fetching may reach (127.0.0.1/32, 10.0.0.0/8); "
        "repeat for more. Default: public addresses only (or ARMSWATCH_ALLOW_NETWORKS, comma-separated).",
        show_default=False,
    ),
]
ReservedOption = Annotated[
    str | None,
    typer.Option(
        "--reserved-urls",
        help="File of sha256 hashes of pages reserved for evaluation, which are never gathered; 'none' for no list. "
        "Default: ARMSWATCH_RESERVED_URLS, else ../shared/eval/reserved-url-hashes.txt beside the checkout.",
        show_default=False,
    ),
]

TimeoutOption = Annotated[
    float | None,
    typer.Option(
        "--timeout",
        min=0.01,
        envvar="ARMSWATCH_FETCH_TIMEOUT",
        help="Seconds to wait for a server to connect or to send more; a whole fetch gets four times this. "
        "Default: 15.",
        show_default=False,
    ),
]

IgnoreRobotsOption = Annotated[
    bool,
    typer.Option(
        "--ignore-robots",
        envvar="ARMSWATCH_IGNORE_ROBOTS",
        help="Do not read the sites' robots.txt (only for sites you run or may crawl regardless). "
        "Default: their disallowed paths are not fetched and their Crawl-delay is kept.",
    ),
]


def make_fetcher(
    allow: list[str] | None, reserved: str | None, timeout: float | None, *, ignore_robots: bool = False
) -> Fetcher:
    """A fetcher under the configured policy, or exit with a one-line error naming the bad value."""
    import dataclasses

    from armswatch.ingest.safety import UrlPolicy
    from armswatch.ingest.web import Fetcher, FetchSettings

    try:
        policy = UrlPolicy.configured(allow=_split(allow) if allow else None, reserved=reserved)
    except ValueError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    settings = dataclasses.replace(FetchSettings.with_timeout(timeout), obey_robots=not ignore_robots)
    return Fetcher(policy, settings)


def _split(values: list[str]) -> list[str]:
    return [part for value in values for part in value.split(",")]
