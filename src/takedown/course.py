"""A course pack: exercises on synthetic archives with planted answers, and a checker that does not tell.

Students in disinformation courses often cannot get the real takedown
archives. Each exercise asks a question a published report answered on a
real release (the operators' time zone, the super-spreaders, the outside
accounts amplified, a coordinated group, accounts bought from earlier
owners) and plants its answer in a synthetic archive
(:func:`takedown.synth.generate`). A teacher gives each student a seed;
:func:`exercise` builds that student's own variant, the same for the same
seed and with a different answer planted for another seed. :func:`check`
says whether an answer matches what was planted, and how close it is,
without saying what was planted.

The checker gives feedback, not secrecy: the generator is open source, and a
student who reads it closely can regenerate any variant's answer. Grade the
reasoning in the notebook, not only the check.
"""

from __future__ import annotations

import functools
import html
import re
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from takedown.archive import Archive
from takedown.measures.timezone import _label

__all__ = ["EXERCISES", "Check", "Exercise", "check", "exercise", "exercises"]


@dataclass(frozen=True)
class Exercise:
    """One exercise of the course pack.

    Attributes
    ----------
    name : str
        What :func:`exercise` and :func:`check` are called with.
    number : int
        Its place in the pack (and in the notebooks' names).
    title, question : str
        The question, as the notebook asks it.
    hand_in : str
        What ``ANSWER`` must hold.
    accepted : str
        What the checker accepts as right, tolerance included.
    teaches : str
        The method the exercise practises.
    functions : tuple of str
        The package functions that answer it.
    reference : str
        The report whose finding the exercise reproduces.
    """

    name: str
    number: int
    title: str
    question: str
    hand_in: str
    accepted: str
    teaches: str
    functions: tuple[str, ...]
    reference: str


#: The exercises, in the order of the pack.
EXERCISES: dict[str, Exercise] = {
    e.name: e
    for e in [
        Exercise(
            name="time_zone",
            number=1,
            title="Where do the operators work?",
            question="In which time zone do the people behind these accounts keep office hours?",
            # The examples are an offset no variant plants, so that trying them finds nothing.
            hand_in="a UTC offset ('UTC+09:30', '+9:30' or 9.5), an IANA zone name ('Australia/Darwin') or the "
            "Series td.measures.likely_timezone returns",
            accepted="the planted offset; a zone name is right when it keeps that offset on most days of the "
            "operation (posting times cannot tell apart places that share an offset)",
            teaches="reading posting times as a working week: hours, weekdays and weekends at every UTC offset",
            functions=("td.measures.likely_timezone", "td.measures.timezone_fit", "td.measures.hourly_activity"),
            reference="ASPI (2020), 'Retweeting through the great firewall'; SIO (2020), 'Cheerleading Without Fans'",
        ),
        Exercise(
            name="superspreaders",
            number=2,
            title="Who does the retweeting?",
            question="Which accounts are the super-spreaders: the top 1% of retweeting accounts by retweets made?",
            hand_in="the super-spreaders' user ids (a list, a pandas Index, or a Series indexed by user id)",
            accepted="exactly the top 1% (k = ceil(0.01 x accounts that retweeted at least once)), in any order",
            teaches="concentration of activity: ranking accounts by what they do, and the top-1% share",
            functions=("td.edges.retweets", "td.measures.retweets_by_account", "td.measures.superspreaders"),
            reference="Schliebs, Bailey, Bright & Howard (2021), OII, 'China's Public Diplomacy Operations'",
        ),
        Exercise(
            name="outside_accounts",
            number=3,
            title="Whom does the operation amplify?",
            question="Which five accounts outside the archive did the operation retweet most?",
            hand_in="five user ids or screen names of accounts that are not in the users file",
            accepted="five outside accounts no other outside account beats on retweets received (ties count "
            "either way); ids or screen names, with or without '@'",
            teaches="edge tables: who retweets whom, and the targets outside the takedown (state media, "
            "diplomats, army PR)",
            functions=("td.edges.retweets", "td.edges.screen_names", "td.edges.amplification"),
            reference="SIO (2020), 'Cheerleading Without Fans' (army PR accounts); OII (2021)",
        ),
        Exercise(
            name="coordinated_group",
            number=4,
            title="Who acts together?",
            question="Which accounts form the group that retweets the same tweets within seconds of each other?",
            hand_in="the group's user ids",
            accepted="the planted group, with at most one member missing and at most one account too many",
            teaches="co-action networks: pairs within a time window, a null model, and the groups they form",
            functions=(
                "td.edges.co_actions",
                "td.edges.null_model",
                "td.graphs.to_igraph",
                "td.graphs.communities",
            ),
            reference="Schoch, Keller, Stier & Yang (2022), 'Coordination patterns reveal online political "
            "astroturfing across the world', Scientific Reports 12: 4572",
        ),
        Exercise(
            name="bought_accounts",
            number=5,
            title="Which accounts were bought?",
            question="Which accounts had an earlier owner, fell silent, and were bought and put to work in the "
            "operation?",
            hand_in="the bought accounts' user ids",
            accepted="the planted bought accounts, with at most one missing and at most one account too many",
            teaches="account histories: creation dates, activity before the operation, and switches of client, "
            "language and hours",
            functions=(
                "td.measures.activity_series",
                "td.measures.client_switches",
                "td.measures.language_shares",
                "td.measures.hourly_activity",
            ),
            reference="ASPI (2019), 'Tweeting through the great firewall'",
        ),
    ]
}

#: Time zones an exercise can plant: each kept one UTC offset, without summer time, from 2019 to 2023.
ZONES = (
    "Africa/Lagos",
    "Africa/Nairobi",
    "Europe/Istanbul",
    "Europe/Moscow",
    "Asia/Dubai",
    "Asia/Yerevan",
    "Asia/Karachi",
    "Asia/Tashkent",
    "Asia/Kolkata",
    "Asia/Yangon",
    "Asia/Bangkok",
    "Asia/Jakarta",
    "Asia/Ho_Chi_Minh",
    "Asia/Shanghai",
    "Asia/Manila",
    "America/Caracas",
    "America/La_Paz",
    "America/Bogota",
    "America/Lima",
    "America/Tegucigalpa",
    "America/Guatemala",
    "America/Sao_Paulo",
    "America/Argentina/Buenos_Aires",
)

#: How many outside accounts the outside_accounts exercise asks for.
OUTSIDE_TOP = 5


def exercises() -> pd.DataFrame:
    """The exercises of the pack, for a teacher's overview.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``name``, in the order of the pack: ``number``, ``title``,
        ``question``, ``hand_in``, ``accepted``, ``teaches``, ``functions``
        (comma-separated) and ``reference``.

    Examples
    --------
    >>> import takedown as td
    >>> td.course.exercises().index.tolist()
    ['time_zone', 'superspreaders', 'outside_accounts', 'coordinated_group', 'bought_accounts']
    >>> td.course.exercises().loc["time_zone", "title"]
    'Where do the operators work?'
    """
    rows = [{**vars(e), "functions": ", ".join(e.functions)} for e in EXERCISES.values()]
    return pd.DataFrame(rows).set_index("name")


def _exercise_name(name) -> Exercise:
    if not isinstance(name, str) or name not in EXERCISES:
        raise ValueError(f"name: unknown exercise {name!r}; choose one of {', '.join(EXERCISES)}")
    return EXERCISES[name]


def _seed(seed) -> int:
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= seed < 2**63:
        raise ValueError(f"seed: expected a whole number of at least 0 (one per student), got {seed!r}")
    return int(seed)


def _day(rng: np.random.Generator, first: str, last: str) -> pd.Timestamp:
    days = (pd.Timestamp(last) - pd.Timestamp(first)).days
    return pd.Timestamp(first) + pd.Timedelta(days=int(rng.integers(0, days + 1)))


def _knobs(name: str, seed: int) -> dict:
    """The arguments of :func:`takedown.synth.generate` for one student's variant of an exercise."""
    exercise_ = EXERCISES[name]
    rng = np.random.default_rng([seed, exercise_.number, 20201008])
    knobs = {
        "seed": int(rng.integers(0, 2**31)),
        "campaign": f"synthetic_course_{name}",
        "synthetic_note": (
            f"SYNTHETIC. takedown.course exercise {name!r} for seed {seed}: a made-up operation with its answer "
            "planted; no real account or tweet."
        ),
    }
    if name == "time_zone":
        start = _day(rng, "2020-01-01", "2023-06-30")
        knobs.update(
            accounts=300,
            tweets=int(rng.integers(3_000, 5_001)),
            timezone=ZONES[int(rng.integers(0, len(ZONES)))],
            start=f"{start:%Y-%m-%d}",
            end=f"{start + pd.Timedelta(days=int(rng.integers(60, 151))):%Y-%m-%d}",
            weekend_level=float(rng.uniform(0.1, 0.4)),
            night_level=float(rng.uniform(0.02, 0.06)),
            lunch_level=float(rng.uniform(0.2, 0.5)),
            inactive_share=0.3,
            # Languages say nothing about the place here: the times must.
            account_languages={"en": 1.0},
            tweet_languages={"en": 0.85, "und": 0.15},
        )
    elif name == "superspreaders":
        knobs.update(
            accounts=int(rng.integers(700, 1_001)),
            tweets=int(rng.integers(8_000, 12_001)),
            retweet_share=float(rng.uniform(0.75, 0.9)),
            top1_retweet_share=float(rng.uniform(0.25, 0.45)),
            inactive_share=0.2,
            coordinated_groups=0,
        )
    elif name == "outside_accounts":
        knobs.update(
            accounts=int(rng.integers(400, 501)),
            tweets=int(rng.integers(6_000, 8_001)),
            retweet_share=float(rng.uniform(0.55, 0.75)),
            external_accounts=int(rng.integers(12, 41)),
            external_share=float(rng.uniform(0.35, 0.6)),
            inactive_share=0.2,
        )
    elif name == "coordinated_group":
        knobs.update(
            accounts=int(rng.integers(400, 601)),
            tweets=int(rng.integers(6_000, 9_001)),
            retweet_share=float(rng.uniform(0.6, 0.75)),
            coordinated_groups=1,
            group_size=int(rng.integers(5, 9)),
            group_events=int(rng.integers(8, 17)),
            group_spread=float(rng.uniform(3, 20)),
            rapid_fire_accounts=int(rng.integers(2, 4)),
            inactive_share=0.2,
        )
    else:
        year = int(rng.integers(2019, 2023))
        start = _day(rng, f"{year}-02-01", f"{year}-04-01")
        end = min(start + pd.Timedelta(days=int(rng.integers(120, 241))), pd.Timestamp(f"{year}-12-31"))
        knobs.update(
            accounts=int(rng.integers(300, 401)),
            tweets=int(rng.integers(4_000, 6_001)),
            start=f"{start:%Y-%m-%d}",
            end=f"{end:%Y-%m-%d}",
            creation_start="2010-01-01",
            bought_accounts=int(rng.integers(4, 9)),
            bought_prior_tweets=int(rng.integers(8, 31)),
            bought_test_share=float(rng.uniform(0.3, 0.7)),
            inactive_share=0.2,
        )
    return knobs


def _generate(name: str, seed: int):
    from takedown import synth

    return synth.generate(**_knobs(name, seed))


@functools.lru_cache(maxsize=32)
def _truth(name: str, seed: int):
    return _generate(name, seed)[1]


def exercise(name: str, *, seed: int) -> Archive:
    """A student's own synthetic archive for an exercise, with the answer planted.

    Parameters
    ----------
    name : str
        One of :data:`EXERCISES`: ``"time_zone"``, ``"superspreaders"``,
        ``"outside_accounts"``, ``"coordinated_group"``, ``"bought_accounts"``.
    seed : int
        The student's number. The same seed gives the same archive; another
        seed plants another answer (another time zone, other accounts).

    Returns
    -------
    Archive
        A synthetic archive named ``synthetic_course_<name>``, in the tables
        :func:`takedown.read_archive` gives: a few hundred accounts and a
        few thousand tweets, so that every measure runs in seconds. Its
        provenance says it is synthetic.

    See Also
    --------
    check : whether an answer matches what was planted.
    takedown.synth.generate : the generator (its knobs say what is planted).

    References
    ----------
    Each exercise reproduces a published finding (see :func:`exercises`):
    ASPI (2019), "Tweeting through the great firewall"; ASPI (2020),
    "Retweeting through the great firewall"; SIO (2020), "Cheerleading
    Without Fans"; Schliebs et al. (2021), OII, "China's Public Diplomacy
    Operations"; Schoch et al. (2022), Scientific Reports 12: 4572.

    Examples
    --------
    >>> import takedown as td
    >>> archive = td.course.exercise("time_zone", seed=0)
    >>> archive.name, archive.provenance.release_format
    ('synthetic_course_time_zone', 'synthetic')
    >>> archive.tweets.equals(td.course.exercise("time_zone", seed=0).tweets)
    True
    """
    _exercise_name(name)
    return _generate(name, _seed(seed))[0]


@dataclass(frozen=True, repr=False)
class Check:
    """What :func:`check` says about an answer.

    Attributes
    ----------
    exercise : str
    seed : int
    answered : bool
        False while the answer is ``None``.
    correct : bool
        Whether the answer matches what was planted (within the exercise's
        tolerance). ``bool(check)`` is this.
    message : str
        One line for the student: how close the answer is and where to look
        next, never the planted answer.
    """

    exercise: str
    seed: int
    answered: bool
    correct: bool
    message: str

    def __bool__(self) -> bool:
        return self.correct

    def _mark(self) -> str:
        return "✓" if self.correct else "✗" if self.answered else "…"

    def __repr__(self) -> str:
        return f"{self._mark()} {self.message}"

    def _repr_html_(self) -> str:
        colour = "#1b7837" if self.correct else "#b2182b" if self.answered else "#555555"
        return (
            f'<div style="border-left: 4px solid {colour}; padding: 0.4em 0.8em; margin: 0.2em 0;">'
            f'<strong style="color: {colour};">{self._mark()} {html.escape(self.exercise)} (seed {self.seed})</strong>'
            f"<br>{html.escape(self.message)}</div>"
        )


def check(name: str, answer, *, seed: int) -> Check:
    """Whether an answer matches what was planted in the student's archive, without saying what was planted.

    Parameters
    ----------
    name : str
        The exercise (see :func:`exercises`).
    answer
        What the exercise asks to hand in (``EXERCISES[name].hand_in``), or
        ``None`` while there is no answer yet. Account ids are strings; a
        collection of them can be a list, a set, a pandas Index, a Series of
        ids, a Series indexed by id (as :func:`takedown.measures.retweets_by_account`
        returns) or a DataFrame with a ``userid`` column.
    seed : int
        The seed the archive was made with (:func:`exercise`).

    Returns
    -------
    Check
        ``correct``, ``answered`` and a one-line ``message``: how many of
        the accounts handed in are right, or why an offset is not the
        operators', with a hint; never a planted id, zone or offset that
        the answer did not already give. What counts as right is in
        ``EXERCISES[name].accepted``.

    Raises
    ------
    TypeError, ValueError
        When the answer is not of the kind the exercise asks for (a single
        string where a collection of ids is asked, a number as an id, an
        unknown time zone).

    Examples
    --------
    >>> import takedown as td
    >>> td.course.check("time_zone", None, seed=0)
    … No answer yet: set ANSWER to a UTC offset ('UTC+09:30', '+9:30' or 9.5), an IANA zone name ('Australia/Darwin') or the Series td.measures.likely_timezone returns, then run this cell again.
    >>> archive = td.course.exercise("superspreaders", seed=0)
    >>> bool(td.course.check("superspreaders", archive.users["userid"][:3], seed=0))
    False
    >>> zone = td.measures.likely_timezone(td.course.exercise("time_zone", seed=0))
    >>> td.course.check("time_zone", zone, seed=0).correct
    True
    """
    exercise_ = _exercise_name(name)
    seed = _seed(seed)
    if answer is None:
        message = f"No answer yet: set ANSWER to {exercise_.hand_in}, then run this cell again."
        return Check(name, seed, answered=False, correct=False, message=message)
    if name == "time_zone":
        correct, message = _check_time_zone(answer, _truth(name, seed))
    else:
        ids = _ids(answer)
        if not ids:
            correct, message = False, f"Your answer is empty: hand in {exercise_.hand_in}."
        else:
            correct, message = _CHECKS[name](ids, name, seed)
    return Check(name, seed, answered=True, correct=correct, message=message)


# --- answers: time zones -------------------------------------------------------------------

_OFFSET = re.compile(r"^(?:UTC|GMT)?\s*([+\-−])\s*(\d{1,2})(?:[:h]?(\d{2}))?$", re.IGNORECASE)


def _hours(value: float) -> float:
    if not -12 <= value <= 14 or (value * 4) % 1:
        raise ValueError(
            f"answer: expected a UTC offset between -12 and +14 hours in steps of 15 minutes, got {value!r}"
        )
    return float(value)


def _zone_offsets(zone: str, start: str, end: str) -> pd.Series:
    """The UTC offset (hours) a zone keeps at noon UTC on each day of the operation."""
    days = pd.date_range(start, end, freq="D", tz="UTC") + pd.Timedelta(hours=12)
    return pd.Series([t.utcoffset().total_seconds() / 3600 for t in days.tz_convert(zone)])


def _offsets(answer, start: str, end: str) -> tuple[pd.Series, str | None]:
    """The answer's offset on each day of the operation, and the zone name if it gave one."""
    if isinstance(answer, pd.Series) and "offset" in answer.index:
        answer = answer["offset"]
        if pd.isna(answer):
            raise ValueError("answer: the likely_timezone Series has no offset (no UTC offset could be fitted)")
    if isinstance(answer, bool) or not isinstance(answer, (str, int, float, np.integer, np.floating)):
        raise TypeError(
            "answer: expected a UTC offset such as 'UTC+09:30' or 9.5, or a zone name such as 'Australia/Darwin', "
            f"got {type(answer).__name__}"
        )
    days = len(pd.date_range(start, end, freq="D"))
    if not isinstance(answer, str):
        return pd.Series([_hours(float(answer))] * days), None
    text = answer.strip()
    if text.upper() in ("UTC", "GMT", "Z", "UTC+0", "GMT+0"):
        return pd.Series([0.0] * days), None
    match = _OFFSET.match(text)
    if match:
        sign = -1 if match.group(1) in "-−" else 1
        return pd.Series([_hours(sign * (int(match.group(2)) + int(match.group(3) or 0) / 60))] * days), None
    try:
        return _zone_offsets(text, start, end), text
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, KeyError):
        raise ValueError(
            f"answer: unknown time zone {answer!r}; expected an IANA name such as 'Australia/Darwin', an offset "
            "such as 'UTC+09:30' or hours such as 9.5"
        ) from None


def _check_time_zone(answer, truth) -> tuple[bool, str]:
    start, end = truth.knobs.start, truth.knobs.end
    planted = _zone_offsets(truth.knobs.timezone, start, end).mode().iloc[0]
    offsets, zone = _offsets(answer, start, end)
    kept = float((offsets == planted).mean())
    given = offsets.mode().iloc[0]
    if kept >= 0.5:
        where = (
            f"{zone} keeps {_label(planted)} during the operation, and at that offset"
            if zone
            else f"at {_label(given)}"
        )
        return True, (
            f"Right: {where} the tweets fall in office hours on working days, with quiet nights and weekends. "
            "Posting times cannot tell apart places that share an offset."
        )
    said = f"{zone} ({_label(given)} during the operation)" if zone else _label(given)
    if given == 0:
        return False, (
            f"Not {said}: the files store times in UTC, but the operators worked by their own clock. Shift the "
            "activity to every offset and see where it looks like a working week (td.measures.timezone_fit)."
        )
    return False, (
        f"Not {said}: at that offset the tweets do not fall in office hours on working days. Compare the fit of "
        "every offset (td.measures.timezone_fit), look at the week at the best one (td.measures.hourly_activity), "
        "and mind the sign: local time = UTC + offset."
    )


# --- answers: accounts ---------------------------------------------------------------------


def _ids(answer) -> list[str]:
    """The account ids in an answer, in order, without repeats."""
    if isinstance(answer, str):
        raise TypeError(f"answer: expected a collection of account ids, got a single string; write [{answer!r}]")
    if isinstance(answer, pd.DataFrame):
        if "userid" not in answer.columns:
            raise TypeError("answer: expected a collection of account ids; a DataFrame needs a 'userid' column")
        values = answer["userid"].tolist()
    elif isinstance(answer, pd.Series):
        strings = len(answer) and answer.map(lambda v: isinstance(v, str)).all()
        values = answer.tolist() if strings else answer.index.tolist()
    elif pd.api.types.is_list_like(answer) and not isinstance(answer, Mapping):
        values = list(answer)
    else:
        raise TypeError(
            f"answer: expected a collection of account ids (a list, set, Index or Series), got {type(answer).__name__}"
        )
    for value in values:
        if not isinstance(value, str):
            raise TypeError(
                f"answer: account ids are strings (never numbers), got {value!r} ({type(value).__name__}); "
                "copy them from a userid column"
            )
    return list(dict.fromkeys(values))


def _known(truth) -> set[str]:
    return set(truth.accounts["userid"].astype(str))


def _count(n: int, noun: str) -> str:
    return f"{n} {noun if n == 1 else noun + 's'}"


def _verb(n: int, one: str, many: str) -> str:
    return one if n == 1 else many


def _strangers(ids: list[str], truth) -> str | None:
    """A message when some ids are not accounts of this archive (nor accounts it retweeted)."""
    unknown = [i for i in ids if i not in _known(truth) and i not in set(truth.external["userid"].astype(str))]
    if not unknown:
        return None
    return (
        f"{len(unknown)} of your ids {_verb(len(unknown), 'is', 'are')} not in this archive: copy ids "
        "from the archive of your own seed (td.course.exercise(..., seed=SEED))."
    )


def _superspreaders(ids: list[str], name: str, seed: int) -> tuple[bool, str]:
    truth = _truth(name, seed)
    if message := _strangers(ids, truth):
        return False, message
    outside = [i for i in ids if i not in _known(truth)]
    if outside:
        return False, (
            f"{len(outside)} of your accounts {_verb(len(outside), 'is', 'are')} not in the users file: "
            "super-spreaders are the operation's own accounts that retweet, not the accounts they retweet."
        )
    counts = truth.accounts.set_index("userid")["retweets"]
    k = truth.planted["top_k"]
    top = set(counts.sort_values(ascending=False, kind="stable").index[:k])
    hits = len(top & set(ids))
    if hits == k and len(ids) == k:
        share = counts[list(top)].sum() / counts.sum()
        return True, (
            f"Right: these are the top 1% of the {truth.planted['retweeters']:,} accounts that retweeted "
            f"(k = {k}); together they made {share:.0%} of all retweets."
        )
    size = ""
    if len(ids) > k:
        size = " You handed in more accounts than the top 1%: count the accounts that retweeted at least once first."
    elif len(ids) < k:
        size = " You handed in fewer accounts than the top 1%: count the accounts that retweeted at least once first."
    return False, (
        f"{hits} of your {_count(len(ids), 'account')} {_verb(hits, 'is a', 'are')} "
        f"{_verb(hits, 'super-spreader', 'super-spreaders')}.{size} Rank the accounts by the retweets they made "
        "(td.measures.retweets_by_account), not by followers or by retweets received; td.measures.superspreaders "
        "gives k."
    )


def _outside_accounts(ids: list[str], name: str, seed: int) -> tuple[bool, str]:
    truth = _truth(name, seed)
    external = truth.external.assign(userid=truth.external["userid"].astype(str))
    by_name = {n.lower(): u for n, u in zip(external["screen_name"].astype(str), external["userid"])}
    ids = list(dict.fromkeys(by_name.get(i.lstrip("@").lower(), i) for i in ids))
    if message := _strangers(ids, truth):
        return False, message
    inside = [i for i in ids if i in _known(truth)]
    if inside:
        return False, (
            f"{len(inside)} of your accounts {_verb(len(inside), 'is', 'are')} in the users file, so "
            f"{_verb(len(inside), 'it belongs', 'they belong')} to the operation; the question asks for accounts "
            "outside it (target_in_archive is False in td.edges.retweets)."
        )
    if len(ids) != OUTSIDE_TOP:
        return False, f"Hand in exactly {OUTSIDE_TOP} outside accounts; you handed in {len(ids)}."
    received = external.set_index("userid")["retweets_received"]
    chosen = received[ids]
    others = received.drop(ids)
    # Any five that no other outside account beats is a top five, whichever way ties fall.
    if others.empty or chosen.min() >= others.max():
        share = chosen.sum() / received.sum()
        return True, (
            f"Right: these are the {OUTSIDE_TOP} outside accounts the operation retweeted most; together they "
            f"received {share:.0%} of its retweets of outside accounts."
        )
    threshold = received.sort_values(ascending=False).iloc[OUTSIDE_TOP - 1]
    hits = int((chosen >= threshold).sum())
    return False, (
        f"{hits} of your {OUTSIDE_TOP} {_verb(hits, 'is', 'are')} among the {OUTSIDE_TOP} outside accounts "
        "retweeted most. Count every retweet each outside account received (not distinct retweeters, not mentions)."
    )


def _group_like(ids: list[str], planted: set[str], truth, *, what: str, hint: str) -> tuple[bool, str]:
    """Right when at most one planted account is missing and at most one is too many."""
    if message := _strangers(ids, truth):
        return False, message
    hits = len(planted & set(ids))
    missing, extra = len(planted - set(ids)), len(set(ids) - planted)
    if missing <= 1 and extra <= 1:
        exact = "every one of them and no other account" if missing == extra == 0 else "within one account"
        return True, f"Right: you found the {what}, {exact}."
    parts = [f"{hits} of your {_count(len(ids), 'account')} {_verb(hits, 'is', 'are')} among the {what}"]
    if missing > 1:
        parts.append("more of them are still missing")
    if extra > 1:
        parts.append(f"{extra} of yours {_verb(extra, 'is', 'are')} not")
    return False, "; ".join(parts) + f". {hint}"


def _coordinated_group(ids: list[str], name: str, seed: int) -> tuple[bool, str]:
    truth = _truth(name, seed)
    planted = set(truth.groups["userid"].astype(str))
    rapid = set(truth.accounts.loc[truth.accounts["rapid_fire"], "userid"].astype(str)) & set(ids)
    hint = (
        "Look for pairs that retweet the same tweets within seconds again and again (td.edges.co_actions, tested "
        "with td.edges.null_model) and for the group they form (td.graphs.communities)."
    )
    if rapid:
        hint += (
            f" {len(rapid)} of your accounts {_verb(len(rapid), 'posts', 'post')} seconds apart but "
            "alone: speed is not coordination."
        )
    return _group_like(ids, planted, truth, what="accounts of the coordinated group", hint=hint)


def _bought_accounts(ids: list[str], name: str, seed: int) -> tuple[bool, str]:
    truth = _truth(name, seed)
    planted = set(truth.bought["userid"].astype(str))
    hint = (
        "A bought account tweeted years before the operation in another language, from another client and at "
        "other hours, fell silent, then came back for the operation (td.measures.activity_series, "
        "td.measures.client_switches); an old creation date alone is not enough."
    )
    return _group_like(ids, planted, truth, what="bought accounts", hint=hint)


_CHECKS = {
    "superspreaders": _superspreaders,
    "outside_accounts": _outside_accounts,
    "coordinated_group": _coordinated_group,
    "bought_accounts": _bought_accounts,
}
