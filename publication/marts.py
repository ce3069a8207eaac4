"""The published marts: the tables of `published/latest.duckdb` and of the Parquet set, in
the order they are written. A contract with the analysts (docs/marts.md): add, never rename.
Read by the publication asset, `publication.diff` and the tests, none of which need Dagster."""

PUBLISHED_MARTS = (
    "dim_admin_units",
    "fct_dossier_stats",
    "fct_survey_satisfaction",
    "fct_budget_disbursement",
    "fct_staffing",
    "fct_indicator_values",
    "fct_scores",
    "fct_area_scores",
    "rankings",
    "mart_points_lost",
    "dim_rubric_nodes",
    "fct_index_criteria",
    "fct_index_areas",
    "mart_index_status",
    "mart_index_rankings",
    "mart_index_points_lost",
    "mart_index_claims_vs_data",
    "mart_index_published_comparison",
    "fct_766_indicators",
    "fct_766_group_scores",
    "mart_766_rankings",
    "mart_report_claims",
    "data_quality_findings",
)
