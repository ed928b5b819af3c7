"""YAML as the Kubernetes API server reads it, with a line and column for every value: the one YAML reader
with positions that every check uses (Kubernetes, Compose, Kustomize, Prometheus, plain YAML).

PyYAML's ``safe_load`` keeps the last of two duplicate keys without a word and forgets where every value
was. This loader composes the node tree first (every node carries its ``start_mark``), reports duplicate
keys, then constructs plain Python data from the same nodes, so a JSON path from a schema validator can be
mapped back to the line of the key or value it names.

Dialect decisions, matching what ``kubectl`` (Go, YAML 1.1 via sigs.k8s.io/yaml) accepts:

- anchors, aliases and merge keys (``<<:``) work; ``---`` and a ``...`` document-end line work;
- mapping keys become strings, as the YAML-to-JSON conversion of the API machinery makes them;
- timestamps stay strings (JSON has no timestamp), and unknown local tags (``!Ref``) load as their value;
- ``\\'`` inside a double-quoted scalar is accepted by Go's parser but is an error for PyYAML: the loader
  drops the backslash and loads again, and reports nothing (an example ``kubectl`` accepts is not broken);
- empty documents (a lone ``---``) are left out of the returned list; ``Document.index`` still counts them.

Nothing here raises: a syntax error, undecodable input or nesting too deep becomes a :class:`YamlProblem`,
and the documents before it are still returned.

Limits (issue 15), checked on each composed document before any data is built from it: composing never
expands an alias (an alias shares its anchor's node), so a 740-byte "billion laughs" costs a few hundred
nodes here, and is refused before a consumer (a schema validator, ``str()``, a JSON encoder) could expand
it. :func:`limit_problem` is the same check for anyone who reads YAML some other way (classification, front
matter, a tool run on the text).
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

SYNTAX = "yaml-syntax"
DUPLICATE = "duplicate-key"
_MAX_ESCAPE_RETRIES = 200
_MERGE_TAG = "tag:yaml.org,2002:merge"
_MEMO_LENGTH = 64  # plain scalars up to this length have their resolved tag memoised
_MEMO_ENTRIES = 50_000  # the memo is emptied when it grows past this


@dataclass(slots=True)
class YamlProblem:
    """A YAML error at a 1-based line and column of the text given to :func:`load`."""

    line: int
    column: int
    message: str
    rule: str = SYNTAX
    first_line: int = field(default=0, compare=False)  # a duplicate key's first occurrence (1-based)


@dataclass(slots=True)
class Document:
    """One YAML document: its plain data and the node tree that knows where every value is."""

    index: int  # 0-based within the block, counting empty documents
    data: Any
    start_line: int  # 1-based line of the document's first content line
    node: Node | None = field(default=None, repr=False, compare=False)

    def line_of(self, path: Sequence[str | int], *, key: bool = False) -> int:
        """1-based line of the value at ``path`` (of its key with ``key=True``).

        For a path that does not exist, the line of the nearest existing ancestor, so that "missing
        required field" lands on the parent's line.
        """
        return _mark_of(self, path, key=key)[0]

    def column_of(self, path: Sequence[str | int], *, key: bool = False) -> int:
        """1-based column of the value at ``path`` (of its key with ``key=True``); see :meth:`line_of`."""
        return _mark_of(self, path, key=key)[1]

    def position_of(self, path: Sequence[str | int], *, key: bool = False) -> tuple[int, int]:
        """``(line, column)`` of the value at ``path``, both 1-based; see :meth:`line_of`."""
        return _mark_of(self, path, key=key)

    def exists(self, path: Sequence[str | int]) -> bool:
        """Whether ``path`` names a node of this document."""
        return _walk(self.node, path)[2] == len(path)

    def node_at(self, path: Sequence[str | int]) -> Node | None:
        """The node at ``path`` (the value, or the list item itself), None when the path does not exist.

        For checks that need the YAML text of a value (``"~"`` rather than ``None``) or its kind of node.
        """
        _, value_node, depth = _walk(self.node, path)
        return value_node if depth == len(path) else None


# -- locating -------------------------------------------------------------------------------------------


def _child(node: Node, segment: str | int) -> tuple[Node, Node] | None:
    """``(key node, value node)`` of ``segment`` under ``node``; the key node of a list item is the item."""
    if isinstance(node, MappingNode):
        found = None
        for k, v in node.value:  # the last occurrence wins, as in the constructed data
            if isinstance(k, ScalarNode) and _key_text(k) == str(segment):
                found = (k, v)
        return found
    if isinstance(node, SequenceNode):
        try:
            i = int(segment)
        except (TypeError, ValueError):
            return None
        if 0 <= i < len(node.value):
            return node.value[i], node.value[i]
    return None


def _walk(node: Node | None, path: Sequence[str | int]) -> tuple[Node | None, Node | None, int]:
    """Follow ``path`` as far as it goes: ``(key node, value node, segments matched)``."""
    key_node, current, depth = None, node, 0
    for segment in path:
        if current is None:
            break
        pair = _child(current, segment)
        if pair is None:
            break
        key_node, current = pair
        depth += 1
    return key_node, current, depth


def _mark_of(doc: Document, path: Sequence[str | int], *, key: bool) -> tuple[int, int]:
    if doc.node is None:
        return doc.start_line, 1
    key_node, value_node, depth = _walk(doc.node, path)
    if depth < len(path):  # missing: the parent's key line (or the document start)
        target = key_node if key_node is not None else value_node
    else:
        target = key_node if key and key_node is not None else value_node
    if target is None:
        return doc.start_line, 1
    return target.start_mark.line + 1, target.start_mark.column + 1


# -- constructing ---------------------------------------------------------------------------------------


def _key_text(node: ScalarNode) -> str:
    """A scalar key as the API machinery sees it: the JSON string of its YAML value."""
    if node.tag == "tag:yaml.org,2002:bool":
        return "true" if node.value.lower() in {"yes", "true", "on", "y"} else "false"
    if node.tag == "tag:yaml.org,2002:null":
        return "null"
    return str(node.value)


key_text = _key_text  # for modules that walk nodes themselves (partial examples)


if TYPE_CHECKING:  # a mixin for both PyYAML loaders: typed as the pure-Python one, a plain class at run time
    _LoaderBase = yaml.SafeLoader
else:
    _LoaderBase = object


class _JsonLike(_LoaderBase):
    """Constructor overrides that make the data JSON-like: string keys, timestamps as text.

    Also a memo of the implicit tag of short plain scalars: the parser asks for the tag of every scalar
    (a regular-expression search each time), and manifests repeat the same keys and values.
    """

    _resolved: dict[str, str]  # per loader class, set below

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        """The tag of a node, as PyYAML's resolver gives it; plain scalars under 64 characters memoised.

        Without path resolvers (none is registered), only a plain scalar's tag depends on its text.
        """
        if self.yaml_path_resolvers:
            return self._resolve(kind, value, implicit)
        if kind is SequenceNode:
            return self.DEFAULT_SEQUENCE_TAG
        if kind is MappingNode:
            return self.DEFAULT_MAPPING_TAG
        if not implicit[0]:  # quoted, or a block scalar
            return self.DEFAULT_SCALAR_TAG
        if len(value) > _MEMO_LENGTH:
            return self._resolve(kind, value, implicit)
        memo = self._resolved
        tag = memo.get(value)
        if tag is None:
            if len(memo) > _MEMO_ENTRIES:
                memo.clear()
            tag = memo[value] = self._resolve(kind, value, implicit)
        return tag

    def _resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        """PyYAML's own resolver (untyped in its stubs)."""
        tag: str = super().resolve(kind, value, implicit)  # type: ignore[no-untyped-call]
        return tag

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[str, Any]:  # type: ignore[override]
        self.flatten_mapping(node)
        data: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if isinstance(key_node, ScalarNode):
                key = _key_text(key_node)
            else:
                key = str(self.construct_object(key_node, deep=True))
            data[key] = self.construct_object(value_node, deep=deep)
        return data

    def construct_yaml_map(self, node: MappingNode) -> Iterator[dict[str, Any]]:  # type: ignore[override]
        data: dict[str, Any] = {}
        yield data
        data.update(self.construct_mapping(node))


def _as_text(loader: yaml.SafeLoader, node: Node) -> Any:
    return loader.construct_scalar(node) if isinstance(node, ScalarNode) else None


def _untagged(loader: Any, suffix: str, node: Node) -> Any:
    """A local tag (``!Ref``, ``!include``): load the value under it as if it had no tag."""
    if isinstance(node, MappingNode):
        return loader.construct_mapping(node, deep=True)
    if isinstance(node, SequenceNode):
        return loader.construct_sequence(node, deep=True)
    return loader.construct_scalar(node)


class _Loader(_JsonLike, yaml.SafeLoader):
    """Pure-Python reader: slow, but deep nesting ends in a RecursionError, never a crash."""


_LOADERS: list[type] = [_Loader]
if getattr(yaml, "__with_libyaml__", False):

    class _FastLoader(_JsonLike, yaml.CSafeLoader):
        """libyaml reader, about six times faster; only for text that cannot nest deep enough to hurt."""

    _LOADERS.append(_FastLoader)
for _cls in _LOADERS:
    _cls._resolved = {}  # type: ignore[attr-defined]
    _cls.add_constructor("tag:yaml.org,2002:map", _cls.construct_yaml_map)  # type: ignore[attr-defined]
    _cls.add_constructor("tag:yaml.org,2002:timestamp", _as_text)  # type: ignore[attr-defined]
    _cls.add_constructor("tag:yaml.org,2002:binary", _as_text)  # type: ignore[attr-defined]
    _cls.add_multi_constructor("!", _untagged)  # type: ignore[attr-defined]

# libyaml recurses in C without a limit: nesting is bounded by the longest line (block style) plus the
# number of flow brackets, so text under these bounds cannot overflow the C stack.
_FAST_MAX_LINE = 2000
_FAST_MAX_BRACKETS = 2000


def _loader_for(text: str) -> type:
    """The fast loader when the text cannot nest deeply, the pure-Python one otherwise."""
    if len(_LOADERS) == 1:
        return _Loader
    if text.count("[") + text.count("{") > _FAST_MAX_BRACKETS:
        return _Loader
    if len(text) > _FAST_MAX_LINE and max(map(len, text.split("\n"))) > _FAST_MAX_LINE:
        return _Loader
    return _LOADERS[-1]


# -- checking -------------------------------------------------------------------------------------------


def _children(node: Node) -> list[Node]:
    if isinstance(node, MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, SequenceNode):
        return list(node.value)
    return []


def _cycle(root: Node) -> Node | None:
    """A collection that contains itself through an alias (``a: &x [*x]``), which JSON cannot hold."""
    state: dict[int, int] = {}  # 1 = on the current path, 2 = done
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, leaving = stack.pop()
        if leaving:
            state[id(node)] = 2
            continue
        if state.get(id(node)) == 2:
            continue
        state[id(node)] = 1
        stack.append((node, True))
        for child in _children(node):
            if state.get(id(child)) == 1:
                return child
            if id(child) not in state:
                stack.append((child, False))
    return None


def _duplicates(root: Node) -> list[YamlProblem]:
    """Every key that appears twice in one mapping (merge keys excluded), at the second occurrence."""
    problems: list[YamlProblem] = []
    seen_nodes: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen_nodes:  # aliases share nodes
            continue
        seen_nodes.add(id(node))
        stack.extend(_children(node))
        if not isinstance(node, MappingNode):
            continue
        seen: set[str] = set()
        for k, _ in node.value:
            if not isinstance(k, ScalarNode) or k.tag == _MERGE_TAG:
                continue
            text = _key_text(k)
            if text in seen:
                problems.append(_duplicate(node, k, text))
            seen.add(text)
    problems.sort(key=lambda p: (p.line, p.column))
    return problems


# -- constructing fast ----------------------------------------------------------------------------------

_STR_TAG = "tag:yaml.org,2002:str"
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"
# Scalar tags whose constructor returns a finished value (no generator, no state): the fast path calls them.
_PLAIN_SCALAR_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("null", "bool", "int", "float", "timestamp", "binary")
)


_UNSET = object()


class _Unusual(Exception):
    """The fast path met something only the general path handles (merge key, tag, complex key, alias)."""


class _OverLimit(Exception):
    """A document breaks a limit (:func:`over_limits`); nothing was built from it."""

    def __init__(self, problem: YamlProblem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def _construct(loader: Any, node: Node) -> tuple[Any, list[YamlProblem], Node | None]:
    """The document's data, its duplicate keys, and the collection that contains itself (if one does).

    First one recursive pass that builds the data and finds duplicate keys together, for trees of plain
    maps, lists and standard scalars in which no collection is reached twice. Anything else (an alias to a
    collection, a merge key, a tag, a complex key, nesting deeper than Python's recursion limit, a value
    that fails to load) takes the general path, in the order the loader always used: the alias-cycle
    walk, the duplicate-key walk, then PyYAML's constructor with this module's overrides, which raises any
    error again. Both paths give the same data and the same problems.
    """
    dups: list[YamlProblem] = []
    try:
        data = _fast_value(loader, node, dups, set())
    except Exception:  # whatever it was, the general path below decides, and raises it again if it must
        data = _UNSET
    if data is not _UNSET:
        dups.sort(key=lambda p: (p.line, p.column))
        return data, dups, None
    over = over_limits(node)  # the fast path met an alias or deep nesting: measure before building anything
    if over is not None:
        raise _OverLimit(over)
    looped = _cycle(node)
    if looped is not None:
        return None, [], looped
    dups = _duplicates(node)
    return loader.construct_document(node), dups, None


def _fast_value(loader: Any, node: Node, dups: list[YamlProblem], seen: set[int], depth: int = 1) -> Any:
    """The plain value of ``node``, as :class:`_JsonLike` builds it; duplicate keys appended to ``dups``.

    ``seen`` holds the collections already built: one reached again is shared through an alias. Nesting
    deeper than :data:`MAX_DEPTH` is left to the general path, which measures it (:func:`over_limits`).
    """
    cls = type(node)
    tag = node.tag
    if cls is ScalarNode:
        if tag == _STR_TAG:
            return node.value
        if tag in _PLAIN_SCALAR_TAGS:
            return loader.yaml_constructors[tag](loader, node)
        raise _Unusual(tag)
    if id(node) in seen:
        raise _Unusual("alias")
    if depth > MAX_DEPTH:
        raise _Unusual("deep")
    seen.add(id(node))
    if cls is MappingNode and tag == _MAP_TAG:
        data: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if type(key_node) is not ScalarNode or key_node.tag == _MERGE_TAG:
                raise _Unusual("key")
            key = key_node.value if key_node.tag == _STR_TAG else _key_text(key_node)
            if key in data:
                dups.append(_duplicate(cast(MappingNode, node), key_node, key))  # cls is MappingNode
            if type(value_node) is ScalarNode and value_node.tag == _STR_TAG:  # most values: no call
                data[key] = value_node.value
            else:
                data[key] = _fast_value(loader, value_node, dups, seen, depth + 1)
        return data
    if cls is SequenceNode and tag == _SEQ_TAG:
        return [
            item.value
            if type(item) is ScalarNode and item.tag == _STR_TAG
            else _fast_value(loader, item, dups, seen, depth + 1)
            for item in node.value
        ]
    raise _Unusual(tag)


def _duplicate(mapping: MappingNode, key_node: ScalarNode, text: str) -> YamlProblem:
    """The problem for ``key_node``, a repeat of ``text`` in ``mapping``, naming the first occurrence's line."""
    first = next(
        k.start_mark.line + 1
        for k, _ in mapping.value
        if isinstance(k, ScalarNode) and k.tag != _MERGE_TAG and _key_text(k) == text
    )
    return YamlProblem(
        key_node.start_mark.line + 1,
        key_node.start_mark.column + 1,
        f"duplicate key `{text}` (first on line {first}): YAML tools disagree on which value wins",
        DUPLICATE,
        first,
    )


def _problem(exc: BaseException, text: str) -> YamlProblem:
    """A located problem from any exception raised while reading YAML."""
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        parts = [p for p in (exc.context, exc.problem) if p]
        message = "; ".join(parts) or str(exc).splitlines()[0]
        if mark is not None:
            return YamlProblem(mark.line + 1, mark.column + 1, message)
        return YamlProblem(1, 1, message)
    if isinstance(exc, yaml.reader.ReaderError):
        line = text.count("\n", 0, max(exc.position, 0)) + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        return YamlProblem(line, column, f"character {exc.character!r} is not allowed in YAML ({exc.reason})")
    if isinstance(exc, RecursionError):
        return YamlProblem(1, 1, "YAML nested too deeply to read")
    return YamlProblem(1, 1, f"cannot read YAML: {exc}")


def _go_escape(exc: BaseException, text: str) -> str | None:
    """``text`` with one Go-only ``\\'`` escape normalised, when that is what PyYAML tripped on."""
    if not isinstance(exc, yaml.scanner.ScannerError) or exc.problem_mark is None:
        return None
    if "unknown escape character" not in (exc.problem or ""):
        return None
    mark = exc.problem_mark
    lines = text.split("\n")
    if mark.line >= len(lines):
        return None
    start = sum(len(line) + 1 for line in lines[: mark.line])
    # PyYAML marks the character after the backslash, libyaml the backslash itself
    for i in (start + mark.column, start + mark.column - 1):
        if i >= start and text[i : i + 2] == "\\'":
            return text[:i] + text[i + 1 :]
    return None


def _read(text: str) -> tuple[list[Document], list[YamlProblem], BaseException | None]:
    """One pass over ``text``: the documents read and the exception that stopped the reading, if any."""
    docs: list[Document] = []
    problems: list[YamlProblem] = []
    index = 0
    if len(text) > MAX_BYTES:
        return docs, [_too_large()], None
    try:
        loader = _loader_for(text)(text)
    except yaml.YAMLError as exc:  # the reader rejects control characters before any parsing
        return docs, problems, exc.with_traceback(None)
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is None:
                break
            try:
                data, dups, looped = _construct(loader, node)
            except _OverLimit as over:  # nothing is built from this document, and nothing after it is read
                return docs, [*problems, over.problem], None
            if looped is not None:
                mark = looped.start_mark
                message = "an alias refers to a collection that contains it"
                return docs, [*problems, YamlProblem(mark.line + 1, mark.column + 1, message)], None
            problems.extend(dups)
            if not (data is None and isinstance(node, ScalarNode)):
                docs.append(Document(index, data, node.start_mark.line + 1, node))
            index += 1
    except RecursionError:  # composing recurses once per level: deeper than Python allows is over the limit
        return docs, [*problems, _too_deep(*_position(loader))], None
    except (yaml.YAMLError, ValueError, TypeError, OverflowError) as exc:
        # without its traceback: the caller keeps the exception in a local, and a traceback's frames would
        # make a cycle that holds every caller's locals (a whole check's documents) until the collector runs
        return docs, problems, exc.with_traceback(None)
    finally:
        loader.dispose()
    return docs, problems, None


# -- limits ---------------------------------------------------------------------------------------------

ALIAS_LIMIT = "yaml-alias-limit"
DEPTH_LIMIT = "yaml-depth-limit"
SIZE_LIMIT = "yaml-size-limit"
LIMIT_RULES = frozenset({ALIAS_LIMIT, DEPTH_LIMIT, SIZE_LIMIT})  # a text that breaks one is not read at all
# Values aliases may add to one document once expanded. Real files merge an anchor of a few dozen values
# into a few dozen places (a Compose ``x-`` block into 50 services adds ~1,500); nine levels of nine aliases
# add 387,420,489.
MAX_ALIAS_VALUES = 100_000
MAX_DEPTH = 100  # nesting levels, aliases expanded; the deepest Kubernetes CRD schemas need about 30
MAX_BYTES = 4 * 1024 * 1024  # YAML text read at once; pages are capped at 2 MiB by default


def _too_large() -> YamlProblem:
    return YamlProblem(1, 1, f"YAML text is larger than {MAX_BYTES:,} bytes; it is not read", SIZE_LIMIT)


def _too_deep(line: int, column: int) -> YamlProblem:
    return YamlProblem(
        line, column, f"YAML nested more than {MAX_DEPTH} levels deep (aliases expanded); it is not read", DEPTH_LIMIT
    )


def _position(loader: Any) -> tuple[int, int]:
    """1-based line and column the loader had reached (1, 1 when it cannot say)."""
    mark = getattr(loader, "get_mark", lambda: None)()
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def over_limits(root: Node) -> YamlProblem | None:
    """The first limit one composed document breaks, or None. Nothing is built or expanded.

    Depth first over the collections (scalars cannot nest and each adds one value): a collection reached
    again is an alias, which adds its anchor's expanded size (counted once per collection, when it is
    left). ``expanded(document) = distinct values + the sum over aliases of their anchors' expanded sizes``,
    so the running sum passes the limit at the first alias that takes the expansion past it, and is
    reported at its anchor's line. Depth counts levels through aliases too. A collection that contains
    itself (a cycle) is left to :func:`_cycle`.
    """
    size: dict[int, int] = {}  # id → expanded size of a finished collection
    height: dict[int, int] = {}  # id → levels below and including it
    on_path: set[int] = set()
    added = 0
    stack: list[tuple[Node, int, bool]] = [(root, 1, False)]
    while stack:
        node, depth, leaving = stack.pop()
        key = id(node)
        kids = _children(node)
        if leaving:
            size[key] = 1 + sum(size.get(id(k), 1) for k in kids)
            height[key] = 1 + max((height.get(id(k), 1) for k in kids), default=0)
            on_path.discard(key)
            continue
        if key in size:  # an alias of a finished collection
            added += size[key]
            mark = node.start_mark
            if added > MAX_ALIAS_VALUES:
                return _alias_problem(mark.line + 1, mark.column + 1)
            if depth + height[key] - 1 > MAX_DEPTH:
                return _too_deep(mark.line + 1, mark.column + 1)
            continue
        if key in on_path or not isinstance(node, MappingNode | SequenceNode):
            continue
        if depth > MAX_DEPTH:
            return _too_deep(node.start_mark.line + 1, node.start_mark.column + 1)
        on_path.add(key)
        stack.append((node, depth, True))
        stack.extend((k, depth + 1, False) for k in reversed(kids) if isinstance(k, MappingNode | SequenceNode))
    return None


def _alias_problem(line: int, column: int) -> YamlProblem:
    return YamlProblem(
        line,
        column,
        f"aliases of the anchor here expand this document by more than {MAX_ALIAS_VALUES:,} values "
        "(a YAML bomb?); it is not read",
        ALIAS_LIMIT,
    )


def limit_problem(text: str) -> YamlProblem | None:
    """The first limit ``text`` breaks (size, nesting depth, alias expansion), or None. Nothing is built.

    Every document is composed (an alias shares its anchor's node, so nothing is expanded) and measured by
    :func:`over_limits`. For readers that build data some other way or hand the text to a tool
    (classification, front matter, Compose before ``docker-compose`` runs). Text that does not parse is
    not this function's business: None (the YAML check reports it).
    """
    if len(text) > MAX_BYTES:
        return _too_large()
    try:
        loader = _loader_for(text)(text)
    except yaml.YAMLError:
        return None
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is None:
                break
            over = over_limits(node)
            if over is not None:
                return over
    except RecursionError:
        return _too_deep(*_position(loader))
    except (yaml.YAMLError, ValueError, TypeError, OverflowError):
        return None
    finally:
        loader.dispose()
    return None


@contextmanager
def gc_paused() -> Iterator[None]:
    """Hold off Python's cyclic garbage collector while many documents are read.

    Every YAML node, its marks and its data are new objects, and the collector walks all live objects
    each time enough of them have been made: reading the 418 documents of the k8s-website corpus spent
    about a third of its time in collections that found nothing (nodes and plain data form no cycles, and
    a document whose alias would make one is refused). Reference counting still frees everything; the
    collector resumes afterwards, unless it was already off. Process-wide, as ``gc`` is: a thread that
    runs meanwhile only has its cycles collected a little later.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def first_document(text: str) -> Document | None:
    """Document 0 of ``text``; None when that document is empty or does not parse (no problem is reported).

    For files that hold one document (a Compose file, a kustomization, a Prometheus configuration), whose
    checks only need to place a tool's message on a line.
    """
    docs, _ = load(text)
    return docs[0] if docs and docs[0].index == 0 else None


def load(text: str) -> tuple[list[Document], list[YamlProblem]]:
    """The documents of ``text`` and every YAML problem in it (syntax errors and duplicate keys).

    A syntax error stops the reading: the documents before it are returned with the error's problem.
    Within :func:`shared`, a text read before is not read again: its documents are the same objects, and
    every reader treats them as read-only.
    """
    given: object = text  # callers outside the type checker may hand bytes
    if not isinstance(given, str):
        return [], [YamlProblem(1, 1, "not text")]
    memo = _shared
    if memo is None or len(text) > SHARED_TEXT:
        return _load(text)
    found = memo.get(text)
    if found is None:
        found = _load(text)
        memo.put(text, found)
    return list(found[0]), list(found[1])


# -- one reading per run -----------------------------------------------------------------------------------

SHARED_TEXT = 65_536  # texts up to this many characters are shared …
SHARED_BUDGET = 1_000_000  # … up to this many characters in all (documents cost ~35 bytes a character)


class _Shared:
    """Documents already read in this run, by text: classification reads every YAML block, then the schema,
    API-rules and YAML checks read the same blocks again; each reading costs what the first did."""

    def __init__(self) -> None:
        self._entries: dict[str, tuple[list[Document], list[YamlProblem]]] = {}
        self._chars = 0
        self._lock = threading.Lock()

    def get(self, text: str) -> tuple[list[Document], list[YamlProblem]] | None:
        with self._lock:
            return self._entries.get(text)

    def put(self, text: str, read: tuple[list[Document], list[YamlProblem]]) -> None:
        with self._lock:
            if text not in self._entries and self._chars + len(text) <= SHARED_BUDGET:
                self._entries[text] = read
                self._chars += len(text)


_shared: _Shared | None = None


@contextmanager
def shared() -> Iterator[None]:
    """Share what :func:`load` reads until the block ends (a pipeline run), within :data:`SHARED_BUDGET`."""
    global _shared
    previous, _shared = _shared, _Shared()
    try:
        yield
    finally:
        _shared = previous


def _load(text: str) -> tuple[list[Document], list[YamlProblem]]:
    for _ in range(_MAX_ESCAPE_RETRIES):
        docs, problems, exc = _read(text)
        if exc is None:
            return docs, problems
        fixed = _go_escape(exc, text)
        if fixed is None or _ == _MAX_ESCAPE_RETRIES - 1:
            return docs, [*problems, _problem(exc, text)]
        text = fixed
    raise AssertionError("unreachable: the last retry returns")
