"""The Kubernetes value grammars: table tests of valid and invalid values, and quantity arithmetic."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from docs_examples.checks.kubernetes import validation as v


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("web", True),
        ("web-1", True),
        ("1st", True),
        ("a", True),
        ("a" * 63, True),
        ("a" * 64, False),
        ("Web", False),
        ("web_1", False),
        ("-web", False),
        ("web-", False),
        ("web.example", False),
        ("", False),
    ],
)
def test_dns1123_label(value: str, valid: bool) -> None:
    assert (v.dns1123_label(value) == []) is valid


@pytest.mark.parametrize(
    ("value", "valid"),
    [("web", True), ("web-1", True), ("1st-web", False), ("a" * 64, False), ("web-", False)],
)
def test_dns1035_label_must_start_with_a_letter(value: str, valid: bool) -> None:
    assert (v.dns1035_label(value) == []) is valid


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("example.com", True),
        ("my-app.v1", True),
        ("a." * 126 + "a", True),  # 253 characters
        ("a." * 127 + "a", False),  # 255 characters
        ("example..com", False),
        (".example", False),
        ("Example.com", False),
        ("process-item-$ITEM", False),
    ],
)
def test_dns1123_subdomain(value: str, valid: bool) -> None:
    assert (v.dns1123_subdomain(value) == []) is valid


def test_path_segment_names_allow_colons_but_not_slashes() -> None:
    assert v.path_segment_name("system:aggregate-to-edit") == []
    assert v.path_segment_name("a/b") == ["may not contain '/'"]
    assert v.path_segment_name("..") == ["may not be '..'"]
    assert v.path_segment_name("50%") == ["may not contain '%'"]


def test_generate_name_prefix_may_end_with_a_dash() -> None:
    assert v.prefix_name("web-", v.dns1123_subdomain) == []
    assert v.prefix_name("Web-", v.dns1123_subdomain) != []


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("app", True),
        ("App_Name.v1", True),
        ("app.kubernetes.io/name", True),
        ("example.com/a", True),
        ("a" * 63, True),
        ("a" * 64, False),
        ("example.com/" + "a" * 64, False),
        ("/name", False),
        ("example.com/", False),
        ("a/b/c", False),
        ("Example.com/name", False),
        ("-app", False),
        ("app_", False),
        ("", False),
    ],
)
def test_qualified_name(value: str, valid: bool) -> None:
    assert (v.qualified_name(value) == []) is valid


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("", True),
        ("web", True),
        ("My_Value.1", True),
        ("a" * 63, True),
        ("a" * 64, False),
        ("web-", False),
        ("a b", False),
    ],
)
def test_label_value(value: str, valid: bool) -> None:
    assert (v.label_value(value) == []) is valid


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("http", True),
        ("http-metrics", True),
        ("h2c", True),
        ("a" * 15, True),
        ("a" * 16, False),
        ("http-metrics-port", False),
        ("HTTP", False),
        ("http--alt", False),
        ("-http", False),
        ("http-", False),
        ("8080", False),
        ("http_alt", False),
    ],
)
def test_iana_svc_name(value: str, valid: bool) -> None:
    assert (v.iana_svc_name(value) == []) is valid


def test_port_numbers() -> None:
    assert v.port_number(1) == v.port_number(65535) == []
    assert v.port_number(0) and v.port_number(65536)


@pytest.mark.parametrize(
    ("value", "relaxed", "strict"),
    [
        ("MY_VAR", True, True),
        ("my.env-name", True, True),
        ("_x", True, True),
        ("1ST", True, False),
        ("MY VAR", True, False),
        ("a:b", True, False),
        ("..x", True, False),
        ("A=B", False, False),
        ("", False, False),
        ("naïve", False, False),
    ],
)
def test_env_var_names(value: str, relaxed: bool, strict: bool) -> None:
    assert (v.env_var_name(value) == []) is relaxed
    assert (v.strict_env_var_name(value) == []) is strict


def test_c_identifier() -> None:
    assert v.c_identifier("MY_VAR_1") == []
    assert v.c_identifier("1VAR") and v.c_identifier("MY-VAR")


@pytest.mark.parametrize(
    ("value", "amount"),
    [
        ("500m", Decimal("0.5")),
        ("1", Decimal(1)),
        (1, Decimal(1)),
        (0.5, Decimal("0.5")),
        ("1.5", Decimal("1.5")),
        ("1Ki", Decimal(1024)),
        ("1Mi", Decimal(1024**2)),
        ("1.5Gi", Decimal(3 * 1024**3 / 2)),
        ("2Ti", Decimal(2 * 1024**4)),
        ("1k", Decimal(1000)),
        ("1M", Decimal(10**6)),
        ("1G", Decimal(10**9)),
        ("1E", Decimal(10**18)),
        ("1e3", Decimal(1000)),
        ("1E-3", Decimal("0.001")),
        ("100n", Decimal("0.0000001")),
        ("10u", Decimal("0.00001")),
        (".5", Decimal("0.5")),
        ("-1", Decimal(-1)),
    ],
)
def test_parse_quantity(value: object, amount: Decimal) -> None:
    assert v.parse_quantity(value) == amount


@pytest.mark.parametrize(
    ("value", "hint"),
    [
        ("512MB", "did you mean 'M' or 'Mi'?"),
        ("1K", "did you mean 'k' or 'Ki'?"),
        ("2GiB", "did you mean 'Gi'?"),
        ("1 Gi", "expected a number"),
        ("abc", "expected a number"),
        ("1e", "unknown suffix 'e'"),
        (True, "expected a string or a number"),
        (None, "expected a string or a number"),
        ([1], "expected a string or a number"),
    ],
)
def test_bad_quantities_say_why(value: object, hint: str) -> None:
    with pytest.raises(v.QuantityError, match=re.escape(hint)):
        v.parse_quantity(value)


def test_quantities_compare_across_suffixes() -> None:
    assert v.parse_quantity("1Gi") > v.parse_quantity("1G")
    assert v.parse_quantity("1000m") == v.parse_quantity(1)
    assert v.parse_quantity("0.1") == v.parse_quantity("100m")


@given(st.from_regex(r"[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?", fullmatch=True))
def test_every_label_the_grammar_admits_is_valid_everywhere_a_label_is(label: str) -> None:
    assert v.dns1123_label(label) == []
    assert v.dns1123_subdomain(label) == []
    assert v.qualified_name(label) == []
    assert v.label_value(label) == []


@given(st.text(max_size=80))
def test_validators_never_raise(text: str) -> None:
    for check in (v.dns1123_label, v.dns1123_subdomain, v.qualified_name, v.label_value, v.iana_svc_name):
        assert isinstance(check(text), list)
    try:
        assert isinstance(v.parse_quantity(text), Decimal)
    except v.QuantityError as exc:
        assert str(exc).startswith(repr(text))
