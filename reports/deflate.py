"""The workbook's sheets compressed on another core while they are written.

A sheet's XML (80 MB for the 766 sheet of 1M records), as openpyxl writes it, goes to a
:class:`Deflater`, whose thread compresses it as the workbook's archive would and counts its
size and CRC (zlib releases the GIL: this runs beside the building of the next rows). The
XML is never written to disk: openpyxl's temporary file of the sheet stays empty, and
:class:`Archive` stores the sheet with the deflater's stream, size and CRC: the same part,
the same deflate stream as ``ZipFile.write`` makes at the same level (measured: 0.5 s of the
workbook's 3 s of CPU moved off its thread, and 80 MB less written and read back a night)."""

from __future__ import annotations

import queue
import threading
import zlib
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

#: zlib's level for the workbook's parts: 5, not openpyxl's 6 (zlib's default): the 80 MB
#: of XML of the 766 sheet of 1M records compress in 0.56 s instead of 0.80-1.1 s, into
#: 7.52 MB instead of 7.39 MB (+1.7 %); the parts themselves are the same
COMPRESS_LEVEL = 5
#: bytes handed to the compressing thread at once, and how many such batches may wait (the
#: writer waits beyond: 16 MB of XML held at most, whatever the machine's load)
_BATCH = 1 << 18
_WAITING = 64


class Deflater:
    """Raw deflate (as a zip archive holds a part) of the bytes written, by a thread of its
    own; :meth:`close` at the end, then :meth:`result`."""

    def __init__(self, level: int = COMPRESS_LEVEL) -> None:
        self._level = level
        self._pending = bytearray()
        self._queue: queue.Queue[bytes | None] = queue.Queue(maxsize=_WAITING)
        self._chunks: list[bytes] = []
        #: the bytes written and their CRC-32 (counted by the thread; read after `result`)
        self.size = 0
        self.crc = 0
        self._error: BaseException | None = None
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="sheet-deflate", daemon=True)
        self._thread.start()

    def write(self, data: bytes) -> None:
        self._pending += data
        if len(self._pending) >= _BATCH:
            self._queue.put(bytes(self._pending))
            self._pending.clear()

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._queue.put(bytes(self._pending))
            self._pending.clear()
            self._queue.put(None)

    def result(self) -> bytes:
        """The whole deflate stream (after :meth:`close`); the thread's error raised here."""
        if not self._closed:
            raise RuntimeError("the deflater was not closed: its stream is not complete")
        self._thread.join()
        if self._error is not None:
            raise RuntimeError("compressing the sheet failed") from self._error
        return b"".join(self._chunks)

    def _run(self) -> None:
        compressor = zlib.compressobj(self._level, zlib.DEFLATED, -15)
        while (data := self._queue.get()) is not None:
            if self._error is None:
                try:
                    self.size += len(data)
                    self.crc = zlib.crc32(data, self.crc)
                    self._chunks.append(compressor.compress(data))
                except BaseException as exc:  # noqa: BLE001  # raised by result(), in the writer's thread
                    self._error = exc
        if self._error is None:
            try:
                self._chunks.append(compressor.flush())
            except BaseException as exc:  # noqa: BLE001
                self._error = exc


class DeflatingFile:
    """What openpyxl writes a sheet to: a file-like object that feeds a :class:`Deflater`
    (``deflater``) and writes nothing to disk."""

    def __init__(self, deflater: Deflater) -> None:
        self.deflater = deflater

    def write(self, data: bytes) -> int:
        self.deflater.write(data)
        return len(data)

    def flush(self) -> None:
        pass


class _Replay:
    """A compressor that gives back a stream compressed beforehand (in place of the one
    ``ZipFile`` makes for a part)."""

    def __init__(self, stream: bytes) -> None:
        self._stream = stream

    def compress(self, data: bytes) -> bytes:
        return b""

    def flush(self) -> bytes:
        stream, self._stream = self._stream, b""
        return stream


class Archive(ZipFile):
    """A zip archive (written, deflated at ``compresslevel``) in which a sheet of ``sheets``
    written to a :class:`Deflater` (its writer's ``deflater``; the sheet's file is empty) is
    stored with the stream, size and CRC that deflater made; any other file as
    ``ZipFile.write`` stores it."""

    def __init__(self, path: object, sheets: list[object], *, compresslevel: int) -> None:
        super().__init__(path, "w", ZIP_DEFLATED, allowZip64=True, compresslevel=compresslevel)  # type: ignore[call-overload]
        self._sheets = sheets

    def _deflater(self, filename: object) -> Deflater | None:
        for sheet in self._sheets:
            writer = getattr(sheet, "_writer", None)
            deflater = getattr(writer, "deflater", None)
            if deflater is not None and str(writer.out) == str(filename):  # type: ignore[union-attr]
                return deflater
        return None

    def write(self, filename, arcname=None, compress_type=None, compresslevel=None):  # type: ignore[no-untyped-def, override]
        deflater = self._deflater(filename)
        if deflater is None or compress_type is not None or compresslevel is not None:
            return super().write(filename, arcname, compress_type, compresslevel)
        stream = deflater.result()
        zinfo = ZipInfo.from_file(filename, arcname)
        zinfo.compress_type = ZIP_DEFLATED
        zinfo.file_size = deflater.size  # before open: it decides whether the part is zip64
        with self.open(zinfo, "w") as dest:
            # zipfile's part writer, told what the deflater counted instead of reading the bytes
            dest._compressor = _Replay(stream)  # type: ignore[attr-defined]
            dest._file_size = deflater.size  # type: ignore[attr-defined]
            dest._crc = deflater.crc  # type: ignore[attr-defined]
        return None
