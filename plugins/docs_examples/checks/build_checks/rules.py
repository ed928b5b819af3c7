"""The build-check rules of Docker's reference (docs.docker.com/reference/build-checks), as data.

Each rule has its name (findings use ``buildkit/<Name>``), the page of Docker's reference that explains
it, what it checks in this project's words, whether it is experimental (BuildKit runs those only when a
``# check=experimental=…`` directive enables them), how much of it can be decided without the daemon,
and a failing and a passing example written here. The examples run as tests, and the "How examples are
checked" page renders :func:`docs_rules_table`. Importing this module loads nothing but the standard library.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from docs_examples.tables import markdown_table

REFERENCE = "https://docs.docker.com/reference/build-checks/"

Coverage = Literal["checked", "partly", "not checked"]


@dataclass(frozen=True, slots=True)
class BuildRule:
    """One of Docker's build checks and how this project decides it."""

    name: str
    slug: str  # the rule's page under REFERENCE
    summary: str
    bad: str = ""  # a Dockerfile that breaks the rule ("" when the rule needs more than a text)
    good: str = ""  # the same idea, written so that it passes
    experimental: bool = False
    coverage: Coverage = "checked"
    note: str = ""  # what is left undecided, and why

    @property
    def id(self) -> str:
        return f"buildkit/{self.name}"

    @property
    def url(self) -> str:
        return f"{REFERENCE}{self.slug}/" if self.slug else REFERENCE


_FROM = "FROM alpine:3.20\n"

RULES: tuple[BuildRule, ...] = (
    BuildRule(
        "StageNameCasing",
        "stage-name-casing",
        "A stage name (`FROM … AS name`) is written in lower case.",
        bad="FROM alpine:3.20 AS Builder\n",
        good="FROM alpine:3.20 AS builder\n",
    ),
    BuildRule(
        "FromAsCasing",
        "from-as-casing",
        "`AS` has the case of its `FROM` keyword: `FROM … AS`, `from … as`.",
        bad="FROM alpine:3.20 as builder\n",
        good="FROM alpine:3.20 AS builder\n",
    ),
    BuildRule(
        "NoEmptyContinuation",
        "no-empty-continuation",
        "No blank line inside an instruction continued with the escape character.",
        bad=_FROM + "RUN apk add --no-cache \\\n\n    curl\n",
        good=_FROM + "RUN apk add --no-cache \\\n    curl\n",
    ),
    BuildRule(
        "ConsistentInstructionCasing",
        "consistent-instruction-casing",
        "Every instruction keyword has the case most keywords of the file have, and none mixes cases.",
        bad=_FROM + "run echo one\nRUN echo two\n",
        good=_FROM + "RUN echo one\nRUN echo two\n",
    ),
    BuildRule(
        "DuplicateStageName",
        "duplicate-stage-name",
        "Stage names are unique, compared without case.",
        bad="FROM alpine:3.20 AS deps\nFROM alpine:3.20 AS deps\n",
        good="FROM alpine:3.20 AS deps\nFROM alpine:3.20 AS final\n",
    ),
    BuildRule(
        "ReservedStageName",
        "reserved-stage-name",
        "No stage is named `scratch` or `context`, which BuildKit reserves.",
        bad="FROM alpine:3.20 AS context\n",
        good="FROM alpine:3.20 AS base\n",
    ),
    BuildRule(
        "JSONArgsRecommended",
        "json-args-recommended",
        "`CMD` and `ENTRYPOINT` use the exec (JSON) form unless a `SHELL` instruction of the stage, or of a "
        "stage it builds on, chose the shell.",
        bad=_FROM + "CMD node server.js\n",
        good=_FROM + 'CMD ["node", "server.js"]\n',
        note="only `SHELL` instructions of the file are seen; a base image whose own configuration sets a "
        "shell (rare outside Windows images) also silences it in Docker",
    ),
    BuildRule(
        "MaintainerDeprecated",
        "maintainer-deprecated",
        "No `MAINTAINER`; the author goes in a label.",
        bad=_FROM + "MAINTAINER ops@example.com\n",
        good=_FROM + 'LABEL org.opencontainers.image.authors="ops@example.com"\n',
    ),
    BuildRule(
        "UndefinedArgInFrom",
        "undefined-arg-in-from",
        "Every variable of a `FROM` line (image and `--platform`) is a global `ARG`, declared before the "
        "first `FROM`, or a predefined platform argument.",
        bad="FROM alpine:${ALPINE_VERSION}\n",
        good="ARG ALPINE_VERSION=3.20\nFROM alpine:${ALPINE_VERSION}\n",
    ),
    BuildRule(
        "WorkdirRelativePath",
        "workdir-relative-path",
        "The first `WORKDIR` of a stage, counting the stages it builds on, is an absolute path.",
        bad=_FROM + "WORKDIR app\n",
        good=_FROM + "WORKDIR /app\n",
        coverage="partly",
        note="a path built from a variable that only the base image could define is not judged",
    ),
    BuildRule(
        "UndefinedVar",
        "undefined-var",
        "Variables that BuildKit itself expands (in `ENV`, `LABEL`, `COPY`, `ADD`, `WORKDIR`, `USER`, "
        "`VOLUME`, `STOPSIGNAL`, `ARG` defaults and `RUN --mount` options) are defined before they are "
        "used; `RUN`, `CMD` and `ENTRYPOINT` commands are left to the shell.",
        bad=_FROM + "ARG VERSION=1.4.2\nCOPY app-$VERSON.tar.gz /opt/\n",
        good=_FROM + "ARG VERSION=1.4.2\nCOPY app-$VERSION.tar.gz /opt/\n",
        coverage="partly",
        note="the base image's environment is in the registry: a name it might define is reported only "
        'in stages built on `scratch`, or as a near miss of a name the file defines ("did you mean")',
    ),
    BuildRule(
        "MultipleInstructionsDisallowed",
        "multiple-instructions-disallowed",
        "At most one `CMD`, `ENTRYPOINT` and `HEALTHCHECK` per stage: only the last one counts.",
        bad=_FROM + 'CMD ["serve"]\nCMD ["serve", "--debug"]\n',
        good=_FROM + 'CMD ["serve", "--debug"]\n',
    ),
    BuildRule(
        "LegacyKeyValueFormat",
        "legacy-key-value-format",
        "`ENV` and `LABEL` are written `key=value`, not `key value`.",
        bad=_FROM + "ENV NODE_ENV production\n",
        good=_FROM + "ENV NODE_ENV=production\n",
    ),
    BuildRule(
        "RedundantTargetPlatform",
        "redundant-target-platform",
        "`FROM --platform=$TARGETPLATFORM`, the default, is not written out.",
        bad="FROM --platform=$TARGETPLATFORM alpine:3.20\n",
        good="FROM --platform=$BUILDPLATFORM alpine:3.20\n",
    ),
    BuildRule(
        "SecretsUsedInArgOrEnv",
        "secrets-used-in-arg-or-env",
        "No `ARG` or `ENV` of a stage is named like a secret (a word such as `password`, `token`, `secret`, "
        "`key`, `auth` in its name, unless `public` is one too): secrets belong in secret mounts.",
        bad=_FROM + "ARG NPM_TOKEN\nRUN npm ci\n",
        good=_FROM + "RUN --mount=type=secret,id=npm_token npm ci\n",
    ),
    BuildRule(
        "InvalidDefaultArgInFrom",
        "invalid-default-arg-in-from",
        "With only the defaults of the global `ARG`s (no `--build-arg`), every `FROM` names a valid image.",
        bad="ARG ALPINE_VERSION\nFROM alpine:${ALPINE_VERSION}\n",
        good="ARG ALPINE_VERSION=3.20\nFROM alpine:${ALPINE_VERSION}\n",
    ),
    BuildRule(
        "FromPlatformFlagConstDisallowed",
        "from-platform-flag-const-disallowed",
        "`FROM --platform` takes a variable, unless the stage's name says which platform it is for.",
        bad="FROM --platform=linux/arm64 alpine:3.20 AS build\n",
        good="FROM --platform=linux/arm64 alpine:3.20 AS build-arm64\n",
    ),
    BuildRule(
        "CopyIgnoredFile",
        "copy-ignored-file",
        "A `COPY`/`ADD` source from the build context is not excluded by its `.dockerignore` (Dockerfiles "
        "included from a folder with a `.dockerignore`).",
        experimental=True,
    ),
    BuildRule(
        "InvalidDefinitionDescription",
        "invalid-definition-description",
        "A comment directly above a named `FROM` or an `ARG` starts with that name (`# VERSION the …`), "
        "the form `docker build --call=outline` shows as a description.",
        bad="# check=experimental=InvalidDefinitionDescription\n# the release to install\nARG VERSION=1.4.2\n" + _FROM,
        good="# check=experimental=InvalidDefinitionDescription\n# VERSION is the release to install\n"
        "ARG VERSION=1.4.2\n" + _FROM,
        experimental=True,
    ),
    BuildRule(
        "ExposeProtoCasing",
        "expose-proto-casing",
        "The protocol of an `EXPOSE` port is lower case (`53/udp`).",
        bad=_FROM + "EXPOSE 53/UDP\n",
        good=_FROM + "EXPOSE 53/udp\n",
    ),
    BuildRule(
        "ExposeInvalidFormat",
        "expose-invalid-format",
        "`EXPOSE` names container ports only: no IP address and no host port mapping.",
        bad=_FROM + "EXPOSE 8080:80\n",
        good=_FROM + "EXPOSE 80\n",
    ),
    BuildRule(
        "InvalidBaseImagePlatform",
        "",  # in BuildKit's rule set, not on its own page of Docker's reference
        "The base image pulled has the platform the build targets.",
        coverage="not checked",
        note="needs the base image's manifest, which only the registry has",
    ),
)

RULES_BY_NAME: dict[str, BuildRule] = {rule.name: rule for rule in RULES}


def docs_rules_table() -> str:
    """The rules as a Markdown table: id (linked to Docker's page), what it checks, and how it is decided."""
    rows = []
    for rule in RULES:
        checked = {"checked": "yes", "partly": "partly", "not checked": "no"}[rule.coverage]
        if rule.experimental:
            checked += " (experimental: only when `# check=experimental=…` enables it, as in BuildKit)"
        if rule.note:
            checked += f": {rule.note}"
        rows.append((f"[`{rule.id}`]({rule.url})", rule.summary, checked))
    return markdown_table(("Rule", "What it checks", "Checked here"), rows)


__all__ = ["REFERENCE", "RULES", "RULES_BY_NAME", "BuildRule", "docs_rules_table"]
