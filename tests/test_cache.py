"""The Parquet cache: written once, reloaded identically, rebuilt when stale or damaged."""

import os
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

import takedown as td

from .conftest import tweet, user, write_release


def assert_same(a, b):
    pd.testing.assert_frame_equal(a.users, b.users)
    pd.testing.assert_frame_equal(a.tweets, b.tweets)
    pd.testing.assert_frame_equal(a.provenance.issues, b.provenance.issues)


def test_second_read_hits_with_equal_tables(small_release, tmp_path):
    cache = tmp_path / "cache"
    first = td.read_archive(small_release, cache=cache)
    second = td.read_archive(small_release, cache=cache)
    assert (first.provenance.cache, second.provenance.cache) == ("written", "hit")
    assert_same(first, second)
    assert second.provenance.files == first.provenance.files
    assert_same(second, td.read_archive(small_release, cache=False))


def test_default_cache_folder_comes_from_the_environment(small_release, tmp_path, monkeypatch):
    monkeypatch.setenv("TAKEDOWN_CACHE", str(tmp_path / "env-cache"))
    td.read_archive(small_release)
    assert any((tmp_path / "env-cache" / "archives").iterdir())


def test_key_follows_content_not_path(small_release, tmp_path):
    cache = tmp_path / "cache"
    original = td.read_archive(small_release, cache=cache)
    copy = tmp_path / "copy"
    copy.mkdir()
    for path in small_release.iterdir():
        (copy / path.name).write_bytes(path.read_bytes())
    first = td.read_archive(copy, cache=cache)
    # The copy is hashed (it has not been seen), then found to share the entry.
    assert first.provenance.cache_path == original.provenance.cache_path
    assert len(list((cache / "archives").iterdir())) == 1
    assert td.read_archive(copy, cache=cache).provenance.cache == "hit"


def test_changed_file_is_read_again_with_a_warning(tmp_path):
    folder = write_release(tmp_path / "r", [user()], [tweet("1")])
    cache = tmp_path / "cache"
    td.read_archive(folder, cache=cache)
    write_release(folder, [user()], [tweet("1"), tweet("2")])
    stat = (folder / "demo_012020_tweets_csv_hashed.csv").stat()
    os.utime(folder / "demo_012020_tweets_csv_hashed.csv", ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    with pytest.warns(td.CacheWarning, match="changed since it was cached"):
        archive = td.read_archive(folder, cache=cache)
    assert archive.provenance.cache == "written" and len(archive.tweets) == 2
    assert len(list((cache / "archives").iterdir())) == 1  # the stale entry is gone


@pytest.mark.parametrize(
    ("damage", "target"),
    [
        ("truncate", "tweets/part-00000.parquet"),
        ("flip", "tweets/part-00000.parquet"),
        ("delete", "users/part-00000.parquet"),
        ("flip", "users/part-00000.parquet"),
        ("garble", "manifest.json"),
    ],
)
def test_damaged_entry_is_rebuilt_with_a_warning(small_release, tmp_path, damage, target):
    cache = tmp_path / "cache"
    first = td.read_archive(small_release, cache=cache)
    path = Path(first.provenance.cache_path) / target
    data = path.read_bytes()
    if damage == "truncate":
        path.write_bytes(data[: len(data) // 2])
    elif damage == "flip":
        middle = len(data) // 2
        path.write_bytes(data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1 :])
    elif damage == "delete":
        path.unlink()
    else:
        path.write_text("{not json")
    with pytest.warns(td.CacheWarning, match="damaged"):
        again = td.read_archive(small_release, cache=cache)
    assert again.provenance.cache == "rebuilt"
    assert_same(first, again)
    assert td.read_archive(small_release, cache=cache).provenance.cache == "hit"


def test_parquet_copies_hold_the_tables(small_release, tmp_path):
    archive = td.read_archive(small_release, cache=tmp_path / "cache")
    folder = Path(archive.provenance.cache_path)
    tweets = pq.read_table(folder / "tweets")
    assert tweets.num_rows == 12 and tweets.column("tweetid").to_pylist() == archive.tweets["tweetid"].tolist()
    assert pq.read_table(folder / "users").column("follower_count").to_pylist() == [0, 17, 23949, 2, 0]
    assert sorted(p.name for p in folder.iterdir()) == ["issues.parquet", "manifest.json", "tweets", "users"]


def test_cache_off_writes_nothing(small_release, tmp_path, monkeypatch):
    monkeypatch.setenv("TAKEDOWN_CACHE", str(tmp_path / "unused"))
    assert td.read_archive(small_release, cache=False).provenance.cache == "off"
    assert not (tmp_path / "unused").exists()


def test_bad_cache_argument(small_release):
    with pytest.raises(TypeError, match="cache: expected True, False or a folder path"):
        td.read_archive(small_release, cache=3)


def test_unwritable_cache_folder_warns_and_still_reads(small_release, tmp_path):
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder should be")
    with pytest.warns(td.CacheWarning, match="could not write the cache entry"):
        archive = td.read_archive(small_release, cache=blocked)
    assert len(archive.tweets) == 12 and archive.provenance.cache == "off"
