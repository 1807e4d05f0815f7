"""takedown: read and study platform takedown archives.

>>> import takedown as td
>>> archive = td.datasets.sample()
"""

__version__ = "0.1.0"

from takedown import datasets, edges, graphs, measures, plot, report, reproduce, schema, synth
from takedown.archive import Archive, FileRecord, Provenance
from takedown.read import CacheWarning, find_archives, read_archive

__all__ = [
    "__version__",
    "Archive",
    "CacheWarning",
    "FileRecord",
    "Provenance",
    "datasets",
    "edges",
    "find_archives",
    "graphs",
    "measures",
    "plot",
    "read_archive",
    "report",
    "reproduce",
    "schema",
    "synth",
]
