from . import (
    comparison,
    course,
    datasets,
    edges,
    engine,
    graphs,
    interactive,
    measures,
    plot,
    read,
    report,
    reproduce,
    schema,
    synth,
)
from .archive import Archive, FileRecord, Provenance, SkippedFile
from .comparison import compare
from .read import CacheWarning, find_archives, read_archive

__version__: str

__all__ = [
    "Archive",
    "CacheWarning",
    "FileRecord",
    "Provenance",
    "SkippedFile",
    "compare",
    "comparison",
    "course",
    "datasets",
    "edges",
    "engine",
    "find_archives",
    "graphs",
    "interactive",
    "measures",
    "plot",
    "read",
    "read_archive",
    "report",
    "reproduce",
    "schema",
    "synth",
]
