"""Import Great Expectations ahead of the checks that need it, in a background thread.

Importing Great Expectations takes about 2 s (its expectations, renderers and its Spark
compatibility layer), which every night's first quality check paid on the critical path.
The dbt step starts the import (:func:`import_gx_in_background`) and then only waits on
the dbt process, so the import runs beside dbt. Python's import lock makes a check that
needs the package before the thread is done wait for it instead of importing it twice; a
failed import here is ignored (the check imports it again and reports the error itself).
"""

from __future__ import annotations

import importlib
import threading

GX_MODULES = ("great_expectations", "great_expectations.data_context.types.base")


def _import(modules: tuple[str, ...]) -> None:
    for module in modules:
        try:
            importlib.import_module(module)
        except Exception:  # noqa: BLE001 - the check that needs it imports it again and says why
            return


def import_gx_in_background() -> threading.Thread:
    """Start importing Great Expectations in a daemon thread; returns the thread."""
    thread = threading.Thread(target=_import, args=(GX_MODULES,), name="parwh-import-gx", daemon=True)
    thread.start()
    return thread
