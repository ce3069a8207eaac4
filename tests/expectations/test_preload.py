"""Great Expectations imported in the background while dbt runs (expectations/preload.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

# a fresh interpreter (this test process may have imported Great Expectations already),
# running a file as `parwh` does: pyspark, which Great Expectations imports, exits a
# program without a main file (`python -c`) as if it ran doctests
PROGRAM = """
import sys
from expectations.preload import GX_MODULES, import_gx_in_background
assert "great_expectations" not in sys.modules
thread = import_gx_in_background()
assert thread.daemon
thread.join()
missing = [name for name in GX_MODULES if name not in sys.modules]
print("missing:", missing)
"""


def test_the_background_import_leaves_every_module_the_checks_need_imported(tmp_path: Path) -> None:
    program = tmp_path / "preload.py"
    program.write_text(PROGRAM, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(program)],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "missing: []" in done.stdout
