"""Raw tables: one Dagster asset per source family, keyed like the dbt sources (raw/<table>).

The file readers and loaders live in the `ingest` package; these assets only hand them a
connection and report what happened.
"""

import dagster as dg

from ingest.admin_units import load_admin_units
from ingest.inbox import InboxHashes, load_family, register_inbox
from ingest.warehouse import ensure_schema
from night.summary import escape_control  # file names are submitter text
from orchestration.resources import WarehouseResource

INGEST_GROUP = "ingest"


def _rejected_line(file_name: str, message: str | None) -> str:
    """A log line naming a rejected file: its name and message are submitter text."""
    return f"rejected {escape_control(file_name)}: {escape_control(message)}"


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            ["raw", "admin_units"],
            description="Administrative units of the whole country, legacy and current (official lists).",
        ),
        dg.AssetSpec(
            ["raw", "admin_unit_successions"],
            description="Legacy → current units of the 2025 reorganisation.",
        ),
    ],
    group_name=INGEST_GROUP,
)
def admin_units(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    with warehouse.connect() as con:
        ensure_schema(con)
        units, successions = load_admin_units(con)
    context.log.info(f"{units} administrative units, {successions} successions")
    yield dg.MaterializeResult(asset_key=["raw", "admin_units"], metadata={"rows": units})
    yield dg.MaterializeResult(asset_key=["raw", "admin_unit_successions"], metadata={"rows": successions})


@dg.asset(
    key=["raw", "file_manifest"],
    deps=[["raw", "admin_units"]],
    group_name=INGEST_GROUP,
    description="Every file seen in the inbox: new files are hashed and classified by "
    "source family; duplicates and unreadable files are recorded here.",
)
def file_manifest(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    settings = warehouse.settings
    settings.inbox_dir.mkdir(parents=True, exist_ok=True)
    with warehouse.connect() as con:
        ensure_schema(con)
        outcomes = register_inbox(
            con,
            settings.inbox_dir,
            settings.quarantine_dir,
            context.run.run_id,
            InboxHashes(settings.inbox_hash_cache),
        )
    by_status: dict[str, int] = {}
    for outcome in outcomes:
        by_status[outcome.status] = by_status.get(outcome.status, 0) + 1
        if outcome.status == "rejected":
            context.log.warning(_rejected_line(outcome.file_name, outcome.message))
    return dg.MaterializeResult(
        metadata={"new_files": len(outcomes), **{f"files_{k}": v for k, v in by_status.items()}}
    )


def _family_asset(family: str, tables: tuple[str, ...], description: str) -> dg.AssetsDefinition:
    specs = [
        dg.AssetSpec(["raw", table], deps=[["raw", "file_manifest"]], description=description)
        for table in tables
    ]

    @dg.multi_asset(name=f"load_{family}", specs=specs, group_name=INGEST_GROUP)
    def _load(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
        settings = warehouse.settings
        with warehouse.connect() as con:
            ensure_schema(con)
            report = load_family(con, family, settings.quarantine_dir, context.run.run_id)
        for outcome in report.outcomes:
            if outcome.status == "rejected":
                context.log.warning(_rejected_line(outcome.file_name, outcome.message))
        metadata = {
            "files_loaded": report.files_loaded,
            "files_rejected": report.files_rejected,
            "rows_loaded": report.rows_loaded,
        }
        for table in tables:
            yield dg.MaterializeResult(asset_key=["raw", table], metadata=metadata)

    return _load


# source family → the raw tables its loader writes
FAMILY_TABLES: dict[str, tuple[str, ...]] = {
    "dossiers": ("dossiers",),
    "dossier_records": ("dossier_records",),
    "dossier_status_history": ("dossier_status_history",),
    "staff": ("staff",),
    "budget": ("budget",),
    "surveys": ("surveys", "survey_responses"),
    "self_assessment": ("self_assessment_rows",),
    "published_index_results": ("published_index_results", "published_index_components"),
    "procedure_catalogue": ("procedure_catalogue",),
    "portal_766_scores": ("portal_766_scores",),
    "narrative_reports": ("narrative_claims",),
}
dossiers = _family_asset(
    "dossiers", FAMILY_TABLES["dossiers"], "Aggregated one-stop-shop dossier statistics as submitted."
)
dossier_records = _family_asset(
    "dossier_records",
    FAMILY_TABLES["dossier_records"],
    "Record-level dossier exports, one row per dossier.",
)
dossier_status_history = _family_asset(
    "dossier_status_history",
    FAMILY_TABLES["dossier_status_history"],
    "Dossier status histories exported beside the record exports, one row per status change"
    " (dossier, status, time; the handler's name and notes never read): the supplement"
    " requests and the end the 766 progress rule reads where a record export leaves them blank.",
)
staff = _family_asset("staff", FAMILY_TABLES["staff"], "Staff counts by category against the quota.")
budget = _family_asset(
    "budget", FAMILY_TABLES["budget"], "Cumulative public investment disbursement against the plan."
)
surveys = _family_asset(
    "surveys",
    FAMILY_TABLES["surveys"],
    "Citizen survey results: aggregated, and one row per form and question (no personal data).",
)

self_assessment = _family_asset(
    "self_assessment",
    FAMILY_TABLES["self_assessment"],
    "Self-assessment tables of the PAR INDEX (Biểu tự đánh giá): each unit's own scores, criterion by"
    " criterion, with evidence, explanation and the appraised score.",
)

published_index_results = _family_asset(
    "published_index_results",
    FAMILY_TABLES["published_index_results"],
    "Published PAR INDEX and SIPAS results (national tables by province, a province's tables by"
    " unit) with their components: for comparison with the warehouse's own index, never an input"
    " to scores.",
)

procedure_catalogue = _family_asset(
    "procedure_catalogue",
    FAMILY_TABLES["procedure_catalogue"],
    "Units' procedure catalogues (danh mục TTHC): each procedure's code, level, field, online"
    " level, fee, paper result, publication decision and dates, for the publicity and online"
    " rules of the 766 index.",
)

portal_766_scores = _family_asset(
    "portal_766_scores",
    FAMILY_TABLES["portal_766_scores"],
    "The national public service portal's published 766 scores (exports and JSON answers of its"
    " statistics pages): each unit's six groups, total and rank per period, reconciled with the"
    " warehouse's own 766 index.",
)

narrative_reports = _family_asset(
    "narrative_reports",
    FAMILY_TABLES["narrative_reports"],
    "Narrative PAR reports (.docx, .pdf with a text layer, .txt): each figure they state about a"
    " known measure, with the quoted sentence (personal data masked), checked against the"
    " warehouse in mart_report_claims.",
)

ingest_assets = [
    admin_units,
    file_manifest,
    dossiers,
    dossier_records,
    dossier_status_history,
    staff,
    budget,
    surveys,
    self_assessment,
    published_index_results,
    procedure_catalogue,
    portal_766_scores,
    narrative_reports,
]
