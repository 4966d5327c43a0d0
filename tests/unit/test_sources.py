"""The per-IP limit counts what one caller controls: an IPv4 address, or an IPv6 /64."""

from __future__ import annotations

import ipaddress

from hypothesis import given, settings
from hypothesis import strategies as st

from warm_intro.services.intake import network

prefixes = st.integers(0, 2**64 - 1)
hosts = st.integers(0, 2**64 - 1)


def v6(prefix: int, host: int) -> str:
    return str(ipaddress.IPv6Address((prefix << 64) | host))


@settings(max_examples=200, deadline=None)
@given(prefixes, hosts, hosts)
def test_every_address_in_one_64_counts_as_one(prefix, one, two):
    assert network(v6(prefix, one)) == network(v6(prefix, two))


@settings(max_examples=200, deadline=None)
@given(prefixes, prefixes, hosts)
def test_addresses_in_different_64s_count_apart(a, b, host):
    assert (network(v6(a, host)) == network(v6(b, host))) == (a == b)


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_ipv4_counts_per_address_even_when_mapped_into_ipv6(number):
    four = ipaddress.IPv4Address(number)
    assert network(str(four)) == network(f"::ffff:{four}") == str(four)


def test_spellings_of_one_ipv6_address_count_as_one():
    assert network("2001:DB8::1") == network("2001:0db8:0000:0000:0000:0000:0000:0001") == "2001:db8::/64"
