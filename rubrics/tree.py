"""A rubric as a tree (docs/rubrics.md): its nodes, what it applies to, and its checks.

The reader (:mod:`rubrics.reader`) builds a :class:`Rubric` from a file; :func:`check`
lists what is wrong with it, each problem at its row and column, so that a Department
sees every mistake of a file at once. Points are :class:`~decimal.Decimal`, compared
exactly: a parent's maximum must equal the sum of its children's to the last digit.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from ingest.errors import IngestError
from ingest.numbers import format_vi

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class ThresholdStep:
    """From ``min_value`` (the indicator's value, %) a node earns ``points_share`` of its maximum."""

    min_value: Decimal
    points_share: Decimal


@dataclass(frozen=True)
class RubricNode:
    """One area, criterion, sub-criterion or component of a rubric."""

    code: str  # "3", "3.3", "3.3.1"; a component "7.1-1"
    parent_code: str | None
    level: int  # 1 area … 4 component
    ordinal: str  # the STT as written ("III", "3", "3.3.1", "a", "-")
    name_vi: str
    max_points: Decimal
    method: str  # rubric_methods: self_assessed, survey, computed
    source_row: int  # the sheet row (1-based) it was read from
    indicator_code: str | None = None
    authority_level: str | None = None  # tinh, huyen, xa or all
    rule: str | None = None  # rubric_rules: proportional, threshold, yes_no
    full_points_at: Decimal | None = None
    threshold_steps: tuple[ThresholdStep, ...] = ()
    rounding: str = "round_half_up_2"
    not_applicable_when: str | None = None
    notes: str | None = None


@dataclass(frozen=True)
class Band:
    name_vi: str
    min_score: Decimal


@dataclass(frozen=True)
class RubricMeta:
    """The title block: which rubric, for whom, when, how the score is rounded and banded."""

    rubric_id: str
    name_vi: str
    target: str  # rubric_targets: province, district, commune, department
    year_from: int
    year_to: int | None = None
    province: str | None = None  # as written (a name or a code); None: national
    score_decimals: int = 2
    bands: tuple[Band, ...] = ()
    basis: str | None = None
    notes: str | None = None


@dataclass(frozen=True)
class Rubric:
    meta: RubricMeta
    nodes: tuple[RubricNode, ...]
    file_name: str
    sheet: str | None = None
    stated_total: Decimal | None = None
    stated_total_row: int | None = None
    _children: dict[str | None, list[RubricNode]] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for node in self.nodes:
            self._children.setdefault(node.parent_code, []).append(node)

    def children(self, code: str | None) -> list[RubricNode]:
        """The nodes directly under ``code`` (``None``: the areas), in file order."""
        return list(self._children.get(code, []))

    @property
    def areas(self) -> list[RubricNode]:
        return self.children(None)

    def leaves(self) -> Iterator[RubricNode]:
        return (node for node in self.nodes if not self._children.get(node.code))

    @property
    def total(self) -> Decimal:
        return sum((area.max_points for area in self.areas), Decimal(0))

    def points_by_method(self) -> dict[str, Decimal]:
        """The maximum points of the leaves per scoring method (self-assessed, survey, computed)."""
        out: dict[str, Decimal] = {}
        for leaf in self.leaves():
            out[leaf.method] = out.get(leaf.method, Decimal(0)) + leaf.max_points
        return out

    def node(self, code: str) -> RubricNode:
        for candidate in self.nodes:
            if candidate.code == code:
                return candidate
        raise KeyError(code)


def points_text(value: Decimal) -> str:
    """Points the Vietnamese way with the decimals they have (16,5; 61,5; 100)."""
    places = max(0, -value.normalize().as_tuple().exponent)  # type: ignore[operator]
    return format_vi(value, places)


def check(rubric: Rubric, known_indicators: frozenset[str] | None = None) -> list[IngestError]:
    """Every problem of the rubric, in file order (empty: the rubric is sound).

    Sums are exact; a computed node needs a known indicator (``known_indicators``, when
    given) and a rule; a threshold rule needs steps; codes are unique."""
    problems: list[tuple[int, IngestError]] = []

    def problem(row: int | None, column: str | None, en: str, vi: str) -> None:
        problems.append(
            (
                row or 0,
                IngestError(en, vi, file_name=rubric.file_name, sheet=rubric.sheet, row=row, column=column),
            )
        )

    if not rubric.nodes:
        problem(
            None,
            None,
            "the rubric has no rows under its header",
            "bộ tiêu chí không có dòng nào dưới dòng tiêu đề",
        )
    seen: dict[str, int] = {}
    for node in rubric.nodes:
        if node.code in seen:
            problem(
                node.source_row,
                "STT",
                f"number {node.ordinal!r} gives code {node.code}, already used on row {seen[node.code]}",
                f"số thứ tự {node.ordinal!r} cho mã {node.code}, đã dùng ở dòng {seen[node.code]}",
            )
        seen.setdefault(node.code, node.source_row)
        if node.max_points <= 0:
            problem(
                node.source_row,
                "Điểm tối đa",
                f"{node.code} {node.name_vi!r}: the maximum points must be above 0",
                f"{node.code} {node.name_vi!r}: điểm tối đa phải lớn hơn 0",
            )
        children = rubric.children(node.code)
        if children:
            summed = sum((child.max_points for child in children), Decimal(0))
            if summed != node.max_points:
                problem(
                    node.source_row,
                    "Điểm tối đa",
                    f"{node.code} {node.name_vi!r} states {points_text(node.max_points)} points but its"
                    f" {len(children)} parts add up to {points_text(summed)}",
                    f"{node.code} {node.name_vi!r} ghi {points_text(node.max_points)} điểm nhưng"
                    f" {len(children)} nội dung thành phần cộng lại là {points_text(summed)}",
                )
        elif node.method == "computed":
            if not node.indicator_code:
                problem(
                    node.source_row,
                    "Chỉ tiêu dữ liệu",
                    f"{node.code} is computed from data but names no indicator",
                    f"{node.code} tính từ dữ liệu nhưng không ghi chỉ tiêu dữ liệu",
                )
            elif known_indicators is not None and node.indicator_code not in known_indicators:
                problem(
                    node.source_row,
                    "Chỉ tiêu dữ liệu",
                    f"{node.code}: unknown indicator {node.indicator_code!r}"
                    f" (known: {', '.join(sorted(known_indicators))})",
                    f"{node.code}: không có chỉ tiêu dữ liệu {node.indicator_code!r}",
                )
            if not node.rule:
                problem(
                    node.source_row,
                    "Cách tính điểm",
                    f"{node.code} is computed from data but has no rule (Tỷ lệ, Theo bậc, Đạt/không đạt)",
                    f"{node.code} tính từ dữ liệu nhưng chưa ghi cách tính điểm (Tỷ lệ, Theo bậc,"
                    " Đạt/không đạt)",
                )
        if node.rule == "threshold" and not node.threshold_steps:
            problem(
                node.source_row,
                "Bậc điểm",
                f"{node.code} is scored by threshold steps but lists none (e.g. ≥95: 1; ≥80: 0,75)",
                f"{node.code} chấm theo bậc nhưng chưa ghi bậc điểm (ví dụ ≥95: 1; ≥80: 0,75)",
            )
    expected = rubric.stated_total if rubric.stated_total is not None else HUNDRED
    if rubric.nodes and rubric.total != expected:
        where = "the stated total" if rubric.stated_total is not None else "100"
        where_vi = "tổng cộng đã ghi" if rubric.stated_total is not None else "100"
        problem(
            rubric.stated_total_row,
            "Điểm tối đa",
            f"the {len(rubric.areas)} areas add up to {points_text(rubric.total)}, not {where}"
            f" ({points_text(expected)})",
            f"{len(rubric.areas)} lĩnh vực cộng lại là {points_text(rubric.total)}, không bằng {where_vi}"
            f" ({points_text(expected)})",
        )
    return [error for _, error in sorted(problems, key=lambda p: p[0])]
