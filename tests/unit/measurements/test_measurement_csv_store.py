"""The store of uploaded CSV files between preview and confirmation is bounded (#17, 2026-12-03).

Every uploaded CSV, also refused ones, stayed on disk for 24 hours with no quota: 12 uploads took 52 MB.
"""

from __future__ import annotations

import os
import time

import pytest

from pgo.measurements import csv_store
from pgo.measurements.csv_store import UploadTooLarge, discard_upload, keep_upload, load_upload

TEXT = "date,time,type,value,unit\n2025-03-10,08:00,heart_rate,70,/min\n"


def test_a_person_keeps_only_the_newest_few_uploads(tmp_path):
    ids = []
    for n in range(csv_store.MAX_PENDING_PER_USER + 2):
        ids.append(keep_upload(tmp_path, user_id=1, text=TEXT, file_name=f"{n}.csv"))
        moment = time.time() - 100 + n  # each upload a little later than the one before
        os.utime(next(tmp_path.glob(f"1-{ids[-1]}.json")), (moment, moment))
    other = keep_upload(tmp_path, user_id=2, text=TEXT, file_name="bert.csv")
    kept = [i for i in ids if load_upload(tmp_path, user_id=1, upload_id=i) is not None]
    assert kept == ids[-csv_store.MAX_PENDING_PER_USER :]
    assert load_upload(tmp_path, user_id=2, upload_id=other) is not None  # another person's quota is their own


def test_a_file_larger_than_the_limit_is_not_kept(tmp_path):
    with pytest.raises(UploadTooLarge, match="big.csv"):
        keep_upload(tmp_path, user_id=1, text="x" * (csv_store.MAX_UPLOAD_BYTES + 1), file_name="big.csv")
    assert list(tmp_path.glob("*.json")) == []


def test_old_uploads_go_and_the_folder_stays_under_its_bound(tmp_path, monkeypatch):
    old = keep_upload(tmp_path, user_id=1, text=TEXT, file_name="old.csv")
    past = time.time() - csv_store.MAX_AGE_SECONDS - 1
    os.utime(next(tmp_path.glob(f"1-{old}.json")), (past, past))
    keep_upload(tmp_path, user_id=3, text=TEXT, file_name="new.csv")
    assert load_upload(tmp_path, user_id=1, upload_id=old) is None
    monkeypatch.setattr(csv_store, "MAX_FOLDER_BYTES", 3 * len(TEXT) + 600)
    for user_id in range(10, 20):
        keep_upload(tmp_path, user_id=user_id, text=TEXT, file_name="a.csv")
    assert sum(p.stat().st_size for p in tmp_path.glob("*.json")) <= csv_store.MAX_FOLDER_BYTES


def test_a_discarded_upload_is_gone(tmp_path):
    upload_id = keep_upload(tmp_path, user_id=1, text=TEXT, file_name="a.csv")
    discard_upload(tmp_path, user_id=2, upload_id=upload_id)  # not someone else's
    assert load_upload(tmp_path, user_id=1, upload_id=upload_id) is not None
    discard_upload(tmp_path, user_id=1, upload_id=upload_id)
    assert load_upload(tmp_path, user_id=1, upload_id=upload_id) is None
