"""Page content is parsed and linted, never run, and nothing it names is fetched.

Every block below would leave a file in a marker folder if any tool executed it, and the remote
references point at an HTTP server on the loopback interface that counts the requests it receives. The
whole :class:`Pipeline` runs over them with the real tools; afterwards the marker folder must be empty,
the server must have been asked nothing, and each block must carry the status and rule it deserves.
"""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from docs_examples.findings import Status
from docs_examples.pipeline import Page, Pipeline
from docs_examples.results import Result
from docs_examples.settings import Settings

ROOT = Path(__file__).resolve().parents[1]


class _CountingHandler(http.server.BaseHTTPRequestHandler):
    """Records the path of every request and answers 404: a fetch is visible, never useful."""

    requests: ClassVar[list[str]] = []

    def _record(self) -> None:
        type(self).requests.append(f"{self.command} {self.path}")
        self.send_response(404)
        self.end_headers()

    do_GET = do_HEAD = do_POST = _record

    def log_message(self, *args: object) -> None:
        """Silence: the test reads ``requests`` instead."""


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """``http://127.0.0.1:<port>`` of a server that counts requests (loopback is reachable without proxies)."""
    _CountingHandler.requests = []
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _CountingHandler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


# (name, fence header, body, expected status, a rule that must be among the findings or None).
# ``{m}`` is the marker folder, ``{url}`` the counting server.
CASES: list[tuple[str, str, str, Status, str | None]] = [
    ("shell", "bash", 'touch {m}/shell\nx="$(touch {m}/subst)"\necho "$x"', Status.PASSED, None),
    ("shebang", "sh", "#!/bin/sh\ntouch {m}/shebang", Status.PASSED, None),
    ("console", "console", "$ touch {m}/console\n$ echo `touch {m}/backtick`", Status.FAILED, "SC2006"),
    (
        "dockerfile",
        "dockerfile",
        '# syntax={url}/frontend\nFROM alpine:3.20\nRUN touch {m}/dockerfile\nCMD ["touch", "{m}/cmd"]',
        Status.PASSED,
        None,
    ),
    (
        "compose",
        "yaml",
        'services:\n  web:\n    image: alpine:3.20\n    command: ["touch", "{m}/compose"]\n'
        '    entrypoint: touch {m}/entrypoint\n    healthcheck:\n      test: ["CMD", "touch", "{m}/health"]',
        Status.PASSED,
        None,
    ),
    (
        "compose-remote-include",
        "yaml",
        "include:\n  - {url}/repo.git\nservices:\n  web:\n    image: alpine:3.20",
        Status.FAILED,
        "remote-include",
    ),
    (
        "workflow",
        "yaml",
        "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: touch {m}/workflow",
        Status.PASSED,
        None,
    ),
    (
        "python",
        "python",
        'open("{m}/python", "w").write("x")\n__import__("os").system("touch {m}/os")',
        Status.PASSED,
        None,
    ),
    (
        "yaml-python-tag",
        "yaml",
        'x: !!python/object/apply:os.system ["touch {m}/yaml"]',
        Status.FAILED,
        "yaml-syntax",
    ),
    (
        "kubernetes",
        "yaml",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n"
        '      image: alpine:3.20\n      command: ["touch", "{m}/pod"]',
        Status.PASSED,
        None,
    ),
    (
        "kustomize-exec-generator",
        "yaml",
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\ngenerators:\n  - |-\n"
        "    apiVersion: example.com/v1\n    kind: Toucher\n    metadata:\n      name: t\n      annotations:\n"
        "        config.kubernetes.io/function: |\n          exec:\n            path: /usr/bin/touch",
        Status.PASSED,
        "plugin-not-run",
    ),
    (
        "kustomize-remote",
        "yaml",
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - {url}/deploy.yaml",
        Status.PASSED,
        "remote-not-fetched",
    ),
    (
        "kustomize-helm",
        "yaml",
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nhelmCharts:\n  - name: web\n"
        "    repo: {url}/charts\n    version: 1.0.0\n    releaseName: web",
        Status.PASSED,
        "helm-not-inflated",
    ),
    (
        "prometheus-rules",
        "yaml",
        "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up == 0\n"
        '        annotations:\n          runbook: "$(touch {m}/promql)"',
        Status.PASSED,
        None,
    ),
    (
        "hcl",
        "hcl",
        'resource "null_resource" "x" {{\n  provisioner "local-exec" {{\n    command = "touch {m}/hcl"\n  }}\n}}',
        Status.PASSED,
        None,
    ),
]


def _page(marker: Path, url: str) -> str:
    parts = ["# Blocks that would leave a mark if anything ran them", ""]
    for name, lang, body, _, _ in CASES:
        parts += [f"## {name}", "", f"```{lang}", body.format(m=marker, url=url), "```", ""]
    return "\n".join(parts)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory, server: str) -> tuple[dict[str, Result], Path]:
    """The whole pipeline over every case, once: results by heading, and the marker folder."""
    marker = tmp_path_factory.mktemp("marker")
    settings = Settings(root=ROOT, cache_dir=None, snippet_paths=[ROOT, ROOT / "snippets"])
    out = Pipeline(settings).run([Page("docs/danger.md", _page(marker, server))])
    assert not out.problems
    by_heading = {r.block.heading: r for r in out.results}
    return by_heading, marker


def test_nothing_ran_and_nothing_was_fetched(report, server: str) -> None:
    results, marker = report
    assert sorted(results) == sorted(name for name, *_ in CASES)
    assert list(marker.iterdir()) == []
    assert _CountingHandler.requests == []


@pytest.mark.parametrize(("name", "status", "rule"), [(n, s, r) for n, _, _, s, r in CASES], ids=[c[0] for c in CASES])
def test_each_block_gets_a_sensible_status(report, name: str, status: Status, rule: str | None) -> None:
    results, _ = report
    result = results[name]
    rules = [f.rule for f in result.findings]
    assert result.status is status, (result.status, [(f.rule, f.message) for f in result.findings])
    assert result.checks, "every one of these kinds has a check: none may be left unchecked"
    if rule is not None:
        assert rule in rules
    for finding in result.findings:
        assert finding.file == "docs/danger.md" and finding.line, finding


def _overlay(tmp_path: Path, base: str) -> Settings:
    """An included overlay under snippets/ whose base (a local folder) says ``base``."""
    (tmp_path / "snippets" / "base").mkdir(parents=True)
    (tmp_path / "snippets" / "base" / "kustomization.yaml").write_text(base, encoding="utf-8")
    (tmp_path / "snippets" / "overlay").mkdir()
    (tmp_path / "snippets" / "overlay" / "kustomization.yaml").write_text("resources:\n  - ../base\n")
    (tmp_path / "docs").mkdir()
    return Settings(root=tmp_path, cache_dir=None, snippet_paths=[tmp_path])


INCLUDE = '# Overlay\n\n```yaml title="kustomization.yaml"\n--8<-- "snippets/overlay/kustomization.yaml"\n```\n'


@pytest.mark.parametrize(
    "base",
    [
        "resources:\n  - https://example.invalid/deploy.yaml\n",
        "resources:\n  - git@example.invalid:org/repo//deploy?ref=v1\n",
    ],
    ids=["https", "git-ssh"],
)
def test_remote_base_of_an_included_overlay_fails_without_a_fetch(tmp_path: Path, base: str) -> None:
    """kustomize runs with no git and every proxy pointing at a closed port: a remote base two levels
    down cannot be fetched, and the overlay fails to render (at its first line) instead of hanging.

    (Go never proxies loopback addresses, so a base of a base naming ``http://127.0.0.1`` would still be
    read from this machine; the block's own remote references are never rendered at all, see above.)
    """
    settings = _overlay(tmp_path, base)
    (result,) = Pipeline(settings).run([Page("docs/overlay.md", INCLUDE)]).results
    assert result.status is Status.FAILED
    (finding,) = [f for f in result.findings if f.fails]
    assert finding.rule == "render-error" and finding.file == "snippets/overlay/kustomization.yaml"
    assert "proxyconnect" in finding.message or "no 'git' program" in finding.message


def test_exec_plugin_in_an_included_base_is_refused(tmp_path: Path) -> None:
    """A base that names an exec KRM function: kustomize refuses it (plugins are never enabled)."""
    marker = tmp_path / "marker"
    marker.mkdir()
    base = (
        "generators:\n  - |-\n    apiVersion: example.com/v1\n    kind: Toucher\n    metadata:\n      name: t\n"
        f"      annotations:\n        config.kubernetes.io/function: |\n          exec:\n"
        f"            path: {marker}/never.sh\n"
    )
    settings = _overlay(tmp_path, base)
    (marker / "never.sh").write_text(f"#!/bin/sh\ntouch {marker}/ran\n")
    (marker / "never.sh").chmod(0o755)
    (result,) = Pipeline(settings).run([Page("docs/overlay.md", INCLUDE)]).results
    assert result.status is Status.FAILED
    assert any("plugin" in f.message for f in result.findings if f.rule == "render-error")
    assert sorted(p.name for p in marker.iterdir()) == ["never.sh"]
