"""The notebooks: each runs top to bottom as a reader runs it, and each follows the conventions.

Notebooks are written as MyST Markdown (``name.md``) paired with ``name.ipynb``, stored without
outputs. Every notebook under ``notebooks/`` runs on the bundled sample with papermill; the lessons
(``notebooks/01_*`` .. ``07_*``) also run on the real Thailand release with ``ARCHIVE`` set, where
the numbers their prose quotes must come out, and on another public data set that lacks what some of
their sections need, where they must say so instead of failing. Notebooks run several at a time,
each in its own kernel, and only those the selected tests need.
"""

from __future__ import annotations

import os
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import jupytext
import nbformat
import papermill
import pytest
from jupyter_core.utils import ensure_event_loop

from .conftest import REAL, THAILAND

ROOT = Path(__file__).resolve().parents[1] / "notebooks"


def _is_notebook_markdown(path: Path) -> bool:
    head = path.read_text(encoding="utf-8")[:400]
    return head.startswith("---") and "jupytext:" in head


def _found(pattern: str) -> list[Path]:
    return sorted(p for p in ROOT.rglob(pattern) if ".ipynb_checkpoints" not in p.parts)


NOTEBOOKS = _found("*.ipynb")
MARKDOWN = [p for p in _found("*.md") if _is_notebook_markdown(p)]
LESSONS = [p for p in NOTEBOOKS if p.parent == ROOT and p.name[:2].isdigit()]


def _name(path: Path) -> str:
    return path.relative_to(ROOT).with_suffix("").as_posix()


# What each lesson must cite: the report or paper it follows and the definitions it uses.
SOURCES = {
    "01": [
        "blog.twitter.com/en_us/topics/company/2020/disclosing-removed-networks",
        "purl.stanford.edu/ym245nv3149",
        "github.com/fivethirtyeight/russian-troll-tweets",
        "doi.org/10.1080/10584609.2020.1718257",
        "nbcnews.com/tech/social-media/now-available-more-200-000-deleted-russian-troll-tweets",
        "reddit.com/r/announcements/comments/8bb85p",
    ],
    "02": ["aspi.org.au/report/retweeting-through-great-firewall", "purl.stanford.edu/ym245nv3149"],
    "03": ["oii.ox.ac.uk/news-events/reports/chinas-public-diplomacy-operations"],
    "04": ["purl.stanford.edu/ym245nv3149", "aspi.org.au/report/retweeting-through-great-firewall"],
    "05": [
        "doi.org/10.1371/journal.pone.0098679",
        "doi.org/10.1038/s41598-019-41695-z",
        "github.com/medialab/ipysigma",
        "purl.stanford.edu/ym245nv3149",
    ],
    "06": [
        "aspi.org.au/report/retweeting-through-great-firewall",
        "aspi.org.au/report/tweeting-through-great-firewall",
        "purl.stanford.edu/ym245nv3149",
        "medium.com/dfrlab/botspot-twelve-ways-to-spot-a-bot",
    ],
    "07": [
        "doi.org/10.1038/s41598-022-08404-9",
        "doi.org/10.1609/icwsm.v15i1.18075",
        "github.com/nicolarighetti/CooRTweet",
    ],
}

# The numbers each lesson's prose quotes for the real Thailand release, as they print.
ON_THAILAND = {
    "01": ["926 users, 21,385 tweets", "926 rows", "21,385 rows", "issues: none"],
    "02": ["0.739", "0.958", "1.276", "2.468", "66.000", "0.735", "over_likes       0"],
    "03": ["11,199 retweets made by 331 accounts", "0.179", "0.136", "0.219", "0.754", "army2pr", "106", "116"],
    "04": ["0.894", "0.260", "0.546", "0.257", "0.880", "0.388", "476"],
    "05": ["1,214 accounts, 3,671 ties", "army2pr", "prayutofficial"],
    "06": [
        "UTC+07:00 (Bangkok, Jakarta, Hanoi) best (score 0.72; next UTC+08:00, 0.70)",
        "73% of tweets",
        "more than 50 a day: 1 of 455 accounts on average, 24 on their busiest day",
        "more than 72 a day: 0 of 455 accounts on average, 10 on their busiest day",
        "45 switches of main app, among 455 accounts",
        "2019-12-08",
        "2020-01-09",
    ],
    "07": ["58 of 67 ties", "61 of the 455 tweeting accounts", "{'10s': 10, '60s': 67, '10min': 403}"],
}

# For each lesson, a public data set that lacks what some of its sections need, and what it must say.
ELSEWHERE = {
    "01": ("fivethirtyeight_ira_sample", "users derived from the tweets"),
    "02": ("reddit_2018_suspicious_sample", "has no follower counts: this section does not apply"),
    "03": ("reddit_2018_suspicious_sample", "holds no retweets: this lesson does not apply"),
    "04": ("fivethirtyeight_ira_sample", "has no engagement counts: this lesson does not apply"),
    "05": ("china_082019_1", "holds no retweets: there is no network to draw"),
    "06": ("china_082019_1", "holds no tweets: sections 1 to 3 do not apply"),
    "07": ("reddit_2018_suspicious_sample", "No tie survives the null model"),
}


def _runs() -> list:
    runs = [pytest.param((p, "sample"), id=f"{_name(p)}-sample") for p in NOTEBOOKS]
    runs += [pytest.param((p, THAILAND.name), id=f"{_name(p)}-thailand") for p in LESSONS]
    runs += [pytest.param((p, ELSEWHERE[p.name[:2]][0]), id=f"{_name(p)}-elsewhere") for p in LESSONS]
    return runs


def _available(data: str) -> bool:
    return data == "sample" or (REAL / data).is_dir()


def _execute(run, folder: Path) -> nbformat.NotebookNode:
    path, data = run
    parameters = {} if data == "sample" else {"ARCHIVE": str(REAL / data)}
    out = folder / f"{_name(path).replace('/', '__')}-{data}.ipynb"
    try:
        return papermill.execute_notebook(
            str(path), str(out), parameters=parameters, kernel_name="python3", cwd=str(path.parent), progress_bar=False
        )
    finally:
        # papermill talks to the kernel on an event loop it opens for this thread and leaves open.
        ensure_event_loop().close()


@pytest.fixture(scope="session")
def executions(request, tmp_path_factory):
    """The runs the selected tests need, started together on a few workers; a future per run."""
    wanted = []
    for item in request.session.items:
        run = getattr(item, "callspec", None) and item.callspec.params.get("run")
        if run and _available(run[1]) and run not in wanted:
            wanted.append(run)
    folder = tmp_path_factory.mktemp("executed")
    # Kernels inherit the environment: a real release read in a test caches under a temporary folder.
    previous = os.environ.get("TAKEDOWN_CACHE")
    os.environ["TAKEDOWN_CACHE"] = str(tmp_path_factory.mktemp("cache"))
    pool = ThreadPoolExecutor(max_workers=min(4, (os.cpu_count() or 1) + 1))
    futures = {run: pool.submit(_execute, run, folder) for run in wanted}
    yield futures
    pool.shutdown(wait=True, cancel_futures=True)
    if previous is None:
        os.environ.pop("TAKEDOWN_CACHE", None)
    else:
        os.environ["TAKEDOWN_CACHE"] = previous


def _outputs(notebook, kind: str) -> list:
    return [o for c in notebook.cells for o in c.get("outputs", []) if o.get("output_type") == kind]


def _printed(notebook) -> str:
    """Everything a reader sees as text: printed lines and the plain-text form of results."""
    texts = [o["text"] for o in _outputs(notebook, "stream")]
    for kind in ("execute_result", "display_data"):
        texts += [o["data"].get("text/plain", "") for o in _outputs(notebook, kind)]
    return "\n".join(texts)


def _executed(executions, run) -> nbformat.NotebookNode:
    data = run[1]
    if not _available(data):
        pytest.skip(f"the real data set {data} is not at {REAL / data} (see data/README.md)")
    return executions[run].result()


@pytest.mark.parametrize("run", _runs())
def test_notebook_runs(run, executions):
    path, data = run
    notebook = _executed(executions, run)
    assert not _outputs(notebook, "error")
    if path not in LESSONS:
        return
    loaded = _outputs(notebook, "execute_result")[0]["data"]["text/plain"]
    name = {"sample": "synthetic_sample", THAILAND.name: THAILAND.name}.get(data, "<Archive '")
    assert name in loaded, loaded
    warnings = [o["text"] for o in _outputs(notebook, "stream") if o["name"] == "stderr"]
    assert not warnings, warnings
    printed = _printed(notebook)
    if data == THAILAND.name:
        missing = [text for text in ON_THAILAND[path.name[:2]] if text not in printed]
        assert not missing, f"the prose quotes {missing}, which the run on the real release did not print"
    elif data != "sample":
        assert ELSEWHERE[path.name[:2]][1] in printed, printed


def test_the_lessons_are_the_seven_of_the_series():
    assert [p.name[:3] for p in LESSONS] == [f"0{i}_" for i in range(1, 8)]
    assert sorted(SOURCES) == sorted(ON_THAILAND) == sorted(ELSEWHERE) == [p.name[:2] for p in LESSONS]


def test_every_notebook_is_a_pair():
    ipynb = {p.with_suffix("") for p in NOTEBOOKS}
    markdown = {p.with_suffix("") for p in MARKDOWN}
    alone = sorted(_name(p) for p in ipynb - markdown)
    unpaired = sorted(_name(p) for p in markdown - ipynb)
    assert ipynb == markdown, f"without a .md: {alone}; without an .ipynb: {unpaired}"


def _cells(notebook) -> list[tuple]:
    return [(c.cell_type, c.source, tuple(c.metadata.get("tags", ()))) for c in notebook.cells]


@pytest.mark.parametrize("path", MARKDOWN, ids=[_name(p) for p in MARKDOWN])
def test_pair_in_sync(path):
    markdown = jupytext.read(path)
    stored = nbformat.read(path.with_suffix(".ipynb"), as_version=4)
    assert "md:myst" in stored.metadata.get("jupytext", {}).get("formats", ""), "not paired with md:myst"
    assert stored.metadata.get("kernelspec", {}).get("name") == "python3"
    assert _cells(markdown) == _cells(stored), f"run: jupytext --sync {path.relative_to(ROOT.parent)}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[_name(p) for p in NOTEBOOKS])
def test_stored_without_outputs(path):
    code = [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code), "stored with outputs"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[_name(p) for p in NOTEBOOKS])
def test_conventions(path):
    cells = nbformat.read(path, as_version=4).cells
    code = [c for c in cells if c.cell_type == "code"]
    assert code and "parameters" in code[0].metadata.get("tags", []), "the first code cell is not tagged parameters"
    assert cells[-1].cell_type == "markdown", "ends on a code cell"


@pytest.mark.parametrize("path", LESSONS, ids=[_name(p) for p in LESSONS])
def test_lesson_shape(path):
    cells = nbformat.read(path, as_version=4).cells
    code = [c for c in cells if c.cell_type == "code"]
    assert "ARCHIVE = None" in code[0].source
    assert "td.read_archive(ARCHIVE)" in code[1].source, "the second code cell does not load the archive"
    assert cells[-1].source.startswith("## What we found / what it cannot tell us")
    prose = "\n".join(c.source for c in cells if c.cell_type == "markdown")
    linked = {link for link in SOURCES[path.name[:2]] if re.search(rf"\]\(https://(www\.)?{re.escape(link)}", prose)}
    missing = sorted(set(SOURCES[path.name[:2]]) - linked)
    assert not missing, f"does not link {missing}"
    introduction = "\n".join(c.source for c in cells[: cells.index(code[0])])
    assert "synthetic sample" in introduction, "does not say, before it runs, that the sample is synthetic"
