"""Warehouse schema owned by ingest: schemas ``raw``, ``audit``, ``marts`` and every raw table
of docs/architecture.md. Idempotent (``create … if not exists``)."""

from __future__ import annotations

import duckdb

_DDL = [
    "create schema if not exists raw",
    "create schema if not exists audit",
    "create schema if not exists marts",
    # file_path is an ingest-internal addition: where load_family finds a pending file.
    """create table if not exists raw.file_manifest (
        file_id varchar, file_name varchar, size_bytes bigint, source_family varchar,
        sheet_name varchar, row_count bigint, unit_codes varchar[], period_labels varchar[],
        status varchar, message varchar, message_vi varchar, error_sheet varchar,
        error_row bigint, error_column varchar, run_id varchar, loaded_at timestamp,
        file_path varchar)""",
    # columns added after the first release (existing warehouses are migrated in place)
    "alter table raw.file_manifest add column if not exists ignored_columns varchar[]",
    "alter table raw.file_manifest add column if not exists column_map varchar",
    # attempts to load a pending file, committed before each attempt: a file that kills the
    # process (out of memory, a reader fault) is rejected after two, never blocks the nights
    "alter table raw.file_manifest add column if not exists load_attempts integer",
    # when the file was submitted: the date of its title block's place-and-date line
    # ("Tây Ninh, ngày 15 tháng 7 năm 2023") and its modification time (its arrival); the
    # later of two versions of a submission loaded in one night is loaded last and wins
    "alter table raw.file_manifest add column if not exists submitted_on date",
    "alter table raw.file_manifest add column if not exists file_modified_at timestamp",
    """create table if not exists raw.dossiers (
        file_id varchar, source_row bigint, unit_code varchar, submitted_unit varchar,
        authority_level varchar, period_start date, period_end date, field varchar,
        carried_in bigint, received bigint, received_online bigint, received_postal bigint,
        resolved bigint, resolved_early bigint, resolved_on_time bigint, resolved_late bigint,
        pending_not_due bigint, pending_overdue bigint, is_total_row boolean,
        loaded_at timestamp)""",
    *(
        f"alter table raw.dossiers add column if not exists {column} bigint"
        for column in (
            "received_total",
            "received_in_person",
            "received_in_person_or_postal",
            "received_fully_online",
            "received_partly_online",
            "received_out_of_area",
            "pending",
            "waiting_supplement",
            "returned",
            "withdrawn",
            "stopped",
        )
    ),
    """create table if not exists raw.dossier_records (
        file_id varchar, source_row bigint, dossier_id varchar, unit_code varchar,
        authority_level varchar, procedure_code varchar, field varchar, channel varchar,
        received_at timestamp, due_at timestamp, finished_at timestamp, online_level varchar,
        is_fully_online_eligible boolean, is_digitised boolean, has_electronic_result boolean,
        is_fee_required boolean, is_paid_online boolean, citizen_rating varchar,
        loaded_at timestamp)""",
    # status: the portal's TrangThaiHoSo as a vocabulary code (ingest/vocabulary.yaml)
    "alter table raw.dossier_records add column if not exists status varchar",
    """create table if not exists raw.staff (
        file_id varchar, source_row bigint, unit_code varchar, submitted_unit varchar,
        as_of_date date, category varchar, quota bigint, actual bigint, is_total_row boolean,
        loaded_at timestamp)""",
    """create table if not exists raw.budget (
        file_id varchar, source_row bigint, unit_code varchar, submitted_unit varchar,
        fiscal_year integer, as_of_date date, programme varchar, plan_mvnd decimal(18,3),
        disbursed_mvnd decimal(18,3), is_total_row boolean, loaded_at timestamp)""",
    """create table if not exists raw.surveys (
        file_id varchar, source_row bigint, unit_code varchar, submitted_unit varchar,
        authority_level varchar, period_start date, period_end date, forms bigint,
        satisfied_forms bigint, is_total_row boolean, loaded_at timestamp)""",
    """create table if not exists raw.survey_responses (
        file_id varchar, source_row bigint, response_id varchar, unit_code varchar,
        authority_level varchar, survey_date date, question_code varchar, answer integer,
        is_overall boolean, loaded_at timestamp)""",
    # What the reader found wrong in a file it loaded: a form identity that fails on a row,
    # a stated rate or section total that differs from what the rows compute, a numeric
    # column it could not map. One row per finding; the file's rows are loaded all the same.
    """create table if not exists raw.load_findings (
        file_id varchar, source_family varchar, sheet_name varchar, source_row bigint,
        column_ref varchar, rule varchar, severity varchar, stated_value decimal(38,3),
        computed_value decimal(38,3), difference decimal(38,3), message varchar,
        message_vi varchar, unit_code varchar, period_label varchar, loaded_at timestamp)""",
    """create table if not exists raw.admin_units (
        unit_code varchar, gso_code varchar, admin_era varchar, unit_name varchar,
        short_name varchar, unit_type varchar, unit_kind varchar, province_code varchar,
        parent_code varchar, valid_from date, valid_to date)""",
    """create table if not exists raw.admin_unit_successions (
        legacy_unit_code varchar, current_unit_code varchar, is_split boolean,
        is_default boolean)""",
    """create table if not exists audit.check_results (
        run_id varchar, check_name varchar, asset_key varchar, rule varchar,
        severity varchar, success boolean, unexpected_count bigint, element_count bigint,
        evaluated_at timestamp)""",
    """create table if not exists marts.data_quality_findings (
        run_id varchar, rule varchar, severity varchar, unit_code varchar,
        period_label varchar, source_file varchar, source_row bigint, message varchar,
        message_vi varchar, found_at timestamp)""",
]

RAW_TABLES = (
    "file_manifest",
    "dossiers",
    "dossier_records",
    "staff",
    "budget",
    "surveys",
    "survey_responses",
    "load_findings",
    "admin_units",
    "admin_unit_successions",
)


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the schemas and tables ingest writes, if they do not exist yet."""
    for statement in _DDL:
        con.execute(statement)


def ensure_admin_units(con: duckdb.DuckDBPyConnection) -> None:
    """Load the administrative units if ``raw.admin_units`` is still empty."""
    ensure_schema(con)
    row = con.execute("select count(*) from raw.admin_units").fetchall()
    if not row or row[0][0] == 0:
        from ingest.admin_units import load_admin_units

        load_admin_units(con)
