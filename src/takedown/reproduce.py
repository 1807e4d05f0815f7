"""Published findings, recomputed: each claim with its published value, ours, and whether they match.

The claims and how to recompute them are listed in the project's
``FINDINGS.md``; the numbers come from the package's measures, so a
reproduction notebook only shows this table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from takedown import edges as edges_
from takedown import measures
from takedown.archive import Archive

__all__ = ["sio_thailand_2020"]


@dataclass(frozen=True)
class _Claim:
    claim: str
    published: str
    recompute: Callable[[dict], object]
    matches: Callable[[object], bool]


def _facts(archive: Archive) -> dict:
    """Everything the claims need, computed once."""
    followers = measures.follower_summary(archive)
    retweets = edges_.retweets(archive)
    names = edges_.screen_names(archive)
    weekday = measures.hourly_activity(archive, tz="Asia/Bangkok", half_hours=True).iloc[:5].sum()
    daily = measures.activity_series(archive, freq="D", tz="Asia/Bangkok")["tweets"]
    return {
        "users": len(archive.users),
        "tweets": len(archive.tweets),
        "all": followers.loc["all accounts"],
        "tweeting": followers.loc["accounts that tweeted"],
        "engagement": measures.engagement_summary(archive),
        "months": measures.creation_bursts(archive, freq="M", top=2)["period"].dt.strftime("%Y-%m").tolist(),
        "peak_month": measures.activity_series(archive, freq="MS", tz="Asia/Bangkok")["tweets"]
        .idxmax()
        .strftime("%Y-%m"),
        "after_march_2": float(daily.loc["2020-03-02":].sum() / daily.sum()) if len(daily) else float("nan"),
        "weekday": weekday,
        "top_retweeted": retweets["target"].value_counts().index[:2].map(names).tolist(),
    }


_SIO = (
    _Claim("accounts in the takedown", "926", lambda f: f["users"], lambda v: v == 926),
    _Claim("tweets", "21,385", lambda f: f["tweets"], lambda v: v == 21_385),
    _Claim("accounts that tweeted", "455", lambda f: int(f["tweeting"]["accounts"]), lambda v: v == 455),
    _Claim("most accounts had no followers", "majority", lambda f: round(f["all"]["share_zero"], 3), lambda v: v > 0.5),
    _Claim(
        "(Twitter) accounts with no followers",
        "more than two thirds",
        lambda f: round(f["all"]["share_zero"], 3),
        lambda v: v > 2 / 3,
    ),
    _Claim(
        "majority of tweets received no engagement",
        "majority",
        lambda f: round(f["engagement"]["share_no_engagement"], 3),
        lambda v: v > 0.5,
    ),
    _Claim(
        "average followers of the tweeting accounts",
        "2.47",
        lambda f: round(f["tweeting"]["mean"], 2),
        lambda v: v == 2.47,
    ),
    _Claim("average followers of all accounts", "1.28", lambda f: round(f["all"]["mean"], 2), lambda v: v == 1.28),
    _Claim("engagements per tweet", "0.26", lambda f: round(f["engagement"]["mean_per_tweet"], 2), lambda v: v == 0.26),
    _Claim(
        "accounts with no biography",
        "nearly 75%",
        lambda f: round(f["all"]["share_no_biography"], 3),
        lambda v: 0.70 <= v <= 0.75,
    ),
    _Claim("the most followed account", "66 followers", lambda f: int(f["all"]["max"]), lambda v: v == 66),
    _Claim(
        "registration peak",
        "Dec 2019 - Jan 2020",
        lambda f: " and ".join(sorted(f["months"])),
        lambda v: v == "2019-12 and 2020-01",
    ),
    _Claim("tweets concentrated in", "Feb 2020", lambda f: f["peak_month"], lambda v: v == "2020-02"),
    _Claim(
        "share of tweets from 2 March 2020 on",
        "largely stopped",
        lambda f: round(f["after_march_2"], 4),
        lambda v: v < 0.02,
    ),
    _Claim(
        "weekday peak half hour (Bangkok)",
        "office hours",
        lambda f: float(f["weekday"].idxmax()),
        lambda v: 8 <= v < 18,
    ),
    _Claim(
        "weekday tweets at 12:00 vs 10:00-11:30 mean",
        "a lunch dip",
        lambda f: round(float(f["weekday"][12.0] / f["weekday"][[10.0, 10.5, 11.0, 11.5]].mean()), 2),
        lambda v: v < 0.8,
    ),
    _Claim(
        "most retweeted accounts",
        "@army2pr, @armypr_news",
        lambda f: ", ".join("@" + n for n in f["top_retweeted"]),
        lambda v: v == "@army2pr, @armypr_news",
    ),
)


def sio_thailand_2020(archive: Archive) -> pd.DataFrame:
    """Every claim of the Stanford Internet Observatory's Thailand report, recomputed.

    Parameters
    ----------
    archive : Archive
        The ``thailand_092020`` release (any archive runs; only the real one
        should match).

    Returns
    -------
    pandas.DataFrame
        ``claim``, ``published``, ``recomputed`` and ``match`` (bool).

    References
    ----------
    Stanford Internet Observatory (Oct 2020), "Cheerleading Without Fans: A
    Low-Impact Domestic Information Operation by the Royal Thai Army".
    How each claim is recomputed: FINDINGS.md §1.

    Examples
    --------
    >>> import takedown as td
    >>> table = td.reproduce.sio_thailand_2020(td.datasets.sample())
    >>> table.columns.tolist()
    ['claim', 'published', 'recomputed', 'match']
    """
    facts = _facts(archive)
    rows = []
    for claim in _SIO:
        value = claim.recompute(facts)
        rows.append(
            {
                "claim": claim.claim,
                "published": claim.published,
                "recomputed": value,
                "match": bool(claim.matches(value)),
            }
        )
    return pd.DataFrame(rows)
