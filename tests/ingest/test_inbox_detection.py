"""The inbox change detection, written once (issue 17): ``unregistered_inbox_files`` is what
the registration and the night's state call; ``inbox_listing_fingerprint`` is the sensor's."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from ingest.inbox import InboxHashes, inbox_listing_fingerprint, unregistered_inbox_files


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_only_files_not_registered_under_that_name_and_content(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    (inbox / "tinh").mkdir(parents=True)
    (inbox / "a.xlsx").write_bytes(b"A")
    (inbox / "tinh" / "b.csv").write_bytes(b"B")
    (inbox / "c.csv").write_bytes(b"A")  # same content as a.xlsx, another name: new
    (inbox / "~$a.xlsx").write_bytes(b"lock")  # an Office lock file: never a submission
    (inbox / ".hidden.csv").write_bytes(b"H")
    registered = {(_sha(b"A"), "a.xlsx"), (_sha(b"old B"), "tinh/b.csv")}  # b.csv changed since
    cache = tmp_path / "inbox_hashes.json"
    hashes = InboxHashes(cache)
    found = unregistered_inbox_files(inbox, hashes, registered)
    assert [(rel, sha) for _, rel, sha in found] == [("c.csv", _sha(b"A")), ("tinh/b.csv", _sha(b"B"))]
    hashes.save()
    # the hashes are kept: a second caller (the registration after the night's state) reads
    # the cache, not the files
    assert json.loads(cache.read_text())["tinh/b.csv"][4] == _sha(b"B")
    registered |= {(sha, rel) for _, rel, sha in found}
    assert unregistered_inbox_files(inbox, InboxHashes(cache), registered) == []


def test_the_sensor_digest_changes_when_a_file_lands_or_changes(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    assert inbox_listing_fingerprint(inbox) == _sha(b"")  # no inbox yet
    inbox.mkdir()
    (inbox / "a.xlsx").write_bytes(b"A")
    first = inbox_listing_fingerprint(inbox)
    assert inbox_listing_fingerprint(inbox) == first
    (inbox / "b.xlsx").write_bytes(b"B")
    second = inbox_listing_fingerprint(inbox)
    assert second != first
    os.utime(inbox / "a.xlsx", ns=(1, 1))
    assert inbox_listing_fingerprint(inbox) not in (first, second)
