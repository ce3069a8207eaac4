"""The demo's PAR INDEX self-assessments (Đồng Tháp 2023): Sa Đéc's table gives seed 003's
figures, the other districts' tables read back as the generator says, the planted wrong area
sum is a mismatch, the Province's appraisals carry the "Thẩm định" column, and the files are
byte-identical across two generations."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from demo import DemoSummary, generate_demo_inbox
from demo.self_assessment import FINAL_SURVEY_POINTS, SA_DEC_2023, points_of
from ingest.context import submission_date
from ingest.readers import read_sheets
from ingest.self_assessment import read_self_assessment

D = Decimal
SA_DEC_FILE = "tu_danh_gia_cchc_tp_sa_dec_2023.xlsx"
SURVEY = ("1.8", "2.3", "3.6", "4.4", "5.7", "6.6", "7.2.7")


def test_sa_dec_reads_back_as_seed_003(demo_inbox: DemoSummary) -> None:
    table = read_self_assessment(demo_inbox.inbox / SA_DEC_FILE)
    assert (table.unit_code, table.year) == ("L867", 2023)
    assert [a.self_score for a in table.areas] == [
        D("13.91"), D(3), D("18.98"), D(6), D("5.77"), D("2.5"), D("7.8"), D(0),
    ]  # fmt: skip
    assert sum(a.self_score for a in table.areas) == D("57.96")
    assert table.mismatches == ()
    assert {leaf.code: leaf.self_score for leaf in table.leaves() if not leaf.self_score_pending} == {
        code: points_of(value) for code, value in SA_DEC_2023.items() if points_of(value) is not None
    }
    expected = demo_inbox.expected["self_assessment"]["units"]["L867"]
    assert expected["self_assessed_points"] == D("57.96")
    assert (expected["status"], expected["self_assessed_max_points"]) == ("self_assessed", D(70))


def test_every_self_assessment_reads_back_as_expected(demo_inbox: DemoSummary) -> None:
    sa = demo_inbox.expected["self_assessment"]
    assert sa["year"] == 2023 and sa["rubric_id"] == "par_index_dongthap_huyen"
    units = sa["units"]
    assert set(units) == {"L866", "L867", "L868", "L869", "L872"}
    assert {u: e["status"] for u, e in units.items()} == {
        "L866": "final", "L867": "self_assessed", "L868": "self_assessed",
        "L869": "self_assessed", "L872": "appraised",
    }  # fmt: skip
    names = sorted(demo_inbox.names("self_assessment"))
    appraisals = [e["appraisal_file"] for e in units.values() if "appraisal_file" in e]
    assert names == sorted([e["file"] for e in units.values()] + appraisals)
    for unit, e in units.items():
        table = read_self_assessment(demo_inbox.inbox / e["file"])
        assert (table.unit_code, table.year) == (unit, 2023), e["file"]
        leaves = table.leaves()
        assert sum(leaf.max_points for leaf in leaves if leaf.code not in SURVEY) == 70
        assert all(leaf.self_score_pending for leaf in leaves if leaf.code in SURVEY)
        scored = sum((leaf.self_score or D(0)) for leaf in leaves)
        assert scored == e["self_assessed_points"], unit
        assert {a.code: sum((x.self_score or D(0)) for x in leaves if x.code.split(".")[0] == a.code)
                for a in table.areas} == e["areas"]  # fmt: skip
        for code, computed in e["computed"].items():
            assert (table.row(code).self_score != computed) == (code in e["contradicted_by_data"])
        assert demo_inbox.file(e["file"]).note
    # the claim the data contradicts: 3 for 3.3.1 where the dossiers give less
    c = sa["contradicted"]
    assert c["unit_code"] == "L868" and c["claimed"] == D(3) > c["computed"]
    assert units["L868"]["contradicted_by_data"] == ["3.3.1"]
    # the wrong area sum: area III states one point less than its criteria
    m = sa["sum_mismatch"]
    [mismatch] = read_self_assessment(demo_inbox.inbox / m["file"]).mismatches
    assert (mismatch.code, mismatch.measure, mismatch.stated, mismatch.parts) == (
        "3", "self_score", m["stated"], m["parts"],
    )  # fmt: skip
    assert m["parts"] - m["stated"] == 1
    assert demo_inbox.file(m["file"]).outcome == "warn"


def test_the_appraisals_carry_the_thẩm_định_column(demo_inbox: DemoSummary) -> None:
    units = demo_inbox.expected["self_assessment"]["units"]
    for unit in ("L866", "L872"):
        e = units[unit]
        table = read_self_assessment(demo_inbox.inbox / e["appraisal_file"])
        assert (table.unit_code, table.year) == (unit, 2023)
        appraised = {r.code: r.appraised_score for r in table.leaves() if r.appraised_score is not None}
        assert appraised and all(r.appraisal_reason for r in table.leaves() if r.code in appraised
                                 and r.code not in FINAL_SURVEY_POINTS)  # fmt: skip
        # a later file by its own date (the warehouse keeps the later version of a unit's year)
        files = (e["file"], e["appraisal_file"])
        signed = [submission_date(read_sheets(demo_inbox.inbox / n)[0].rows[:8]) for n in files]
        assert signed == [date(2023, 9, 5), date(2023, 12, 20)]
        # the self-scores are the unit's own (same table), the appraisal lowers some
        own = read_self_assessment(demo_inbox.inbox / e["file"])
        assert [r.self_score for r in table.leaves()] == [r.self_score for r in own.leaves()]
        points = sum(
            (r.appraised_score if r.appraised_score is not None else r.self_score or D(0))
            for r in table.leaves()
            if r.code not in SURVEY
        )
        assert points == e["appraised_points"] < e["self_assessed_points"]
        survey = {c for c in appraised if c in SURVEY}
        # the final one gives every survey criterion but 3.6 (SIPAS comes from the survey marts)
        assert survey == (set(SURVEY) - {"3.6"} if e["status"] == "final" else set())


def test_self_assessments_are_byte_identical_across_generations(
    demo_inbox: DemoSummary, tmp_path: Path
) -> None:
    again = generate_demo_inbox(tmp_path / "again")
    names = demo_inbox.names("self_assessment")
    assert len(names) == 7
    for name in names:
        assert (again.inbox / name).read_bytes() == (demo_inbox.inbox / name).read_bytes(), name
    assert again.expected["self_assessment"] == demo_inbox.expected["self_assessment"]
