"""Broken Compose files, one per kind of error Compose reports, with where each error belongs.

Written for this project from the kinds of error compose-go's own tests exercise (no file is copied). Each
case is ``(id, text, expected)``: ``expected`` lists ``(rule, line)`` for every finding the Compose check
must give, in order. ``tests/test_check_compose_messages.py`` runs them through the real ``docker-compose``;
``benchmarks``-style before/after counts in the report of issue 17 come from the same table.
"""

from __future__ import annotations

CASES: list[tuple[str, str, list[tuple[str, int]]]] = [
    (
        "services-as-list",
        "name: shop\nservices:\n  - web\n  - db\n",
        [("not-a-mapping", 2)],
    ),
    (
        "bind-mount-without-source",
        "services:\n  web:\n    image: nginx:1.29\n    volumes:\n      - ./html:/usr/share/nginx/html\n"
        "      - type: bind\n        target: /etc/nginx/conf.d\n",
        [("invalid-mount", 6)],
    ),
    (
        "network-mode-with-networks",
        "services:\n  proxy:\n    image: traefik:3\n    networks: [edge]\n    network_mode: host\n"
        "networks:\n  edge: {}\n",
        [("mutually-exclusive", 5)],
    ),
    (
        "neither-image-nor-build",
        "services:\n  web:\n    image: nginx:1.29\n  worker:\n    command: [python, worker.py]\n",
        [("missing-image", 4)],
    ),
    (
        "extends-without-service",
        "services:\n  base:\n    image: alpine:3.20\n  web:\n    extends: {}\n",
        [("extends-without-service", 5)],
    ),
    (
        "extends-unknown-service",
        "services:\n  web:\n    image: nginx:1.29\n  api:\n    extends:\n      service: common\n",
        [("extends-unknown-service", 6)],
    ),
    (
        "extends-itself",
        "services:\n  web:\n    image: nginx:1.29\n  api:\n    extends: api\n",
        [("extends-cycle", 5)],
    ),
    (
        "dependency-cycle",
        "services:\n  api:\n    image: python:3.13\n    depends_on:\n      - cache\n  cache:\n    image: redis:8\n"
        "    depends_on: [worker]\n  worker:\n    image: python:3.13\n    depends_on:\n      api:\n"
        "        condition: service_started\n",
        [("dependency-cycle", 5)],
    ),
    (
        "depends-on-itself",
        "services:\n  api:\n    image: python:3.13\n    depends_on: [api]\n",
        [("dependency-cycle", 4)],
    ),
    (
        "empty-interpolation",
        "services:\n  web:\n    image: nginx:1.29\n    command: echo ${}\n",
        [("invalid-interpolation", 4)],
    ),
    (
        "unterminated-interpolation",
        "services:\n  web:\n    image: nginx:${NGINX_TAG\n",
        [("invalid-interpolation", 3)],
    ),
    (
        "invalid-interpolation-in-a-literal-block",
        "services:\n  job:\n    image: alpine:3.20\n    command:\n      - sh\n      - -c\n      - |\n"
        "        echo start\n        echo ${not a name}\n    restart: on-failure\n    init: maybe\n",
        [("invalid-interpolation", 7), ("interpolation-type", 11)],
    ),
    (
        "duplicate-key-second-service",
        "services:\n  web:\n    image: nginx:1.29\n    ports: ['80:80']\n    ports: ['8080:80']\n",
        [("duplicate-key", 5)],
    ),
    (
        "duplicate-top-level-key",
        "services:\n  web:\n    image: nginx:1.29\nvolumes:\n  data: {}\nvolumes:\n  logs: {}\n",
        [("duplicate-key", 6)],
    ),
    (
        "yaml-unclosed-flow",
        "services:\n  web:\n    image: nginx:1.29\n    ports: [80:80\n    restart: always\n",
        [("yaml-syntax", 5)],
    ),
    (
        "yaml-tab-indentation",
        "services:\n  web:\n    image: nginx:1.29\n\trestart: always\n",
        [("yaml-syntax", 4)],
    ),
    (
        "duplicate-key-in-flow-mapping",
        "services:\n  web:\n    image: nginx:1.29\n  api: {image: 'app:1', image: 'app:2'}\n",
        [("duplicate-key", 4)],
    ),
    (
        "value-that-is-not-its-tag",
        "services:\n  web:\n    image: nginx:1.29\n    labels:\n      tier: !!int front\n",
        [("yaml-syntax", 5)],
    ),
    (
        "alias-inside-itself",
        "x-loop: &loop\n  again: *loop\nservices:\n  web:\n    image: nginx:1.29\n",
        [("yaml-syntax", 2)],
    ),
    (
        "list-as-a-key",
        "services:\n  web:\n    image: nginx:1.29\n  ? [a, b]\n  : {image: x}\n",
        [("yaml-syntax", 4)],
    ),
    (
        "unknown-service-key",
        "services:\n  web:\n    image: nginx:1.29\n    restartt: always\n",
        [("schema", 4)],
    ),
    (
        "unknown-build-key",
        "services:\n  web:\n    build:\n      context: .\n      dokerfile: web.Dockerfile\n",
        [("schema", 5)],
    ),
    (
        "wrong-type",
        "services:\n  web:\n    image: nginx:1.29\n    healthcheck:\n      test: [CMD, curl, -f, http://localhost]\n"
        "      interval: 30\n",
        [("schema", 6)],
    ),
    (
        "config-file-and-content",
        "services:\n  web:\n    image: nginx:1.29\n    configs: [site]\nconfigs:\n  site:\n    file: ./site.conf\n"
        "    content: |\n      server {}\n",
        [("mutually-exclusive", 8)],
    ),
    (
        "secret-file-and-environment",
        "services:\n  web:\n    image: nginx:1.29\n    secrets: [token]\nsecrets:\n  token:\n    environment: TOKEN\n"
        "    file: ./token.txt\n",
        [("mutually-exclusive", 8)],
    ),
    (
        "dockerfile-and-inline",
        "services:\n  web:\n    build:\n      context: .\n      dockerfile_inline: |\n        FROM nginx:1.29\n"
        "      dockerfile: Dockerfile\n",
        [("mutually-exclusive", 7)],
    ),
    (
        "scale-and-replicas",
        "services:\n  worker:\n    image: python:3.13\n    deploy:\n      replicas: 3\n    scale: 2\n",
        [("conflicting-values", 6)],
    ),
    (
        "replicas-not-a-number",
        "services:\n  worker:\n    image: python:3.13\n    deploy:\n      replicas: three\n",
        [("interpolation-type", 5)],
    ),
    (
        "read-only-not-a-boolean",
        "services:\n  worker:\n    image: python:3.13\n    read_only: sometimes\n    tty: yes\n",
        [("yaml-boolean", 5), ("interpolation-type", 4)],
    ),
    (
        "two-cast-errors",
        "services:\n  worker:\n    image: python:3.13\n    ports:\n      - target: http\n    privileged: perhaps\n",
        [("interpolation-type", 5), ("interpolation-type", 6)],
    ),
    (
        "first-error-line-ends-with-a-colon",
        "services:\n  web:\n    image: nginx:1.29\n    configs: [site]\n    deploy:\n      replicas: many\n"
        "configs:\n  site:\n    external: ''\n",
        [("interpolation-type", 9), ("interpolation-type", 6)],
    ),
    (
        "memory-limit-not-a-size",
        "services:\n  worker:\n    image: python:3.13\n    deploy:\n      resources:\n        limits:\n"
        "          memory: lots\n",
        [("invalid-size", 7)],
    ),
    (
        "host-port-not-a-number",
        "services:\n  web:\n    image: nginx:1.29\n    ports:\n      - '8080:80'\n      - 'https:443'\n",
        [("invalid-port", 6)],
    ),
    (
        "volume-empty-source",
        "services:\n  web:\n    image: nginx:1.29\n    volumes:\n      - ./conf:/etc/nginx/conf.d\n      - ':/data'\n",
        [("invalid-volume", 6)],
    ),
    (
        "undefined-service",
        "services:\n  web:\n    image: nginx:1.29\n    depends_on:\n      db:\n        condition: service_healthy\n",
        [("undefined-service", 5)],
    ),
    (
        "undefined-network",
        "services:\n  web:\n    image: nginx:1.29\n    networks:\n      - front\n      - back\n"
        "networks:\n  front: {}\n",
        [("undefined-network", 6)],
    ),
    (
        "undefined-secret",
        "services:\n  web:\n    image: nginx:1.29\n    secrets:\n      - source: tls_key\n        target: key.pem\n",
        [("undefined-secret", 5)],
    ),
    (
        "watch-without-target",
        "services:\n  web:\n    build: .\n    develop:\n      watch:\n        - path: ./src\n          action: sync\n",
        [("config", 5)],
    ),
    (
        "obsolete-version",
        "version: '3.9'\nservices:\n  web:\n    image: nginx:1.29\n",
        [("obsolete-version", 1)],
    ),
]
