"""The bundled sample and the catalog."""

import importlib.util
import zipfile
from pathlib import Path

import pandas as pd

import takedown as td

TOOLS = Path(__file__).resolve().parents[1] / "tools" / "make_sample.py"


def test_sample_is_read_like_a_real_release():
    archive = td.datasets.sample()
    assert archive.name == "synthetic_sample"
    assert archive.provenance.release_format == "2020" and archive.provenance.issues.empty
    assert [f.role for f in archive.provenance.files] == ["users", "tweets"]
    assert all(f.file.startswith(str(td.datasets.sample_path()) + "!") for f in archive.provenance.files)


def test_bundled_sample_is_what_the_script_makes():
    spec = importlib.util.spec_from_file_location("make_sample", TOOLS)
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    with zipfile.ZipFile(td.datasets.sample_path()) as bundle:
        bundled = {name: bundle.read(name) for name in bundle.namelist()}
    assert bundled == script.sample_bytes(), "the generator changed: run python tools/make_sample.py"


def test_sample_is_small():
    assert td.datasets.sample_path().stat().st_size < 2 * 2**20


def test_sample_truth_describes_the_sample():
    archive, truth = td.datasets.sample(), td.datasets.sample_truth()
    pd.testing.assert_series_equal(truth.accounts["userid"], archive.users["userid"], check_names=False)
    tweeted = archive.tweets["userid"].unique()
    assert set(tweeted) <= set(truth.accounts.loc[truth.accounts["active"], "userid"])
    assert abs((archive.users["follower_count"] == 0).mean() - truth.planted["zero_follower_share"]) < 1e-12


def test_catalog():
    catalog = td.datasets.catalog()
    assert list(catalog.columns) == ["folder", "campaign", "released", "accounts", "tweets", "attribution", "note"]
    assert catalog["campaign"].is_unique
    rows = catalog.set_index("campaign")
    assert (rows.loc["thailand_092020", "accounts"], rows.loc["thailand_092020", "tweets"]) == (926, 21_385)
    assert (rows.loc["china_052020", "accounts"], rows.loc["china_052020", "tweets"]) == (23_750, 348_608)
    assert rows.loc["china_082019_1", "tweets"] == 1_906_831
    assert pd.isna(rows.loc["MX_0621", "accounts"])
    assert catalog["folder"].str.fullmatch(r"\d{4}_\d{2}").all()
