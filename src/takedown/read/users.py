"""The users table of a release without a users file: each account as of its latest tweet.

Accounts come in order of their first tweet. :func:`latest_rows` finds the
rows in a whole tweets table; :class:`LatestUsers` keeps the same answer
while the tweets stream past a batch at a time, so that the first read need
not read the cache back for it. It holds at most a row per account and per
batch since its last compaction, so its memory follows the accounts, not
the tweets.

Examples
--------
>>> import pyarrow as pa
>>> from takedown.read.users import LatestUsers
>>> from takedown.schema import TWEETS, arrow_schema
>>> def tweets(rows):
...     columns = {c.name: [None] * len(rows) for c in TWEETS}
...     columns["userid"] = [u for u, _, _ in rows]
...     columns["tweet_time"] = [t for _, t, _ in rows]
...     columns["follower_count"] = [f for _, _, f in rows]
...     return pa.table(columns, schema=arrow_schema(TWEETS))
>>> latest = LatestUsers()
>>> latest.add(tweets([("b", 1, 10), ("a", 5, 20)]))
>>> latest.add(tweets([("a", 9, 30), ("b", 1, 40)]))
>>> latest.table().select(["userid", "follower_count"]).to_pylist()
[{'userid': 'b', 'follower_count': 10}, {'userid': 'a', 'follower_count': 30}]
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from takedown.read import arrays
from takedown.schema import USER_COLUMNS_IN_TWEETS, USERS, arrow_schema

__all__ = ["LatestUsers", "latest_rows"]

_EARLIEST = int(np.iinfo(np.int64).min)  # a tweet without a time counts as the earliest
# Candidates kept before they are reduced to one row per account (and at least twice the accounts).
_COMPACT_ROWS = 200_000


def _per_account(codes, seconds, rows, firsts) -> tuple[np.ndarray, np.ndarray]:
    """Per code: the row of its latest entry (the lowest row on a tie) and its lowest first row."""
    accounts = int(codes.max()) + 1 if codes.size else 0
    latest = np.full(accounts, _EARLIEST)
    np.maximum.at(latest, codes, seconds)
    at_latest = np.flatnonzero(seconds == latest[codes])
    best = np.full(accounts, np.iinfo(np.int64).max)
    np.minimum.at(best, codes[at_latest], rows[at_latest])
    first = np.full(accounts, np.iinfo(np.int64).max)
    np.minimum.at(first, codes, firsts)
    return best, first


def _by_account(userids, times) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per account, in order of first appearance: its latest row (the first of equally late ones) and its first row.

    Also returns the times as int64. A row without a userid names no account.
    """
    codes = arrays.codes(userids)
    seconds = arrays.numpy(pc.fill_null(pc.cast(times, pa.int64()), arrays.scalar(_EARLIEST)))
    named = np.flatnonzero(codes >= 0)
    last, first = _per_account(codes[named], seconds[named], named, named)
    return last, first, seconds


def latest_rows(userids, times) -> np.ndarray:
    """Each account's row with its latest time (the first such row on a tie), accounts in order of first appearance.

    Examples
    --------
    >>> import pyarrow as pa
    >>> from takedown.read.users import latest_rows
    >>> latest_rows(pa.array(["b", "a", None, "b"]), pa.array([5, 1, 9, 5])).tolist()
    [0, 1]
    """
    return _by_account(userids, times)[0]


class LatestUsers:
    """Each account's latest row among the tweets added so far (see the module's example)."""

    def __init__(self):
        self._pieces: list[pa.Table] = []
        self._rows = 0
        self._kept = 0
        self._accounts = 0

    def add(self, tweets: pa.Table) -> None:
        """Take a batch of tweets (the archive's tweet columns), the next rows after those added before."""
        last, first, seconds = _by_account(tweets["userid"], tweets["tweet_time"])
        piece = tweets.select(list(USER_COLUMNS_IN_TWEETS)).take(arrays.arrow(last))
        piece = piece.append_column("time", arrays.arrow(seconds[last]))
        piece = piece.append_column("row", arrays.arrow(last + self._rows))
        self._pieces.append(piece.append_column("first", arrays.arrow(first + self._rows)))
        self._rows += tweets.num_rows
        self._kept += piece.num_rows
        if self._kept > max(_COMPACT_ROWS, 2 * self._accounts):
            self._compact()

    def shifted(self, rows: int) -> LatestUsers:
        """The same accounts, as if ``rows`` tweets had come before them (a later file of the release)."""
        moved = LatestUsers()
        for piece in self._pieces:
            for name in ("row", "first"):
                where = piece.schema.get_field_index(name)
                piece = piece.set_column(where, name, pc.add(piece[name], arrays.scalar(rows)))
            moved._pieces.append(piece)
        moved._rows, moved._kept, moved._accounts = self._rows + rows, self._kept, self._accounts
        return moved

    def extend(self, other: LatestUsers) -> None:
        """Add another's accounts, whose rows come after these (see :meth:`shifted`)."""
        self._pieces += other._pieces
        self._rows = max(self._rows, other._rows)
        self._kept += other._kept
        self._compact()

    def _compact(self) -> None:
        """One row per account: the latest (the first of equally late rows), with the account's first row."""
        if not self._pieces:
            return
        kept = pa.concat_tables(self._pieces)
        codes = arrays.codes(kept["userid"])
        rows = arrays.numpy(kept["row"])
        best, first = _per_account(codes, arrays.numpy(kept["time"]), rows, arrays.numpy(kept["first"]))
        chosen = np.flatnonzero(rows == best[codes])  # rows are unique: one per account
        reduced = kept.take(arrays.arrow(chosen))
        where = reduced.schema.get_field_index("first")
        self._pieces = [reduced.set_column(where, "first", arrays.arrow(first[codes[chosen]]))]
        self._kept = self._accounts = reduced.num_rows

    def table(self) -> pa.Table:
        """The users table: one row per account, as of its latest tweet, in order of first appearance."""
        self._compact()
        if not self._pieces:
            return arrays.empty(arrow_schema(USERS))
        (users,) = self._pieces
        order = np.argsort(arrays.numpy(users["first"]), kind="stable")
        return users.take(arrays.arrow(order)).select(list(USER_COLUMNS_IN_TWEETS)).cast(arrow_schema(USERS))
