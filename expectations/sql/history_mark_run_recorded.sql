insert into audit.finding_history_runs values ($run_id, $recorded_at)
