"""SC2046 on a substitution that prints one word: ``$(date +%Y-%m-%d)`` cannot split, ``$(pwd)`` can.

shellcheck runs for real; only the ``date`` formats whose output has no blank and no glob character in any
locale (date(1): numeric conversions pad with zeros, ``%e``/``%k``/``%l`` and ``_`` pad with blanks, names
and ``%c``/``%x``/``%X``/``%r``/``%+`` follow the locale) make the warning a note.
"""

from __future__ import annotations

import pytest

from conftest import make_block
from docs_examples.blocks.model import Block, Kind
from docs_examples.checks.shellcheck import ShellCheck, date_format_unsplittable, unsplittable
from docs_examples.findings import Finding, Severity
from docs_examples.settings import Settings


def shell(text: str, language: str = "bash") -> Block:
    return make_block(text, kind=Kind.SHELL, language=language)


def sc2046(settings: Settings, block: Block) -> list[Finding]:
    return [f for f in ShellCheck(settings).check([block])[block.id] if f.rule == "SC2046"]


@pytest.mark.parametrize(
    "substitution",
    [
        "$(date +%Y-%m-%d)",
        "$(date +%FT%T%Z)",
        "$(date -u +'%Y%m%d-%H%M%S')",
        '$(date --utc +"%s")',
        "`date +%s`",
        '$(date -d "1 day ago" +%F)',
        "$(date -d@1700000000 +%D)",
        "$(date -I)",
        "$(date --iso-8601=seconds)",
        "$(date +%3N)",
        "$(date +%:z)",
        "$(/bin/date +%-m/%-d)",
    ],
)
def test_date_that_prints_one_word(substitution: str) -> None:
    assert unsplittable(substitution)


@pytest.mark.parametrize(
    "substitution",
    [
        "$(date)",  # "Tue Jan  2 …": blanks
        '$(date +"%F %T")',
        "$(date +%c)",
        "$(date +%x)",
        "$(date +%X)",
        "$(date +%r)",
        "$(date +%+)",
        "$(date +%e)",  # space padded
        "$(date +%k)",
        "$(date +%_d)",
        "$(date +%n)",
        "$(date +%b)",  # a month name: some locales' have a blank
        "$(date +%10Z)",  # a width on a name pads with blanks
        "$(date +%Y*)",  # a glob character
        "$(date +$FORMAT)",
        "$(date -R)",
        "$(date --rfc-3339=seconds)",
        "$(date +%F; rm -rf x)",
        "$(date +%s | cut -c1-3)",
        "$(date +%F +%T)",
        "$(pwd)",
        "$(kubectl get pods -o name)",
    ],
)
def test_everything_else_can_split(substitution: str) -> None:
    assert not unsplittable(substitution)


def test_format_rules_follow_date_documentation() -> None:
    assert date_format_unsplittable("%Y-%m-%dT%H:%M:%S%z")
    assert date_format_unsplittable("%010s") and date_format_unsplittable("%^Z")
    assert not date_format_unsplittable("%Ey") and not date_format_unsplittable("%")


def test_sc2046_on_a_date_substitution_is_a_note_and_pwd_still_warns(settings: Settings) -> None:
    block = shell(
        "touch /work/markers/$(date +%Y-%m-%d)-echo\n"
        "docker run -v $(pwd):/src alpine\n"
        "cp app.log app-$(date '+%F %T').log\n"
        "tar czf backup-`date +%s`.tgz data\n"
    )
    found = {f.line: f for f in sc2046(settings, block)}
    assert sorted(found) == [1, 2, 3, 4]
    assert found[1].severity is Severity.INFO and "prints one word" in (found[1].hint or "")
    assert found[4].severity is Severity.INFO
    assert found[2].severity is Severity.WARNING  # `-v $(pwd):/src` breaks in a folder with a blank
    assert found[3].severity is Severity.WARNING  # the format itself has a blank


def test_prompted_session_columns_are_read_from_the_script(settings: Settings) -> None:
    block = make_block(
        "$ kubectl -n argocd patch secret s -p '{\"t\": \"'$(date +%FT%T%Z)'\"}'\nsecret/s patched\n",
        kind=Kind.CONSOLE,
        language="console",
    )
    [finding] = sc2046(settings, block)
    assert finding.severity is Severity.INFO and finding.line == 1
