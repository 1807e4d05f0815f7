"""Stanford Internet Observatory (2020), "Cheerleading Without Fans": the Thailand 2020 release."""

from __future__ import annotations

import math

import pandas as pd

from takedown import edges as edges_
from takedown import measures
from takedown.archive import Archive
from takedown.datasets import is_synthetic
from takedown.reproduce.tables import _check_archive, _Claim, _Facts, _NotMeasurable, _Report, _table

_SIO_REPORT = _Report("SIO (2020), 'Cheerleading Without Fans'", "the thailand_092020 release", ("twitter",))
_SIO = "SIO (2020)"


def _handle(target: str, names: pd.Series) -> str:
    """A retweeted account as the report names it: @screen name when known, else its id as written."""
    name = names.get(target)
    if isinstance(name, str) and name:
        return "@" + name
    # Targets resolved from "RT @name" texts are written "@name" already; ids and hashes stay as they are.
    return target


def _top_retweeted(archive: Archive) -> list[str]:
    targets = edges_.retweets(archive)["target"].dropna()
    if targets.empty:
        raise _NotMeasurable("no retweet's target could be resolved (no retweet_userid, mention or 'RT @name')")
    names = edges_.screen_names(archive)
    return [_handle(target, names) for target in targets.value_counts().index[:2]]


def _after_march_2(archive: Archive) -> float:
    daily = measures.activity_series(archive, freq="D", tz="Asia/Bangkok")["tweets"]
    # Data that end earlier have no tweets after 2 March 2020 without having "largely stopped" then.
    if daily.index.max() < pd.Timestamp("2020-03-02", tz=daily.index.tz):
        raise _NotMeasurable(f"the data end on {daily.index.max():%Y-%m-%d}, before 2 March 2020")
    return float(daily.loc["2020-03-02":].sum() / daily.sum())


def _lunch_dip(weekday: pd.Series) -> float:
    """Weekday tweets at 12:00 over the mean of 10:00 to 11:30; NaN (nothing to compare with) when those are 0."""
    morning = float(weekday[[10.0, 10.5, 11.0, 11.5]].mean())
    return round(float(weekday[12.0]) / morning, 2) if morning > 0 else math.nan


def _sio_facts(archive: Archive) -> _Facts:
    """Everything the claims need, each computed when a measurable claim first asks for it."""
    return _Facts(
        {
            "users": lambda f: archive.num_rows("users"),
            "tweets": lambda f: archive.num_rows("tweets"),
            "followers": lambda f: measures.follower_summary(archive),
            "all": lambda f: f["followers"].loc["all accounts"],
            "tweeting": lambda f: f["followers"].loc["accounts that tweeted"],
            "engagement": lambda f: measures.engagement_summary(archive),
            "months": lambda f: (
                measures.creation_bursts(archive, freq="M", top=2)["period"].dt.strftime("%Y-%m").tolist()
            ),
            "peak_month": lambda f: (
                measures.activity_series(archive, freq="MS", tz="Asia/Bangkok")["tweets"].idxmax().strftime("%Y-%m")
            ),
            "after_march_2": lambda f: _after_march_2(archive),
            "weekday": lambda f: measures.hourly_activity(archive, tz="Asia/Bangkok", half_hours=True).iloc[:5].sum(),
            "top_retweeted": lambda f: _top_retweeted(archive),
        }
    )


_SIO_CLAIMS = (
    _Claim(
        "accounts in the takedown",
        "926",
        "exact",
        _SIO,
        lambda f: f["users"],
        lambda v, f: v == 926,
        data=("accounts",),
    ),
    _Claim(
        "tweets",
        "21,385",
        "exact",
        _SIO,
        lambda f: f["tweets"],
        lambda v, f: v == 21_385,
        data=("tweets",),
    ),
    _Claim(
        "accounts that tweeted",
        "455",
        "exact",
        _SIO,
        lambda f: int(f["tweeting"]["accounts"]),
        lambda v, f: v == 455,
        data=("tweets",),
    ),
    _Claim(
        "most accounts had no followers",
        "majority",
        "over 50%",
        _SIO,
        lambda f: round(f["all"]["share_zero"], 3),
        lambda v, f: v > 0.5,
        data=("follower counts",),
        note="follower counts are a snapshot of unknown date",
        percent=True,
    ),
    _Claim(
        "(Twitter) accounts with no followers",
        "more than two thirds",
        "over 2/3",
        "Twitter (Oct 2020)",
        lambda f: round(f["all"]["share_zero"], 3),
        lambda v, f: v > 2 / 3,
        data=("follower counts",),
        percent=True,
    ),
    _Claim(
        "majority of tweets received no engagement",
        "majority",
        "over 50%",
        _SIO,
        lambda f: round(f["engagement"]["share_no_engagement"], 3),
        lambda v, f: v > 0.5,
        data=("engagement counts",),
        note="engagement E = likes + retweets + replies + quotes",
        percent=True,
    ),
    _Claim(
        "average followers of the tweeting accounts",
        "2.47",
        "equal to 2 decimals",
        _SIO,
        lambda f: round(f["tweeting"]["mean"], 2),
        lambda v, f: v == 2.47,
        data=("tweets", "follower counts"),
    ),
    _Claim(
        "average followers of all accounts",
        "1.28",
        "equal to 2 decimals",
        _SIO,
        lambda f: round(f["all"]["mean"], 2),
        lambda v, f: v == 1.28,
        data=("follower counts",),
    ),
    _Claim(
        "engagements per tweet",
        "0.26",
        "equal to 2 decimals",
        _SIO,
        lambda f: round(f["engagement"]["mean_per_tweet"], 2),
        lambda v, f: v == 0.26,
        data=("engagement counts",),
        note="retweets count, with E = 0 as in the files",
    ),
    _Claim(
        "accounts with no biography",
        "nearly 75%",
        "70% to 75%",
        _SIO,
        lambda f: round(f["all"]["share_no_biography"], 3),
        lambda v, f: 0.70 <= v <= 0.75,
        data=("biographies",),
        percent=True,
    ),
    _Claim(
        "the most followed account",
        "66 followers",
        "exact",
        _SIO,
        lambda f: int(f["all"]["max"]),
        lambda v, f: v == 66,
        data=("follower counts",),
    ),
    _Claim(
        "registration peak",
        "Dec 2019 - Jan 2020",
        "the two months with most accounts created",
        _SIO,
        lambda f: " and ".join(sorted(f["months"])),
        lambda v, f: v == "2019-12 and 2020-01",
        data=("creation dates",),
    ),
    _Claim(
        "tweets concentrated in",
        "Feb 2020",
        "the busiest month (Bangkok time)",
        _SIO,
        lambda f: f["peak_month"],
        lambda v, f: v == "2020-02",
        data=("tweet times",),
    ),
    _Claim(
        "share of tweets from 2 March 2020 on",
        "largely stopped",
        "under 2%",
        _SIO,
        lambda f: round(f["after_march_2"], 4),
        lambda v, f: v < 0.02,
        data=("tweet times",),
        percent=True,
    ),
    _Claim(
        "weekday peak half hour (Bangkok)",
        "office hours",
        "busiest weekday half hour in 08:00-18:00",
        _SIO,
        lambda f: float(f["weekday"].idxmax()),
        lambda v, f: 8 <= v < 18,
        data=("tweet times",),
        note="in hours: 11.5 is 11:30",
    ),
    _Claim(
        "weekday tweets at 12:00 vs 10:00-11:30 mean",
        "a lunch dip",
        "under 0.8",
        _SIO,
        lambda f: _lunch_dip(f["weekday"]),
        lambda v, f: v < 0.8,
        data=("tweet times",),
    ),
    _Claim(
        "most retweeted accounts",
        "@army2pr, @armypr_news",
        "the two most retweeted, in order",
        _SIO,
        lambda f: ", ".join(f["top_retweeted"]),
        lambda v, f: v == "@army2pr, @armypr_news",
        data=("retweets",),
    ),
)


def sio_thailand_2020(archive: Archive) -> pd.DataFrame:
    """Every claim of the Stanford Internet Observatory's Thailand report, recomputed.

    The claims and their recomputation (FINDINGS.md §1): accounts (rows of
    the users file), tweets (rows of the tweets file), accounts that tweeted
    (distinct ``userid`` in the tweets), shares of accounts without
    followers (``follower_count == 0``), tweets without engagement
    (likes + retweets + replies + quotes = 0), mean followers of all and of
    the tweeting accounts, engagements per tweet, accounts without a
    biography (empty ``user_profile_description``), the largest follower
    count, the two months most accounts were created in, the busiest month
    and the share of tweets from 2 March 2020 (Bangkok time), the busiest
    weekday half hour and the 12:00 dip against 10:00-11:30 (Bangkok time,
    Monday to Friday), and the two most retweeted accounts (retweet target
    as :func:`takedown.edges.retweets` resolves it).

    Parameters
    ----------
    archive : Archive
        The ``thailand_092020`` release. Any archive runs (only the real one
        should match): a claim whose data it lacks (no tweets in a
        users-only release, no followers on Reddit, no engagement counts in
        FiveThirtyEight's data, tweets that end before March 2020) gets a
        row whose note starts ``"not measurable here"``, and the table is
        marked as other data (see :func:`takedown.reproduce.summary`).

    Returns
    -------
    pandas.DataFrame
        ``claim``, ``published``, ``recomputed``, ``match``, ``tolerance``,
        ``source``, ``note`` and ``synthetic`` (see the module's docstring);
        17 rows.

    References
    ----------
    Stanford Internet Observatory (Oct 2020), "Cheerleading Without Fans: A
    Low-Impact Domestic Information Operation by the Royal Thai Army".
    Twitter Safety (8 Oct 2020), disclosure of the thailand_092020 network.

    Examples
    --------
    >>> import takedown as td
    >>> table = td.reproduce.sio_thailand_2020(td.datasets.sample())
    >>> table.columns.tolist()[:4]
    ['claim', 'published', 'recomputed', 'match']
    >>> bool(table.attrs["synthetic"])
    True

    On the accounts alone (a users-only release), the claims on tweets are
    not measurable:

    >>> sample = td.datasets.sample()
    >>> users = td.Archive(users=sample.users, tweets=sample.tweets.iloc[:0], name="synthetic_users",
    ...                    provenance=sample.provenance)
    >>> td.reproduce.sio_thailand_2020(users).set_index("claim").loc["tweets", "note"]
    'not measurable here: these data have no tweets'
    """
    _check_archive(archive)
    return _table(
        _SIO_CLAIMS,
        _sio_facts(archive),
        report=_SIO_REPORT,
        data=archive.name,
        synthetic=is_synthetic(archive),
        archive=archive,
    )
