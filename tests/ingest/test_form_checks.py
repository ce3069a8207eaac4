"""Every identity of the dossier forms, on rows that break it: the finding names the row,
the stated total's column and both numbers; an identity broken on most rows rejects."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ingest.form_checks import DOSSIER_IDENTITIES, LOAD_FINDING_RULES, DossierFormChecks
from ingest.headers import find_header


def _match(labels: list[list]):
    rows = [tuple(r) for r in labels] + [tuple(["Phường 1", *range(1, len(labels[0]))])]
    match = find_header(rows, ("dossiers",))
    assert match is not None
    return match


HEADER_06A = [
    [
        "Lĩnh vực",
        "Số hồ sơ nhận giải quyết",
        None,
        None,
        None,
        None,
        None,
        "Đã giải quyết",
        None,
        None,
        None,
        "Đang giải quyết",
        None,
        None,
    ],
    [
        None,
        "Tổng số",
        "Trực tuyến",
        "Toàn trình",
        "Một phần",
        "Trực tiếp, dịch vụ bưu chính",
        "Từ kỳ trước",
        "Tổng số",
        "Trước hạn",
        "Đúng hạn",
        "Quá hạn",
        "Tổng số",
        "Trong hạn",
        "Quá hạn",
    ],
]
GOOD = {
    "received_total": 115,
    "received_online": 60,
    "received_fully_online": 40,
    "received_partly_online": 20,
    "received_in_person_or_postal": 40,
    "carried_in": 15,
    "resolved": 100,
    "resolved_early": 50,
    "resolved_on_time": 45,
    "resolved_late": 5,
    "pending": 15,
    "pending_not_due": 10,
    "pending_overdue": 5,
}


def test_every_identity_is_declared_as_a_finding_rule() -> None:
    assert {f"form_{i.name}" for i in DOSSIER_IDENTITIES} | {"form_balance"} <= set(LOAD_FINDING_RULES)


def test_a_consistent_row_makes_no_finding() -> None:
    checks = DossierFormChecks(_match(HEADER_06A), "Biểu")
    checks.check_row(10, dict(GOOD), "L568", "2018")
    assert checks.findings == []
    assert {name: t.checked for name, t in checks.tally.items()} == {
        "received_total_parts": 1,
        "received_online_parts": 1,
        "resolved_parts": 1,
        "pending_parts": 1,
        "balance": 1,
    }


@pytest.mark.parametrize(
    ("measure", "value", "rule", "column", "stated", "computed"),
    [
        ("received_total", 116, "form_received_total_parts", "B", 116, 115),
        ("received_fully_online", 41, "form_received_online_parts", "C", 60, 61),
        ("resolved_late", 6, "form_resolved_parts", "H", 100, 101),
        ("pending_overdue", 6, "form_pending_parts", "L", 15, 16),
        ("pending", 16, "form_pending_parts", "L", 16, 15),
    ],
)
def test_a_broken_identity_names_row_column_and_numbers(
    measure, value, rule, column, stated, computed
) -> None:
    checks = DossierFormChecks(_match(HEADER_06A), "Biểu")
    checks.check_row(12, {**GOOD, measure: value}, "L568", "2018")
    found = [f for f in checks.findings if f.rule == rule]
    assert len(found) == 1, checks.findings
    f = found[0]
    assert (f.source_row, f.column_ref[:1], f.stated, f.computed) == (
        12,
        column,
        Decimal(stated),
        Decimal(computed),
    )
    assert f"row 12, column {column} (" in f.message and f"dòng 12, cột {column} (" in f.message_vi
    assert str(stated) in f.message and str(computed) in f.message


def test_channels_of_new_receipts() -> None:
    header = [
        ["Đơn vị", "Tiếp nhận", None, None, None, "Kỳ trước chuyển qua"],
        [None, "Tổng số", "Trực tuyến", "Trực tiếp", "Bưu chính", None],
    ]
    checks = DossierFormChecks(_match(header), None)
    checks.check_row(
        5, {"received": 30, "received_online": 10, "received_in_person": 15, "received_postal": 4}, None, None
    )
    assert [(f.rule, f.stated, f.computed) for f in checks.findings] == [
        ("form_received_channel_parts", Decimal(30), Decimal(29))
    ]


def test_the_balance_accepts_vendors_counting_withdrawn_outside_pending() -> None:
    header = [
        ["Đơn vị", "Kỳ trước chuyển qua", "Tiếp nhận mới", "Đã giải quyết", "Đang giải quyết", "Rút hồ sơ"]
    ]
    checks = DossierFormChecks(_match(header), None)
    checks.check_row(
        3, {"carried_in": 5, "received": 20, "resolved": 18, "pending": 5, "withdrawn": 2}, None, None
    )
    checks.check_row(
        4, {"carried_in": 5, "received": 20, "resolved": 18, "pending": 7, "withdrawn": 2}, None, None
    )
    assert checks.findings == []
    checks.check_row(
        5, {"carried_in": 5, "received": 20, "resolved": 18, "pending": 3, "withdrawn": 2}, None, None
    )
    assert [(f.rule, f.source_row) for f in checks.findings] == [("form_balance", 5)]


def test_an_identity_broken_on_most_rows_is_a_misread() -> None:
    checks = DossierFormChecks(_match(HEADER_06A), "Biểu")
    checks.check_row(10, dict(GOOD), None, None)
    checks.check_row(11, {**GOOD, "resolved": 90}, None, None)
    assert checks.misread_error("a.xlsx") is None  # one row of two: a defect, not a misread
    checks.check_row(12, {**GOOD, "resolved": 90}, None, None)
    error = checks.misread_error("a.xlsx")
    assert error is not None and "2 of 3 rows" in str(error) and "→ resolved_early" in str(error)
