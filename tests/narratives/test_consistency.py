"""Internal consistency of a report's claims (narratives.consistency)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from narratives.consistency import findings
from narratives.extract import extract_claims
from narratives.reader import read_paragraphs

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
HEAD = [
    "UBND HUYỆN AN LÃO",
    "An Lão, ngày 20 tháng 6 năm 2023",
    "BÁO CÁO",
    "Công tác CCHC 6 tháng đầu năm 2023",
]


def _found(paragraphs: list[str]) -> set[tuple[str, Decimal, Decimal]]:
    return {(f.kind, f.stated, f.computed) for f in findings(extract_claims(paragraphs))}


def test_seed_004_known_inconsistencies() -> None:
    seeds = sorted(SEEDS.glob("004_*.txt"))
    if not seeds:
        pytest.skip("the seed reports are not available")
    paragraphs = read_paragraphs(seeds[0])
    reported = findings(extract_claims(paragraphs))
    assert {(f.kind, f.stated, f.computed) for f in reported} == {
        ("parts_vs_total", Decimal("9737"), Decimal("9744")),
        ("parts_vs_total", Decimal("733"), Decimal("732")),
        ("parts_vs_total", Decimal("658"), Decimal("657")),
        ("parts_vs_total", Decimal("713"), Decimal("712")),
    }
    dossiers = next(f for f in reported if f.stated == Decimal("9737"))
    assert "9.737" in dossiers.message and "9.744" in dossiers.message and "“" in dossiers.message
    assert dossiers.difference == Decimal("-7")
    assert [c.value for c in dossiers.claims] == [Decimal(v) for v in ("9737", "9636", "7", "101")]


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003"])
def test_consistent_seeds_have_no_findings(prefix: str) -> None:
    seeds = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    if not seeds:
        pytest.skip("the seed reports are not available")
    assert findings(extract_claims(read_paragraphs(seeds[0]))) == []


def test_rate_against_its_counts_at_the_reports_rounding() -> None:
    ok = (
        "Tổng số hồ sơ đã tiếp nhận: 58.053 hồ sơ."
        " Tổng số hồ sơ đã giải quyết là 56.863 hồ sơ, chiếm tỷ lệ 97,95%."
    )
    assert _found([*HEAD, ok]) == set()
    wrong = ok.replace("97,95%", "97,59%")
    assert _found([*HEAD, wrong]) == {("rate_vs_counts", Decimal("97.59"), Decimal("97.95"))}
    # a rate written without decimals is compared rounded half up to a whole percent
    money = "Kế hoạch vốn giao: 590.161,540 triệu đồng; đã giải ngân: 212.901,285 triệu đồng, đạt 36%."
    assert _found([*HEAD, money]) == set()
    assert _found([*HEAD, money.replace("36%", "38%")]) == {("rate_vs_counts", Decimal("38"), Decimal("36"))}


def test_survey_rate_from_satisfied_out_of_forms() -> None:
    text = "Đã khảo sát được 600 phiếu, trong đó có 548 phiếu cho kết quả hài lòng, đạt tỷ lệ 91,33%."
    assert _found([*HEAD, text]) == set()
    assert _found([*HEAD, text.replace("91,33%", "93,13%")]) == {
        ("rate_vs_counts", Decimal("93.13"), Decimal("91.33"))
    }


def test_parts_in_parentheses_and_resolved_breakdown() -> None:
    text = (
        "Kết quả đến ngày 12/6/2023 toàn huyện đã tiếp nhận 1.000 hồ sơ (trong đó, giải quyết đúng hạn"
        " và sớm hạn 900 hồ sơ, trễ hạn 20 hồ sơ, chưa đến hạn 90 hồ sơ)."
    )
    assert _found([*HEAD, text]) == {("parts_vs_total", Decimal("1000"), Decimal("1010"))}
    # parts that may leave some out (no pending figure) and add up to less are not a finding
    partial = (
        "Toàn huyện đã tiếp nhận 1.000 hồ sơ (trong đó, giải quyết đúng hạn 900 hồ sơ, trễ hạn 20 hồ sơ)."
    )
    assert _found([*HEAD, partial]) == set()
    resolved = (
        "Tổng số hồ sơ đã giải quyết là 920 hồ sơ, trong đó số hồ sơ giải quyết sớm hạn và đúng hạn là"
        " 900 hồ sơ; số hồ sơ giải quyết trễ hạn là 30 hồ sơ."
    )
    assert _found([*HEAD, resolved]) == {("parts_vs_total", Decimal("920"), Decimal("930"))}


def test_a_breakdown_with_a_figure_not_read_is_not_checked() -> None:
    text = (
        "Số lượng TTHC thuộc thẩm quyền giải quyết tại bộ phận một cửa huyện hiện nay là: 329 thủ tục"
        " (trong đó trực tuyến toàn trình: 120 thủ tục, trực tuyến một phần 88 thủ tục,"
        " mức độ còn lại 111 thủ tục)."
    )
    assert _found([*HEAD, text]) == set()


def test_the_same_figure_stated_twice_differently() -> None:
    first = "Trong 6 tháng đầu năm 2023, UBND huyện đã tiếp nhận 9.737 hồ sơ."
    second = "Tổng số hồ sơ đã tiếp nhận trong 6 tháng đầu năm 2023 của UBND huyện là 9.773 hồ sơ."
    reported = findings(extract_claims([*HEAD, first, second]))
    assert [(f.kind, f.stated, f.computed) for f in reported] == [
        ("stated_twice", Decimal("9773"), Decimal("9737"))
    ]
    assert "9.737" in reported[0].message and "9.773" in reported[0].message
    # the same figure for another period is not a contradiction
    other = second.replace("6 tháng đầu năm 2023", "năm 2022")
    assert _found([*HEAD, first, other]) == set()


def test_plan_parts_by_funding_source_add_up_to_the_plan_and_are_no_rate_base() -> None:
    """The plan split by funding source: parts of the plan total (a finding when they do not
    add up), never the plan a disbursement rate is computed on."""
    consistent = [
        *HEAD,
        "Kế hoạch vốn đầu tư công năm 2023 là 84.500 triệu đồng (vốn ngân sách tỉnh 50.000 triệu đồng,"
        " vốn ngân sách huyện 34.500 triệu đồng); đã giải ngân 42.250 triệu đồng, đạt 50% kế hoạch.",
    ]
    assert _found(consistent) == set()
    wrong_sum = [*HEAD, consistent[-1].replace("34.500 triệu đồng)", "30.500 triệu đồng)")]
    assert _found(wrong_sum) == {("parts_vs_total", Decimal("84500"), Decimal("80500"))}
    wrong_rate = [*HEAD, consistent[-1].replace("đạt 50%", "đạt 55%")]
    assert _found(wrong_rate) == {("rate_vs_counts", Decimal("55"), Decimal("50"))}


def test_a_rate_checked_against_the_counts_stated_after_it() -> None:
    right = "Tỷ lệ hồ sơ giải quyết đúng hạn đạt 98,5% (1.970/2.000 hồ sơ)."
    assert _found([*HEAD, right]) == set()
    wrong = right.replace("98,5%", "97,5%")
    assert _found([*HEAD, wrong]) == {("rate_vs_counts", Decimal("97.5"), Decimal("98.5"))}
