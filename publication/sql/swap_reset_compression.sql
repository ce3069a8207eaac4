-- Every compression method again (swap_skip_fsst.sql left FSST out while the marts were copied).
reset disabled_compression_methods
