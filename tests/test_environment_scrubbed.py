"""Nothing from the build machine reaches a tool, a finding, a report or a page; a hung tool is killed.

The test process gets a canary: an environment variable, the variables tools read their options from
(``HADOLINT_IGNORE``, ``SHELLCHECK_OPTS``, ``KUBECONFIG`` …) and a HOME full of configuration files
(``~/.config/hadolint.yaml``, ``~/.shellcheckrc``, ``~/.docker/config.json``, ``~/.kube/config``). Blocks of
every kind name the variable. Two things are asserted: the canary's value appears nowhere in the output,
and the verdicts are the ones without those files (hadolint still reports DL3007, shellcheck SC2086), so
the tools did not read them either.
"""

from __future__ import annotations

import io
import json
import os
import signal
import stat
import time
import uuid
from pathlib import Path

import pytest

from _sites import build
from docs_examples.checks import runner
from docs_examples.findings import Status
from docs_examples.pipeline import Page, Pipeline
from docs_examples.reports import get_writer
from docs_examples.results import Report, Result
from docs_examples.settings import Settings

CANARY = f"canary-{uuid.uuid4().hex}"
VAR = "DX_CANARY"

# One block per kind, each naming the variable; the headings name the kinds.
PAGE = """\
# Canary

## shell

```bash
echo $DX_CANARY "${DX_CANARY}"
```

## console

```console
$ echo "${DX_CANARY:-unset}"
unset
```

## dockerfile

```dockerfile
FROM alpine:latest
ARG DX_CANARY
ENV SEEN=${DX_CANARY}
RUN echo "$DX_CANARY"
```

## compose

```yaml
services:
  web:
    image: "alpine:3.20"
    environment:
      SEEN: ${DX_CANARY}
```

## workflow

```yaml
on: push
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - run: echo "${DX_CANARY}" "${{ env.DX_CANARY }}"
```

## kubernetes

```yaml
apiVersion: v1
kind: Pod
metadata:
  name: canary
spec:
  containers:
    - name: app
      image: alpine:3.20
      args: ["$(DX_CANARY)", "${DX_CANARY}"]
```

## prometheus

```yaml
groups:
  - name: canary
    rules:
      - alert: Canary
        expr: up{job="${DX_CANARY}"} == 0
```

## kustomize

```yaml
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namePrefix: canary-
configMapGenerator:
  - name: seen
    literals:
      - SEEN=${DX_CANARY}
```

## python

```python
import os
print(os.environ["DX_CANARY"])
```
"""

KINDS = ["shell", "console", "dockerfile", "compose", "workflow", "kubernetes", "prometheus", "kustomize", "python"]


def _home(folder: Path) -> Path:
    """A HOME whose every configuration file a tool might read holds the canary and a verdict change."""
    files = {
        ".config/hadolint.yaml": f"ignored: [DL3007]\nlabel-schema:\n  {CANARY}: text\n",
        ".hadolint.yaml": "ignored: [DL3007]\n",
        ".shellcheckrc": f"disable=SC2086\nsource-path={CANARY}\n",
        ".config/shellcheckrc": "disable=SC2086\n",
        ".docker/config.json": json.dumps({"auths": {CANARY: {"auth": CANARY}}}),
        ".kube/config": f"apiVersion: v1\nkind: Config\ncurrent-context: {CANARY}\n",
        ".gitconfig": f"[user]\n\tname = {CANARY}\n",
    }
    for rel, text in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def canary_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The canary in this process's environment and HOME (restored afterwards)."""
    home = _home(tmp_path / "home")
    monkeypatch.setenv(VAR, CANARY)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("HADOLINT_IGNORE", "DL3007")
    monkeypatch.setenv("SHELLCHECK_OPTS", "--exclude=SC2086")
    monkeypatch.setenv("KUBECONFIG", str(home / ".kube" / "config"))
    monkeypatch.setenv("DOCKER_CONFIG", str(home / ".docker"))
    monkeypatch.setenv("COMPOSE_PROJECT_NAME", CANARY)
    return home


def _run(tmp_path: Path) -> Report:
    # No project .hadolint.yaml (root is a fresh folder): only a config from HOME could change hadolint.
    settings = Settings(root=tmp_path, cache_dir=None)
    return Pipeline(settings).run([Page("docs/canary.md", PAGE)])


def _reports(report: Report) -> dict[str, str]:
    out = {}
    for name in ("text", "json", "junit", "sarif", "github"):
        stream = io.StringIO()
        get_writer(name, stream=stream).write_report(report)
        out[name] = stream.getvalue()
    return out


def test_canary_reaches_no_finding_and_no_report(canary_env: Path, tmp_path: Path) -> None:
    report = _run(tmp_path)
    by_kind = {r.block.heading: r for r in report.results}
    assert sorted(by_kind) == sorted(KINDS)
    for kind, result in by_kind.items():
        assert result.status is not Status.ERROR, (kind, [f.message for f in result.findings])
        assert result.checks, kind
        for finding in result.findings:
            assert CANARY not in repr(finding), (kind, finding)
    reports = _reports(report)
    for name, text in reports.items():
        assert text.strip(), name
        assert CANARY not in text, name
    assert VAR in reports["json"]  # the variable's name is page text and may be quoted; its value never


def _rules(result: Result) -> set[str]:
    return {f.rule for f in result.findings}


def test_tools_read_no_configuration_from_the_build_machine(canary_env: Path, tmp_path: Path) -> None:
    by_kind = {r.block.heading: r for r in _run(tmp_path).results}
    assert "DL3007" in _rules(by_kind["dockerfile"])  # ~/.config/hadolint.yaml and HADOLINT_IGNORE unread
    assert "SC2086" in _rules(by_kind["shell"])  # ~/.shellcheckrc and SHELLCHECK_OPTS unread
    # Compose did not see the variable: it says it is unset, by name.
    unset = [f for f in by_kind["compose"].findings if f.rule == "unset-variable"]
    assert unset and VAR in unset[0].message


def test_canary_reaches_no_built_page(canary_env: Path, tmp_path: Path) -> None:
    """``mkdocs build`` in a subprocess that has the canary in its environment and HOME."""
    src = tmp_path / "site-src"
    (src / "docs").mkdir(parents=True)
    (src / "docs" / "index.md").write_text(PAGE, encoding="utf-8")
    (src / "mkdocs.yml").write_text(
        "site_name: Canary\ndocs_dir: docs\ntheme: {name: material, font: false}\n"
        "plugins:\n  - docs-examples:\n      cache: false\n      report_json: build/examples.json\n"
        "markdown_extensions:\n  - attr_list\n  - pymdownx.highlight\n  - pymdownx.superfences\n",
        encoding="utf-8",
    )
    built = build(src, src)
    assert built.site.is_dir(), built.log
    assert CANARY not in built.log
    files = [p for p in built.site.rglob("*") if p.is_file()]
    files += [p for p in (src / "build").rglob("*") if p.is_file()]
    assert any(p.name == "examples.json" for p in files)
    leaks = [p for p in files if CANARY.encode() in p.read_bytes()]
    assert leaks == []
    assert b"DX_CANARY" in (src / "build" / "examples.json").read_bytes()


# -- a tool that hangs ------------------------------------------------------------------------------------

# STAND-IN, not a real tool: answers any version question like the real tools' first lines, then for
# every other command starts a child that sleeps (recording its pid) and waits for it.
STAND_IN = """#!/bin/sh
# STAND-IN for a hung tool (tests/test_environment_scrubbed.py); it is not hadolint, shellcheck or kubectl.
case "$*" in
  *version*) printf 'stand-in version 1.2.3\\nversion: 1.2.3\\nClient Version: v1.2.3\\n'; exit 0 ;;
esac
/bin/sleep 300 &  # absolute: kustomize runs with PATH=/nonexistent
echo $! >> {pids}
wait
"""

HUNG_KINDS = ["shell", "dockerfile", "compose", "workflow", "prometheus", "kustomize"]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/stat")
    return not (status.is_file() and status.read_text().split(")")[-1].split()[0] == "Z")


def test_a_hung_tool_is_killed_with_its_children_and_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pids = tmp_path / "pids"
    stand_in = tmp_path / "stand-in-tool"
    stand_in.write_text(STAND_IN.format(pids=pids), encoding="utf-8")
    stand_in.chmod(stand_in.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setattr(runner, "find_tool", lambda name, configured=None: str(stand_in))
    settings = Settings(root=tmp_path, cache_dir=None, timeout=1.5, jobs=4)
    pipeline = Pipeline(
        settings, only=["hadolint", "bash", "shellcheck", "compose", "actionlint", "prometheus", "kustomize"]
    )
    started = time.monotonic()
    report = pipeline.run([Page("docs/canary.md", PAGE)])
    elapsed = time.monotonic() - started
    by_kind = {r.block.heading: r for r in report.results}
    for kind in HUNG_KINDS:
        result = by_kind[kind]
        assert result.status is Status.ERROR, (kind, result.status)
        errors = [f for f in result.findings if f.rule == "tool-error"]
        assert errors and all("timed out after 1.5s" in f.message for f in errors), kind
        assert all(f.file == "docs/canary.md" for f in errors)
    assert report.tool_errors and not any(
        r.status is Status.PASSED for r in report.results if r.block.heading in HUNG_KINDS
    )
    assert elapsed < 60, elapsed
    started_children = [int(p) for p in pids.read_text().split()]
    assert started_children
    time.sleep(0.2)
    survivors = [pid for pid in started_children if _alive(pid)]
    for pid in survivors:  # clean up before failing: never leave sleepers on a shared machine
        os.kill(pid, signal.SIGKILL)
    assert survivors == []
