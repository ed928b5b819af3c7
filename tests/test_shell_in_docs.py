"""Shell written the way documentation writes it, through the whole pipeline with the real bash and shellcheck.

One test per form: prompts in ``bash`` fences, output/trees/flags/YAML/JSON in shell fences (one finding), one
finding per parse failure, placeholders and elisions, continuation lines, session rules, PowerShell.
"""

from __future__ import annotations

import textwrap

import pytest

from conftest import ROOT
from docs_examples.blocks import console, shell_words
from docs_examples.findings import Severity, Status
from docs_examples.pipeline import Page, Pipeline
from docs_examples.results import Result
from docs_examples.settings import Settings


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline(Settings(root=ROOT, cache_dir=None), only=["bash", "shellcheck", "kubernetes-schema", "yaml"])


def check(pipeline: Pipeline, markdown: str) -> list[Result]:
    """The results of every block of one page."""
    return pipeline.run([Page("docs/page.md", textwrap.dedent(markdown))]).results


def one(pipeline: Pipeline, body: str, language: str = "bash") -> Result:
    """The result of a page holding one fenced block."""
    [result] = check(pipeline, f"# Page\n\n```{language}\n{textwrap.dedent(body).strip()}\n```\n")
    return result


def failing(result: Result) -> list[tuple[str, int | None]]:
    return [(f.rule, f.line) for f in result.findings if f.fails]


# -- prompts: a transcript in a bash fence is read like console ---------------------------------------------


@pytest.mark.parametrize(
    "prompt", ["$ ", "% ", "❯ ", "user@host:~/src$ ", "[root@host /]# ", "root@box:/srv# ", "(venv) $ "]
)
def test_prompted_bash_block_checks_commands_and_ignores_output(pipeline: Pipeline, prompt: str) -> None:
    result = one(
        pipeline,
        f"""
        {prompt}kubectl get pods -n demo
        NAME      READY   STATUS    RESTARTS   AGE (since start)
        web-1     1/1     Running   0          5m
        {prompt}echo "done" | tee /tmp/x
        done
        """,
    )
    assert result.status is Status.PASSED, result.findings
    assert result.block.meta.get("prompted")


def test_prompted_bash_block_still_fails_on_a_real_mistake(pipeline: Pipeline) -> None:
    result = one(pipeline, "$ ls\nfile.txt\n$ if true; then echo x; fi fi\noutput (of nothing)")
    assert failing(result) == [("syntax", 6)]  # page line of the broken command, not of the output


def test_first_prompt_decides_the_sign_so_output_with_percent_is_output(pipeline: Pipeline) -> None:
    text = "$ curl -O https://example.com/f.tgz\n  % Total    % Received % Xferd\n% echo (not a command"
    body, shifts = console.script_text(text)
    assert body.split("\n") == ["curl -O https://example.com/f.tgz", "", ""]
    assert shifts == [2, 0, 0]


def test_bare_hash_is_a_comment_not_a_root_prompt(pipeline: Pipeline) -> None:
    result = one(pipeline, "# Install the tool\napt-get install -y curl")
    assert not result.block.meta.get("prompted")
    assert result.status is Status.PASSED


def test_powershell_session_is_unchecked_with_its_reason(pipeline: Pipeline) -> None:
    result = one(pipeline, "PS C:\\src> docker run --rm -it alpine\nUnable to find image 'alpine:latest' locally")
    assert result.status is Status.UNCHECKED
    assert result.note == "PowerShell session: not checked"


# -- not shell at all in a shell fence: one finding that says what it is -------------------------------------


@pytest.mark.parametrize(
    ("body", "what", "fence"),
    [
        (
            "NAME          TYPE           CLUSTER-IP     EXTERNAL-IP   PORT(S)          AGE\n"
            "argo-server   LoadBalancer   10.43.43.130   172.18.0.2    2746:30008/TCP   18h",
            "command output",
            "```text",
        ),
        (
            "2021-03-08T05:22:26.378Z   INFO   Need to update DB\n\nalpine (alpine 3.10.2)\n======\nTotal: 2",
            "command output",
            "```text",
        ),
        ("HTTP/2 200\nx-frame-options: DENY\ncontent-type: text/plain; charset=utf-8", "command output", "```text"),
        ("my-plugin/\n  plugin.yaml\n  bin/\n    run.sh", "a directory tree", "```text"),
        ("grandparent\n`-- parent\n    |-- child1\n    `-- child2", "a directory tree", "```text"),
        ("--format table\n--severity HIGH,CRITICAL\n--ignore-unfixed", "a list of flags", "```text"),
        ("--node-field-selector=phase!=Running", "a command-line flag", "```text"),
        ("containers:\n- name: app\n  command:\n  - /bin/app\n  - --port=8080", "YAML", "```yaml"),
        ('{\n  "Version": "dev",\n  "NextUpdate": "2023-07-25T14:15:29Z"\n}', "JSON", "```json"),
        (
            'curl -s localhost:8080/version | jq\n{\n  "Version": "dev",\n  "Build": 2,\n  "Ok": true\n}',
            "a command followed by its output",
            "```console",
        ),
        (
            "[...]\nFROM build AS vulnscan\nCOPY --from=aquasec/trivy:latest /usr/local/bin/trivy /usr/local/bin/\n"
            "RUN trivy rootfs --exit-code 1 --no-progress /\n[...]",
            "a Dockerfile",
            "```dockerfile",
        ),
    ],
)
def test_not_shell_gets_one_finding_naming_the_fence(pipeline: Pipeline, body: str, what: str, fence: str) -> None:
    result = one(pipeline, body)
    [finding] = result.findings
    assert (finding.rule, finding.severity, finding.line) == ("fence-language", Severity.WARNING, 3)
    assert f"looks like {what}" in finding.message and f"fence it as {fence}" in finding.message
    assert result.status is Status.FAILED
    assert not result.checks  # neither bash nor shellcheck ran on it: no cascade


@pytest.mark.parametrize(
    "body",
    [
        "kubectl get pods\nkubectl logs web-1 --tail=20",
        'cat > policy.json <<EOF\n{\n  "Version": "2012-10-17",\n  "Statement": []\n}\nEOF',
        "helm install traefik traefik/traefik \\\n  --set image.tag=v3 \\\n  --wait",
        'curl -X PUT https://api/x \\\n  --data \'{\n    "name": "a",\n    "id": 1,\n    "ok": true\n  }\'',
        "export KUBECONFIG=~/.kube/config\nmake build",
    ],
)
def test_real_scripts_are_not_taken_for_something_else(pipeline: Pipeline, body: str) -> None:
    result = one(pipeline, body)
    assert "looks_like" not in result.block.meta
    assert [r.check for r in result.checks] == ["bash", "shellcheck"]


def test_data_kind_says_what_a_block_is(pipeline: Pipeline) -> None:
    [result] = check(pipeline, '```{ .bash data-kind="shell" }\n--format table\n--severity HIGH\n```\n')
    assert "looks_like" not in result.block.meta
    assert {r.check for r in result.checks} == {"bash", "shellcheck"}


# -- one cause, one finding ---------------------------------------------------------------------------------


def test_unclosed_quote_is_one_finding_where_the_quote_opens(pipeline: Pipeline) -> None:
    result = one(pipeline, 'git commit -m "fix the thing\ngit push origin main\necho done')
    [finding] = result.findings
    assert (finding.tool, finding.rule, finding.line, finding.column) == ("bash", "syntax", 4, 15)
    assert "matching `\"'" in finding.message and "SC1073" in finding.message
    assert {"SC1073", "SC1072"} <= set(finding.rules)  # data-expect may name either tool's ids


def test_unclosed_if_is_reported_at_the_if_not_at_the_end(pipeline: Pipeline) -> None:
    result = one(pipeline, "echo start\nif [ -f x ]; then\n  echo x\necho end")
    [finding] = result.findings
    assert (finding.tool, finding.line) == ("bash", 5)
    assert "end of file" in finding.message and "'fi'" in finding.message


def test_a_parse_failure_only_shellcheck_sees_is_one_shellcheck_finding(pipeline: Pipeline) -> None:
    result = one(pipeline, "[I 12:00:01 server] Serving on http://0.0.0.0:8000 now")
    assert [(f.tool, f.rule) for f in result.findings] == [("shellcheck", "SC1073")]
    assert "Expected test to end here" in result.findings[0].message


def test_without_bash_the_shellcheck_cascade_is_still_one_finding() -> None:
    lone = Pipeline(Settings(root=ROOT, cache_dir=None, disabled_checks=("bash",)), only=["shellcheck"])
    result = one(lone, 'echo "never closed\nls')
    assert [(f.tool, f.rule, f.line) for f in result.findings] == [("shellcheck", "SC1073", 4)]


# -- placeholders and elisions are words --------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "argocd login <ARGOCD_SERVER>",
        "argocd login <host>:<port> --grpc-web-root-path /argo-cd",
        "git cherry-pick <commit hash of your bugfix's squash commit in master>",
        "VERSION=<TAG>\ncurl -sSL -o argocd https://example.com/$VERSION/argocd",
        "kubectl get ingress <name> -o yaml | grep ingressClassName",
        "export TRIVY_USERNAME={USERNAME}",
        "touch /work/markers/{{inputs.parameters.num}}",
        'ARGO_SERVER="${{HOST}}:443"\nexport ARGO_SERVER',
        "trivy repo (REPO_PATH | REPO_URL)",
        "trivy image --detection-priority {precise|comprehensive} alpine:3.15",
        "make test\n...\n[...]\n…",
    ],
)
def test_placeholders_and_elisions_are_words(pipeline: Pipeline, body: str) -> None:
    result = one(pipeline, body)
    assert result.status is Status.PASSED, result.findings


def test_placeholders_keep_columns_and_real_redirections() -> None:
    text = "sort <in >out && diff <(ls a) <(ls b) && cat <<EOF > f\nx <y>\nEOF"
    words = shell_words.as_words(text)
    assert words == "sort <in >out && diff <(ls a) <(ls b) && cat <<EOF > f\nx _y_\nEOF"
    assert len(shell_words.as_words("a <b c> d")) == len("a <b c> d")


def test_a_placeholder_does_not_hide_a_real_error(pipeline: Pipeline) -> None:
    result = one(pipeline, "kubectl delete pod <name>\nif true; then echo x; fi fi")
    assert failing(result) == [("syntax", 5)]


# -- continuation lines: quotes, backslashes, heredocs -------------------------------------------------------


def test_console_keeps_a_multi_line_quoted_string() -> None:
    body, shifts = console.script_text('$ echo "line one\nline two" | wc -l\n2\n$ ls')
    assert body.split("\n") == ['echo "line one', 'line two" | wc -l', "", "ls"]
    assert shifts == [2, 0, 0, 2]


def test_manifest_echoed_to_kubectl_is_schema_checked(pipeline: Pipeline) -> None:
    markdown = """
        ```console
        $ echo 'apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
        spec:
          replicaz: 2' | kubectl apply -f -
        deployment.apps/web created
        ```
        """
    [result] = check(pipeline, markdown)
    schema = [(f.line, f.hint) for f in result.findings if f.tool == "kubernetes-schema" and f.fails]
    assert (8, "did you mean `replicas`?") in schema  # `replicaz`, on its page line


# -- a page is one session; a block without #! is typed at a prompt ------------------------------------------


def test_session_rules_are_notes_without_a_shebang_and_warnings_with_one(pipeline: Pipeline) -> None:
    typed = one(pipeline, "cd argo-cd\nmake start")
    assert typed.status is Status.PASSED
    [note] = typed.findings
    assert (note.rule, note.severity) == ("SC2164", Severity.INFO) and "typed at a prompt" in (note.hint or "")
    script = one(pipeline, "#!/bin/bash\ncd argo-cd\nmake start")
    assert failing(script) == [("SC2164", 5)]


def test_a_variable_used_by_a_later_block_is_not_unused(pipeline: Pipeline) -> None:
    markdown = """
        ```bash
        VERSION=$(curl -s https://example.com/latest)
        ```

        ```bash
        curl -sSLO "https://example.com/$VERSION/tool"
        ```

        ```bash
        GOFLAGS=-mod=mod
        ```
        """
    used, reader, unused = check(pipeline, markdown)
    assert used.status is Status.PASSED and [f.rule for f in used.findings] == ["SC2034"]
    assert used.findings[0].hint == "used in another block of this page"
    assert reader.status is Status.PASSED
    assert failing(unused) == [("SC2034", 11)]  # typed without export, it reaches no later program
