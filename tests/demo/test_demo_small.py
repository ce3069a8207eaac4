from __future__ import annotations

from pathlib import Path

from demo_readers import read_csv, read_dossier_xlsx, read_simple_xlsx

from demo import DemoSummary, generate_small_inbox


def test_small_inbox_files(small_inbox: DemoSummary) -> None:
    assert small_inbox.names() == [
        "bien_che_dong_thap_31_12_2023.xlsx",
        "giai_ngan_dong_thap_2023.csv",
        "khao_sat_dong_thap_nam_2023.xlsx",
        "tthc_dong_thap_nam_2023.xlsx",
    ]
    assert {f.outcome for f in small_inbox.files} == {"load"}


def test_small_inbox_is_deterministic(small_inbox: DemoSummary, tmp_path: Path) -> None:
    again = generate_small_inbox(tmp_path)
    assert [f.sha256 for f in again.files] == [f.sha256 for f in small_inbox.files]


def test_small_inbox_expected_values(small_inbox: DemoSummary) -> None:
    e = small_inbox.expected
    assert e["dossiers/L866/2023/huyen"]["resolved"] == 19_900
    assert e["dossiers/L866/2023/huyen"]["in_time_rate_pct"] == 99.50
    assert e["dossiers/L867/2023/huyen"]["in_time_rate_pct"] == 98.00
    assert e["dossiers/L868/2023/huyen"]["resolved_rate_pct"] == 98.75
    assert e["dossiers/L868/2023/huyen"]["in_time_rate_pct"] == 97.89
    assert e["budget/L867/2023-08-15"]["disbursed_pct"] == 36.08
    assert e["budget/L866/2023-12-31"]["disbursed_pct"] == 90.00
    assert e["surveys/L867/2023/huyen"]["satisfied_pct"] == 95.00
    assert e["staff/L866/2023-12-31"]["quota"] == 1_252

    _, rows, totals = read_dossier_xlsx(small_inbox.inbox / "tthc_dong_thap_nam_2023.xlsx")
    assert [r["unit_code"] for r in rows] == [866, 867, 868]
    assert totals["received"] == 47_000
    for r in rows:
        exp = e[f"dossiers/L{r['unit_code']}/2023/huyen"]
        assert r["resolved"] == exp["resolved"]
        assert r["carried_in"] + r["received"] == (
            r["resolved"] + r["pending_not_due"] + r["pending_overdue"]
        )
    _, brows = read_csv(small_inbox.inbox / "giai_ngan_dong_thap_2023.csv")
    assert len(brows) == 4
    _, srows, stot = read_simple_xlsx(small_inbox.inbox / "bien_che_dong_thap_31_12_2023.xlsx")
    assert len(srows) == 18 and stot[5] == sum(r[5] for r in srows)
    _, vrows, vtot = read_simple_xlsx(small_inbox.inbox / "khao_sat_dong_thap_nam_2023.xlsx")
    assert (vtot[5], vtot[6]) == (1_200, 1_110)
