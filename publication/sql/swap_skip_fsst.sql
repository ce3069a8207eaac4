-- The copy does not try FSST on the marts' strings: analysing it cost 0.5 s of CPU a night and
-- won nothing (dictionary compression keeps the file the same size). Global to the DuckDB
-- instance: reset by swap_reset_compression.sql once the publication is written.
set disabled_compression_methods = 'fsst'
