"""takedown: read and study platform takedown archives.

Rooms and their heavy dependencies (matplotlib, seaborn, igraph, networkx,
DuckDB) load when first used, as scientific Python's SPEC 1 describes, so
``import takedown`` costs little more than ``import pandas``. What the
package offers is listed in ``__init__.pyi``.

>>> import takedown as td
>>> archive = td.datasets.sample()
"""

import lazy_loader as _lazy

__version__ = "0.1.0"

__getattr__, __dir__, __all__ = _lazy.attach_stub(__name__, __file__)
__all__ = ["__version__", *__all__]  # noqa: PLE0604 - the names come from the stub
