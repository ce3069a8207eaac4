"""Internal consistency of a report's claims: parts against their stated total, a stated rate
against its own counts, the same figure stated twice differently.

Each finding names the claims involved, the stated and the computed value, their difference
and a Vietnamese message quoting the sentence. Rates are compared at the report's rounding
(the decimals it writes), half up."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from ingest.numbers import format_vi
from narratives.claims import Claim, measures
from narratives.extract import (
    CHANNEL_COMPONENTS,
    DOSSIER_COMPONENTS,
    ORIGIN_COMPONENTS,
    RATE_OF_COUNT,
    family,
)

_DOSSIER_COMPONENTS = DOSSIER_COMPONENTS
_CHANNEL_COMPONENTS = CHANNEL_COMPONENTS
_ORIGIN_COMPONENTS = ORIGIN_COMPONENTS

# a rate and the counts it is computed from: numerator, denominator (each a measure, or a
# tuple of measures whose sum stands in when the measure itself is not stated)
_RATES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "rate_resolved": (("dossiers_resolved",), ("dossiers_received",)),
    "rate_on_time": (
        ("dossiers_resolved_early_or_on_time", "dossiers_resolved_early+dossiers_resolved_on_time"),
        (
            "dossiers_resolved",
            "dossiers_resolved_early_or_on_time+dossiers_resolved_late",
            "dossiers_resolved_early+dossiers_resolved_on_time+dossiers_resolved_late",
        ),
    ),
    "rate_late": (
        ("dossiers_resolved_late",),
        (
            "dossiers_resolved",
            "dossiers_resolved_early_or_on_time+dossiers_resolved_late",
            "dossiers_resolved_early+dossiers_resolved_on_time+dossiers_resolved_late",
        ),
    ),
    "disbursement_rate": (("disbursed",), ("disbursement_plan",)),
    "satisfaction_rate": (("survey_satisfied",), ("survey_forms",)),
    "plan_tasks_rate": (("plan_tasks_done",), ("plan_tasks_total",)),
}


@dataclass(frozen=True)
class ConsistencyFinding:
    kind: str  # parts_vs_total | rate_vs_counts | stated_twice
    stated: Decimal
    computed: Decimal
    difference: Decimal  # stated - computed
    claims: tuple[Claim, ...]  # the stated figure first, then those it is checked against
    message: str  # Vietnamese, quoting the sentence
    message_en: str = ""

    @property
    def paragraph(self) -> int:
        return self.claims[0].paragraph

    @property
    def quote(self) -> str:
        return self.claims[0].quote


def _vi(value: Decimal) -> str:
    places = max(0, -value.normalize().as_tuple().exponent) if value != value.to_integral() else 0
    return format_vi(value, places)


def _label(measure: str | None) -> str:
    known = measures()
    return known[measure].label_vi if measure in known else (measure or "số liệu")


def _key(claim: Claim) -> tuple[int, int]:
    return (claim.paragraph, claim.char_start)


def _parts_by_total(claims: list[Claim]) -> dict[tuple[int, int], list[Claim]]:
    parts: dict[tuple[int, int], list[Claim]] = {}
    for c in claims:
        if c.part_of_paragraph is not None and c.part_of_start is not None:
            parts.setdefault((c.part_of_paragraph, c.part_of_start), []).append(c)
    return parts


def _contribution(total: Claim, part: Claim) -> Decimal | None:
    """What a part adds to its total: its value, or for satisfied forms out of a number of
    forms under a total of forms, that number ("548/600 phiếu hài lòng" adds 600 forms)."""
    if total.measure == "survey_forms" and part.measure == "survey_satisfied":
        return part.max_value
    return part.value


def _dossier_check(total: Claim, parts: list[Claim]) -> str | None:
    """``None`` when the parts cannot be compared with the total (overlapping or of another
    dimension); "complete" when they cover it; "partial" when they cover part of it."""
    for table in (_DOSSIER_COMPONENTS, _CHANNEL_COMPONENTS, _ORIGIN_COMPONENTS):
        if total.measure not in table or any(p.measure not in table for p in parts):
            continue
        whole = table[total.measure]
        seen: set[str] = set()
        for p in parts:
            comp = table[p.measure]  # type: ignore[index]
            if comp & seen or not comp <= whole:
                return None
            seen |= comp
        return "complete" if seen == whole else "partial"
    return None


def _leaves(total: Claim, parts_of: dict[tuple[int, int], list[Claim]]) -> tuple[Decimal | None, list[Claim]]:
    """The sum of the deepest stated breakdown of ``total`` and the claims summed."""
    total_sum = Decimal(0)
    used: list[Claim] = []
    for part in parts_of.get(_key(total), []):
        if _key(part) in parts_of and part.measure == total.measure:
            sub, sub_used = _leaves(part, parts_of)
            if sub is None:
                return None, []
            total_sum += sub
            used.extend(sub_used)
            continue
        value = _contribution(total, part)
        if value is None:
            return None, []
        total_sum += value
        used.append(part)
    return total_sum, used


def parts_vs_total(claims: list[Claim]) -> list[ConsistencyFinding]:
    parts_of = _parts_by_total(claims)
    out: list[ConsistencyFinding] = []
    by_key = {_key(c): c for c in claims}
    for key, parts in parts_of.items():
        total = by_key.get(key)
        if total is None or total.value is None:
            continue
        fam = family(total.measure)
        if fam == "dossiers":
            coverage = _dossier_check(total, parts)
            if coverage is None:
                continue
        else:
            coverage = "complete"
        computed, used = _leaves(total, parts_of)
        if computed is None or computed == total.value:
            continue
        if coverage == "partial" and computed < total.value:
            continue  # parts not stated may make up the rest
        terms = " + ".join(
            p.value_text if _contribution(total, p) == p.value else _vi(_contribution(total, p) or Decimal(0))
            for p in used
        )
        diff = total.value - computed
        out.append(
            ConsistencyFinding(
                kind="parts_vs_total",
                stated=total.value,
                computed=computed,
                difference=diff,
                claims=(total, *used),
                message=(
                    f"Tổng không khớp với các thành phần: báo cáo nêu {_label(total.measure).lower()} là "
                    f"{total.value_text} nhưng các thành phần cộng lại được {_vi(computed)} ({terms}), "
                    f"chênh lệch {_vi(diff)}. Trích: “{total.quote}”"
                ),
                message_en=(
                    f"parts do not add up to the stated total: {total.measure} {total.value} stated, "
                    f"parts sum to {computed}"
                ),
            )
        )
    return out


def _decimals(claim: Claim) -> int:
    text = claim.value_text.rstrip("% ")
    return len(text.split(",", 1)[1]) if "," in text else 0


def _find(measure_expr: str, pool: list[Claim]) -> tuple[Decimal, list[Claim]] | None:
    """The value of ``measure_expr`` ("a" or "a+b") from the nearest claims in ``pool``."""
    used: list[Claim] = []
    total = Decimal(0)
    for name in measure_expr.split("+"):
        found = [c for c in pool if c.measure == name]
        if not found:
            return None
        used.append(found[-1])
        total += found[-1].value
    return total, used


def _counts_after(rate: Claim, following: list[Claim]) -> Claim | None:
    """The count stated right after a rate as its own "x/y" ("đạt tỷ lệ 98,5% (1.970/2.000 hồ
    sơ)"): the rate's numerator with its base as the maximum."""
    for claim in following:
        if (
            claim.paragraph == rate.paragraph
            and claim.max_value is not None
            and RATE_OF_COUNT.get(claim.measure or "") == rate.measure
            and claim.level == rate.level
        ):
            return claim
    return None


def _part_of_same_measure(claim: Claim, claims: list[Claim]) -> bool:
    if claim.part_of_paragraph is None:
        return False
    total = next((c for c in claims if _key(c) == (claim.part_of_paragraph, claim.part_of_start)), None)
    return total is not None and total.measure == claim.measure


def rate_vs_counts(claims: list[Claim]) -> list[ConsistencyFinding]:
    out: list[ConsistencyFinding] = []
    for i, rate in enumerate(claims):
        if rate.measure not in _RATES:
            continue
        nums, dens = _RATES[rate.measure]
        # the counts the same paragraph states before the rate, at the same level and period
        # (a part of a stated total of its own measure, as the plan's part by funding source,
        # is not the total the rate is computed on)
        pool = [
            c
            for c in claims[:i]
            if c.paragraph == rate.paragraph
            and not _part_of_same_measure(c, claims)
            and c.level == rate.level
            and (c.period_end == rate.period_end or c.period_end is None or rate.period_end is None)
        ]
        numerator = next((r for r in (_find(n, pool) for n in nums) if r), None)
        stated_after = _counts_after(rate, claims[i + 1 : i + 2])
        if numerator is None and stated_after is not None:
            numerator = (stated_after.value, [stated_after])  # "đạt 98,5% (1.970/2.000 hồ sơ)"
        if numerator is None:
            continue
        if numerator[1][0] is stated_after and stated_after.max_value:
            denominator: tuple[Decimal, list[Claim]] | None = (stated_after.max_value, [])
        elif rate.measure in ("satisfaction_rate", "plan_tasks_rate") and numerator[1][0].max_value:
            denominator = (numerator[1][0].max_value, [])
        else:
            denominator = next((r for r in (_find(d, pool) for d in dens) if r), None)
        if denominator is None or denominator[0] == 0:
            continue
        places = _decimals(rate)
        exact = numerator[0] * 100 / denominator[0]
        computed = exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        if computed == rate.value:
            continue
        involved = tuple(numerator[1] + denominator[1])
        diff = rate.value - computed
        out.append(
            ConsistencyFinding(
                kind="rate_vs_counts",
                stated=rate.value,
                computed=computed,
                difference=diff,
                claims=(rate, *involved),
                message=(
                    f"Tỷ lệ không khớp với số liệu của chính báo cáo: {_label(rate.measure).lower()} nêu là "
                    f"{rate.value_text}, tính từ {_vi(numerator[0])}/{_vi(denominator[0])} được "
                    f"{_vi(computed)}%, chênh lệch {_vi(diff)} điểm phần trăm. Trích: “{rate.quote}”"
                ),
                message_en=f"{rate.measure} {rate.value} stated, {computed} computed from the counts",
            )
        )
    return out


# measures a report states once per item of a list (courses, inspections, criteria's parts,
# revenue by source): two different values are two items, not one figure stated twice
LISTED_MEASURES = frozenset(
    {
        "training_done",
        "training_rate",
        "inspections_done",
        "par_criterion_points",
        "budget_revenue",
        "budget_revenue_rate",
    }
)


def stated_twice(claims: list[Claim]) -> list[ConsistencyFinding]:
    """The same measure for the same unit, level, category and period stated in two
    paragraphs with different values (parts of breakdowns and listed measures are not
    compared)."""
    groups: dict[tuple[object, ...], list[Claim]] = {}
    for c in claims:
        if c.status != "resolved" or c.measure is None or c.part_of_paragraph is not None:
            continue
        if c.measure in LISTED_MEASURES:
            continue
        if c.period_end is None:
            continue
        key = (c.measure, c.unit_name, c.level, c.category, c.period_kind, c.period_end, c.max_value)
        groups.setdefault(key, []).append(c)
    out: list[ConsistencyFinding] = []
    for group in groups.values():
        first = group[0]
        for other in group[1:]:
            if other.paragraph == first.paragraph or other.value == first.value:
                continue
            diff = other.value - first.value
            out.append(
                ConsistencyFinding(
                    kind="stated_twice",
                    stated=other.value,
                    computed=first.value,
                    difference=diff,
                    claims=(other, first),
                    message=(
                        f"Cùng một số liệu được nêu hai lần khác nhau: {_label(first.measure).lower()} là "
                        f"{first.value_text} (“{first.quote}”) và {other.value_text} (“{other.quote}”)."
                    ),
                    message_en=f"{first.measure} stated as {first.value} and as {other.value}",
                )
            )
            break
    return out


def findings(claims: Iterable[Claim]) -> list[ConsistencyFinding]:
    """Every internal inconsistency among a report's claims (see the module docstring)."""
    listed = list(claims)
    return parts_vs_total(listed) + rate_vs_counts(listed) + stated_twice(listed)
