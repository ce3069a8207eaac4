"""`parwh draft-report`: the data sections of a unit's PAR report for a period, written from
the published marts (narratives/draft.py) as Markdown and .docx.

    parwh draft-report --unit "Nha Trang" --period 2018 [--warehouse DIR] [--out DIR]

Registered on the `parwh` app by cli/main.py (``register(app)``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cli.common import console, resolve_settings


def draft_report(
    unit: Annotated[
        str,
        typer.Option(
            "--unit",
            help="Unit: code (L568, 568) or name (Nha Trang; 'Nha Trang, Khánh Hòa' when names repeat).",
        ),
    ],
    period: Annotated[
        str,
        typer.Option(
            "--period", help="Period: 2018, 2023-H1, 2023-Q3, 2023-9M, 2023-06, 2023-06-30 (to that day)."
        ),
    ],
    warehouse: Annotated[
        Path | None,
        typer.Option("--warehouse", help="Warehouse directory (default: $PARWH_WAREHOUSE or ./warehouse)."),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Folder to write into (default: <warehouse>/published/drafts)."),
    ] = None,
) -> None:
    """Write the data sections of a unit's report for a period (Markdown and .docx) from the
    published marts: every figure from the data, in the seed reports' sentence forms."""
    from narratives.draft import build_draft, open_published, unit_periods, write_draft
    from narratives.draft_periods import DraftPeriodError
    from narratives.draft_units import DraftUnitError

    settings = resolve_settings(warehouse, None)
    if not settings.latest_path.exists():
        console.print(
            f"[red]Kho dữ liệu chưa có bản công bố nào trong {settings.published_dir}: chạy `parwh run`"
            " trước. / Nothing published yet: run `parwh run` first.[/red]"
        )
        raise typer.Exit(1)
    con = open_published(settings.latest_path)
    try:
        try:
            draft = build_draft(con, unit, period)
        except DraftUnitError as exc:
            console.print(f"[red]Đơn vị không hợp lệ / Unknown unit:[/red] {_plain(exc.vi)}")
            raise typer.Exit(1) from exc
        except DraftPeriodError as exc:
            console.print(f"[red]Kỳ báo cáo không hợp lệ / Unknown period:[/red] {_plain(exc.vi)}")
            raise typer.Exit(1) from exc
        if not draft.has_data:
            periods = unit_periods(con, draft.unit)
            listed = ", ".join(periods[:24]) if periods else "không có kỳ nào"
            console.print(
                f"[red]Kỳ báo cáo không có số liệu / No data for the period:[/red] kho dữ liệu không có số"
                f" liệu nào của {_plain(draft.unit.subject)} ({draft.unit.code}) cho kỳ"
                f" '{_plain(period)}' ({draft.period.label}); các kỳ có số liệu: {listed}."
            )
            raise typer.Exit(1)
    finally:
        con.close()
    md, docx = write_draft(draft, out or settings.published_dir / "drafts")
    console.print(f"Dự thảo số liệu / Draft: {_plain(draft.unit.subject)}, {draft.period.words}")
    console.print(f"  {md}")
    console.print(f"  {docx}")


def _plain(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def register(app: typer.Typer) -> None:
    """Add `draft-report` to the `parwh` app."""
    app.command("draft-report")(draft_report)
