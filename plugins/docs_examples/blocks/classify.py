"""Classification: decide a block's :class:`Kind` from its language, title, directives and content.

Only syntax is looked at: YAML is parsed with the safe loader to see its top-level keys, nothing runs.
Placeholders and elisions (``<name>``, ``@VAR@``, a ``...`` line) are masked first
(:mod:`docs_examples.blocks.placeholders`), so an example that uses them is classified like one that does
not. A kustomization lists its ``resources`` (or ``components``, ``bases``); a ``resources`` mapping is a
container's requests and limits.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from docs_examples.blocks import placeholders, templates
from docs_examples.blocks.model import Block, Kind
from docs_examples.findings import Finding, Severity
from docs_examples.yaml_loader import LIMIT_RULES, limit_problem, load

SHELL_LANGS = {"bash", "sh", "shell", "zsh", "shell-session"}
CONSOLE_LANGS = {"console", "shell-session"}
YAML_LANGS = {"yaml", "yml"}
DOCKERFILE_LANGS = {"dockerfile", "docker", "containerfile"}
HCL_LANGS = {"hcl", "terraform", "tf", "opentofu", "tofu"}
TEXT_LANGS = {"", "text", "txt", "plain", "plaintext", "console-output", "output", "log", "mermaid", "diff"}
# Text fences whose content is sniffed for something checkable (not output, logs, diagrams or diffs).
PLAIN_TEXT_LANGS = {"", "text", "txt", "plain", "plaintext"}
TEMPLATE_LANGS = {"helm", "gotmpl", "go-template", "gotemplate", "jinja", "jinja2", "j2", "tpl", "mustache"}
LANGUAGE_KINDS = {
    "json": Kind.JSON,
    "jsonc": Kind.JSON,  # JSON with comments: the json check reads it as JSONC
    "python": Kind.PYTHON,
    "py": Kind.PYTHON,
    "python3": Kind.PYTHON,
    "dockerignore": Kind.DOCKERIGNORE,
    "gitignore": Kind.DOCKERIGNORE,
}

# Top-level fields of the types a fragment is most often cut from (checked against schemas by the
# Kubernetes check, which knows every type; this is only the cheap first guess).
FRAGMENT_HINTS = {
    "containers",
    "initContainers",
    "volumes",
    "image",
    "imagePullPolicy",
    "resources",
    "livenessProbe",
    "readinessProbe",
    "startupProbe",
    "securityContext",
    "requests",
    "limits",
    "httpGet",
    "tcpSocket",
    "exec",
    "grpc",
    "metadata",
    "spec",
    "template",
    "selector",
    "env",
    "envFrom",
    "ports",
    "volumeMounts",
    "nodeSelector",
    "affinity",
    "tolerations",
    "serviceAccountName",
    "strategy",
    "rollingUpdate",
    "matchLabels",
    "labels",
    "annotations",
    "args",
    "command",
    "lifecycle",
    "topologySpreadConstraints",
}


def _title_kind(title: str | None) -> Kind | None:
    if not title:
        return None
    name = title.rsplit("/", 1)[-1].strip().lower()
    if (
        name in {"dockerfile", "containerfile"}
        or name.endswith((".dockerfile", ".containerfile"))
        or (name.startswith("dockerfile."))
    ):
        return Kind.DOCKERFILE
    if name == ".dockerignore":
        return Kind.DOCKERIGNORE
    if name in {"compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml"}:
        return Kind.COMPOSE
    if name in {"kustomization.yaml", "kustomization.yml"}:
        return Kind.KUSTOMIZATION
    if name in {"prometheus.yml", "prometheus.yaml"}:
        return Kind.PROMETHEUS
    return None


# libyaml's parser when PyYAML was built with it: classification parses every YAML block of the site, and
# the pure-Python parser made it the largest cost of a cold run (3 s of 12 s on 500 blocks).
class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]  # libyaml's, when built
    """Safe loader that tolerates tags (``!Ref``, ``!!binary``) for classification only."""


_Loader.add_multi_constructor("!", lambda loader, suffix, node: None)


def yaml_documents(text: str) -> list[Any] | None:
    """The block's YAML documents, or None when it is not parseable YAML (the YAML check says where).

    Text with anchors is measured first: PyYAML shares an alias's data, but ``str()`` of a shared value (a
    bomb's ``apiVersion: *b``) would expand it. Text past a limit is plain YAML; the YAML check reports it.
    """
    if "&" in text and limit_problem(text) is not None:
        return None
    text = placeholders.mask_yaml(text).text
    try:
        return [d for d in yaml.load_all(text, Loader=_Loader) if d is not None]
    except yaml.YAMLError:
        return _documents_before_error(text)
    except (ValueError, TypeError, RecursionError):
        return None


def yaml_outline(text: str) -> list[Any] | None:
    """What classification needs of each YAML document: a top-level mapping becomes a dict of its scalar keys
    to their values, where a nested mapping is ``{}``, a list ``[]`` and a scalar its text; any other
    document is a placeholder of its shape. None when it is not YAML, or breaks a limit (the YAML check
    says where). Text that does not parse gives the documents before the error, as ``kubectl`` reads them.

    Read with :func:`docs_examples.yaml_loader.load`, the reader every YAML check uses: within a pipeline
    run the checks then reuse these documents instead of reading the block again.
    """
    docs, problems = load(placeholders.mask_yaml(text).text)
    if any(p.rule in LIMIT_RULES for p in problems):
        return None
    if not docs and problems:
        return None
    return [outline for doc in docs if (outline := _root(doc.node)) is not None]


def _root(node: Any) -> Any:
    """One document's outline, from its node tree."""
    if isinstance(node, ScalarNode):
        return node.value
    if isinstance(node, SequenceNode):
        return []
    if not isinstance(node, MappingNode):
        return None
    mapping: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = _key(key_node) if isinstance(key_node, ScalarNode) else _SKIP
        if key is not _SKIP:
            mapping[key] = _value(value_node)
    return mapping


_SKIP = object()  # a key that is no scalar: left out of the outline
_SKIP_VALUE = object()  # a key that is no string: classification only looks at string keys


def _key(node: ScalarNode) -> Any:
    """A key as the safe loader gives it: a plain ``on``/``yes`` is True (YAML 1.1); a plain ``1`` no string."""
    if node.style is not None:  # quoted, or a block scalar
        return node.value
    if node.tag == "tag:yaml.org,2002:bool":
        return node.value.lower() in ("yes", "true", "on", "y")
    if node.tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:null"):
        return _SKIP_VALUE
    return node.value


def _value(node: Any) -> Any:
    if isinstance(node, ScalarNode):
        return node.value
    return {} if isinstance(node, MappingNode) else []


def _documents_before_error(text: str) -> list[Any] | None:
    """What kubectl reads of YAML that PyYAML rejects: Go's ``\\'`` escape is accepted, and the documents
    before a syntax error (such as content after a ``...`` line, which Go's decoder never reads) count."""
    docs, _ = load(text)
    return [d.data for d in docs] or None


def _yaml_kind(docs: list[Any]) -> Kind:
    mappings = [d for d in docs if isinstance(d, dict)]
    if not mappings:
        return Kind.YAML
    first = mappings[0]
    if all("apiVersion" in d and "kind" in d for d in mappings):
        api = str(first.get("apiVersion", ""))
        if first.get("kind") in {"Kustomization", "Component"} and api.startswith("kustomize.config.k8s.io"):
            return Kind.KUSTOMIZATION
        return Kind.KUBERNETES
    if "services" in first and isinstance(first.get("services"), dict):
        return Kind.COMPOSE
    if "jobs" in first and ("on" in first or True in first):
        return Kind.WORKFLOW
    if "groups" in first and isinstance(first.get("groups"), list):
        return Kind.PROMETHEUS_RULES
    if "scrape_configs" in first or ("global" in first and "rule_files" in first):
        return Kind.PROMETHEUS
    if _lists_resources(first):
        return Kind.KUSTOMIZATION
    if len(mappings) == len(docs) and all(_fragment_like(m) for m in mappings):
        return Kind.KUBERNETES_FRAGMENT
    return Kind.YAML


def _fragment_like(mapping: dict[Any, Any]) -> bool:
    """Top-level keys that are (mostly) fields of a well-known Kubernetes type: a fragment cut from one."""
    keys = {k for k in mapping if isinstance(k, str)}
    return bool(keys & FRAGMENT_HINTS) and all(k[:1].islower() for k in keys) and _fits_a_type(keys)


def _lists_resources(first: dict[Any, Any]) -> bool:
    """A kustomization without apiVersion/kind: ``resources``, ``components`` or ``bases`` hold lists."""
    if "kind" in first or set(first) & {"containers", "requests", "limits"}:
        return False
    listed = [k for k in ("resources", "components", "bases") if k in first]
    return bool(listed) and all(isinstance(first[k], list) for k in listed)


def _fits_a_type(keys: set[str]) -> bool:
    """Whether a check knows a type these keys are (mostly) fields of; if none does, it is plain YAML.

    Asked through the registry, which imports the check (and its schemas) only when a block needs it."""
    from docs_examples import checks

    return checks.recognise(frozenset(keys)) is Kind.KUBERNETES_FRAGMENT


_HEREDOC_KUBECTL = re.compile(r"kubectl\s+(?:[\w-]+\s+)*(?:apply|create|replace|diff)\b[^\n]*-f\s*-")


def classify(block: Block, macros: templates.Macros | None = None) -> None:
    """Set ``block.kind``, and the ``block.meta`` flags checks read (``marked``, ``kubectl_heredoc``,
    ``prompted``, ``looks_like``, ``unchecked``); render the site's macros first when it has any.

    ``macros`` is the site's mkdocs-macros configuration (:meth:`templates.Macros.of`), if it has one.
    """
    forced = block.attrs.get("data-kind")
    lang = block.language.lower()
    if _template(block, lang, macros, forced=bool(forced)):
        return
    if forced:
        try:
            block.kind = Kind(forced)
            block.meta["marked"] = True
        except ValueError:
            block.kind = Kind.OTHER  # directives.parse reports the unknown value
        return
    if "data-schema" in block.attrs:
        block.kind = Kind.KUBERNETES_FRAGMENT
        return
    by_title = _title_kind(block.title)
    if lang in DOCKERFILE_LANGS or by_title is Kind.DOCKERFILE:
        block.kind = Kind.DOCKERFILE
    elif lang in CONSOLE_LANGS:
        block.kind = Kind.CONSOLE
    elif lang in SHELL_LANGS:
        block.kind = Kind.SHELL
    elif lang in YAML_LANGS or (by_title in {Kind.COMPOSE, Kind.KUSTOMIZATION, Kind.PROMETHEUS} and lang == ""):
        docs = yaml_outline(block.text)  # only to decide the kind: checks read the text with positions
        if by_title in {Kind.COMPOSE, Kind.KUSTOMIZATION, Kind.PROMETHEUS}:
            block.kind = by_title
        else:
            block.kind = _yaml_kind(docs) if docs is not None else Kind.YAML
    elif lang in HCL_LANGS:
        block.kind = Kind.HCL
    elif lang in LANGUAGE_KINDS:
        block.kind = LANGUAGE_KINDS[lang]
    elif by_title is Kind.DOCKERIGNORE:
        block.kind = Kind.DOCKERIGNORE
    elif lang in TEXT_LANGS:
        block.kind = Kind.TEXT
    else:
        block.kind = Kind.OTHER
    if block.kind in {Kind.SHELL, Kind.CONSOLE} and _HEREDOC_KUBECTL.search(block.text):
        block.meta["kubectl_heredoc"] = True
    _shell_form(block)
    _sniff(block, lang)


# -- templates, shell forms and fence languages (issue 10) ------------------------------------------------


def _template(block: Block, lang: str, macros: templates.Macros | None, *, forced: bool) -> bool:
    """Render the site's macros in ``block.text`` where that can be done offline; True when the block is a
    template that cannot be (its kind is then ``template``, and ``meta["unchecked"]`` says why)."""
    reason = None
    if macros is not None and macros.has_syntax(block.text):
        rendered = macros.render(block.text)
        if rendered is None:
            reason = "mkdocs-macros template: not checked (it needs more than plain variables from extra:)"
        else:
            block.text = rendered
            block.meta["rendered"] = True
    if reason is None and templates.include_only(block.text):
        reason = "markdown-include directive: the included file is not checked here"
    if reason is None and lang in TEMPLATE_LANGS:
        reason = f"{lang} template: not checked"
    if reason is None and lang in YAML_LANGS and templates.helm(block.text):
        reason = "Helm template: not checked"
    if reason is None and lang in YAML_LANGS and _unparseable_template(block.text):
        what = "Go template" if templates.go_control(block.text) else "template"
        reason = f"{what}: not checked (its template syntax is not YAML)"
    if reason is None or forced:
        return False
    block.kind = Kind.TEMPLATE
    block.meta["unchecked"] = reason
    return True


_STACK_DEPLOY = re.compile(r"\bdocker\s+stack\s+(?:deploy|up)\b")


def classify_page(blocks: list[Block]) -> None:
    """What one block of a page needs to know of the others: for each shell block, the variables the page's
    other shell blocks read (``meta["page_reads"]``), so that one assigned here and read later is not unused;
    for each Compose block, whether the page runs ``docker stack deploy`` (``meta["stack_deploy"]``: what it
    deploys is a Swarm stack file)."""
    if any(_STACK_DEPLOY.search(b.text) for b in blocks):
        for block in blocks:
            if block.kind is Kind.COMPOSE:
                block.meta["stack_deploy"] = True
    shell = [b for b in blocks if b.kind in (Kind.SHELL, Kind.CONSOLE)]
    if not shell:
        return
    from docs_examples.blocks import console  # shell reading: imported for pages that have shell blocks

    reads = {b.id: console.references(b) for b in shell}
    for block in shell:
        others = set().union(*(names for bid, names in reads.items() if bid != block.id))
        if others:
            block.meta["page_reads"] = sorted(others)


def _unparseable_template(text: str) -> bool:
    """Template syntax that keeps the text from parsing as YAML (valid YAML with templates is checked)."""
    if not templates.template_syntax(text):
        return False
    try:
        list(yaml.load_all(text, Loader=_Loader))
    except (yaml.YAMLError, ValueError, TypeError, RecursionError):
        return True
    return False


def _shell_form(block: Block) -> None:
    """How a shell block is written: a transcript with prompts, a PowerShell session, or a plain script."""
    if block.kind is not Kind.SHELL:
        return
    from docs_examples.blocks import console  # imported for sites that have shell blocks

    if console.prompted(block.text):
        block.meta["prompted"] = True
    elif console.powershell(block.text):
        block.meta["powershell"] = True
        block.meta["unchecked"] = "PowerShell session: not checked"


def _sniff(block: Block, lang: str) -> None:
    """A fence whose language hides what the block is: one warning that names the fence to use."""
    if block.kind not in {Kind.SHELL, Kind.TEXT}:
        return
    from docs_examples.blocks import sniff  # imported for sites that have shell or text blocks

    look = None
    if block.kind is Kind.SHELL and not block.meta.get("prompted") and not block.meta.get("powershell"):
        look = sniff.shell_lookalike(block.text)
    elif block.kind is Kind.TEXT and lang in PLAIN_TEXT_LANGS:
        look = sniff.text_lookalike(block.text)
    if look is None:
        return
    block.meta["looks_like"] = look.to_meta()
    block.meta["unchecked"] = f"looks like {look.what}: not checked as {block.kind.value}"
    block.problems.append(Finding("docs-examples", "fence-language", Severity.WARNING, look.message(lang), line=0))
