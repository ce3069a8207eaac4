"""The quality gate: publish tonight's marts or hold them back (``gate.decision``), decided from
the run's checks as plain data; no Dagster here (the asset that applies it is
``orchestration/assets/publication.py``, the file swap that follows is ``publication.swap``)."""
