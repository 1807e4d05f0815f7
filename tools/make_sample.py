"""Write the bundled synthetic sample, ``src/takedown/data/synthetic_sample.zip``.

Run ``python tools/make_sample.py`` after changing the generator; the same
seed gives the same bytes, and ``tests/test_datasets.py`` checks that the
bundled file is what this script makes. The zip holds the release's two CSVs,
in the 2020 format, in a folder named after the campaign.
"""

from __future__ import annotations

import tempfile
import zipfile
from pathlib import Path

import takedown as td
from takedown.datasets import SAMPLE_SEED

OUT = Path(__file__).resolve().parent.parent / "src" / "takedown" / "data" / "synthetic_sample.zip"


def sample_bytes() -> dict[str, bytes]:
    """The sample's CSVs, by their name inside the bundled zip."""
    archive, _ = td.synth.generate(preset="sample", seed=SAMPLE_SEED)
    with tempfile.TemporaryDirectory() as folder:
        paths = td.synth.write(archive, folder, release_format="2020", zipped=False)
        return {f"{archive.name}/{path.name}": path.read_bytes() for path in paths}


def main() -> None:
    with zipfile.ZipFile(OUT, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as bundle:
        for name, data in sample_bytes().items():
            info = zipfile.ZipInfo(name, date_time=(2020, 10, 8, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            bundle.writestr(info, data)
    print(f"wrote {OUT} ({OUT.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
