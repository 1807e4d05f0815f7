"""ASPI (2020), "Retweeting through the great firewall": the China 2020 release."""

from __future__ import annotations

import math

import pandas as pd

from takedown import measures
from takedown.archive import Archive
from takedown.datasets import is_synthetic
from takedown.reproduce.tables import _check_archive, _Claim, _Facts, _Report, _table

_ASPI_REPORT = _Report("ASPI (2020), 'Retweeting through the great firewall'", "the china_052020 release", ("twitter",))
_ASPI = "ASPI (2020)"
_BEIJING = "Asia/Shanghai"


def _weekend(archive: Archive) -> float:
    by_day = measures.hourly_activity(archive, tz=_BEIJING).sum(axis=1)
    weekday = by_day[["Mon", "Tue", "Wed", "Thu", "Fri"]].mean()
    return float(by_day[["Sat", "Sun"]].mean() / weekday) if weekday > 0 else math.nan


def _aspi_facts(archive: Archive) -> _Facts:
    """Everything the claims need, each computed when a measurable claim first asks for it."""
    return _Facts(
        {
            "users": lambda f: archive.num_rows("users"),
            "tweets": lambda f: archive.num_rows("tweets"),
            "followers": lambda f: measures.follower_summary(archive).loc["all accounts"],
            "hits": lambda f: measures.zero_follower_hits(archive, likes=50, retweets=10),
            "zone": lambda f: measures.likely_timezone(archive),
            "weekend": lambda f: _weekend(archive),
            "amplifiers": lambda f: None,
        }
    )


def _zone(zone: pd.Series) -> str:
    return f"{zone['label']} (score {zone['score']:.2f})" + ("" if zone["fits"] else ", no fit")


_SNAPSHOT = "follower counts are a snapshot of unknown date"
_ASPI_CLAIMS = (
    _Claim(
        "accounts in the takedown",
        "23,750",
        "exact",
        "Twitter (June 2020); ASPI (2020)",
        lambda f: f["users"],
        lambda v, f: v == 23_750,
        data=("accounts",),
        note="the core network only",
    ),
    _Claim(
        "tweets",
        "348,608",
        "exact",
        "Twitter (June 2020); ASPI (2020)",
        lambda f: f["tweets"],
        lambda v, f: v == 348_608,
        data=("tweets",),
    ),
    _Claim(
        "accounts with no followers",
        "78.5%",
        "rounds to 78.5% (78.45% to 78.55%)",
        _ASPI,
        lambda f: round(float(f["followers"]["share_zero"]), 4),
        lambda v, f: 0.7845 <= v < 0.7855,
        data=("follower counts",),
        note=_SNAPSHOT,
        synthetic_note="the preset draws each account's followers at random, so the share is near 78.5%, not at it",
        percent=True,
    ),
    _Claim(
        "accounts with fewer than 8 followers",
        "95%",
        "rounds to 95% (94.5% to 95.5%)",
        _ASPI,
        lambda f: round(float(f["followers"]["share_under_8"]), 4),
        lambda v, f: 0.945 <= v < 0.955,
        data=("follower counts",),
        note=_SNAPSHOT,
        percent=True,
    ),
    _Claim(
        "tweets from 0-follower accounts with more than 50 likes",
        "156",
        "exact",
        _ASPI,
        lambda f: int(f["hits"]["over_likes"]),
        lambda v, f: v == 156,
        data=("follower counts", "like counts"),
        note="likes and followers as counted when the files were made",
        synthetic_note="the aspi_china_2020 preset does not plant these tweets",
    ),
    _Claim(
        "tweets from 0-follower accounts with more than 10 retweets",
        "26",
        "exact",
        _ASPI,
        lambda f: int(f["hits"]["over_retweets"]),
        lambda v, f: v == 26,
        data=("follower counts", "retweet counts"),
        note="likes and followers as counted when the files were made",
        synthetic_note="the aspi_china_2020 preset does not plant these tweets",
    ),
    _Claim(
        "UTC offset at which the activity best fits a working week",
        "Beijing office hours (UTC+08:00)",
        "best offset in use is +08:00 and fits (score at least 0.65)",
        _ASPI,
        lambda f: _zone(f["zone"]),
        lambda v, f: bool(f["zone"]["fits"]) and f["zone"]["offset"] == 8.0,
        data=("tweet times",),
        note="likely_timezone: working week 09:00-18:00 Mon-Fri, lunch 12:00-13:00",
    ),
    _Claim(
        "tweets per weekend day / per weekday (Beijing time)",
        "a drop at weekends",
        "under 0.8",
        _ASPI,
        lambda f: round(f["weekend"], 2),
        lambda v, f: v < 0.8,
        data=("tweet times",),
    ),
    _Claim(
        "amplifier accounts that boosted the core network",
        "about 150,000",
        "-",
        "Twitter (June 2020)",
        lambda f: None,
        lambda v, f: False,
        needs=("amplifiers",),
        note="amplification can be studied only through the core accounts' own retweets",
    ),
)


def aspi_china_2020(archive: Archive) -> pd.DataFrame:
    """Every claim of ASPI's report on the China 2020 (``china_052020``) takedown, recomputed.

    The claims and their recomputation (FINDINGS.md §2):

    - accounts and tweets: rows of the users and tweets files (23,750 and
      348,608), exact;
    - accounts with no followers: share of users with ``follower_count ==
      0`` (78.5%), and with fewer than 8 (95%), both as
      :func:`takedown.measures.follower_summary` computes them; ours
      matches when it rounds to the published figure;
    - tweets from accounts with no followers that got more than 50 likes
      (156) or more than 10 retweets (26):
      :func:`takedown.measures.zero_follower_hits`, exact;
    - Beijing office hours: the UTC offset in use at which the tweets best
      fit a working week (:func:`takedown.measures.likely_timezone`, 09:00
      to 18:00, Monday to Friday, lunch 12:00 to 13:00) is +08:00 and fits;
    - the drop at weekends: mean tweets per Saturday and Sunday over mean
      tweets per weekday (Beijing time, whole period), under 0.8;
    - the ~150,000 amplifier accounts Twitter described: not in the public
      files, so this row cannot be checked.

    Parameters
    ----------
    archive : Archive
        The ``china_052020`` release (or :func:`takedown.synth.generate`
        with ``preset="aspi_china_2020"``, marked synthetic). Any archive
        runs: a claim whose data it lacks gets a row whose note starts
        ``"not measurable here"``, and the table is marked as other data.

    Returns
    -------
    pandas.DataFrame
        ``claim``, ``published``, ``recomputed``, ``match``, ``tolerance``,
        ``source``, ``note`` and ``synthetic`` (see the module's docstring);
        9 rows.

    References
    ----------
    Wallis, J., Uren, T., Thomas, E., Zhang, A., Hoffman, S., Li, L.,
    Pascoe, A. & Cave, D. (June 2020), "Retweeting through the great
    firewall: A persistent and undeterred threat actor", Australian
    Strategic Policy Institute, Policy Brief 33/2020. Twitter Safety (11 June
    2020), "Disclosing networks of state-linked information operations
    we've removed" (23,750 core accounts, about 150,000 amplifiers).

    Examples
    --------
    >>> import takedown as td
    >>> archive, truth = td.synth.generate(preset="aspi_china_2020", accounts=2_000, tweets=20_000)
    >>> table = td.reproduce.aspi_china_2020(archive)
    >>> table.loc[0, ["claim", "recomputed"]].tolist()
    ['accounts in the takedown', 2000]
    >>> td.reproduce.summary(table).startswith("SYNTHETIC DATA")
    True
    """
    _check_archive(archive)
    return _table(
        _ASPI_CLAIMS,
        _aspi_facts(archive),
        report=_ASPI_REPORT,
        data=archive.name,
        synthetic=is_synthetic(archive),
        archive=archive,
    )
