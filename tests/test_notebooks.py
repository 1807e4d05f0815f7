"""Every notebook runs top to bottom on the bundled sample (and is stored without outputs)."""

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("**/*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_runs_on_the_sample(path):
    notebook = nbformat.read(path, as_version=4)
    assert all(not cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code"), "stored with outputs"
    assert any("parameters" in cell.metadata.get("tags", []) for cell in notebook.cells), "no parameters cell"
    NotebookClient(notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    errors = [o for c in notebook.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors
    shown = [o for c in notebook.cells for o in c.get("outputs", []) if o.get("output_type") == "execute_result"]
    assert "synthetic_sample" in shown[0]["data"]["text/plain"]


def test_there_are_notebooks():
    assert NOTEBOOKS, "notebooks/ holds no notebook"
