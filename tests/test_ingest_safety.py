"""Which URLs may be fetched: public addresses only (unless allowed), never a reserved page.

Private and link-local addresses are checked as values only: no test connects to them."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from armswatch.ingest.safety import (
    CHECKOUT_RESERVED_FILE,
    ReservedUrls,
    UnsafeUrl,
    UrlPolicy,
    parse_networks,
    reserved_hash,
)

OFF_LIMITS = {
    "10.0.0.1": "private",
    "172.16.5.4": "private",
    "192.168.1.1": "private",
    "127.0.0.1": "loopback",
    "::1": "loopback",
    "169.254.169.254": "link-local",  # cloud metadata services live here
    "fe80::1%eth0": "link-local",
    "224.0.0.1": "multicast",
    "ff02::1": "multicast",
    "0.0.0.0": "unspecified",
    "100.64.0.1": "non-global",  # carrier-grade NAT
    "::ffff:10.0.0.1": "private",  # an IPv4-mapped private address is still private
    "fc00::1": "private",
}


@pytest.mark.parametrize(("address", "kind"), OFF_LIMITS.items())
def test_addresses_off_limits_are_refused_with_their_kind(address: str, kind: str) -> None:
    with pytest.raises(UnsafeUrl, match=f"is a {kind} address"):
        UrlPolicy().check_address(address)


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:4700::1111", "8.8.8.8"])
def test_public_addresses_pass(address: str) -> None:
    UrlPolicy().check_address(address)


def test_an_allowed_network_admits_its_addresses_only() -> None:
    policy = UrlPolicy(parse_networks(["127.0.0.1/32"]))
    policy.check_address("127.0.0.1")
    with pytest.raises(UnsafeUrl, match=r"127\.0\.0\.2 is a loopback"):
        policy.check_address("127.0.0.2")


@given(st.ip_addresses(v=4, network="10.0.0.0/8") | st.ip_addresses(v=4, network="192.168.0.0/16"))
def test_every_private_v4_address_is_refused(ip: ipaddress.IPv4Address) -> None:
    with pytest.raises(UnsafeUrl):
        UrlPolicy().check_address(str(ip))


@given(st.ip_addresses(v=6, network="fe80::/10"))
def test_every_link_local_v6_address_is_refused(ip: ipaddress.IPv6Address) -> None:
    with pytest.raises(UnsafeUrl):
        UrlPolicy().check_address(str(ip))


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://example.org/a", "only http and https"),
        ("file:///etc/passwd", "only http and https"),
        ("http:///nohost", "names no host"),
        ("example.org/a", "only http and https"),
    ],
)
def test_urls_refused_before_any_connection(url: str, reason: str) -> None:
    with pytest.raises(UnsafeUrl, match=reason):
        UrlPolicy().check_url(url)


def test_bad_network_values_are_named() -> None:
    with pytest.raises(ValueError, match="not an IP network: 'localhost'"):
        parse_networks(["localhost"])


def test_reserved_pages_are_refused_by_hash(tmp_path: Path) -> None:
    listed = "https://news.example/reserved-story"
    path = tmp_path / "reserved.txt"
    path.write_text(f"# comment\n{reserved_hash(listed)}\n", encoding="utf-8")
    policy = UrlPolicy(reserved=ReservedUrls.load(path))
    for url in (listed, listed + "#comments"):
        with pytest.raises(UnsafeUrl, match="reserved for evaluation"):
            policy.check_url(url)
    policy.check_url("https://news.example/another-story")


def test_reserved_list_configuration(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARMSWATCH_RESERVED_URLS", "none")
    assert ReservedUrls.configured().hashes == frozenset()
    monkeypatch.setenv("ARMSWATCH_RESERVED_URLS", str(tmp_path / "missing.txt"))
    with pytest.raises(ValueError, match="cannot read the reserved-URL list"):
        ReservedUrls.configured()
    monkeypatch.delenv("ARMSWATCH_RESERVED_URLS")
    default = ReservedUrls.configured()
    if CHECKOUT_RESERVED_FILE.is_file():  # the evaluation's list beside the checkout is the default
        assert default.path == CHECKOUT_RESERVED_FILE and len(default.hashes) > 0
    else:
        assert default.hashes == frozenset()
