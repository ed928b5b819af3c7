"""The cold-run baseline for the Kubernetes row when kubeconform is not installed: one Python process.

``python k8s_baseline.py SCHEMA_FOLDER FILE…`` does what ``kubeconform -strict`` does on the same files,
in Python: read each file with libyaml, validate each document with python-jsonschema against the same
standalone strict schemas (one validator per schema file), and print the invalid files as JSON. It
imports only yaml, json and jsonschema, so its CPU seconds are an interpreter, those imports and the work.

A file libyaml cannot read (Go's YAML dialect: a ``\\'`` escape, content after ``...``) is read with the
project's loader instead, as the check reads it (a ``...`` followed by content is an elision); that import
is paid only when such a file comes.
"""

from __future__ import annotations

import json
import sys

import jsonschema
import yaml
from naive import schema_name


def documents(path: str) -> list:
    """The documents of one file, libyaml first."""
    with open(path, encoding="utf-8") as fh:  # noqa: PTH123 - the lightest import is the point here
        text = fh.read()
    try:
        return list(yaml.load_all(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)))
    except yaml.YAMLError:
        from docs_examples.blocks.placeholders import mask_yaml
        from docs_examples.yaml_loader import load

        return [d.data for d in load(mask_yaml(text).text)[0]]  # as the check reads it: `...` may be an elision


def main(argv: list[str]) -> int:
    folder, files = argv[0], argv[1:]
    validators: dict[str, object] = {}
    invalid = []
    for path in files:
        bad = False
        for doc in documents(path):
            if not isinstance(doc, dict) or not doc.get("kind") or not doc.get("apiVersion"):
                continue
            name = schema_name(str(doc["kind"]), str(doc["apiVersion"]))
            if name not in validators:
                try:
                    with open(f"{folder}/{name}", encoding="utf-8") as fh:  # noqa: PTH123
                        schema = json.load(fh)
                    validators[name] = jsonschema.validators.validator_for(schema)(schema)
                except OSError:
                    validators[name] = None
            validator = validators[name]
            bad |= validator is None or bool(list(validator.iter_errors(doc)))  # type: ignore[attr-defined] # every error
        if bad:
            invalid.append(path)
    print(json.dumps({"invalid": invalid}))
    return 1 if invalid else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
