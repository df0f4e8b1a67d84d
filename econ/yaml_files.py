"""Reading the project's YAML files (reports/runs.yaml, tariff scenarios) strictly.

Two things plain `yaml.safe_load` does that hide a user's mistake:

* a key written twice in one mapping keeps the last value silently (two runs of the same name, two
  ``from:`` dates in one override) — here it is an error naming the key and both lines;
* an unquoted date is turned into a `datetime.date` while parsing, so ``2025-13-14`` fails inside the
  parser with "month must be in 1..12" and no key named — here dates stay text, and the code that expects
  a date checks it and names the key.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from econ.errors import EconError


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader without implicit timestamps, refusing duplicate keys."""


_StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _mapping(loader: _StrictLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)  # type: ignore[no-untyped-call]
        line = key_node.start_mark.line + 1
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"key {key!r} appears twice (lines {seen[key]} and {line})", key_node.start_mark
            )
        seen[key] = line
    return dict(loader.construct_mapping(node))


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def load(path: str | Path, *, what: str) -> Any:
    """The YAML document in `path`; EconError naming the file, the line and the problem (`what` says
    what the file is, for the message: "runs file", "scenario file")."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise EconError(f"{what} {path}: cannot be read ({error})") from None
    try:
        return yaml.load(text, Loader=_StrictLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark is not None else ""
        problem = getattr(error, "problem", None) or str(error)
        raise EconError(f"{what} {path}: not valid YAML ({where}{problem})") from None
