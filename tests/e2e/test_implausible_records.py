"""A night fed two records dated 9999 (issue 15, item 2): the file is rejected at the door
with its reason, the good export beside it is published, and the next night is normal
(before, ``dbt build`` built month series up to 9999 and ran out of memory every night)."""

from __future__ import annotations

from datetime import date

from typer.testing import CliRunner

from cli.main import app
from settings import Settings
from tests.e2e.warehouse_io import query

runner = CliRunner()
HEADER = "Mã hồ sơ,Mã đơn vị,Kênh,Ngày tiếp nhận,Ngày hẹn trả,Ngày kết thúc xử lý\n"
GOOD = (
    HEADER
    + "T-1,867,1,03/07/2023 08:00,10/07/2023 17:00,07/07/2023 10:00\n"
    + "T-2,867,2,2023-07-01T00:30:00+07:00,2023-07-12T17:00:00+07:00,\n"
    # finished before it was received, in the same month: flagged, counted in no month
    + "T-3,867,1,20/07/2023 08:00,27/07/2023 17:00,05/07/2023 09:00\n"
)
BAD = (
    HEADER
    + "X-1,866,1,04/07/2023 08:00,10/07/2023 17:00,\n"
    + "X-2,866,1,01/01/9999 08:00,10/01/9999 17:00,\n"
    + "X-3,866,1,02/01/9999 08:00,10/01/9999 17:00,\n"
)


def _run(settings: Settings) -> tuple[int, str]:
    result = runner.invoke(app, ["run", "--warehouse", str(settings.warehouse_dir)])
    return result.exit_code, result.output


def test_records_dated_9999_are_rejected_and_the_night_publishes(warehouse_settings: Settings) -> None:
    settings = warehouse_settings
    settings.inbox_dir.mkdir(parents=True, exist_ok=True)
    (settings.inbox_dir / "ho_so_867_2023.csv").write_text(GOOD, encoding="utf-8")
    (settings.inbox_dir / "ho_so_866_2023.csv").write_text(BAD, encoding="utf-8")

    code, output = _run(settings)
    assert code == 0, output  # a rejected file is reported; the rest of the night publishes
    # the night's summary shows the reason in Vietnamese (English in the manifest and .error.txt)
    assert "ho_so_866_2023.csv" in output and "nằm ngoài khoảng ngày hợp lý" in output
    manifest = query(
        settings.database_path,
        "select file_name, status, row_count, error_row, error_column, message from raw.file_manifest"
        " order by file_name",
    )
    assert [m[:5] for m in manifest] == [
        ("ho_so_866_2023.csv", "rejected", 0, 3, "D (Ngày tiếp nhận)"),
        ("ho_so_867_2023.csv", "loaded", 3, None, None),
    ]
    assert "'01/01/9999 08:00'" in manifest[0][5] and "2 row(s)" in manifest[0][5]
    assert "outside the plausible window" in manifest[0][5]
    quarantined = [p.name for p in settings.quarantine_dir.iterdir()]
    assert any(name.endswith(".error.txt") for name in quarantined), quarantined

    # the month series end at the data's last month (July 2023), nothing near 9999
    months = query(
        settings.database_path,
        "select unit_code, period_start, received, resolved, pending"
        " from intermediate.int_dossier_records_monthly order by all",
    )
    assert months == [("L867", date(2023, 7, 1), 2, 1, 1)]
    # published: the good export's figures, the rejected file as a finding
    stats = query(
        settings.latest_path,
        "select distinct unit_code, source_kind, received, resolved from marts.fct_dossier_stats",
    )
    # every period holding July 2023 (month, quarter, year …): the two good records
    assert stats == [("L867", "records", 2, 1)], stats
    rejected = query(
        settings.latest_path,
        "select source_file, severity from marts.data_quality_findings where rule = 'file_rejected'",
    )
    assert rejected == [("ho_so_866_2023.csv", "error")]
    flagged = query(
        settings.latest_path,
        "select source_file, severity from marts.data_quality_findings"
        " where rule = 'records_finished_before_received'",
    )
    assert flagged == [("ho_so_867_2023.csv", "warn")]

    # the next plain night is normal: nothing pending, nothing new, no error
    code_again, output_again = _run(settings)
    assert code_again == 0, output_again
    again = query(settings.database_path, "select file_name, status from raw.file_manifest order by all")
    assert again == [("ho_so_866_2023.csv", "rejected"), ("ho_so_867_2023.csv", "loaded")]
