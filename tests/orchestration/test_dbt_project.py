from orchestration.dbt_project import WarehouseDbtTranslator, dbt_build_args


def test_nightly_dbt_command_is_a_plain_build() -> None:
    assert dbt_build_args() == ["build", "--exclude-resource-type", "unit_test"]


def test_dbt_command_options() -> None:
    assert dbt_build_args(full_refresh=True, selector="marts") == [
        "build",
        "--exclude-resource-type",
        "unit_test",
        "--full-refresh",
        "--select",
        "marts",
    ]


def test_asset_keys_equal_warehouse_relations() -> None:
    translator = WarehouseDbtTranslator()
    model = {
        "resource_type": "model",
        "name": "rankings",
        "config": {"schema": "marts"},
        "fqn": ["par_warehouse", "marts", "rankings"],
    }
    source = {"resource_type": "source", "source_name": "raw", "name": "dossiers"}
    assert translator.get_asset_key(model).path == ["marts", "rankings"]
    assert translator.get_asset_key(source).path == ["raw", "dossiers"]
    assert translator.get_group_name(model) == "marts"
