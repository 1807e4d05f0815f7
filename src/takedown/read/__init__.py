"""Read takedown releases: find the files, parse them with Arrow, cache as Parquet."""

from takedown.read.cache import CacheWarning
from takedown.read.core import read_archive
from takedown.read.discover import find_archives

__all__ = ["CacheWarning", "find_archives", "read_archive"]
