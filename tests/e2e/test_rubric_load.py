"""`parwh rubric load`: a Department loads next year's rubric from its file and the same
night scores with it; a wrong file is refused with its rows and columns, nothing kept."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import duckdb
from typer.testing import CliRunner

from cli.main import app
from rubrics.loading import SHIPPED_DIR
from settings import Settings
from tests.e2e.inbox_files import DOSSIERS_CSV, write_small_inbox

runner = CliRunner()


def _rubric_2024(folder: Path) -> Path:
    """Đồng Tháp's district rubric for 2024: 3.3.1 (district on-time rate) now worth 2.5,
    the half point moved to the area's other criteria."""
    text = (SHIPPED_DIR / "dong_thap_huyen_2023.csv").read_text(encoding="utf-8")
    edits = (
        ("Áp dụng từ năm: 2023", "Áp dụng từ năm: 2024"),
        ("\n3,Kết quả giải quyết TTHC,5.0,", "\n3,Kết quả giải quyết TTHC,4.5,"),
        ("được giải quyết đúng hạn,3.0,Dữ liệu", "được giải quyết đúng hạn,2.5,Dữ liệu"),
        (
            "\n7,Các tiêu chí còn lại của lĩnh vực (chưa công bố chi tiết),14.0,",
            "\n7,Các tiêu chí còn lại của lĩnh vực (chưa công bố chi tiết),14.5,",
        ),  # noqa: E501
    )
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = folder / "bo_tieu_chi_huyen_dong_thap_2024.csv"
    path.write_text(text, encoding="utf-8")
    return path


def _published(settings: Settings, sql: str) -> list[tuple]:
    with duckdb.connect(str(settings.latest_path), read_only=True) as con:
        return con.execute(sql).fetchall()


def _points(settings: Settings, period: str) -> tuple:
    (row,) = _published(
        settings,
        "select points, max_points from marts.fct_scores where rubric_id = 'par_index_dongthap_huyen'"
        f" and unit_code = 'L867' and criterion_code = '3.3.1' and period_label = '{period}'",
    )
    return row


def test_a_rubric_loaded_by_the_command_scores_the_same_night(
    warehouse_settings: Settings, tmp_path: Path
) -> None:
    settings = warehouse_settings
    write_small_inbox(settings.inbox_dir)
    (settings.inbox_dir / "tthc_dong_thap_nam_2024.csv").write_text(
        DOSSIERS_CSV.replace("Năm 2023", "Năm 2024"), encoding="utf-8"
    )
    first = runner.invoke(app, ["run", "--warehouse", str(settings.warehouse_dir)])
    assert first.exit_code == 0, first.output
    # Sa Đéc resolved 7,976 of 8,000 on time (99.7 %): the shipped rubric (from 2023) gives
    # 2.99 of 3.0 in both years
    assert _points(settings, "2023") == (Decimal("2.99"), Decimal(3))
    assert _points(settings, "2024") == (Decimal("2.99"), Decimal(3))

    loaded = runner.invoke(
        app, ["rubric", "load", str(_rubric_2024(tmp_path)), "--warehouse", str(settings.warehouse_dir)]
    )  # noqa: E501
    assert loaded.exit_code == 0, loaded.output
    assert "par_index_dongthap_huyen" in loaded.output and "từ / from 2024" in loaded.output
    assert "Điều tra xã hội học 30" in loaded.output
    kept = list(settings.rubrics_dir.glob("*__bo_tieu_chi_huyen_dong_thap_2024.csv"))
    assert len(kept) == 1

    second = runner.invoke(app, ["run", "--warehouse", str(settings.warehouse_dir)])
    assert second.exit_code == 0, second.output
    assert "Bộ tiêu chí mới / New rubric: bo_tieu_chi_huyen_dong_thap_2024.csv" in second.output
    # 2024 now scores 3.3.1 on 2.5 points: 2.5 × 99.7 % = 2.4925 → 2.49; 2023 keeps 3.0
    assert _points(settings, "2024") == (Decimal("2.49"), Decimal("2.5"))
    assert _points(settings, "2023") == (Decimal("2.99"), Decimal(3))
    versions = _published(
        settings,
        "select year_from, year_to, origin, max_points from marts.dim_rubric_nodes"
        " where rubric_id = 'par_index_dongthap_huyen' and node_code = '3.3.1' order by year_from",
    )
    assert versions == [(2023, 2023, "shipped", Decimal(3)), (2024, 2099, "loaded", Decimal("2.5"))]
    # nothing new after that: the rubric is no reason to run twice
    third = runner.invoke(app, ["run", "--warehouse", str(settings.warehouse_dir)])
    assert third.exit_code == 0 and "Bộ tiêu chí mới" not in third.output


def test_a_wrong_rubric_file_is_refused_and_nothing_is_kept(
    warehouse_settings: Settings, tmp_path: Path
) -> None:
    path = _rubric_2024(tmp_path)
    text = path.read_text(encoding="utf-8").replace(
        "\nIII,Cải cách thủ tục hành chính,29,", "\nIII,Cải cách thủ tục hành chính,30,"
    )  # noqa: E501
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(
        app, ["rubric", "load", str(path), "--warehouse", str(warehouse_settings.warehouse_dir)]
    )
    assert result.exit_code == 1
    assert "Không nạp bộ tiêu chí / Rubric not loaded" in result.output
    assert "dòng 20" in result.output and "ghi 30 điểm" in result.output  # the area's row, in Vietnamese
    assert "row 20, column Điểm tối đa" in result.output
    assert not warehouse_settings.rubrics_dir.exists() or not any(warehouse_settings.rubrics_dir.iterdir())
