"""Hostile pull requests (issue 15): a contributor cannot fake a pass, exhaust the builder, or read the build
machine.

Each case is a small site in a temporary folder, changed the way a hostile pull request changes it, then
built with ``mkdocs build --strict`` and checked with ``docs-examples check`` as CI does: each in a
subprocess under an address-space and CPU limit (:data:`CAP`, ``prlimit``), so a regression fails the test
instead of exhausting the machine. The build machine's secrets are canaries — an environment variable, and
files outside the site — that must never reach a page, a log or a report. Every tool is the real one.
"""

from __future__ import annotations

import http.server
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from docs_examples import yaml_loader
from docs_examples.checks import runner

pytestmark = pytest.mark.slow

CAP = 3 * 1024**3  # address space of each build or check; the builds below need about 0.5 GB
CPU_SECONDS = 900
CANARY = "CANARY-7f3a9c-do-not-publish"
PYTHON = sys.executable

MKDOCS = """site_name: Hostile
theme: {{name: mkdocs}}
plugins:
  - docs-examples:
      kubernetes_versions: ["1.37"]
      archives: {{}}
{options}
markdown_extensions:
  - attr_list
  - pymdownx.superfences
  - pymdownx.snippets: {{base_path: [snippets], check_paths: true}}
"""

LOL = ",".join(['"lol"'] * 9)
# The 740-byte "billion laughs": nine levels of nine aliases, 387,420,489 values once expanded.
LEVELS = [f"{c}: &{c} [{','.join(['*' + p] * 9)}]" for p, c in zip("abcdefgh", "bcdefghi", strict=True)]
BOMB = "\n".join([f"a: &a [{LOL}]", *LEVELS])

FAILING = """# Page

```dockerfile
FROM node:latest
```

```yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicaz: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx:1.27
```
"""


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    def lines(self, rule: str) -> list[str]:
        """Output lines that name ``rule``."""
        return [line for line in self.output.splitlines() if f" {rule}]" in line]


def make_site(tmp: Path, pages: dict[str, str], snippets: dict[str, str] | None = None, options: str = "") -> Path:
    """A minimal site: ``docs/`` pages, ``snippets/`` files, the plugin with ``options`` (YAML, indented)."""
    root = tmp / "site"
    (root / "docs").mkdir(parents=True)
    (root / "snippets").mkdir()
    (root / "mkdocs.yml").write_text(MKDOCS.format(options=options), encoding="utf-8")
    for folder, files in (("docs", pages), ("snippets", snippets or {})):
        for name, text in files.items():
            (root / folder / name).parent.mkdir(parents=True, exist_ok=True)
            (root / folder / name).write_text(text, encoding="utf-8")
    return root


def _env(home: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    """A CI-like environment: a fresh HOME, the canary, no CI marker unless asked for."""
    env = {k: v for k, v in os.environ.items() if k not in {"CI", "GITHUB_ACTIONS", "PYTHONPATH"}}
    env.update(HOME=str(home), CANARY_TOKEN=CANARY, MALLOC_ARENA_MAX="2", NO_MKDOCS_2_WARNING="1", NO_COLOR="1")
    env.pop("XDG_STATE_HOME", None)
    env.pop("XDG_CACHE_HOME", None)
    return {**env, **(extra or {})}


def capped(argv: list[str]) -> list[str]:
    """``argv`` under this test's memory and CPU limit."""
    return ["prlimit", f"--as={CAP}", f"--cpu={CPU_SECONDS}", "--", *argv]


def run(root: Path, *argv: str, home: Path | None = None, env: dict[str, str] | None = None) -> Run:
    """``python -m <argv>`` in ``root``, capped; stdout and stderr together."""
    proc = subprocess.run(
        capped([PYTHON, "-m", *argv]),
        cwd=root,
        env=_env(home or root.parent / "home", env),
        capture_output=True,
        text=True,
        errors="replace",
        timeout=CPU_SECONDS,
        check=False,
    )
    return Run(proc.returncode, proc.stdout, proc.stderr)


def build(root: Path, **kw: object) -> Run:
    return run(root, "mkdocs", "build", "--strict", **kw)  # type: ignore[arg-type]


def check(root: Path, *args: str, **kw: object) -> Run:
    return run(root, "docs_examples", "check", *args, **kw)  # type: ignore[arg-type]


def published(root: Path, text: str = CANARY) -> list[Path]:
    """Files under the site folder that contain ``text``."""
    site = root / "site"
    if not site.exists():
        return []
    return [p for p in site.rglob("*") if p.is_file() and text.encode() in p.read_bytes()]


def nothing_written(root: Path) -> bool:
    """The build stopped before MkDocs wrote a file into site/."""
    site = root / "site"
    return not site.exists() or not any(p.is_file() for p in site.rglob("*"))


# -- 1. a committed cache cannot fake a pass ----------------------------------------------------------------


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.email=attacker@example.org", "-c", "user.name=Attacker", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


def _forge(cache: Path, home: Path) -> None:
    """What a contributor can do with their own machine: run the checker, set every entry to "no findings",
    seal it again with *their* key (the repository's own writer), and add a permissive schema layout."""
    script = (
        "import sys; from pathlib import Path\n"
        "from docs_examples.cache import read_json_sealed, write_json_atomic\n"
        "p = Path(sys.argv[1]); d = read_json_sealed(p); assert d['entries']\n"
        "d['entries'] = {k: [] for k in d['entries']}; write_json_atomic(p, d)\n"
    )
    subprocess.run([PYTHON, "-c", script, str(cache / "results.json")], env=_env(home), check=True)
    permissive = cache / "schemas" / "v1.37.0-standalone-strict"
    permissive.mkdir(parents=True)
    (permissive / "deployment-apps-v1.json").write_text("{}", encoding="utf-8")
    (cache / "schemas" / "MANIFEST.json").write_text(json.dumps({"format": 2, "kubernetes-validate": "x"}))


@pytest.mark.parametrize("sealed", [True, False], ids=["resealed-by-the-attacker", "plain-json"])
def test_a_committed_forged_cache_does_not_fake_a_pass(tmp_path: Path, sealed: bool) -> None:
    root = make_site(tmp_path, {"index.md": FAILING})
    attacker = tmp_path / "attacker-home"
    assert check(root, home=attacker).returncode == 1  # the attacker's own run: the page fails
    cache = root / ".cache" / "plugin" / "docs-examples"
    if sealed:
        _forge(cache, attacker)
    else:
        results = cache / "results.json"
        entries = json.loads(results.read_text().split("\n", 1)[1])["entries"]
        results.write_text(json.dumps({"format": "docs-examples-cache/1", "entries": {key: [] for key in entries}}))
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "add", "-f", ".cache")
    _git(root, "commit", "-qm", "docs: cache")
    clone = tmp_path / "ci-clone"
    _git(tmp_path, "clone", "-q", str(root), str(clone))
    assert (clone / ".cache" / "plugin" / "docs-examples" / "results.json").is_file()

    built, checked = build(clone), check(clone)

    assert built.returncode == 1 and checked.returncode == 1
    for outcome in (built, checked):
        assert outcome.lines("DL3007") and outcome.lines("schema/unknown-field")


def test_ci_starts_from_an_empty_cache(tmp_path: Path) -> None:
    root = make_site(tmp_path, {"index.md": "# Page\n\n```bash\necho hi\n```\n"})

    def hits(**env: str) -> int:
        out = check(root, "-f", "json", "-q", env=env)
        return int(json.loads(out.stdout)["summary"]["cache"]["hits"])

    assert hits() == 0
    assert hits() > 0  # this machine's own cache is trusted
    assert hits(CI="true") == 0  # in CI every run starts cold, whatever the folder holds


# -- 2. YAML with limits -----------------------------------------------------------------------------------


def _indented(text: str) -> str:
    return "".join(f"  {line}\n" for line in text.splitlines())


def _page_line(page: str, text: str) -> int:
    return next(i for i, line in enumerate(page.split("\n"), 1) if text in line)


def test_an_alias_bomb_in_a_manifest_is_refused_at_its_anchor(tmp_path: Path) -> None:
    data = _indented(BOMB)
    page = f"# Bomb\n\n```yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bomb\ndata:\n{data}\n```\n"
    root = make_site(tmp_path, {"index.md": page})
    anchor = _page_line(page, "e: &e")  # the first anchor whose aliases pass 100,000 values

    built, checked = build(root), check(root)

    assert built.returncode == 1 and checked.returncode == 1
    assert f"docs/index.md:{anchor}:" in checked.lines("yaml-alias-limit")[0]
    assert f"docs/index.md:{anchor}:" in built.lines("yaml-alias-limit")[0]


def test_an_alias_bomb_in_front_matter_stops_the_build_before_rendering(tmp_path: Path) -> None:
    front = "---\nbomb:\n" + "\n".join("  " + line for line in BOMB.splitlines()) + "\ntitle: *i\n---\n"
    root = make_site(tmp_path, {"index.md": front + "# Page\n\n```bash\necho hi\n```\n"})

    built, checked = build(root), check(root)

    assert built.returncode == 1 and "refusing to build" in built.output and nothing_written(root)
    assert checked.returncode == 1 and checked.lines("yaml-alias-limit")


def test_a_compose_alias_bomb_never_passes_and_stays_within_the_cap(tmp_path: Path) -> None:
    data = _indented(BOMB)
    page = f'# Bomb\n\n```yaml title="compose.yaml"\nservices:\n  web:\n    image: nginx:1.27\nx-bomb:\n{data}\n```\n'
    root = make_site(tmp_path, {"index.md": page}, options="      timeout: 20")

    checked = check(root)

    assert checked.returncode != 0 and checked.lines("yaml-alias-limit")


def test_deep_yaml_is_refused_with_a_located_finding(tmp_path: Path) -> None:
    nested = "".join("  " * i + f"k{i}:\n" for i in range(150)) + "  " * 150 + "x: 1\n"
    root = make_site(tmp_path, {"index.md": f'# Deep\n\n```{{ .yaml data-kind="yaml" }}\n{nested}```\n'})

    checked = check(root)

    assert checked.returncode == 1
    [line] = checked.lines("yaml-depth-limit")
    assert line.startswith("docs/index.md:")


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        (BOMB, yaml_loader.ALIAS_LIMIT),
        ("x: " + "[" * 5000 + "]" * 5000, yaml_loader.DEPTH_LIMIT),
        ("a:\n" + "".join("  " * i + "b:\n" for i in range(1, 120)) + "  " * 120 + "c: 1\n", yaml_loader.DEPTH_LIMIT),
        ("x: " + "y" * (yaml_loader.MAX_BYTES + 1), yaml_loader.SIZE_LIMIT),
    ],
    ids=["billion-laughs", "deep-flow", "deep-block", "too-large"],
)
def test_the_loader_measures_before_it_builds(text: str, rule: str) -> None:
    docs, problems = yaml_loader.load(text)
    assert docs == [] and [p.rule for p in problems] == [rule]
    assert yaml_loader.limit_problem(text) is not None
    assert yaml_loader.limit_problem(text).rule == rule  # type: ignore[union-attr]


def test_real_aliases_and_merge_keys_still_load() -> None:
    text = "base: &base {image: nginx, ports: [80]}\nweb:\n  <<: *base\n  name: web\napi: *base\n"
    docs, problems = yaml_loader.load(text)
    assert problems == [] and docs[0].data["web"] == {"image": "nginx", "ports": [80], "name": "web"}
    assert yaml_loader.limit_problem(text) is None


# -- 3 and 10. symbolic links --------------------------------------------------------------------------------


def _outside(tmp: Path, name: str = "outside.md") -> Path:
    path = tmp / name
    path.write_text(f"# Secret\n\n{CANARY}\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("case", ["proc-environ", "page", "folder", "git-config", "device"])
def test_a_linked_source_stops_the_build_before_anything_is_written(tmp_path: Path, case: str) -> None:
    root = make_site(tmp_path, {"index.md": "# Home\n\n```bash\necho hi\n```\n"})
    docs = root / "docs"
    if case == "proc-environ":
        (docs / "t").mkdir()
        (docs / "t" / "env.txt").symlink_to("/proc/self/environ")
        name = "docs/t/env.txt"
    elif case == "page":
        (docs / "secret.md").symlink_to(_outside(tmp_path))
        name = "docs/secret.md"
    elif case == "folder":
        folder = tmp_path / "elsewhere"
        folder.mkdir()
        _outside(folder, "page.md")
        (docs / "more").symlink_to(folder)
        name = "docs/more"
    elif case == "git-config":
        (root / ".git").mkdir()
        (root / ".git" / "config").write_text(f"[http]\n\textraheader = AUTHORIZATION: basic {CANARY}\n")
        (docs / "config.txt").symlink_to("../.git/config")
        name = "docs/config.txt"
    else:
        (docs / "zero.md").symlink_to("/dev/zero")
        name = "docs/zero.md"

    built, checked = build(root), check(root)

    assert built.returncode == 1 and "refusing to build" in built.output and name in built.output
    assert nothing_written(root)
    assert checked.returncode == 1 and any(line.startswith(f"{name}:") for line in checked.lines("unsafe-link"))
    assert CANARY not in built.output + checked.output


def test_a_link_inside_the_project_is_fine(tmp_path: Path) -> None:
    root = make_site(tmp_path, {"index.md": "# Home\n"}, {"shared.md": "# Shared\n\n```bash\necho shared\n```\n"})
    (root / "docs" / "shared.md").symlink_to("../snippets/shared.md")
    built = build(root)
    assert built.returncode == 0, built.output
    assert (root / "site" / "shared" / "index.html").is_file()


@pytest.mark.parametrize("target", ["outside-file", "dev-zero"])
def test_a_snippet_linked_out_is_neither_included_nor_rendered(tmp_path: Path, target: str) -> None:
    page = '# Home\n\n```text\n--8<-- "leak.txt"\n```\n\n--8<-- "leak.txt"\n'
    root = make_site(tmp_path, {"index.md": page})
    (root / "snippets" / "leak.txt").symlink_to(_outside(tmp_path) if target == "outside-file" else Path("/dev/zero"))

    built, checked = build(root), check(root)

    assert built.returncode == 1 and "refusing to build" in built.output and nothing_written(root)
    assert [line.split(": ", 1)[0] for line in checked.lines("unsafe-link")] == ["docs/index.md:4", "docs/index.md:7"]
    assert "MemoryError" not in built.output + checked.output
    assert CANARY not in built.output + checked.output


@pytest.mark.parametrize("folder", ["site", "site/examples", "site/assets", ".cache/plugin/docs-examples"])
def test_a_linked_output_folder_is_refused(tmp_path: Path, folder: str) -> None:
    root = make_site(tmp_path, {"index.md": "# Home\n\n```bash\necho hi\n```\n"})
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("untouched\n")
    (root / folder).parent.mkdir(parents=True, exist_ok=True)
    (root / folder).symlink_to(outside)

    built = build(root)

    assert built.returncode == 1 and f"{folder} is a symbolic link" in built.output
    assert sorted(p.name for p in outside.iterdir()) == ["keep.txt"]
    if folder.startswith(".cache"):
        checked = check(root)
        assert checked.returncode == 2 and "refusing to use the cache folder" in checked.output
        assert sorted(p.name for p in outside.iterdir()) == ["keep.txt"]


# -- 4 and 5. host files and the network ---------------------------------------------------------------------


def test_prometheus_rule_files_outside_the_example_are_not_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.yml"
    secret.write_text(f"{CANARY}: [unclosed\n", encoding="utf-8")
    config = (
        f"global:\n  scrape_interval: 15s\nrule_files:\n  - {secret}\n  - ../../../../../../etc/*.conf\n"
        "scrape_configs:\n  - job_name: app\n    bearer_token_file: /etc/shadow\n"
        "    static_configs:\n      - targets: [app:8000]\n"
    )
    page = '# Mon\n\n```yaml title="prometheus.yml"\n--8<-- "mon/prometheus.yml"\n```\n'
    root = make_site(tmp_path, {"index.md": page}, {"mon/prometheus.yml": config})

    checked = check(root, "-v", "-f", "json")

    report = json.loads(checked.stdout)
    rules = [(f["rule"], f["line"]) for b in report["blocks"] for f in b["findings"]]
    assert rules == [("outside-context", 4), ("outside-context", 5), ("outside-context", 8)]
    assert CANARY not in checked.output and "root:" not in checked.output


@pytest.fixture
def loopback() -> Iterator[tuple[str, list[str]]]:
    """An HTTP server on 127.0.0.1 that answers every request with the canary, and the paths requested."""
    requested: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requested.append(self.path)
            body = f"{CANARY}: [".encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", requested
    server.shutdown()
    server.server_close()
    thread.join()


def test_kustomize_fetches_nothing_and_reads_nothing_outside_the_example(
    tmp_path: Path, loopback: tuple[str, list[str]]
) -> None:
    url, requested = loopback
    secret = _outside(tmp_path, "host.env")
    inline = (
        f'```yaml title="kustomization.yaml"\nopenapi:\n  path: {url}/openapi.json\n'
        "configMapGenerator:\n  - name: a\n    literals: [A=1]\n```\n\n"
        f'```yaml title="kustomization.yaml"\nreplacements:\n  - path: {url}/replacements.yaml\n'
        "configMapGenerator:\n  - name: b\n    literals: [B=1]\n```\n\n"
    )
    included = '```yaml title="kustomization.yaml"\n--8<-- "app/prod/kustomization.yaml"\n```\n\n'
    outside = '```yaml title="kustomization.yaml"\n--8<-- "app/other/kustomization.yaml"\n```\n'
    snippets = {
        "app/base/kustomization.yaml": f"resources:\n  - {url}/remote-base.yaml\n",
        "app/prod/kustomization.yaml": "resources:\n  - ../base\n",
        "app/other/kustomization.yaml": f"secretGenerator:\n  - name: s\n    envs: [{secret}]\n",
    }
    root = make_site(tmp_path, {"index.md": "# K\n\n" + inline + included + outside}, snippets)

    checked = check(root, "-v")

    assert requested == []
    assert CANARY not in checked.output
    assert len(checked.lines("remote-not-fetched")) == 3 and len(checked.lines("outside-context")) == 1


# -- 7. tool processes are bounded, and one hostile block fails alone -----------------------------------------


@pytest.mark.parametrize("prlimit", [True, False], ids=["prlimit", "setrlimit-in-the-child"])
def test_a_tool_that_allocates_without_end_is_stopped_at_its_memory_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, prlimit: bool
) -> None:
    """docker-compose expanding the bomb (past 6.7 GB unlimited) dies at 1,200 MiB, and the error says so.
    (The Go runtime needs about 900 MiB of address space just to start.)"""
    if not prlimit:
        monkeypatch.setattr(runner, "_prlimit", lambda: None)
    compose = tmp_path / "compose.yaml"
    compose.write_text("services:\n  web:\n    image: nginx\nx-bomb:\n" + _indented(BOMB), encoding="utf-8")
    runner.limit(1, memory_mib=1200)
    try:
        with pytest.raises(runner.ToolFailed, match=r"ran out of memory \(limit 1200 MiB\)"):
            runner.run([runner.find_tool("docker-compose"), "-f", str(compose), "config"], timeout=120)
    finally:
        runner.limit(os.cpu_count() or 2, memory_mib=2048)


def test_a_tool_gets_no_more_cpu_time_than_its_timeout() -> None:
    script = "import resource as r; print(r.getrlimit(r.RLIMIT_CPU), r.getrlimit(r.RLIMIT_AS)[0] >> 20)"
    done = runner.run([PYTHON, "-c", script], timeout=7)
    assert done.stdout.strip() == "(7, 12) 2048"  # SIGXCPU at the timeout, SIGKILL 5 s later; 2 GiB
    with pytest.raises(runner.ToolFailed, match="more than its 30 s of CPU time"):  # how SIGXCPU is told
        runner.run(["/bin/sh", "-c", "kill -XCPU $$"], timeout=30)


def test_a_tool_that_prints_without_end_is_stopped() -> None:
    with pytest.raises(runner.ToolFailed, match="printed more than 64 MiB"):
        runner.run(["/usr/bin/yes", CANARY], timeout=120)


def test_one_hostile_shell_block_fails_alone(tmp_path: Path) -> None:
    blocks = "".join(f'```bash\necho "block {i}" $name{i}\n```\n\n' for i in range(27))
    hostile = "```bash\n" + "echo $($(" * 2000 + "\n```\n"
    root = make_site(tmp_path, {"index.md": "# Shell\n\n" + blocks + hostile}, options="      timeout: 10")

    report = json.loads(check(root, "-f", "json", "-q").stdout)

    statuses = [b["status"] for b in report["blocks"]]
    # Each neighbour has its real shellcheck result (SC2086, a note: prompts' unset names are the reader's);
    # only the hostile block is a tool error.
    assert statuses == ["passed"] * 27 + ["error"]
    assert all(any(f["rule"] == "SC2086" for f in b["findings"]) for b in report["blocks"][:27])
    assert {f["tool"] for f in report["blocks"][-1]["findings"] if f["category"] == "tool-error"} >= {"shellcheck"}


def test_deep_hcl_fails_alone_and_never_aborts_the_process(tmp_path: Path) -> None:
    good = "".join(f'```hcl\nresource "null" "n{i}" {{\n  triggers = {{ a = [1, 2] }}\n}}\n```\n\n' for i in range(4))
    deep = "```hcl\nx = " + "[" * 10000 + "]" * 10000 + "\n```\n\n"
    abort = "```hcl\nx = " + "[" * 100000 + "]" * 100000 + "\n```\n"
    root = make_site(tmp_path, {"index.md": "# HCL\n\n" + good + deep + abort})

    report = json.loads(check(root, "-f", "json", "-q").stdout)

    assert [b["status"] for b in report["blocks"]] == ["passed"] * 4 + ["failed", "failed"]
    assert [b["findings"][0]["rule"] for b in report["blocks"][4:]] == ["hcl/too-many-brackets"] * 2


# -- 8. page size and blocks per page --------------------------------------------------------------------------


def test_a_50_mb_page_is_refused_unread(tmp_path: Path) -> None:
    block = '```bash\necho "$x"\n```\n\n'
    root = make_site(tmp_path, {"index.md": "# Big\n\n" + block * (50 * 1024 * 1024 // len(block))})

    built, checked = build(root), check(root)

    assert built.returncode == 1 and "refusing to build" in built.output and nothing_written(root)
    assert checked.returncode == 1
    assert checked.lines("page-too-large")[0].startswith("docs/index.md:1:")


def test_blocks_past_the_limit_are_one_located_error(tmp_path: Path) -> None:
    page = "# Many\n\n" + "".join(f"```bash\necho {i}\n```\n\n" for i in range(6))
    root = make_site(tmp_path, {"index.md": page}, options="      max_blocks_per_page: 4")

    checked = check(root)

    assert checked.returncode == 1
    [line] = checked.lines("too-many-blocks")
    assert line.startswith(f"docs/index.md:{_page_line(page, 'echo 4') - 1}:")
    assert "4 blocks" in checked.output.splitlines()[-1]


def test_snippets_that_fan_out_exponentially_end_at_the_byte_budget(tmp_path: Path) -> None:
    snippets = {f"s{n}.md": f'--8<-- "s{n + 1}.md"\n' * 40 for n in range(8)}
    snippets["s8.md"] = "x\n"  # 40^8 includes, one line each
    root = make_site(tmp_path, {"index.md": '# Fan\n\n--8<-- "s0.md"\n'}, snippets)

    built, checked = build(root), check(root)

    assert built.returncode == 1 and "refusing to build" in built.output and nothing_written(root)
    assert checked.lines("page-too-large")[0].startswith("docs/index.md:3:")


# -- 9. signals ------------------------------------------------------------------------------------------------


def _tools_running_in(folder: Path, program: bytes = b"") -> list[int]:
    """Processes whose working folder is inside ``folder`` (the tools' temporary folders), and whose command
    line names ``program``."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            inside = entry.name.isdigit() and (entry / "cwd").readlink().is_relative_to(folder)
            if inside and program in (entry / "cmdline").read_bytes():
                found.append(int(entry.name))
        except OSError:
            continue
    return found


@pytest.mark.parametrize(
    ("argv", "sig", "code"),
    [
        (["docs_examples", "check", "--no-cache"], signal.SIGTERM, 143),
        (["docs_examples", "check", "--no-cache"], signal.SIGINT, 130),
        (["mkdocs", "build", "--strict"], signal.SIGTERM, 143),
    ],
    ids=["check-sigterm", "check-sigint", "build-sigterm"],
)
def test_a_signal_stops_every_tool_at_once_and_leaves_no_temporary_folder(
    tmp_path: Path, argv: list[str], sig: signal.Signals, code: int
) -> None:
    root = make_site(tmp_path, {"index.md": "# Slow\n\n```bash\n" + "echo $($(" * 2000 + "\n```\n"})
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    with subprocess.Popen(
        capped([PYTHON, "-m", *argv]),
        cwd=root,
        env=_env(tmp_path / "home", {"TMPDIR": str(scratch)}),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    ) as proc:
        try:
            deadline = time.monotonic() + 120
            while not _tools_running_in(scratch, b"block-0000.sh") and time.monotonic() < deadline:
                time.sleep(0.2)  # until shellcheck is at work on the block (it takes minutes)
            assert _tools_running_in(scratch, b"block-0000.sh"), "shellcheck never started"
            proc.send_signal(sig)
            _, stderr = proc.communicate(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
            for pid in _tools_running_in(scratch):  # only if the test failed: leave nothing behind
                os.kill(pid, signal.SIGKILL)
    message = stderr.decode(errors="replace")
    assert proc.returncode == code, message
    assert _tools_running_in(scratch) == []
    assert list(scratch.iterdir()) == []
    assert "Traceback" not in message


def test_prlimit_is_there() -> None:
    """The limits above are set by util-linux's prlimit where it exists (Debian always has it)."""
    assert shutil.which("prlimit"), "prlimit not found: the tests cap their builds with it"
