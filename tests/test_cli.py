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


@pytest.mark.parametrize("command", ["info", "report", "graph", "convert", "synth"])
def test_every_command_has_help(command):
    result = run(command, "--help")
    assert result.returncode == 0 and "Usage:" in result.stdout
