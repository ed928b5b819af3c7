"""Kubernetes value grammars: DNS names, qualified names, label values, port names, env names, quantities.

Written from the Kubernetes API conventions (``docs/design/identifiers.md``, ``api-conventions.md``) and
the documented messages of the API server. Every validator returns a list of human-readable problems,
empty when the value is valid, so a caller can join them into one finding. Only the standard library is
used: the rules table in the docs imports this module.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation

DNS1123_LABEL_MAX = 63
DNS1123_SUBDOMAIN_MAX = 253
QUALIFIED_NAME_MAX = 63
LABEL_VALUE_MAX = 63
IANA_SVC_NAME_MAX = 15
TOTAL_ANNOTATION_SIZE = 256 * 1024

_DNS1123_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?")
_DNS1035_LABEL = re.compile(r"[a-z]([-a-z0-9]*[a-z0-9])?")
_DNS1123_SUBDOMAIN = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")
_QUALIFIED_NAME_PART = re.compile(r"([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]")
_LABEL_VALUE = re.compile(r"(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?")
_IANA_SVC_NAME = re.compile(r"[-a-z0-9]+")
_HAS_LETTER = re.compile(r"[a-z]")
_C_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_STRICT_ENV_NAME = re.compile(r"[-._a-zA-Z][-._a-zA-Z0-9]*")


def _too_long(value: str, limit: int) -> list[str]:
    """The length problem, if any."""
    return [f"must be no more than {limit} characters (has {len(value)})"] if len(value) > limit else []


def _bounded(value: str, limit: int, pattern: re.Pattern[str], grammar: str) -> list[str]:
    """The length problem, then ``grammar`` (what the value must be) when ``pattern`` does not match."""
    return _too_long(value, limit) + ([] if pattern.fullmatch(value) else [grammar])


def dns1123_label(value: str) -> list[str]:
    """RFC 1123 label: lower-case alphanumerics and ``-``, alphanumeric at both ends, at most 63."""
    return _bounded(
        value,
        DNS1123_LABEL_MAX,
        _DNS1123_LABEL,
        "must be a lowercase RFC 1123 label: lower-case letters, digits and '-', "
        "starting and ending with a letter or digit (e.g. 'my-name' or '123-abc')",
    )


def dns1035_label(value: str) -> list[str]:
    """RFC 1035 label: like an RFC 1123 label but starting with a letter (Service names)."""
    return _bounded(
        value,
        DNS1123_LABEL_MAX,
        _DNS1035_LABEL,
        "must be an RFC 1035 label: lower-case letters, digits and '-', starting with a letter "
        "and ending with a letter or digit (e.g. 'my-name' or 'abc-123')",
    )


def dns1123_subdomain(value: str) -> list[str]:
    """RFC 1123 subdomain: dot-separated RFC 1123 labels, at most 253 characters."""
    return _bounded(
        value,
        DNS1123_SUBDOMAIN_MAX,
        _DNS1123_SUBDOMAIN,
        "must be a lowercase RFC 1123 subdomain: lower-case letters, digits, '-' and '.', "
        "starting and ending with a letter or digit (e.g. 'example.com')",
    )


def path_segment_name(value: str) -> list[str]:
    """A name usable as one URL path segment (RBAC objects): no ``/`` or ``%``, not ``.`` or ``..``."""
    if value in {".", ".."}:
        return [f"may not be '{value}'"]
    return [f"may not contain '{c}'" for c in "/%" if c in value]


def prefix_name(value: str, check: Callable[[str], list[str]]) -> list[str]:
    """``metadata.generateName``: the validator ``check`` applied with a trailing ``-`` allowed."""
    masked = value[:-1] + "a" if value.endswith("-") else value
    return check(masked)


def qualified_name(value: str) -> list[str]:
    """A label or annotation key: an optional DNS-subdomain prefix and ``/``, then a name of at most 63.

    The name part is alphanumerics, ``-``, ``_`` and ``.``, alphanumeric at both ends.
    """
    parts = value.split("/")
    if len(parts) == 1:
        name = parts[0]
        problems: list[str] = []
    elif len(parts) == 2:
        prefix, name = parts
        if not prefix:
            problems = ["prefix part must be non-empty"]
        else:
            problems = [f"prefix part {p}" for p in dns1123_subdomain(prefix)]
    else:
        return [
            "a qualified name must be a name with an optional DNS subdomain prefix and '/' "
            "(e.g. 'MyName' or 'example.com/MyName'); it has more than one '/'"
        ]
    if not name:
        problems.append("name part must be non-empty")
        return problems
    if len(name) > QUALIFIED_NAME_MAX:
        problems.append(f"name part must be no more than {QUALIFIED_NAME_MAX} characters (has {len(name)})")
    if not _QUALIFIED_NAME_PART.fullmatch(name):
        problems.append(
            "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end "
            "with an alphanumeric character (e.g. 'MyName', 'my.name' or '123-abc')"
        )
    return problems


def label_value(value: str) -> list[str]:
    """A label value: empty, or at most 63 alphanumerics, ``-``, ``_``, ``.``, alphanumeric at both ends."""
    return _bounded(
        value,
        LABEL_VALUE_MAX,
        _LABEL_VALUE,
        "a label value must be empty or consist of alphanumeric characters, '-', '_' or '.', and "
        "must start and end with an alphanumeric character (e.g. 'MyValue', 'my_value' or '12345')",
    )


def iana_svc_name(value: str) -> list[str]:
    """A port name (IANA_SVC_NAME): at most 15 lower-case alphanumerics and ``-``, with at least one letter.

    ``-`` may not start or end the name, and two ``-`` may not be adjacent.
    """
    problems = _bounded(
        value, IANA_SVC_NAME_MAX, _IANA_SVC_NAME, "must contain only lower-case letters, digits and '-' (IANA_SVC_NAME)"
    )
    if "--" in value:
        problems.append("must not contain consecutive hyphens")
    if value and not _HAS_LETTER.search(value):
        problems.append("must contain at least one letter (a-z)")
    if value.startswith("-") or value.endswith("-"):
        problems.append("must not begin or end with a hyphen")
    return problems


def port_number(value: int) -> list[str]:
    """A TCP/UDP port: 1 to 65535 inclusive."""
    return [] if 1 <= value <= 65535 else ["must be between 1 and 65535, inclusive"]


def c_identifier(value: str) -> list[str]:
    """A C identifier: a letter or ``_``, then letters, digits and ``_``."""
    if _C_IDENTIFIER.fullmatch(value):
        return []
    return ["must be a C identifier: letters, digits and '_', not starting with a digit (e.g. 'MY_NAME')"]


def env_var_name(value: str) -> list[str]:
    """An environment variable name as Kubernetes 1.34 and later accept it.

    Any printable ASCII character except ``=`` (the relaxed validation that became the default in 1.34).
    """
    if not value:
        return ["must not be empty"]
    bad = sorted({c for c in value if not (" " <= c <= "~") or c == "="})
    if bad:
        shown = ", ".join(repr(c) for c in bad)
        return [f"must consist only of printable ASCII characters other than '=' (has {shown})"]
    return []


def strict_env_var_name(value: str) -> list[str]:
    """An environment variable name as Kubernetes before 1.34 accepts it: ``[-._a-zA-Z][-._a-zA-Z0-9]*``.

    The name also may not be ``.``, ``..`` or start with ``..``.
    """
    problems = []
    if not _STRICT_ENV_NAME.fullmatch(value):
        problems.append(
            "must consist of letters, digits, '_', '-' or '.', and must not start with a digit "
            "(e.g. 'my.env-name' or 'MY_ENV.NAME')"
        )
    if value in {".", ".."}:
        problems.append(f"must not be '{value}'")
    elif value.startswith(".."):
        problems.append("must not start with '..'")
    return problems


# -- quantities -------------------------------------------------------------------------------------------

_QUANTITY = re.compile(r"([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))([a-zA-Z]*|[eE][+-]?[0-9]+)")
_BINARY = {"Ki": 1, "Mi": 2, "Gi": 3, "Ti": 4, "Pi": 5, "Ei": 6}
_DECIMAL = {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}


class QuantityError(ValueError):
    """A value that is not a Kubernetes resource quantity."""


def parse_quantity(value: object) -> Decimal:
    """The exact amount a resource quantity stands for (``500m`` → 0.5, ``1Gi`` → 1073741824).

    Accepts what the API accepts: a signed decimal number followed by a binary suffix (Ki … Ei), a
    decimal suffix (n, u, m, k, M, G, T, P, E) or a decimal exponent (``1e3``, ``1E-3``). YAML integers and
    floats are numbers without a suffix. Raises :class:`QuantityError` with a reason otherwise.
    """
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise QuantityError(f"{value!r} is not a quantity: expected a string or a number")
    text = repr(value) if isinstance(value, float) else str(value)
    match = _QUANTITY.fullmatch(text)
    if not match:
        raise QuantityError(
            f"{text!r} is not a quantity: expected a number with an optional suffix "
            "(m, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei or an exponent such as e3)"
        )
    number, suffix = match.groups()
    try:
        amount = Decimal(number)
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits only decimal numbers
        raise QuantityError(f"{text!r} is not a quantity") from exc
    if suffix in _BINARY:
        return amount * (Decimal(1024) ** _BINARY[suffix])
    if suffix in _DECIMAL:
        return amount.scaleb(_DECIMAL[suffix])
    if suffix[:1] in {"e", "E"} and len(suffix) > 1 and suffix[1:].lstrip("+-").isdigit():
        return amount.scaleb(int(suffix[1:]))
    raise QuantityError(f"{text!r} is not a quantity: unknown suffix {suffix!r}{_suffix_hint(suffix)}")


def _suffix_hint(suffix: str) -> str:
    """A suggestion for the suffixes people write by habit (``K``, ``MB``, ``GiB``)."""
    if suffix == "K":
        return " (did you mean 'k' or 'Ki'?)"
    stem = suffix.removesuffix("B").removesuffix("b")
    if stem in _BINARY:
        return f" (did you mean {stem!r}?)"
    if stem.upper() in {"K", "M", "G", "T", "P", "E"} and stem != suffix:
        decimal = "k" if stem.upper() == "K" else stem.upper()
        return f" (did you mean {decimal!r} or {stem.upper() + 'i'!r}?)"
    return ""
