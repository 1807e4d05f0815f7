"""The README runs as written: every Python block, in order, from the repository's root."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```python\n(.*?)```", README, flags=re.DOTALL)


def test_the_readme_starts_with_the_two_commands():
    first = re.search(r"```bash\n(.*?)```", README, flags=re.DOTALL).group(1).strip().splitlines()
    assert first == [
        "python3 -m pip install . && python3 -m takedown report -o report.html",
        'python3 -m pip install -e ".[test]" && python3 -m pytest',
    ]
    assert (
        (ROOT / ".ci" / "run").read_text().strip().endswith('python3 -m pip install -e ".[test]" && python3 -m pytest')
    )


def test_every_python_block_runs_in_order(tmp_path, monkeypatch):
    assert len(BLOCKS) >= 8
    monkeypatch.chdir(ROOT)
    namespace: dict = {}
    for number, block in enumerate(BLOCKS, start=1):
        try:
            exec(compile(block, f"README.md, Python block {number}", "exec"), namespace)  # noqa: S102 - the README's own code
        except Exception as error:  # noqa: BLE001 - the block's number is what the reader needs
            pytest.fail(f"README.md, Python block {number} fails: {type(error).__name__}: {error}")
    assert not any(Path(name).exists() for name in ("retweets.gexf", "network.html")), "a block wrote into the repo"


def test_every_file_the_readme_links_exists():
    for target in re.findall(r"\]\(((?!https?:)[^)#]+)\)", README):
        assert (ROOT / target).exists(), target
    for notebook in re.findall(r"`(0\d_[a-z_]+)`", README):
        assert (ROOT / "notebooks" / f"{notebook}.ipynb").exists(), notebook
