"""The Archive and its Provenance: helpers, repr, immutability."""

import dataclasses

import pytest

import takedown as td

from .conftest import HASH_A, HASH_B


def test_retweets(small_release):
    archive = td.read_archive(small_release, cache=False)
    assert archive.retweets["tweetid"].tolist() == [
        "1197369086662987776",
        "1204279208513392641",
        "1204279208513392646",
        "1204279208513392649",
    ]


def test_subset_keeps_accounts_and_their_tweets(small_release):
    archive = td.read_archive(small_release, cache=False)
    with pytest.raises(ValueError, match=r"userids: 1 id\(s\) not in 'demo_012020': 'not-there'"):
        archive.subset([HASH_A, HASH_B, "not-there"])
    with pytest.warns(UserWarning, match="not-there"):
        archive.subset([HASH_A, "not-there"], missing="warn")
    small = archive.subset([HASH_A, HASH_B, "not-there"], missing="ignore")
    assert small.users["userid"].tolist() == [HASH_A, HASH_B]
    assert len(small.tweets) == 4 and set(small.tweets["userid"]) == {HASH_A, HASH_B}
    assert small.provenance.notes[-1] == "subset to 2 of 5 accounts"
    assert len(archive.users) == 5  # the original is untouched


def test_subset_refuses_a_single_string(small_release):
    archive = td.read_archive(small_release, cache=False)
    with pytest.raises(TypeError, match="userids: expected a collection"):
        archive.subset(HASH_A)


def test_archive_is_frozen(small_release):
    archive = td.read_archive(small_release, cache=False)
    with pytest.raises(dataclasses.FrozenInstanceError):
        archive.name = "other"


def test_reprs(small_release):
    archive = td.read_archive(small_release, cache=False)
    assert repr(archive) == (
        "<Archive 'demo_012020': 5 users, 12 tweets, 2019-11-19 to 2020-03-02; format 2020; 0 issue(s) in provenance>"
    )
    text = repr(archive.provenance)
    assert "format 2020" in text and "12 rows" in text and "issues: none" in text


def test_files_frame(small_release):
    frame = td.read_archive(small_release, cache=False).provenance.files_frame()
    assert frame["role"].tolist() == ["users", "tweets"]
    assert frame["rows"].tolist() == [5, 12]
    assert frame["sha256"].str.len().tolist() == [64, 64]
