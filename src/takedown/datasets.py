"""Data that ships with the package.

The bundled archive is synthetic: written by ``tools/make_tiny_sample.py``
from a fixed seed in the exact format of a 2020 release, so the package can be
tried without a real takedown file. It contains no real account or tweet.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from takedown.archive import Archive

__all__ = ["sample", "sample_path"]

_SAMPLE = "tiny_synthetic.zip"


def sample_path() -> Path:
    """Path of the bundled synthetic release (a zip holding its two CSVs).

    Examples
    --------
    >>> import takedown as td
    >>> td.datasets.sample_path().name
    'tiny_synthetic.zip'
    """
    return Path(str(resources.files("takedown") / "data" / _SAMPLE))


def sample(*, cache: bool = False) -> Archive:
    """Read the bundled synthetic release through :func:`takedown.read_archive`.

    Parameters
    ----------
    cache : bool, default False
        Whether to use the Parquet cache (the sample is small enough to parse
        every time).

    Returns
    -------
    Archive

    Examples
    --------
    >>> import takedown as td
    >>> archive = td.datasets.sample()
    >>> archive.name, len(archive.users) > 0, len(archive.tweets) > 0
    ('tiny_synthetic', True, True)
    """
    from takedown.read import read_archive

    return read_archive(sample_path(), cache=cache)
