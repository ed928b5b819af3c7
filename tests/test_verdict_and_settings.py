"""One verdict and one settings schema (issue 12), through both adapters as users run them.

``fail_on`` is decided in ``verdict.py`` alone; the CLI's exit code, its reports and ``mkdocs build --strict``
must all agree with it for every value. Every option is declared once in ``settings.py``: a bad value in
``mkdocs.yml`` or on the command line is exit 2 (CLI) or a configuration error (MkDocs) naming the option and
what it accepts, never a traceback.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from _sites import build
from conftest import ROOT, cli, local_env
from docs_examples import settings as settings_mod
from docs_examples.findings import Category, Finding, Severity
from docs_examples.verdict import Verdict

# One shell block per shellcheck level (each verified to carry exactly that one finding).
BLOCKS = {
    "error": "var = 1",  # SC2283 (error)
    "warning": "x=1",  # SC2034 (warning)
    "info": 'echo "hi" $1',  # SC2086 (info)
    "style": "if [ 1 ]; then echo; fi",  # SC2161 (style)
}
FAILING = {
    "error": {"error"},
    "warning": {"error", "warning"},
    "info": {"error", "warning", "info"},
    "style": {"error", "warning", "info", "style"},
}


def _site(folder: Path, options: str = "") -> Path:
    (folder / "docs").mkdir(parents=True)
    page = "# Levels\n\n" + "".join(f"## {level}\n\n```bash\n{text}\n```\n\n" for level, text in BLOCKS.items())
    (folder / "docs" / "index.md").write_text(page, encoding="utf-8")
    (folder / "mkdocs.yml").write_text(
        "site_name: levels\nplugins:\n  - docs-examples:\n      index_page: ''\n      checks_page: ''\n"
        "      archives: {}\n" + options,
        encoding="utf-8",
    )
    return folder


def test_verdict_thresholds() -> None:
    for fail_on, failing in FAILING.items():
        verdict = Verdict(Severity(fail_on))
        for level in Severity:
            finding = Finding("t", "r", level, "m")
            assert verdict.fails(finding) is (level.value in failing)
            assert verdict.judge(finding).fails is (level.value in failing)
        tool_error = Finding("t", "tool-error", Severity.INFO, "m", category=Category.TOOL_ERROR)
        assert verdict.fails(tool_error)  # never a matter of threshold


def test_every_block_has_the_expected_single_finding(tmp_path: Path) -> None:
    """The fixture itself: each block carries exactly one finding, of its level (else the table lies)."""
    out = cli(_site(tmp_path, "      fail_on: style\n"), "check", "--no-cache", "-f", "json", "-q")
    report = json.loads(out.stdout)
    levels = [[f["severity"] for f in b["findings"]] for b in report["blocks"]]
    assert levels == [[level] for level in BLOCKS], report


@pytest.mark.parametrize("fail_on", list(FAILING))
def test_fail_on_through_the_cli(tmp_path: Path, fail_on: str) -> None:
    out = cli(_site(tmp_path, f"      fail_on: {fail_on}\n"), "check", "--no-cache", "-f", "json", "-q")
    report = json.loads(out.stdout)
    failed = {level for level, b in zip(BLOCKS, report["blocks"], strict=True) if b["status"] == "failed"}
    assert failed == FAILING[fail_on]
    for level, block in zip(BLOCKS, report["blocks"], strict=True):
        assert [f["fails"] for f in block["findings"]] == [level in FAILING[fail_on]]
    assert out.returncode == 1  # an error-level block fails at every threshold
    text = cli(tmp_path, "check", "--no-cache", "-q")
    assert sorted(re.findall(r"\[shellcheck SC(\d+)\]", text.stdout)) == sorted(
        {"error": "2283", "warning": "2034", "info": "2086", "style": "2161"}[level] for level in FAILING[fail_on]
    )


@pytest.mark.slow
@pytest.mark.parametrize("fail_on", list(FAILING))
def test_fail_on_through_mkdocs_strict(tmp_path: Path, fail_on: str) -> None:
    site = _site(tmp_path / "src", f"      fail_on: {fail_on}\n")
    built = build(site, site, "--strict")
    assert built.returncode == 1, built.log
    warned = sorted(re.findall(r"\[shellcheck SC(\d+)\]", "\n".join(built.warnings())))
    codes = {"error": "2283", "warning": "2034", "info": "2086", "style": "2161"}
    assert warned == sorted(codes[level] for level in FAILING[fail_on]), built.log


@pytest.mark.slow
def test_only_info_findings_pass_strict_at_warning_and_fail_at_info(tmp_path: Path) -> None:
    """The bug that started this: with ``fail_on: info`` an info finding was logged at INFO and strict passed."""
    for fail_on, code in (("warning", 0), ("info", 1)):
        site = tmp_path / fail_on
        (site / "docs").mkdir(parents=True)
        (site / "docs" / "index.md").write_text('# x\n\n```bash\necho "hi" $1\n```\n', encoding="utf-8")
        (site / "mkdocs.yml").write_text(
            f"site_name: x\nplugins:\n  - docs-examples:\n      fail_on: {fail_on}\n      archives: {{}}\n",
            encoding="utf-8",
        )
        built = build(site, site, "--strict")
        assert built.returncode == code, built.log
        assert ("SC2086" in "\n".join(built.warnings())) is (code == 1)


BAD_OPTIONS = [
    ("      fail_on: warn\n", "fail_on", "did you mean 'warning'"),
    ("      fail_onn: error\n", "fail_onn", "did you mean 'fail_on'"),
    ("      kubernetes_versions: [1.30]\n", "kubernetes_versions", "quoted strings"),
    ("      kubeconform: of\n", "kubeconform", "auto, off or a path"),
    ("      timeout: soon\n", "timeout", "a number"),
    ("      unmarked_yaml: strict\n", "unmarked_yaml", "warning, error, ignore"),
    ("      jobs: -1\n", "jobs", "at least 0"),
    ("      cache: 'no'\n", "cache", "true or false"),
]


@pytest.mark.parametrize(("option", "name", "says"), BAD_OPTIONS)
def test_bad_options_are_exit_2_naming_the_option(tmp_path: Path, option: str, name: str, says: str) -> None:
    out = cli(_site(tmp_path, option), "check", "--no-cache")
    assert out.returncode == 2, out.stderr
    assert "Traceback" not in out.stderr
    assert f"'{name}'" in out.stderr and says in out.stderr, out.stderr


@pytest.mark.slow
def test_bad_option_is_a_mkdocs_configuration_error(tmp_path: Path) -> None:
    site = _site(tmp_path / "src", "      fail_on: warn\n")
    built = build(site, site)
    assert built.returncode == 1 and "Traceback" not in built.log
    assert "fail_on" in built.log and "did you mean 'warning'" in built.log


@pytest.mark.parametrize(
    ("flags", "says"),
    [
        (["-k", "1.20"], "no schemas are bundled for Kubernetes 1.20"),
        (["-k", "1.3x"], "not a Kubernetes minor version"),
        (["--kubeconform", "maybe"], "auto, off or a path"),
        (["-j", "-3"], "at least 0"),
    ],
)
def test_bad_flags_are_exit_2(tmp_path: Path, flags: list[str], says: str) -> None:
    site = _site(tmp_path)
    (site / "docs" / "k.md").write_text("```yaml\napiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n```\n")
    out = cli(site, "check", "--no-cache", *flags)
    assert out.returncode == 2, out.stdout + out.stderr
    assert says in out.stderr and "Traceback" not in out.stderr


@pytest.mark.parametrize("value", ["off", "false", "no", "'off'", '"no"', "False"])
def test_kubeconform_off_in_every_spelling(tmp_path: Path, value: str) -> None:
    site = _site(tmp_path, f"      kubeconform: {value}\n")
    assert settings_mod.from_mkdocs_yml(site / "mkdocs.yml").kubeconform == "off"


def test_kubeconform_auto_and_paths(tmp_path: Path) -> None:
    assert (
        settings_mod.from_mkdocs_yml(_site(tmp_path / "a", "      kubeconform: auto\n") / "mkdocs.yml").kubeconform
        == "auto"
    )
    site = _site(tmp_path / "b", "      kubeconform: ./bin/kubeconform\n")
    assert settings_mod.from_mkdocs_yml(site / "mkdocs.yml").kubeconform == str(site / "bin" / "kubeconform")


def test_cli_settings_equal_plugin_settings(tmp_path: Path) -> None:
    """Both adapters build their settings from the same declarations: same values from the same file."""
    from mkdocs.config.base import load_config

    site = _site(tmp_path, '      fail_on: info\n      kubeconform: off\n      kubernetes_versions: ["1.36"]\n')
    config = load_config(str(site / "mkdocs.yml"))
    plugin = config.plugins["docs-examples"]
    plugin.on_config(config)
    assert plugin.settings == settings_mod.from_mkdocs_yml(site / "mkdocs.yml")


def test_readme_documents_every_option() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    reference = readme.split("## Configuration reference", 1)[1].split("\n## ", 1)[0]
    for name in settings_mod.declarations():
        assert re.search(rf"^\s+{name}:", reference, re.M), f"README's configuration reference lacks {name}"


def test_readme_configuration_reads_as_intended() -> None:
    """The reference's YAML, read as MkDocs reads it, is valid and means what its comments say."""
    import yaml

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    reference = readme.split("## Configuration reference", 1)[1]
    block = reference.split("```yaml\n", 1)[1].split("```", 1)[0]
    data = yaml.safe_load(block)
    [options] = [p["docs-examples"] for p in data["plugins"] if isinstance(p, dict) and "docs-examples" in p]
    parsed = {name: settings_mod.parse_option(name, value) for name, value in options.items()}
    assert parsed["kubeconform"] in ("auto", "off")


def test_broken_pipe_ends_quietly(tmp_path: Path) -> None:
    site = _site(tmp_path)
    for i in range(40):
        # 50 findings a page, ~180 kB in all: more than a pipe holds, so the writer meets the closed pipe.
        (site / "docs" / f"p{i}.md").write_text("```bash\n" + "".join(f"x{j}=1\n" for j in range(50)) + "```\n")
    # A real pipe closed early by `head`, as a user types `docs-examples check | head -1`.
    env = local_env()
    writer = subprocess.Popen(
        [sys.executable, "-m", "docs_examples", "check", "--no-cache"],
        cwd=site,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    head = subprocess.run(["head", "-1"], stdin=writer.stdout, capture_output=True, text=True, timeout=300, check=False)
    assert writer.stdout is not None
    writer.stdout.close()
    stderr = writer.communicate(timeout=300)[1]
    assert head.stdout.count("\n") == 1
    assert "Traceback" not in stderr and "BrokenPipe" not in stderr, stderr
