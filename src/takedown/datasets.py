"""Data that ships with the package: a synthetic sample release and the catalog of real ones.

The sample is synthetic, written by ``tools/make_sample.py`` with
:func:`takedown.synth.generate` (preset ``"sample"``, seed
:data:`SAMPLE_SEED`) and :func:`takedown.synth.write` in the exact format of
a 2020 release; it contains no real account or tweet. The catalog lists the
releases Twitter published, with their published sizes.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from takedown.archive import Archive

if TYPE_CHECKING:
    import pandas

__all__ = ["SAMPLE_SEED", "catalog", "is_synthetic", "sample", "sample_path", "sample_truth"]

#: The seed the bundled sample was generated with.
SAMPLE_SEED = 20201008
_SAMPLE = "synthetic_sample.zip"


def sample_path() -> Path:
    """Path of the bundled synthetic release: a zip holding its users and tweets CSVs.

    Examples
    --------
    >>> import takedown as td
    >>> td.datasets.sample_path().name
    'synthetic_sample.zip'
    """
    return Path(str(resources.files("takedown") / "data" / _SAMPLE))


def sample(*, cache: bool = False) -> Archive:
    """Read the bundled synthetic release with :func:`takedown.read_archive`, exactly as a real one.

    Parameters
    ----------
    cache : bool, default False
        Whether to use the Parquet cache (the sample is small enough to parse
        every time).

    Returns
    -------
    Archive

    See Also
    --------
    sample_truth : what was planted in it.

    Examples
    --------
    >>> import takedown as td
    >>> archive = td.datasets.sample()
    >>> archive.name, len(archive.users), len(archive.tweets)
    ('synthetic_sample', 926, 21385)
    """
    from takedown.read import read_archive

    return read_archive(sample_path(), cache=cache)


def sample_truth():
    """The ground truth of the bundled sample, regenerated from its seed.

    Returns
    -------
    takedown.synth.GroundTruth

    Examples
    --------
    >>> import takedown as td
    >>> truth = td.datasets.sample_truth()
    >>> sorted(truth.accounts["role"].unique())
    ['amplifier', 'core']
    """
    from takedown.synth import generate

    return generate(preset="sample", seed=SAMPLE_SEED)[1]


def catalog() -> pandas.DataFrame:
    """The known takedown releases.

    Returns
    -------
    pandas.DataFrame
        One row per campaign: ``folder`` (the release folder,
        ``YYYY_MM``), ``campaign`` (the file-name prefix), ``released``
        (month), ``accounts`` and ``tweets`` (as published; null where not
        published, some approximate), ``attribution`` (the country or actor
        named in Twitter's disclosure) and ``note`` (what is approximate or
        unverified).

    Examples
    --------
    >>> import takedown as td
    >>> row = td.datasets.catalog().set_index("campaign").loc["thailand_092020"]
    >>> int(row["accounts"]), int(row["tweets"])
    (926, 21385)
    """
    import pandas as pd

    path = resources.files("takedown") / "data" / "catalog.csv"
    with path.open(encoding="utf-8") as stream:
        return pd.read_csv(
            stream,
            dtype={
                "folder": "string",
                "campaign": "string",
                "released": "string",
                "accounts": "Int64",
                "tweets": "Int64",
                "attribution": "string",
                "note": "string",
            },
            keep_default_na=False,
            na_values={"accounts": [""], "tweets": [""], "note": [""]},
        )


def is_synthetic(archive: Archive) -> bool:
    """Whether an archive comes from :mod:`takedown.synth`: generated in memory, or its files, named ``synthetic*``.

    The report's banner and the reproductions' verdicts both ask this, so
    that made-up data are never presented as a finding.

    Examples
    --------
    >>> import takedown as td
    >>> td.datasets.is_synthetic(td.datasets.sample()), td.datasets.is_synthetic(td.synth.generate(accounts=50, tweets=200, seed=1)[0])
    (True, True)
    """
    provenance = archive.provenance
    return (
        provenance.release_format == "synthetic"
        or provenance.source_format == "synthetic"
        or archive.name.lower().startswith("synthetic")
        or any(f.file.startswith(str(sample_path())) for f in provenance.files)
    )
