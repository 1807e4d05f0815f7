"""Finding a release's files: names, prefixes, part suffixes, zips, folders, globs."""

import zipfile

import pytest

import takedown as td
from takedown.read.discover import _campaign, _match, collect

from .conftest import USER_HEADER, csv_bytes, tweet, user, write_release


@pytest.mark.parametrize(
    ("name", "role", "campaign", "part"),
    [
        ("thailand_092020_tweets_csv_hashed.csv", "tweets", "thailand_092020", None),
        ("hashed_2020_09_thailand_092020_thailand_092020_tweets_csv_hashed.zip", "tweets", "thailand_092020", None),
        ("hashed_2020_09_thailand_092020_thailand_092020_users_csv_hashed.zip", "users", "thailand_092020", None),
        ("china_082019_1_tweets_csv_hashed_1.csv", "tweets", "china_082019_1", "1"),
        ("china_082019_1_users_csv_hashed.csv", "users", "china_082019_1", None),
        ("russia_052020_tweets_csv_hashed_part2.csv", "tweets", "russia_052020", "part2"),
        ("sa_eg_ae_022020_tweets_csv_hashed_07.csv", "tweets", "sa_eg_ae_022020", "07"),
        ("ira_tweets_csv_hashed_c.csv", "tweets", "ira", "c"),
        ("CNHU_0621_tweets_csv_hashed_2021.csv", "tweets", "CNHU_0621", "2021"),
        ("032020_tweets_csv_unhashed.csv", "tweets", "032020", None),
        ("iran_201906_1_tweets_csv_hashed_alt.csv", "tweets", "iran_201906_1", "alt"),
    ],
)
def test_names(name, role, campaign, part):
    found = _match(name)
    assert (found["role"], found["campaign"], found["part"]) == (role, campaign, part)


@pytest.mark.parametrize("name", ["thailand_092020_tweet_media_hashed.zip", "readme.txt", "tweets.parquet"])
def test_other_files_are_not_matched(name):
    assert _match(name) is None


def test_download_prefix_without_repetition():
    assert _campaign("hashed_2021_12_CNHU_0621") == "CNHU_0621"


def test_part_order(tmp_path):
    rows = [tweet(str(i)) for i in range(12)]
    folder = write_release(tmp_path / "r", [user()], rows, tweet_parts=["_10", "_2", "_1", "_alt"])
    release = collect(folder)
    assert [f.part for f in release.tweets] == ["1", "2", "10", "alt"]


def test_zip_with_nested_folders_and_several_members(tmp_path):
    header = list(td.schema.RELEASE_FORMATS["2020"])
    path = tmp_path / "download.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("release/x_092020/x_092020_users_csv_hashed.csv", csv_bytes(USER_HEADER, [user().values()]))
        archive.writestr(
            "release/x_092020/x_092020_tweets_csv_hashed_1.csv", csv_bytes(header, [[tweet("1")[c] for c in header]])
        )
        archive.writestr(
            "release/x_092020/x_092020_tweets_csv_hashed_2.csv", csv_bytes(header, [[tweet("2")[c] for c in header]])
        )
        archive.writestr("__MACOSX/release/._x_092020_users_csv_hashed.csv", b"junk")
        archive.writestr("../../evil_users_csv_hashed.txt", b"never a path")
    result = td.read_archive(path, cache=False)
    assert result.name == "x_092020" and result.tweets["tweetid"].tolist() == ["1", "2"]
    assert not (tmp_path.parent / "evil_users_csv_hashed.txt").exists()
    assert [f.file.split("!")[1] for f in result.provenance.files] == [
        "release/x_092020/x_092020_users_csv_hashed.csv",
        "release/x_092020/x_092020_tweets_csv_hashed_1.csv",
        "release/x_092020/x_092020_tweets_csv_hashed_2.csv",
    ]


def test_folder_searched_recursively(tmp_path):
    write_release(tmp_path / "a" / "b", [user()], [tweet()], zipped=True)
    assert len(td.read_archive(tmp_path, cache=False).tweets) == 1


def test_zip_and_its_extracted_csv_are_read_once(tmp_path):
    folder = write_release(tmp_path / "r", [user()], [tweet()], zipped=True)
    write_release(folder, [user()], [tweet()])
    archive = td.read_archive(folder, cache=False)
    assert len(archive.tweets) == 1 and archive.provenance.issues.empty
    assert all("!" not in f.file for f in archive.provenance.files)  # the plain CSVs are read, not the zips
    skipped = archive.provenance.skipped_frame()
    assert len(skipped) == 2 and skipped["reason"].str.startswith("the same bytes as ").all()
    assert skipped["file"].str.contains(r"\.zip!").all()


def test_several_campaigns_raise_and_are_listed(tmp_path):
    write_release(tmp_path, [user()], [tweet()], campaign="one_012020")
    write_release(tmp_path, [user()], [tweet()], campaign="two_022020")
    with pytest.raises(ValueError, match=r"several releases found: one_012020 .*two_022020.*find_archives"):
        td.read_archive(tmp_path, cache=False)
    listing = td.find_archives(tmp_path)
    assert listing["campaign"].tolist() == ["one_012020", "two_022020"]
    assert listing["tweets_files"].tolist() == [1, 1]


def test_glob_and_list_sources(tmp_path):
    folder = write_release(tmp_path / "r", [user()], [tweet(str(i)) for i in range(4)], tweet_parts=["_1", "_2"])
    by_glob = td.read_archive(str(folder / "*_tweets_csv_hashed_*.csv"), cache=False)
    assert len(by_glob.tweets) == 4 and by_glob.provenance.users_derived
    listed = td.read_archive(
        [folder / "demo_012020_users_csv_hashed.csv", folder / "demo_012020_tweets_csv_hashed_2.csv"], cache=False
    )
    assert (len(listed.users), len(listed.tweets)) == (1, 2)


def test_unnamed_csv_is_recognised_by_header(tmp_path):
    header = list(td.schema.RELEASE_FORMATS["2020"])
    path = tmp_path / "my_export.csv"
    path.write_bytes(csv_bytes(header, [[tweet()[c] for c in header]]))
    archive = td.read_archive(path, cache=False, name="mine")
    assert archive.name == "mine" and len(archive.tweets) == 1


def test_hashed_and_unhashed_together_raise(tmp_path):
    write_release(tmp_path, [user()], None)
    (tmp_path / "demo_012020_tweets_csv_unhashed.csv").write_bytes(
        csv_bytes(list(td.schema.RELEASE_FORMATS["2020"]), [[tweet()[c] for c in td.schema.RELEASE_FORMATS["2020"]]])
    )
    with pytest.raises(ValueError, match="both hashed and unhashed"):
        td.read_archive(tmp_path, cache=False)


@pytest.mark.parametrize(
    ("source", "error", "message"),
    [
        ("does/not/exist", FileNotFoundError, "no such file or folder"),
        ("nothing/*.csv", FileNotFoundError, "the glob matches no file"),
        ([], ValueError, "the list of paths is empty"),
        (42, TypeError, "expected a path"),
    ],
)
def test_bad_sources(source, error, message):
    with pytest.raises(error, match=message):
        td.read_archive(source, cache=False)


def test_folder_without_release(tmp_path):
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(ValueError, match="no takedown users or tweets file found"):
        td.read_archive(tmp_path, cache=False)


def test_two_unnamed_files_are_both_read(tmp_path):
    header = list(td.schema.RELEASE_FORMATS["2020"])
    (tmp_path / "first.csv").write_bytes(csv_bytes(header, [[tweet("1")[c] for c in header]]))
    (tmp_path / "second.csv").write_bytes(csv_bytes(header, [[tweet("2")[c] for c in header]]))
    archive = td.read_archive([tmp_path / "first.csv", tmp_path / "second.csv"], cache=False)
    assert archive.tweets["tweetid"].tolist() == ["1", "2"]
