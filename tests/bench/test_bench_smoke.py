"""The benchmark code once, end to end, at a tiny N (no duration assertions: not a benchmark)."""

from __future__ import annotations

import json
from pathlib import Path

from bench.run import main

N = 2_000
INCREMENT = 200


def test_bench_smoke(tmp_path: Path) -> None:
    out = tmp_path / "BENCHMARKS.md"
    work = tmp_path / "work"
    code = main(
        [
            "--records", str(N), "--max-units", "5", "--increment-records", str(INCREMENT),
            "--work", str(work), "--out", str(out), "--memory-limit", "1GB", "--threads", "1",
            "--pandas-max-records", "1000", "--not-run", "N = 100,000,000 (smoke test)",
        ]
    )  # fmt: skip
    assert code == 0
    text = out.read_text(encoding="utf-8")
    for heading in ("## Full history night", "## Against the floor and pandas",
                    "## Increment and no-op night", "## Targets", "## Not run"):  # fmt: skip
        assert heading in text
    assert "cores" in text and "GB RAM" in text
    sections = {
        part.splitlines()[0]: [line for line in part.splitlines() if line.startswith("| 2,000 |")]
        for part in text.split("\n## ")[1:]
    }
    full = sections["Full history night (`parwh run`, first run on an empty warehouse)"]
    versus = sections["Against the floor and pandas"]
    night = sections["Increment and no-op night"]
    assert len(full) == len(versus) == len(night) == 1  # one row per N
    assert full[0].rstrip(" |").endswith("| 0")  # the nightly job exited 0
    assert "(sampled" in versus[0]  # pandas ran on a sample
    assert f"yes ({N:,} records)" in versus[0]  # floor and pipeline agree on the totals
    assert "not run" not in night[0]
    profile = next(v for k, v in sections.items() if k.startswith("dbt profile"))
    assert [row.split(" | ")[1] for row in profile] == ["full history", "no-op night, forced", "increment"]
    assert "skipped (nothing new)" in night[0]

    stored = json.loads((work / "results.json").read_text())[str(N)]
    assert stored["agree"] and stored["floor_received"] == stored["pipeline_received"] == N
    assert stored["disagreements"] == 0
    assert stored["noop"]["skipped"] and stored["noop"]["exit_code"] == 0
    assert stored["noop"]["stages"] == {}  # nothing new: no Dagster run
    for night_run in ("full", "noop_forced", "increment"):
        run = stored[night_run]
        assert not run["skipped"]
        assert run["exit_code"] == 0 and not run["failed_steps"]
        assert {"ingest", "dbt build", "checks", "publish"} <= set(run["stages"])
    assert (work / f"n{N}" / "inbox").is_dir()
