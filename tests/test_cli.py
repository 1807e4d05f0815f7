"""The takedown command: overview output and one-line errors."""

import subprocess
import sys

import pytest

import takedown as td
from takedown.cli import main


def run(*args):
    return subprocess.run(
        [sys.executable, "-c", "from takedown.cli import main; main()", *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_info_on_the_bundled_sample():
    result = run("info")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "release   synthetic_sample (synthetic sample bundled with takedown)"
    archive = td.datasets.sample()
    assert f"accounts  {len(archive.users):,} ({archive.tweets['userid'].nunique():,} tweeted)" in lines
    assert f"tweets    {len(archive.tweets):,}" in lines
    assert "rejected  0 row(s)" in lines


def test_info_on_a_folder(small_release):
    result = run("info", str(small_release))
    assert result.returncode == 0, result.stderr
    assert "accounts  5 (4 tweeted)" in result.stdout
    assert "retweets  4 (33.3% of tweets)" in result.stdout
    assert "dates     2019-11-19 05:20 to 2020-03-02 23:59 UTC" in result.stdout


def test_errors_are_one_line_and_non_zero(tmp_path):
    (tmp_path / "x_tweets_csv_hashed.csv").write_bytes(b"")
    result = run("info", str(tmp_path / "x_tweets_csv_hashed.csv"))
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0
    assert result.stderr.startswith("takedown: error: ") and "the file is empty" in result.stderr


def test_missing_path_is_a_usage_error():
    result = run("info", "no/such/place")
    assert result.returncode == 2 and "does not exist" in result.stderr


def test_help_lists_info(capsys, monkeypatch):
    monkeypatch.setattr(sys, "argv", ["takedown", "--help"])
    main()
    assert "info" in capsys.readouterr().out


def test_graph_convert_and_synth(tmp_path):
    made = run(
        "synth",
        "--preset",
        "sample",
        "-o",
        str(tmp_path / "syn"),
        "--accounts",
        "60",
        "--tweets",
        "500",
        "--format",
        "2019",
        "--parts",
        "2",
        "--seed",
        "3",
    )
    assert made.returncode == 0, made.stderr
    assert "SYNTHETIC." in made.stdout and len(list((tmp_path / "syn").glob("*.zip"))) == 3
    archive = td.read_archive(tmp_path / "syn", cache=False)
    assert archive.provenance.release_format == "2019" and len(archive.tweets) == 500

    graph = run("graph", str(tmp_path / "syn"), "--kind", "retweet", "-o", str(tmp_path / "g.graphml"), "--no-cache")
    assert graph.returncode == 0, graph.stderr
    import networkx as nx

    read_back = nx.read_graphml(tmp_path / "g.graphml")
    assert read_back.size(weight="weight") == int(archive.tweets["is_retweet"].sum())

    converted = run("convert", str(tmp_path / "syn"), "-o", str(tmp_path / "parquet"), "--no-cache")
    assert converted.returncode == 0, converted.stderr
    import pandas as pd

    tweets = pd.read_parquet(tmp_path / "parquet" / "tweets.parquet", dtype_backend="pyarrow")
    assert tweets["tweetid"].tolist() == archive.tweets["tweetid"].tolist()
    assert (tmp_path / "parquet" / "provenance.json").exists()


def test_graph_refuses_other_file_types(small_release, tmp_path):
    result = run("graph", str(small_release), "-o", str(tmp_path / "g.txt"))
    assert result.returncode == 2 and "expected a .gexf or .graphml" in result.stderr


@pytest.mark.parametrize("command", ["info", "report", "graph", "convert", "compare", "synth"])
def test_every_command_has_help(command):
    result = run(command, "--help")
    assert result.returncode == 0 and "Usage:" in result.stdout


def test_every_command_defaults_to_the_sample(tmp_path):
    converted = run("convert", "-o", str(tmp_path / "parquet"))
    assert converted.returncode == 0, converted.stderr
    graph = run("graph", "-o", str(tmp_path / "g.gexf"))
    assert graph.returncode == 0, graph.stderr and "nodes" in graph.stdout


def test_converted_parquet_opens_in_plain_pandas_and_duckdb(tmp_path):
    import duckdb
    import pandas as pd

    assert run("convert", "-o", str(tmp_path)).returncode == 0
    tweets = pd.read_parquet(tmp_path / "tweets.parquet")  # no dtype_backend: plain pandas
    archive = td.datasets.sample()
    assert tweets["tweetid"].tolist() == archive.tweets["tweetid"].tolist()
    assert list(tweets["hashtags"].iloc[0]) == archive.tweets["hashtags"].iloc[0]
    issues = pd.read_parquet(tmp_path / "issues.parquet")
    assert list(issues.columns) == list(td.archive.ISSUE_COLUMNS)
    count = duckdb.sql(f"select count(*) from '{tmp_path / 'tweets.parquet'}'").fetchall()[0][0]
    assert count == len(archive.tweets)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["report", "--tz", "Bangkok"], "unknown time zone 'Bangkok'"),
        (["report", "-o", "no/such/folder/r.html"], "the folder 'no/such/folder' does not exist"),
        (["report", "-o", "r.pdf"], "expected a .html or .htm file name"),
        (["graph"], "give -o FILE.gexf|FILE.graphml, --html FILE.html, or both"),
        (["compare", "-o", "t.csv"], "Missing argument"),
    ],
)
def test_usage_errors_are_one_line_before_reading(args, message):
    result = run(*args)
    assert result.returncode == 2, result.stdout
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("takedown: error: ") and message in result.stderr
    assert "Traceback" not in result.stderr


def test_graph_of_a_users_only_release_is_a_one_line_error(real_china_users, tmp_path):
    result = run("graph", str(real_china_users), "-o", str(tmp_path / "g.gexf"), "--no-cache")
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "has no tweets (a users file only)" in result.stderr


def test_compare_with_and_without_dask(tmp_path):
    pytest.importorskip("dask.distributed")
    made = [tmp_path / f"r{i}" for i in range(2)]
    for i, folder in enumerate(made):
        assert run("synth", "-o", str(folder), "--accounts", "80", "--tweets", "1500", "--seed", str(i)).returncode == 0
    alone = run("compare", *map(str, made), "-o", str(tmp_path / "alone.csv"), "--no-cache")
    assert alone.returncode == 0, alone.stderr
    dask = run("compare", *map(str, made), "-o", str(tmp_path / "dask.csv"), "--no-cache", "--dask", "local")
    assert dask.returncode == 0, dask.stderr
    import pandas as pd

    first, second = pd.read_csv(tmp_path / "alone.csv"), pd.read_csv(tmp_path / "dask.csv")
    pd.testing.assert_frame_equal(first, second)
    assert first["tweets"].tolist() == [1500, 1500] and set(first.columns) == set(td.comparison.COLUMNS)
