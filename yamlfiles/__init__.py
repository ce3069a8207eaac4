"""The project's YAML declarations (dbt sources and vars, header aliases, vocabularies, rule
catalogues, the marts' documentation), read with libyaml's safe loader when PyYAML was built
with it: the same documents as ``yaml.safe_load``, several times faster. A night reads about
forty of them in its first seconds; with the pure-Python loader that took about half a second
of the interpreter at 100 million records, on the night's critical path."""

from __future__ import annotations

from pathlib import Path
from typing import IO, Any

import yaml

#: libyaml's safe loader, else PyYAML's own (a build without libyaml: slower, same documents)
LOADER: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load(document: str | bytes | IO[str] | IO[bytes]) -> Any:
    """One YAML document (text, bytes or an open file), as ``yaml.safe_load`` reads it."""
    return yaml.load(document, Loader=LOADER)  # noqa: S506 - a safe loader


def read(path: Path) -> Any:
    """The YAML document of the file ``path`` (UTF-8)."""
    return load(Path(path).read_text(encoding="utf-8"))
