"""What every `parwh` command shares: the console, and the settings resolved from the
environment and the command's flags (exported for dbt and Dagster)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.console import Console

from settings import Settings, SettingsError, spark_missing


class PlainWhenPiped(Console):
    """The CLI's console. On a terminal, rich as usual; when the output is not a terminal (a
    file, a pipe, a log collector) every printed text is one logical line per line: never
    wrapped at the console's width (80 columns when piped), so paths stay whole and lines
    can be searched. Rich writes no colour codes there and its spinners (``status``) draw
    nothing. Emoji codes (``:name:``) are never replaced: file names may contain them."""

    def print(self, *objects: Any, **kwargs: Any) -> None:
        if not self.is_terminal:
            kwargs.setdefault("soft_wrap", True)
        super().print(*objects, **kwargs)

    def rule(self, title: Any = "", **kwargs: Any) -> None:
        if self.is_terminal:
            super().rule(title, **kwargs)
        else:  # a heading of its own, not a line of box characters 80 columns wide
            self.print(f"== {title} ==" if title else "==")


console = PlainWhenPiped(emoji=False)


def resolve_settings(warehouse: Path | None, inbox: Path | None) -> Settings:
    try:
        settings = Settings.from_env().with_overrides(warehouse=warehouse, inbox=inbox)
    except SettingsError as exc:
        console.print(f"[red]Setting error:[/red] {exc}")
        raise typer.Exit(1) from exc
    if settings.engine == "spark" and (problem := spark_missing(settings.spark_method)):
        console.print(f"[red]PARWH_ENGINE=spark:[/red] {problem}")
        raise typer.Exit(1)
    settings.export()
    return settings
