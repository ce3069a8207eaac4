"""The record-load benchmark once, at a tiny N with real DuckDB (no duration assertions)."""

from __future__ import annotations

import json
from pathlib import Path

from bench.records_load import main

N = 5_000


def test_records_load_smoke(tmp_path: Path, capsys) -> None:
    work = tmp_path / "work"
    out = tmp_path / "table.md"
    code = main(
        [
            "--records",
            str(N),
            "--work",
            str(work),
            "--out",
            str(out),
            "--memory-limit",
            "1GB",
            "--threads",
            "1",
            "--max-units",
            "3",
        ]
    )
    assert code == 0
    stored = json.loads((work / "results.json").read_text())
    assert len(stored) == 1
    run = stored[0]
    assert run["records"] == run["loaded_rows"] == N  # every generated record loaded
    assert run["rejected_files"] == 0 and run["loaded_files"] == run["files"] > 0
    assert run["floor_s"] > 0 and run["wall_s"] > 0
    table = out.read_text(encoding="utf-8")
    assert f"| {N:,} |" in table
    assert f"| {N:,} |" in capsys.readouterr().out
