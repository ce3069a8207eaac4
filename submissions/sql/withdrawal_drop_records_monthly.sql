-- The incremental model of record-level exports, rebuilt whole by the next night.
drop table intermediate.int_dossier_records_monthly
