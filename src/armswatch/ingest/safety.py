"""Which URLs the fetcher may ask for: a public http(s) address, not a page reserved for evaluation.

Anything that fetches on someone else's behalf (the API's URL ingestion, a feed whose items
link anywhere) could be pointed at the network it runs in: a cloud metadata service at
169.254.169.254, an admin page on 10.0.0.1, a database on localhost. So every address a host
name resolves to is checked when the connection is made (:class:`GuardedBackend`), on every
redirect hop, and anything that is not a public unicast address is refused unless the
configuration allows its network (the tests allow ``127.0.0.1/32``).

Pages reserved for evaluation are listed as ``sha256('armswatch-reserved-v1:' + URL)``; a URL
whose hash is listed is refused before any connection is made.
"""

from __future__ import annotations

import hashlib
import ipaddress
import os
import socket
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urlsplit

import httpcore

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

ALLOW_ENV = "ARMSWATCH_ALLOW_NETWORKS"  # comma-separated networks fetching may reach: "127.0.0.1/32,10.1.0.0/16"
RESERVED_ENV = "ARMSWATCH_RESERVED_URLS"  # a file of reserved-URL hashes; "none" turns the check off
RESERVED_SALT = "armswatch-reserved-v1:"
# Where the project's checkout keeps the evaluation's list (src/armswatch/ingest -> repo/../shared).
CHECKOUT_RESERVED_FILE = Path(__file__).resolve().parents[4] / "shared" / "eval" / "reserved-url-hashes.txt"


class UnsafeUrl(ValueError):
    """The URL may not be fetched; the message says why."""


def parse_networks(values: Iterable[str]) -> tuple[IPNetwork, ...]:
    """``127.0.0.1``, ``10.0.0.0/8``, ``::1``; raises ValueError naming a bad one."""
    networks = []
    for value in values:
        value = value.strip()
        if not value:
            continue
        try:
            networks.append(ipaddress.ip_network(value, strict=False))
        except ValueError:
            raise ValueError(f"not an IP network: {value!r} (write 127.0.0.1/32 or 10.0.0.0/8)") from None
    return tuple(networks)


def reserved_hash(url: str) -> str:
    return hashlib.sha256((RESERVED_SALT + url).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ReservedUrls:
    """The hashes of URLs that must not be gathered, and the file they came from."""

    hashes: frozenset[str] = frozenset()
    path: Path | None = None

    @classmethod
    def load(cls, path: Path) -> ReservedUrls:
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise ValueError(f"cannot read the reserved-URL list {path}: {exc.strerror or exc}") from None
        hashes = {line.strip().lower() for line in lines if line.strip() and not line.startswith("#")}
        return cls(frozenset(hashes), path)

    @classmethod
    def configured(cls, value: str | os.PathLike[str] | None = None) -> ReservedUrls:
        """The list named by ``value`` or ``ARMSWATCH_RESERVED_URLS`` ("none": no list), else the
        evaluation's list beside the checkout when there is one, else no list."""
        raw = str(value) if value is not None else os.environ.get(RESERVED_ENV, "")
        if raw.lower() == "none":
            return cls()
        if raw:
            return cls.load(Path(raw).expanduser())
        return cls.load(CHECKOUT_RESERVED_FILE) if CHECKOUT_RESERVED_FILE.is_file() else cls()

    def is_reserved(self, url: str) -> bool:
        if not self.hashes:
            return False
        without_fragment = urldefrag(url).url
        return any(reserved_hash(u) in self.hashes for u in {url, without_fragment})


@dataclass(frozen=True)
class UrlPolicy:
    """What fetching may reach: public addresses, plus the networks configuration allows."""

    allowed_networks: tuple[IPNetwork, ...] = ()
    reserved: ReservedUrls = field(default_factory=ReservedUrls)

    @classmethod
    def configured(
        cls, allow: Iterable[str] | None = None, reserved: str | os.PathLike[str] | None = None
    ) -> UrlPolicy:
        """From explicit values, else ``ARMSWATCH_ALLOW_NETWORKS`` and ``ARMSWATCH_RESERVED_URLS``."""
        networks = list(allow) if allow is not None else os.environ.get(ALLOW_ENV, "").split(",")
        return cls(parse_networks(networks), ReservedUrls.configured(reserved))

    def check_url(self, url: str) -> None:
        """Refuse what can be refused before connecting: the scheme, a missing host, a reserved page."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise UnsafeUrl(f"only http and https URLs are fetched, not {parts.scheme or 'a bare path'!r}")
        if not parts.hostname:
            raise UnsafeUrl("the URL names no host")
        if self.reserved.is_reserved(url):
            raise UnsafeUrl("the page is reserved for evaluation and is not gathered")

    def check_address(self, address: str) -> None:
        """Refuse an address that is not public unicast, unless an allowed network holds it."""
        ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone: fe80::1%eth0
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped  # ::ffff:10.0.0.1 is 10.0.0.1
        if any(ip in network for network in self.allowed_networks):
            return
        kind = address_kind(ip)
        if kind is not None:
            raise UnsafeUrl(
                f"refused: {ip} is a {kind} address (allow its network with --allow-network or {ALLOW_ENV})"
            )


def address_kind(ip: IPAddress) -> str | None:
    """Why an address is off limits (its kind), or None for a public unicast address."""
    checks = (
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("unspecified", ip.is_unspecified),
        ("private", ip.is_private),
        ("reserved", ip.is_reserved),
        ("non-global", not ip.is_global),  # shared address space (100.64/10) and the like
    )
    return next((name for name, hit in checks if hit), None)


class GuardedBackend(httpcore.SyncBackend):
    """httpcore's network backend, resolving each host itself and connecting only to vetted addresses.

    The check sits where the connection is made, so the address checked is the address used:
    a host name cannot resolve to a public address for the check and a private one for the
    connection, and every redirect hop passes through here."""

    def __init__(self, policy: UrlPolicy) -> None:
        self.policy = policy

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        addresses = resolve(host, port)
        for address in addresses:  # all of them: a name must not mix public and private answers
            self.policy.check_address(address)
        return super().connect_tcp(addresses[0], port, timeout, local_address, socket_options)


def resolve(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise httpcore.ConnectError(f"cannot resolve {host}: {exc.strerror or exc}") from None
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    if not addresses:
        raise httpcore.ConnectError(f"{host} resolves to no address")
    return addresses
