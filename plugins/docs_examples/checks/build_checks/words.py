"""Words as BuildKit reads them: variable expansion, key=value lists, image references, platforms, suggestions.

The build checks judge what BuildKit would do with a word, so this module follows the Dockerfile frontend's
shell lexer where it matters to a rule: ``$name`` and ``${name…}`` substitutions (every modifier), single
and double quotes, the escape character, and which names a word looked up and found or did not find.
Nothing is executed: a word is only read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

_NAME_START = re.compile(r"[A-Za-z_]")
_NAME_CHAR = re.compile(r"[A-Za-z0-9_]")
_SPECIAL = set("@*#?-$!0")


class BadSubstitution(ValueError):
    """A ``${…}`` the frontend refuses (``${}``, a missing ``}``, ``${x:?}`` on an unset name …)."""


@dataclass(slots=True)
class Expansion:
    """A word after expansion, with the names it looked up: set (``matched``) or not (``unmatched``)."""

    result: str
    matched: set[str] = field(default_factory=set)
    unmatched: set[str] = field(default_factory=set)


class _Lexer:
    """One pass over one word: BuildKit's ``ProcessWord`` for the parts the rules depend on."""

    def __init__(self, word: str, env: Mapping[str, str], escape: str, raw_quotes: bool) -> None:
        self.word = word
        self.pos = 0
        self.env = env
        self.escape = escape
        self.raw_quotes = raw_quotes  # heredoc contents: quotes are plain characters
        self.matched: set[str] = set()
        self.unmatched: set[str] = set()

    def peek(self) -> str:
        return self.word[self.pos] if self.pos < len(self.word) else ""

    def next(self) -> str:
        ch = self.peek()
        self.pos += 1 if ch else 0
        return ch

    def lookup(self, name: str) -> str | None:
        """The value of ``name``, remembering whether it was set; special parameters count as neither."""
        if name in self.env:
            self.matched.add(name)
            return self.env[name]
        if _NAME_START.match(name):
            self.unmatched.add(name)
        return None

    def until(self, stop: str = "") -> str:
        """Process characters up to ``stop`` (consumed) or the end."""
        out: list[str] = []
        while (ch := self.peek()) != "":
            if stop and ch == stop:
                self.next()
                return "".join(out)
            if ch == self.escape:
                self.next()
                out.append(self.next())
            elif ch == "'" and not self.raw_quotes:
                self.next()
                out.append(self._single_quoted())
            elif ch == '"' and not self.raw_quotes:
                self.next()
                out.append(self._double_quoted())
            elif ch == "$":
                out.append(self._dollar())
            else:
                out.append(self.next())
        if stop:
            raise BadSubstitution(f"missing '{stop}'")
        return "".join(out)

    def _single_quoted(self) -> str:
        end = self.word.find("'", self.pos)
        if end < 0:
            raise BadSubstitution("unexpected end of statement while looking for matching single-quote")
        text, self.pos = self.word[self.pos : end], end + 1
        return text

    def _double_quoted(self) -> str:
        out: list[str] = []
        while (ch := self.peek()) != '"':
            if ch == "":
                raise BadSubstitution("unexpected end of statement while looking for matching double-quote")
            if ch == "$":
                out.append(self._dollar())
                continue
            self.next()
            if ch == self.escape and self.peek() in ('"', "$", self.escape):
                ch = self.next()
            out.append(ch)
        self.next()
        return "".join(out)

    def _name(self) -> str:
        ch = self.peek()
        if ch.isdigit():
            start = self.pos
            while self.peek().isdigit():
                self.next()
            return self.word[start : self.pos]
        if ch in _SPECIAL:
            return self.next()
        start = self.pos
        while self.peek() and _NAME_CHAR.match(self.peek()):
            self.next()
        return self.word[start : self.pos]

    def _dollar(self) -> str:
        self.next()  # $
        if self.peek() != "{":
            name = self._name()
            if not name:
                return "$"
            return self.lookup(name) or ""
        self.next()  # {
        if self.peek() in ("", "{", "}", ":"):
            raise BadSubstitution("bad substitution")
        name = self._name()
        op = self.next()
        if op == "}":
            return self.lookup(name) or ""
        if op == ":":
            op += self.next()
        if op not in (":-", ":+", ":?", "-", "+", "?", "#", "%", "/"):
            raise BadSubstitution(f"unsupported modifier ({op}) in substitution")
        word = self.until("}")  # the word is processed first, so the names it uses are looked up too
        value = self.lookup(name)
        return _modify(name, value, op, word)


def _modify(name: str, value: str | None, op: str, word: str) -> str:
    """The value of ``${name<op>word}``."""
    empty = value is None or (op.startswith(":") and value == "")
    if op in (":-", "-"):
        return word if empty else str(value)
    if op in (":+", "+"):
        return "" if empty else word
    if op in (":?", "?"):
        if empty:
            raise BadSubstitution(f"{name}: {word or 'is not allowed to be unset'}")
        return str(value)
    text = value or ""
    if op == "/":
        every = word.startswith("/")  # ${x//pattern/replacement}
        pattern, _, replacement = (word[1:] if every else word).partition("/")
        if not pattern:
            return text
        return re.sub(_glob(pattern), lambda _m: replacement, text, count=0 if every else 1, flags=re.DOTALL)
    return _trim(text, op, word)


def _trim(text: str, op: str, word: str) -> str:
    """``${x#p}``, ``${x##p}``, ``${x%p}``, ``${x%%p}`` with a glob pattern."""
    longest = word[:1] == op
    pattern = word[1:] if longest else word
    regex = re.compile(_glob(pattern), re.DOTALL)
    cuts = range(len(text) + 1)
    if op == "#":
        for i in reversed(cuts) if longest else cuts:
            if regex.fullmatch(text[:i]):
                return text[i:]
    else:
        for i in cuts if longest else reversed(cuts):
            if regex.fullmatch(text[i:]):
                return text[:i]
    return text


def _glob(pattern: str) -> str:
    return "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)


def expand(word: str, env: Mapping[str, str], escape: str = "\\", *, raw_quotes: bool = False) -> Expansion:
    """``word`` with its variables substituted from ``env`` (raises :class:`BadSubstitution`)."""
    if not any(c in word for c in ("$", escape, *(() if raw_quotes else ("'", '"')))):
        return Expansion(word)  # nothing to substitute or unquote: most words
    lexer = _Lexer(word, env, escape, raw_quotes)
    result = lexer.until()
    return Expansion(result, lexer.matched, lexer.unmatched)


def try_expand(word: str, env: Mapping[str, str], escape: str = "\\", *, raw_quotes: bool = False) -> Expansion | None:
    """:func:`expand`, or None where the frontend would refuse the substitution (its build error, not a check's)."""
    try:
        return expand(word, env, escape, raw_quotes=raw_quotes)
    except BadSubstitution:
        return None


def split_words(text: str, escape: str = "\\") -> list[str]:
    """Whitespace-separated words, quotes and escapes kept, as the parser splits ``ENV``/``LABEL`` lists."""
    words: list[str] = []
    word: list[str] = []
    quote = ""
    i = 0
    while i < len(text):
        ch = text[i]
        if not quote and ch.isspace():
            if word:
                words.append("".join(word))
                word = []
        elif ch == escape and i + 1 < len(text) and quote != "'":
            word += [ch, text[i + 1]]
            i += 1
        else:
            if quote and ch == quote:
                quote = ""
            elif not quote and ch in "'\"":
                quote = ch
            word.append(ch)
        i += 1
    if word:
        words.append("".join(word))
    return words


def suggest(name: str, options: Iterable[str]) -> str | None:
    """The closest option within edit distance 2 (BuildKit's "did you mean"), first one on ties."""
    best, best_distance = None, 3
    for option in options:
        if option == name:
            return None
        distance = levenshtein(name, option)
        if distance < best_distance:
            best, best_distance = option, distance
    return best


def levenshtein(a: str, b: str) -> int:
    """Edit distance: insertions, deletions and substitutions cost 1."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


# -- image references (distribution/reference's grammar) ---------------------------------------------------

_ALNUM = r"[a-z0-9]+"
_SEPARATOR = r"(?:[._]|__|[-]+)"
_PATH_COMPONENT = rf"{_ALNUM}(?:{_SEPARATOR}{_ALNUM})*"
_DOMAIN_COMPONENT = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_DOMAIN = rf"(?:{_DOMAIN_COMPONENT}(?:\.{_DOMAIN_COMPONENT})*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?"
_TAG = r"[\w][\w.-]{0,127}"
_DIGEST = r"[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}"
_REFERENCE = re.compile(
    rf"(?P<name>(?:{_DOMAIN}/)?{_PATH_COMPONENT}(?:/{_PATH_COMPONENT})*)(?::{_TAG})?(?:@{_DIGEST})?"
)
_IDENTIFIER = re.compile(r"[a-f0-9]{64}")


def valid_image_reference(ref: str) -> bool:
    """Whether ``ref`` is an image reference ``docker pull`` accepts (``busybox:`` and ``""`` are not)."""
    if _IDENTIFIER.fullmatch(ref):
        return False
    first, slash, rest = ref.partition("/")
    has_domain = bool(slash) and (any(c in first for c in ".:") or first == "localhost" or first != first.lower())
    remainder = rest if has_domain else ref
    repository = remainder.split("@", 1)[0].split(":", 1)[0]
    if repository != repository.lower():
        return False
    full = ref if has_domain else f"docker.io/{ref if '/' in ref else 'library/' + ref}"
    match = _REFERENCE.fullmatch(full)
    return match is not None and len(match.group("name")) <= 255


# -- platforms (containerd's platforms.Parse, the parts a rule needs) --------------------------------------

_COMPONENT = re.compile(r"[A-Za-z0-9_.-]+")
_KNOWN_OS = {"aix", "android", "darwin", "dragonfly", "freebsd", "illumos", "ios", "js", "linux", "netbsd",
             "openbsd", "plan9", "solaris", "wasip1", "windows"}  # fmt: skip
_ARCH_ALIASES = {"x86_64": "amd64", "x86-64": "amd64", "aarch64": "arm64", "armhf": "arm", "armel": "arm",
                 "i386": "386", "i486": "386", "i586": "386", "i686": "386"}  # fmt: skip


def parse_platform(spec: str) -> tuple[str, str] | None:
    """(os, architecture) of a platform string such as ``linux/arm64/v8``; None when it does not parse."""
    parts = spec.split("/")
    if not 1 <= len(parts) <= 3 or not all(_COMPONENT.fullmatch(p) for p in parts):
        return None
    parts = [p.lower() for p in parts]
    if len(parts) == 1:
        # One word is an OS when it names one, else an architecture on the builder's OS (Linux here).
        return (parts[0], "amd64") if parts[0] in _KNOWN_OS else ("linux", _ARCH_ALIASES.get(parts[0], parts[0]))
    return parts[0], _ARCH_ALIASES.get(parts[1], parts[1])
