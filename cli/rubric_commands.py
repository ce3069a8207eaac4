"""`parwh rubric load FILE` and `parwh rubric list`: the typer commands over rubrics/.

    parwh rubric load FILE     check a rubric file (docs/rubrics.md) and keep it in the
                               warehouse: the next `parwh run` scores with it
    parwh rubric list          the rubric files the nights read (shipped and loaded)

Registered on the `parwh` app by cli/main.py (``register(app)``).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from cli.common import console, resolve_settings
from ingest import vocabulary
from rubrics.loading import check_rubric_file, rubric_files, store_rubric
from rubrics.reader import RubricFileError
from rubrics.tree import points_text

WarehouseOption = Annotated[
    Path | None,
    typer.Option("--warehouse", help="Warehouse directory (default: $PARWH_WAREHOUSE or ./warehouse)."),
]
METHODS_SHOWN = ("self_assessed", "survey", "computed")

rubric_app = typer.Typer(
    help="Rubrics (bộ tiêu chí) as data: load next year's rubric from its file; list them.",
    no_args_is_help=True,
)


@rubric_app.command("load")
def load(
    file: Annotated[
        Path, typer.Argument(help="The rubric file (.xlsx, .xls, .ods or .csv; docs/rubrics.md).")
    ],
    warehouse: WarehouseOption = None,
) -> None:
    """Check a rubric file and keep it in <warehouse>/rubrics/: the next `parwh run` scores with it."""
    settings = resolve_settings(warehouse, None)
    if not file.is_file():
        console.print(f"[red]Không có tệp / No such file:[/red] {file}")
        raise typer.Exit(1)
    try:
        checked = check_rubric_file(file)
    except RubricFileError as exc:
        console.print(f"[red]Không nạp bộ tiêu chí / Rubric not loaded:[/red] {exc.message_vi()}")
        console.print(str(exc), highlight=False)
        raise typer.Exit(1) from exc
    meta = checked.rubric.meta
    replaced = [
        f.shown_name for f in rubric_files(settings) if _same_version(f.path, meta.rubric_id, meta.year_from)
    ]
    stored = store_rubric(settings, file)
    target = vocabulary.terms("rubric_targets")[meta.target]
    years = f"{meta.year_from}–{meta.year_to}" if meta.year_to else f"từ / from {meta.year_from}"
    where = f"{meta.province} ({checked.province_code})" if meta.province else "toàn quốc / national"
    by_method = checked.rubric.points_by_method()
    methods = "; ".join(
        f"{vocabulary.terms('rubric_methods')[m].vi} {points_text(by_method[m])}"
        for m in METHODS_SHOWN
        if m in by_method
    )
    console.print(f"Đã nạp bộ tiêu chí / Rubric loaded: [bold]{meta.name_vi}[/bold] ({meta.rubric_id})")
    console.print(f"  {target.vi} / {target.en}, {where}, {years}")
    console.print(
        f"  {len(checked.rubric.areas)} lĩnh vực / areas, {points_text(checked.rubric.total)} điểm / points"
        f" ({methods}); {len(checked.rubric.nodes)} dòng / rows"
    )
    for area in checked.rubric.areas:
        console.print(f"    {area.ordinal}. {area.name_vi}: {points_text(area.max_points)}")
    if replaced:
        console.print(
            f"  Thay cho / replaces: {', '.join(replaced)} (cùng mã và năm bắt đầu / same id and first year)"
        )
    console.print(f"  Lưu tại / kept as: {stored.path}")
    console.print(
        "Lần chạy tới (`parwh run`) chấm điểm theo bộ tiêu chí này / the next `parwh run` scores with it"
    )


def _same_version(path: Path, rubric_id: str, year_from: int) -> bool:
    try:
        other = check_rubric_file(path).rubric.meta
    except RubricFileError:
        return False
    return (other.rubric_id, other.year_from) == (rubric_id, year_from)


@rubric_app.command("list")
def list_rubrics(warehouse: WarehouseOption = None) -> None:
    """The rubric files the nights read: shipped with the project, then loaded, oldest first
    (a table on a terminal, tab-separated lines when piped)."""
    settings = resolve_settings(warehouse, None)
    headers = (
        "Mã / id",
        "Tên / name",
        "Đối tượng / units",
        "Năm / years",
        "Tỉnh / province",
        "Nguồn / origin",
    )
    rows = []
    for found in rubric_files(settings):
        origin = (
            "kèm theo / shipped"
            if found.origin == "shipped"
            else f"nạp / loaded {found.loaded_at:%Y-%m-%d %H:%M} UTC"
        )
        try:
            meta = check_rubric_file(found.path).rubric.meta
        except RubricFileError as exc:
            rows.append(("?", "", "", "", "", f"{origin}: {found.shown_name}: {exc.problems[0].message_vi}"))
            continue
        rows.append(
            (
                meta.rubric_id,
                meta.name_vi,
                vocabulary.terms("rubric_targets")[meta.target].vi,
                f"{meta.year_from}–{meta.year_to or ''}",
                meta.province or "toàn quốc",
                f"{origin}: {found.shown_name}",
            )
        )
    if not sys.stdout.isatty():
        for row in (headers, *rows):
            typer.echo("\t".join(row))
        return
    table = Table(*headers)
    for row in rows:
        table.add_row(*row)
    console.print(table)


def register(app: typer.Typer) -> None:
    """Add `rubric load` and `rubric list` to the `parwh` app."""
    app.add_typer(rubric_app, name="rubric")
