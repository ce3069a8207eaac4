"""Dagster's SQLite storage of the warehouse's instance, its event log files kept open.

Dagster's `SqliteEventLogStorage` creates a new SQLAlchemy engine without a pool for every
read or write of its event log: a new SQLite connection, its set-up, the insert statements
compiled again (each engine has its own cache of compiled statements), on close a checkpoint
of the write-ahead log, and a flush to disk for every commit. A night stores about 500
events, two or three commits each (the run's file, and the cross-run index for asset and
check events): 4 s of a night on a quiet machine, much more when the disk is busy.
`PooledSqliteEventLogStorage` keeps one engine, with one open connection, per file for the
life of the storage, and lets SQLite flush the write-ahead log at its checkpoints instead of
at every commit (``synchronous=NORMAL``, the setting SQLite recommends for that mode: a
crash of the process loses nothing and never corrupts a file; only a crash of the machine
itself may lose the last events written before it). Files, tables, schema migrations,
journal mode and busy timeout stay Dagster's: `dagster dev`, older warehouses and every
reader of the instance see the same storage.

`ParwhInstance` is how the instance's `dagster.yaml` (orchestration/instance.py) selects it
without naming a path: Dagster gives a custom instance class the instance's folder to build
its default storage in, so a warehouse copied or moved elsewhere keeps its own history.
"""

from __future__ import annotations

import atexit
import os
import weakref
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import dagster as dg
import yaml
from dagster._core.instance.ref import InstanceRef
from dagster._core.storage.event_log import SqliteEventLogStorage
from dagster._core.storage.sqlite import SQLITE_BUSY_TIMEOUT_SECONDS
from dagster._core.storage.sqlite_storage import DagsterSqliteStorage
from dagster._serdes import ConfigurableClassData
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import QueuePool

import sqlfiles

#: files kept open at once: the index, tonight's run, the events outside any run, and one
#: more (a reader going through older runs' files opens each in turn, closing the oldest)
OPEN_SHARDS = 4
#: seconds the exit hook waits for a thread still using a storage (then SQLite's files are
#: left as they are: the next connection reads the write-ahead log)
EXIT_WAIT_SECONDS = 5.0


def _flush_at_checkpoints(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.execute(sqlfiles.text(__package__, "event_log_synchronous_normal"))


class PooledSqliteEventLogStorage(SqliteEventLogStorage):
    """Dagster's run-sharded SQLite event log, one engine and connection per file kept open.

    Threads: Dagster's `_db_lock`, held while a connection is in use, already lets one
    thread at a time use the storage (the night's run writes while the CLI's thread reads
    its progress), and a connection is never used by two threads at once; it may be used
    by another thread than the one that opened it (``check_same_thread=False``, SQLAlchemy's
    own choice for a pool of file connections).
    """

    def __init__(self, base_dir: str, inst_data: ConfigurableClassData | None = None):
        self._engines: OrderedDict[str, Engine] = OrderedDict()
        self._tables_found: set[str] = set()
        super().__init__(base_dir, inst_data=inst_data)
        _OPEN_STORAGES.add(self)

    @classmethod
    def from_config_value(  # ty: ignore[invalid-method-override]
        cls, inst_data: ConfigurableClassData | None, config_value: Mapping[str, Any]
    ) -> PooledSqliteEventLogStorage:
        return cls(inst_data=inst_data, **config_value)

    def _engine(self, shard: str) -> Engine:
        engine = self._engines.get(shard)
        if engine is not None:
            self._engines.move_to_end(shard)
            return engine
        engine = create_engine(
            self.conn_string_for_shard(shard),
            poolclass=QueuePool,
            pool_size=1,
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS, "check_same_thread": False},
        )
        event.listen(engine, "connect", _flush_at_checkpoints)
        self._engines[shard] = engine
        while len(self._engines) > OPEN_SHARDS:
            _, oldest = self._engines.popitem(last=False)
            oldest.dispose()  # not in use: the caller holds _db_lock
        return engine

    @contextmanager
    def _connect(self, shard: str) -> Iterator[Connection]:
        # Dagster's own `_connect`, on a kept engine instead of a new one disposed after use
        with self._db_lock:
            engine = self._engine(shard)
            if shard not in self._initialized_dbs:
                self._initdb(engine)
                self._initialized_dbs.add(shard)
            with engine.connect() as conn, conn.begin():
                yield conn

    def has_table(self, table_name: str) -> bool:
        # asked for every asset check result (Dagster opens a new engine on the index each
        # time); a table once there stays there, a missing one is looked for again
        if table_name in self._tables_found:
            return True
        found = super().has_table(table_name)
        if found:
            self._tables_found.add(table_name)
        return found

    def close_files(self, wait_seconds: float = -1) -> None:
        """Close every kept connection (the next use opens its file again); SQLite
        checkpoints a file's write-ahead log into it when its last connection closes."""
        if not self._db_lock.acquire(timeout=wait_seconds):
            return
        try:
            while self._engines:
                _, engine = self._engines.popitem()
                engine.dispose()
        finally:
            self._db_lock.release()

    def forget_files(self) -> None:
        """In a forked child: drop the parent's connections without closing them."""
        for engine in self._engines.values():
            engine.dispose(close=False)
        self._engines.clear()

    def wipe(self) -> None:
        self.close_files()  # Dagster deletes the runs' files: none may stay open
        super().wipe()

    def dispose(self) -> None:
        super().dispose()
        self.close_files()


_OPEN_STORAGES: weakref.WeakSet[PooledSqliteEventLogStorage] = weakref.WeakSet()


@atexit.register
def _close_open_storages() -> None:
    for storage in list(_OPEN_STORAGES):
        storage.close_files(wait_seconds=EXIT_WAIT_SECONDS)


def _forget_open_storages() -> None:
    for storage in list(_OPEN_STORAGES):
        storage.forget_files()


os.register_at_fork(after_in_child=_forget_open_storages)


class ParwhSqliteStorage(DagsterSqliteStorage):
    """Dagster's default SQLite storage of an instance, with the kept-open event log."""

    def __init__(self, base_dir: str, inst_data: ConfigurableClassData | None = None):
        super().__init__(base_dir, inst_data=inst_data)
        # Dagster's event log of the same folder, replaced before anything used it
        self._event_log_storage = PooledSqliteEventLogStorage(self._event_log_storage._base_dir)

    @classmethod
    def from_config_value(  # ty: ignore[invalid-method-override]
        cls, inst_data: ConfigurableClassData, config_value: Mapping[str, Any]
    ) -> ParwhSqliteStorage:
        return cls.from_local(inst_data=inst_data, **config_value)


class ParwhInstance(dg.DagsterInstance):
    """Dagster's instance, its default storage `ParwhSqliteStorage` in the instance folder.

    Only the default changes: a `storage:` (or `run_storage:`, `event_log_storage:`) block
    in dagster.yaml still chooses the storage, as for Dagster's own instance.
    """

    @classmethod
    def config_schema(cls) -> dict[str, Any]:
        return {}  # no settings of its own in dagster.yaml

    @staticmethod
    def config_defaults(base_dir: str) -> Mapping[str, ConfigurableClassData | None]:
        defaults = dict(InstanceRef.config_defaults(base_dir))
        defaults["storage"] = ConfigurableClassData(
            __name__, ParwhSqliteStorage.__name__, yaml.dump({"base_dir": base_dir}, default_flow_style=False)
        )
        return defaults
