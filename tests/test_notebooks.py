"""Every notebook runs top to bottom on the bundled sample; the reproduction also on the real release."""

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from .conftest import THAILAND

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("**/*.ipynb"))
REPRODUCTION = Path(__file__).resolve().parents[1] / "notebooks" / "reproduce" / "sio_thailand_2020.ipynb"


def execute(path: Path, **parameters) -> nbformat.NotebookNode:
    notebook = nbformat.read(path, as_version=4)
    (cell,) = [c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])]
    # papermill's convention: values given for a run come after the defaults.
    cell.source += "".join(f"\n{name} = {value!r}" for name, value in parameters.items())
    NotebookClient(
        notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    ).execute()
    return notebook


def outputs(notebook, kind: str) -> list:
    return [o for c in notebook.cells for o in c.get("outputs", []) if o.get("output_type") == kind]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_runs_on_the_sample(path):
    stored = nbformat.read(path, as_version=4)
    assert all(not cell.get("outputs") for cell in stored.cells if cell.cell_type == "code"), "stored with outputs"
    notebook = execute(path)
    assert not outputs(notebook, "error")
    assert "synthetic_sample" in outputs(notebook, "execute_result")[0]["data"]["text/plain"]


def test_notebooks_are_numbered_and_exist():
    names = [p.name for p in NOTEBOOKS if p.parent.name == "notebooks"]
    assert names and all(name[:2].isdigit() for name in names)
    assert REPRODUCTION in NOTEBOOKS


def test_reproduction_on_the_real_release():
    if not THAILAND.is_dir():
        pytest.skip(f"the real Thailand release is not at {THAILAND} (see data/README.md)")
    notebook = execute(REPRODUCTION, ARCHIVE=str(THAILAND))
    printed = "".join(o["text"] for o in outputs(notebook, "stream"))
    assert "17 of 17 claims match" in printed, printed


LESSONS = [p for p in NOTEBOOKS if p != REPRODUCTION]  # the reproduction has its own real-release test


@pytest.mark.parametrize("path", LESSONS, ids=[p.name for p in LESSONS])
def test_notebook_runs_on_the_real_release_with_one_parameter(path):
    if not THAILAND.is_dir():
        pytest.skip(f"the real Thailand release is not at {THAILAND} (see data/README.md)")
    notebook = execute(path, ARCHIVE=str(THAILAND))
    assert not outputs(notebook, "error")
    assert "thailand_092020" in outputs(notebook, "execute_result")[0]["data"]["text/plain"]
