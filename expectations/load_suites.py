"""What the reader found when it loaded a file (``raw.load_findings``, see
``ingest/form_checks.py``), reported as findings like every other rule: a form identity
that fails on a row, a section subtotal or a stated rate that differs from what the rows
give, a column with numbers the reader did not understand. All are warnings: the file's
rows were loaded and are published with them; a file misread as a whole was rejected at
load and never gets here.

Messages are the ones ingest wrote (English and Vietnamese) from the vocabulary's labels,
column letters, header labels and the numbers compared: never from submitted cell text.
Only files still loaded are reported (a file rejected later, or replaced, is not).
"""

from __future__ import annotations

from expectations.spec import Rule, Suite
from ingest.form_checks import LOAD_FINDING_RULES

MANIFEST = "raw.file_manifest"


LOAD_FINDINGS_SUITE = Suite(
    name="load_findings",
    table=MANIFEST,
    asset_key=("raw", "file_manifest"),
    query="load_suites_rows",  # expectations/sql/load_suites_rows.sql
    requires=("raw.load_findings",),
    text_columns=("message", "message_vi"),
    context={"finding_key": "t.column_ref"},
    rules=[
        Rule(
            rule=rule,
            severity="warn",
            table=MANIFEST,
            kind="equals_zero",
            column="difference",
            where=f"rule = '{rule}'",  # a constant of ingest.form_checks, never data
            summary_en=summary_en,
            summary_vi=summary_vi,
            message_en="{message}",
            message_vi="{message_vi}",
        )
        for rule, (summary_en, summary_vi) in LOAD_FINDING_RULES.items()
    ],
)
