"""Generate takedown archives with planted structure, vectorised with NumPy and Arrow.

Generation happens in two stages. The *plan* draws every account and the
numeric skeleton of every tweet (author, kind, time to the millisecond,
target, Snowflake ids): a few integer arrays, small even for ten million
tweets. *Rendering* turns a slice of the skeleton into a table in the
archive schema (texts, lists, counts), so that a large archive can be written
chunk by chunk with bounded memory (:func:`takedown.synth.stream`).
"""

from __future__ import annotations

import base64
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from takedown.schema import TWITTER_EPOCH_MS, USERS, arrow_schema
from takedown.synth.params import Knobs

__all__ = ["TWITTER_EPOCH_MS", "GroundTruth", "Plan", "plan"]


ORIGINAL, RETWEET, REPLY, QUOTE = 0, 1, 2, 3
#: Phases of a tweet (``Plan.phase``): the operation's, an earlier owner's, a new owner's test tweet.
CAMPAIGN, EARLIER, TEST = 0, 1, 2
_DAY_MS = 86_400_000
_YEAR_DAYS = 365

_TEXTS = {
    "th": [
        "ข่าววันนี้ ประชาชนร่วมใจ",
        "ขอบคุณทุกคนที่ช่วยเหลือ",
        "กองทัพช่วยเหลือประชาชนในพื้นที่น้ำท่วม",
        "ติดตามข่าวสารได้ที่นี่",
        "ร่วมกันพัฒนาประเทศ, ทุกภาคส่วน",
        "ความสงบเรียบร้อยของบ้านเมือง",
    ],
    "en": [
        "Great work by the volunteers today",
        "Read the full story here",
        "The facts, not the rumours: a thread",
        'What they call "news" is not news',
        "Proud of our people, every day",
        "Another milestone for the province's development",
    ],
    "zh": [
        "今天的新闻值得一看",
        "感谢大家的支持",
        "真相只有一个，请看这里",
        "发展才是硬道理",
        "香港的未来在于稳定",
        "谣言止于智者",
    ],
}
#: What bought accounts posted under their earlier owners: everyday chatter and follow-back spam.
_EARLIER_TEXTS = {
    "en": [
        "good morning everyone",
        "can't wait for the weekend",
        "new video is up, check it out",
        "who's watching the game tonight?",
        "follow me and I follow back",
        "coffee first",
    ],
    "id": ["selamat pagi semua", "lagi macet parah", "nonton bola malam ini", "follow ya nanti aku follback"],
    "pt": ["bom dia gente", "hoje tem jogo", "que calor", "sigo de volta"],
    "es": ["buenos días a todos", "qué calor hace hoy", "sígueme y te sigo", "vamos equipo"],
}
#: Where the earlier owners lived, by their language.
_EARLIER_ZONES = {
    "en": "America/New_York",
    "id": "Asia/Jakarta",
    "pt": "America/Sao_Paulo",
    "es": "America/Mexico_City",
}
_EARLIER_CLIENTS = ("Twitter for iPhone", "Twitter for Android", "TweetDeck", "Echofon")
#: A leisure day: quiet at night, busiest in the evening (local hours 0..23).
_EARLIER_HOURS = np.array([3, 2, 1, 1, 1, 1, 2, 4, 6, 6, 5, 5, 6, 5, 5, 5, 6, 7, 9, 10, 10, 9, 7, 5], dtype=float)
#: ASPI (2019) counted over 630 tweets like these when the China 2019 accounts changed hands.
_TEST_TEXTS = ["test", "test new owner", "testing", "test 123", "new owner test"]
_OUTSIDE_NAMES = ("newsdesk", "army_pr", "statenews", "embassy", "official", "dailyreport", "voice", "tv")
_DESCRIPTIONS = ["news, views\nand more", "ก็ไม่มีรัยมากนะ", 'says "hi"', "รักชาติ", "生活", "Just me", "🇹🇭"]
_LOCATIONS = ["Bangkok", "กรุงเทพ", "Thailand", "Beijing", "Global"]
_HASHTAG_WORDS = ["news", "truth", "unity", "กองทัพ", "อนาคต", "发展", "peace", "HongKong", "development", "people"]


_BOUGHT_COLUMNS = [
    "userid",
    "created",
    "earlier_first",
    "earlier_last",
    "earlier_tweets",
    "earlier_language",
    "earlier_client",
    "earlier_timezone",
    "bought",
    "test_tweet",
]


@dataclass(frozen=True, eq=False)
class GroundTruth:
    """What was planted in a synthetic archive.

    Attributes
    ----------
    knobs : Knobs
        Every parameter, preset values included.
    accounts : pandas.DataFrame
        One row per account: ``userid``, ``role`` (``"core"`` or
        ``"amplifier"``), ``active`` (tweeted at all), ``followers``, ``created``, ``burst`` (the burst
        day the account was created in, or null), ``group`` (coordinated
        group number, or -1), ``rapid_fire`` (bool), ``originals`` and
        ``retweets`` (tweets planted per account in the operation; a bought
        account's earlier and test tweets are counted in ``bought``).
    external : pandas.DataFrame
        The outside accounts amplified: ``userid`` (plain numeric id, not in
        the users file), ``screen_name``, ``retweets_received``.
    groups : pandas.DataFrame
        ``group``, ``userid``: the coordinated groups, whose members retweet
        the same tweets within ``knobs.group_spread`` seconds.
    campaigns : pandas.DataFrame
        ``hashtag``, ``start``, ``end``: hashtags pushed in a window.
    planted : dict
        The planted values as realised in this archive: ``zero_follower_share``,
        ``under_8_share``, ``top1_retweet_share``, ``retweeters``, ``top_k``,
        ``office_hours_share`` (share of tweets in local office hours on
        weekdays), ``burst_days``.
    bought : pandas.DataFrame
        The bought accounts (``knobs.bought_accounts``), one row each:
        ``userid``, ``created``, ``earlier_first`` and ``earlier_last``
        (dates of the first and last tweet under the earlier owner),
        ``earlier_tweets``, ``earlier_language``, ``earlier_client``,
        ``earlier_timezone``, ``bought`` (the day the new owner took over)
        and ``test_tweet`` (whether the new owner's first tweet was a test).
        Empty without bought accounts.
    """

    knobs: Knobs
    accounts: pd.DataFrame
    external: pd.DataFrame
    groups: pd.DataFrame
    campaigns: pd.DataFrame
    planted: dict
    bought: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=_BOUGHT_COLUMNS))


@dataclass(frozen=True, eq=False)
class Plan:
    """Accounts and the numeric skeleton of every tweet; :func:`render` makes tables from it."""

    knobs: Knobs
    seed: int
    users: pa.Table
    main_client: np.ndarray  # per account
    external_ids: np.ndarray  # strings
    external_names: np.ndarray
    author: np.ndarray  # per tweet: account index
    kind: np.ndarray  # ORIGINAL, RETWEET, REPLY, QUOTE
    time_ms: np.ndarray  # epoch ms, UTC
    tweetid: np.ndarray  # int64 Snowflake
    target: np.ndarray  # retweet/reply target: account index >= 0, external -1-j, none -(2**31)
    other_id: np.ndarray  # retweeted, replied-to or quoted tweet id (int64), 0 if none
    truth: GroundTruth
    # Only with bought accounts: per tweet CAMPAIGN, EARLIER or TEST; per account the earlier owner's ways.
    phase: np.ndarray | None = None
    earlier_language: np.ndarray | None = None
    earlier_client: np.ndarray | None = None

    @property
    def tweets(self) -> int:
        return len(self.author)


def _choice(rng: np.random.Generator, shares: dict, size: int) -> np.ndarray:
    names = np.array(list(shares), dtype=object)
    weights = np.array(list(shares.values()), dtype=float)
    return names[rng.choice(len(names), size=size, p=weights / weights.sum())]


def _hashes(rng: np.random.Generator, n: int, style: str) -> np.ndarray:
    raw = rng.bytes(32 * n)
    if style == "hex":
        return np.array([raw[i * 32 : (i + 1) * 32].hex() for i in range(n)], dtype=object)
    return np.array([base64.b64encode(raw[i * 32 : (i + 1) * 32]).decode() for i in range(n)], dtype=object)


def _numeric_ids(rng: np.random.Generator, n: int, low: int = 10**7) -> np.ndarray:
    """``n`` distinct plain numeric user ids, as outside and unhashed accounts have."""
    ids: dict[int, None] = {}
    while len(ids) < n:
        for value in rng.integers(low, 1_400_000_000_000_000_000, size=n - len(ids)):
            ids.setdefault(int(value))
    return np.array([str(value) for value in ids], dtype=object)


def _day_range(start: str, end: str) -> np.ndarray:
    days = pd.date_range(start, end, freq="D")
    if len(days) == 0:
        raise ValueError(f"start, end: no day between {start} and {end}")
    return days


def _hour_weights(knobs: Knobs) -> np.ndarray:
    weights = np.full(24, knobs.night_level)
    first, last = knobs.office_hours
    weights[first:last] = 1.0
    weights[knobs.lunch[0] : knobs.lunch[1]] = knobs.lunch_level
    return weights / weights.sum()


def _office_times(rng: np.random.Generator, knobs: Knobs, size: int) -> np.ndarray:
    """Post times (UTC epoch ms) following office hours and weekdays in the knobs' time zone."""
    days = _day_range(knobs.start, knobs.end)
    weekday = days.day_of_week.to_numpy() < 5
    day_weights = np.where(weekday, 1.0, knobs.weekend_level)
    day = rng.choice(len(days), size=size, p=day_weights / day_weights.sum())
    hour = rng.choice(24, size=size, p=_hour_weights(knobs))
    within = rng.integers(0, 3_600_000, size=size)
    return _local_to_utc_ms(days.as_unit("ms").asi8[day] + hour * 3_600_000 + within, knobs.timezone)


def _snowflakes(rng: np.random.Generator, time_ms: np.ndarray) -> np.ndarray:
    """Unique Snowflake ids whose time bits are ``time_ms``."""
    ids = ((time_ms - TWITTER_EPOCH_MS) << 22) | rng.integers(0, 1 << 22, size=len(time_ms))
    return _unique_snowflakes(rng, ids, time_ms)


def _unique_snowflakes(rng: np.random.Generator, ids: np.ndarray, time_ms: np.ndarray) -> np.ndarray:
    """``ids`` with every repeat redrawn; of equal ids the first one (in array order) is kept."""
    ids = ids.copy()
    while True:
        order = np.argsort(ids, kind="stable")
        repeated = np.flatnonzero(np.diff(ids[order]) == 0) + 1
        if repeated.size == 0:
            return ids
        # A clash needs the same millisecond and 22 random bits: redraw them.
        ids[order[repeated]] = ((time_ms[order[repeated]] - TWITTER_EPOCH_MS) << 22) | rng.integers(
            0, 1 << 22, size=repeated.size
        )


def _plant_concentration(rng: np.random.Generator, total: int, people: int, share: float | None) -> np.ndarray:
    """Retweets per retweeting account; the top 1% make ``share`` of them when given.

    The top k = ceil(0.01 * people) accounts split ``round(share * total)``
    evenly; the others get one each and share the rest by log-normal weights,
    capped below the smallest top count so that the top k stay the top k.
    """
    weights = rng.lognormal(0.0, 1.2, size=people)
    if share is None or people < 2:
        return rng.multinomial(total, weights / weights.sum())
    k = math.ceil(0.01 * people)
    top_total = round(share * total)
    top = np.full(k, top_total // k)
    top[: top_total % k] += 1
    cap = int(top.min()) - 1
    rest_total = total - top_total
    rest_people = people - k
    if rest_people * cap < rest_total:
        raise ValueError(
            f"top1_retweet_share={share}: with {people:,} retweeters and {total:,} retweets the top 1% "
            "cannot make that share and stay on top; raise the share or the number of retweets"
        )
    if rest_total < rest_people:
        raise ValueError(
            f"top1_retweet_share={share}: {rest_total:,} retweets left for {rest_people:,} other retweeters; "
            "every retweeter needs at least one for the top 1% to be measured as planted"
        )
    # Everyone retweets at least once, so the top 1% is counted over the same accounts.
    rest = 1 + rng.multinomial(rest_total - rest_people, weights[k:] / weights[k:].sum())
    # Water-filling: move the excess of capped accounts to the others, in proportion.
    while (over := rest > cap).any():
        excess = int((rest[over] - cap).sum())
        rest[over] = cap
        room = np.where(rest < cap, weights[k:], 0.0)
        add = rng.multinomial(excess, room / room.sum())
        rest += add
    counts = np.concatenate([top, rest])
    order = rng.permutation(people)
    return counts[np.argsort(order)]


def _accounts(rng: np.random.Generator, knobs: Knobs, n: int) -> tuple[pa.Table, pd.DataFrame, np.ndarray]:
    unhashed = rng.random(n) < knobs.unhashed_share
    ids = _hashes(rng, n, knobs.hash_style)
    if unhashed.any():
        ids[unhashed] = _numeric_ids(rng, int(unhashed.sum()), low=10**8)
    screen = ids.copy()
    display = ids.copy()
    if unhashed.any():
        handles = np.array([f"user_{x:08x}" for x in rng.integers(0, 2**32, size=int(unhashed.sum()))], dtype=object)
        screen[unhashed] = handles
        display[unhashed] = np.array([h.replace("_", " ").title() for h in handles], dtype=object)

    followers = np.where(
        rng.random(n) < knobs.zero_follower_share,
        0,
        np.minimum(1 + np.floor(rng.pareto(knobs.follower_tail, size=n)), 10_000_000),
    ).astype(np.int64)
    # Unhashed accounts were the larger ones (in 2018 small accounts were hashed).
    followers[unhashed] = np.maximum(followers[unhashed], 5_000 + rng.integers(0, 20_000, size=int(unhashed.sum())))
    following = np.minimum(rng.geometric(0.03, size=n), 5_000).astype(np.int64)

    start = pd.Timestamp(knobs.start)
    spread = pd.date_range(knobs.creation_start, start - pd.Timedelta(days=1), freq="D")
    # Bursts fall in the four months before the operation starts.
    recent = spread[-120:]
    burst_days = recent[np.sort(rng.choice(len(recent), size=knobs.creation_bursts, replace=False))]
    in_burst = rng.random(n) < (knobs.burst_share if knobs.creation_bursts else 0.0)
    burst_of = np.where(in_burst, rng.integers(0, max(1, knobs.creation_bursts), size=n), -1)
    created = spread[rng.integers(0, len(spread), size=n)].to_numpy()
    if knobs.creation_bursts:
        created = np.where(in_burst, burst_days.to_numpy()[np.maximum(burst_of, 0)], created)

    descriptions = np.where(
        rng.random(n) < 0.75, "", np.array(_DESCRIPTIONS, dtype=object)[rng.integers(0, len(_DESCRIPTIONS), n)]
    )
    locations = np.where(
        rng.random(n) < 0.85, "", np.array(_LOCATIONS, dtype=object)[rng.integers(0, len(_LOCATIONS), n)]
    )
    languages = _choice(rng, knobs.account_languages, n)
    users = pa.table(
        {
            "userid": pa.array(ids, pa.string()),
            "user_display_name": pa.array(display, pa.string()),
            "user_screen_name": pa.array(screen, pa.string()),
            "user_reported_location": pc.if_else(pa.array(locations == ""), None, pa.array(locations, pa.string())),
            "user_profile_description": pc.if_else(
                pa.array(descriptions == ""), None, pa.array(descriptions, pa.string())
            ),
            "user_profile_url": pa.nulls(n, pa.string()),
            "follower_count": pa.array(followers),
            "following_count": pa.array(following),
            "account_creation_date": pa.array(pd.DatetimeIndex(created).date, pa.date32()),
            "account_language": pc.utf8_lower(pa.array(languages, pa.string())),
        },
        schema=arrow_schema(USERS),
    )
    info = pd.DataFrame(
        {
            "userid": pd.array(ids, dtype=pd.ArrowDtype(pa.string())),
            "followers": followers,
            "created": pd.DatetimeIndex(created).date,
            "burst": pd.array(
                [burst_days[b].date() if b >= 0 else None for b in burst_of], dtype=pd.ArrowDtype(pa.date32())
            ),
        }
    )
    return users, info, burst_days


def plan(*, accounts: int, tweets: int, seed: int = 0, knobs: Knobs) -> Plan:
    """Draw the accounts and the skeleton of every tweet.

    Parameters
    ----------
    accounts, tweets : int
        Sizes of the archive.
    seed : int
        Seed of the random generator; the same seed gives the same plan.
    knobs : Knobs

    Returns
    -------
    Plan
    """
    if accounts < 1 or tweets < 0:
        raise ValueError(f"accounts, tweets: expected at least 1 account and 0 tweets, got {accounts}, {tweets}")
    rng = np.random.default_rng(seed)
    users, info, burst_days = _accounts(rng, knobs, accounts)
    n = accounts

    order = rng.permutation(n)
    n_core = max(1, math.ceil(knobs.core_share * n))
    core = np.sort(order[:n_core])
    amplifiers = np.sort(order[n_core:])
    role = np.full(n, "amplifier", dtype=object)
    role[core] = "core"
    # Accounts that never tweeted (SIO: only 455 of Thailand's 926 did); one core account always does.
    active = rng.random(n) >= knobs.inactive_share
    active[core[0]] = True
    core, amplifiers = core[active[core]], amplifiers[active[amplifiers]]

    n_retweets = round(knobs.retweet_share * tweets)
    n_originals = tweets - n_retweets
    retweeters = np.arange(n) if len(amplifiers) == 0 else np.concatenate([amplifiers, core])
    retweets_of = np.zeros(n, dtype=np.int64)
    retweets_of[retweeters] = _plant_concentration(rng, n_retweets, len(retweeters), knobs.top1_retweet_share)
    originals_of = np.zeros(n, dtype=np.int64)
    weights = rng.lognormal(0.0, 1.0, size=len(core))
    originals_of[core] = rng.multinomial(n_originals, weights / weights.sum())

    # Coordinated groups, among the amplifiers with the most retweets to give.
    candidates = amplifiers[np.argsort(-retweets_of[amplifiers], kind="stable")]
    size = knobs.group_size
    groups = [candidates[g * size : (g + 1) * size] for g in range(knobs.coordinated_groups)]
    groups = [g for g in groups if len(g) == size and retweets_of[g].min() > 0]
    group_events = []
    for members in groups:
        group_events.append(int(min(knobs.group_events, retweets_of[members].min())))
    rest = np.setdiff1d(amplifiers, np.concatenate(groups) if groups else [])
    busy = rest[np.argsort(-retweets_of[rest], kind="stable")]
    rapid = np.sort(busy[: knobs.rapid_fire_accounts][retweets_of[busy[: knobs.rapid_fire_accounts]] > 1])

    # Originals: office-hour times, some replies and quotes.
    o_author = np.repeat(np.arange(n), originals_of)
    o_time = _office_times(rng, knobs, n_originals)
    o_kind = np.full(n_originals, ORIGINAL, dtype=np.int8)
    roll = rng.random(n_originals)
    o_kind[roll < knobs.reply_share] = REPLY
    o_kind[(roll >= knobs.reply_share) & (roll < knobs.reply_share + knobs.quote_share)] = QUOTE
    o_id = _snowflakes(rng, o_time)

    externals = knobs.external_accounts
    external_ids = _numeric_ids(rng, externals)
    external_names = np.array(
        [f"{_OUTSIDE_NAMES[i % len(_OUTSIDE_NAMES)]}{i // len(_OUTSIDE_NAMES) or ''}" for i in range(externals)],
        dtype=object,
    )
    popularity = 1.0 / np.arange(1, externals + 1) ** 1.1 if externals else np.zeros(0)

    # Retweets: independent ones at office-hour times; rapid-fire accounts in bursts;
    # group events at one moment per event, members within seconds.
    independent = retweets_of.copy()
    for members, events in zip(groups, group_events):
        independent[members] -= events
    r_author = np.repeat(np.arange(n), independent)
    r_time = _office_times(rng, knobs, len(r_author))
    for account in rapid:
        rows = np.flatnonzero(r_author == account)
        bursts = max(1, len(rows) // 25)
        starts = _office_times(rng, knobs, bursts)
        which = np.sort(rng.integers(0, bursts, size=len(rows)))
        gaps = rng.exponential(knobs.rapid_fire_gap, size=len(rows)) * 1000
        offsets = np.zeros(len(rows))
        for b in range(bursts):
            inside = np.flatnonzero(which == b)
            offsets[inside] = np.cumsum(gaps[inside])
        r_time[rows] = starts[which] + offsets.astype(np.int64)
    g_author, g_time, g_event = [], [], []
    event_base = 0
    for members, events in zip(groups, group_events):
        base = _office_times(rng, knobs, events)
        for member in members:
            g_author.append(np.full(events, member))
            g_time.append(base + (rng.random(events) * knobs.group_spread * 1000).astype(np.int64))
            g_event.append(event_base + np.arange(events))
        event_base += events
    g_author = np.concatenate(g_author) if g_author else np.zeros(0, np.int64)
    g_time = np.concatenate(g_time) if g_time else np.zeros(0, np.int64)
    g_event = np.concatenate(g_event) if g_event else np.zeros(0, np.int64)

    # Targets: per independent retweet, and per group event (shared by its members).
    def targets(times: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Target (account or external), original tweet id and original time for retweets at ``times``."""
        count = len(times)
        target = np.full(count, -(2**31), dtype=np.int64)
        original = np.zeros(count, dtype=np.int64)
        internal = (rng.random(count) >= knobs.external_share) if externals else np.ones(count, bool)
        by_time = np.argsort(o_time, kind="stable")
        position = np.searchsorted(o_time[by_time], times) - rng.geometric(0.05, size=count)
        internal &= position >= 0
        internal &= n_originals > 0
        chosen = by_time[np.clip(position, 0, max(0, n_originals - 1))] if n_originals else np.zeros(count, np.int64)
        target[internal] = o_author[chosen[internal]]
        original[internal] = o_id[chosen[internal]]
        outside = ~internal
        if outside.any():
            if not externals:
                raise ValueError(
                    "external_accounts: 0, but some retweets need an outside target; add externals or originals"
                )
            picks = rng.choice(externals, size=int(outside.sum()), p=popularity / popularity.sum())
            target[outside] = -1 - picks
            delay = np.maximum(1000, rng.lognormal(math.log(900), 1.5, size=int(outside.sum())) * 1000).astype(np.int64)
            original[outside] = _snowflakes(rng, times[outside] - delay)
        return target, original

    r_target, r_original = targets(r_time)
    event_times = np.array([g_time[g_event == e].min() for e in range(event_base)], dtype=np.int64)
    e_target, e_original = (
        targets(event_times - int(knobs.group_spread * 1000))
        if event_base
        else (
            np.zeros(0, np.int64),
            np.zeros(0, np.int64),
        )
    )

    # Replies and quotes point at earlier tweets, mostly outside the archive.
    o_target = np.full(n_originals, -(2**31), dtype=np.int64)
    o_other = np.zeros(n_originals, dtype=np.int64)
    replies = o_kind == REPLY
    if replies.any():
        inside = rng.random(int(replies.sum())) < 0.3
        picks = np.where(
            inside,
            rng.integers(0, n, size=int(replies.sum())),
            -1 - rng.integers(0, max(externals, 1), size=int(replies.sum())),
        )
        if not externals:
            picks = rng.integers(0, n, size=int(replies.sum()))
        o_target[replies] = picks
    pointing = o_kind != ORIGINAL
    o_other[pointing] = _snowflakes(
        rng, o_time[pointing] - rng.integers(60_000, 6 * 3_600_000, size=int(pointing.sum()))
    )

    author = np.concatenate([o_author, r_author, g_author])
    time_ms = np.concatenate([o_time, r_time, g_time])
    kind = np.concatenate([o_kind, np.full(len(r_author) + len(g_author), RETWEET, np.int8)])
    target = np.concatenate([o_target, r_target, e_target[g_event]])
    other = np.concatenate([o_other, r_original, e_original[g_event]])
    tweetid = np.concatenate([o_id, _snowflakes(rng, np.concatenate([r_time, g_time]))])
    # The ids were drawn apart; make them unique together (a clash is rare). Originals come
    # first and keep their ids, which retweets already point at.
    tweetid = _unique_snowflakes(rng, tweetid, time_ms)

    main_client = _choice(rng, knobs.clients, n)
    phase = earlier_language = earlier_client = None
    bought = pd.DataFrame(columns=_BOUGHT_COLUMNS)
    if knobs.bought_accounts:
        taken = np.concatenate([*groups, rapid]) if groups else rapid
        candidates = np.setdiff1d(np.flatnonzero(active & (originals_of + retweets_of >= 3)), taken)
        planted = _plant_bought(knobs, seed, users, info, main_client, candidates, time_ms, tweetid)
        users, info, main_client, bought = planted.users, planted.info, planted.main_client, planted.table
        phase = np.concatenate([np.full(len(author), CAMPAIGN, np.int8), planted.phase])
        author = np.concatenate([author, planted.author])
        time_ms = np.concatenate([time_ms, planted.time_ms])
        kind = np.concatenate([kind, np.full(len(planted.author), ORIGINAL, np.int8)])
        target = np.concatenate([target, np.full(len(planted.author), -(2**31), np.int64)])
        other = np.concatenate([other, np.zeros(len(planted.author), np.int64)])
        tweetid = planted.tweetid
        earlier_language, earlier_client = planted.earlier_language, planted.earlier_client
    # Files list an account's tweets together, in time order.
    order = np.lexsort((time_ms, author))
    truth = _truth(
        knobs,
        users,
        info,
        role,
        active,
        groups,
        rapid,
        originals_of,
        retweets_of,
        external_ids,
        external_names,
        target,
        kind,
        time_ms,
        burst_days,
        rng,
        bought,
    )
    return Plan(
        knobs=knobs,
        seed=seed,
        users=users,
        main_client=main_client,
        external_ids=external_ids,
        external_names=external_names,
        author=author[order],
        kind=kind[order],
        time_ms=time_ms[order],
        tweetid=tweetid[order],
        target=target[order],
        other_id=other[order],
        truth=truth,
        phase=None if phase is None else phase[order],
        earlier_language=earlier_language,
        earlier_client=earlier_client,
    )


@dataclass(frozen=True, eq=False)
class _Bought:
    """Bought accounts planted: the changed account tables, the tweets added and the truth."""

    users: pa.Table
    info: pd.DataFrame
    main_client: np.ndarray
    author: np.ndarray
    time_ms: np.ndarray
    phase: np.ndarray
    tweetid: np.ndarray  # every tweet's id: the plan's, then the added ones
    earlier_language: np.ndarray  # per account, None for accounts never sold
    earlier_client: np.ndarray
    table: pd.DataFrame


def _local_to_utc_ms(local_ms: np.ndarray, tz: str) -> np.ndarray:
    """Local wall times (ms since 1970-01-01 local) in zone ``tz`` as UTC epoch ms."""
    local = pd.DatetimeIndex((local_ms * 1_000_000).astype("datetime64[ns]"))
    utc = local.tz_localize(tz, ambiguous="NaT", nonexistent="shift_forward").tz_convert("UTC")
    # An hour repeated by a daylight-saving change maps to NaT; take the later one.
    return np.where(utc.isna(), local_ms * 1_000_000, utc.asi8) // 1_000_000


def _plant_bought(
    knobs: Knobs,
    seed: int,
    users: pa.Table,
    info: pd.DataFrame,
    main_client: np.ndarray,
    candidates: np.ndarray,
    time_ms: np.ndarray,
    tweetid: np.ndarray,
) -> _Bought:
    """Accounts with an earlier owner's life, years of silence, then the operation's client and hours.

    Draws from a generator of its own (spawned from ``seed``), so that the
    rest of the archive is the one generated without bought accounts.
    """
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(1,)))
    m = knobs.bought_accounts
    if len(candidates) < m:
        raise ValueError(
            f"bought_accounts: {m} asked, but only {len(candidates)} accounts tweet at least 3 times outside "
            "the coordinated groups and rapid-fire accounts; ask for fewer or add tweets"
        )
    chosen = np.sort(rng.choice(candidates, size=m, replace=False))
    start = pd.Timestamp(knobs.start)
    # Registered 3 to 8 years before the operation (from creation_start if that is earlier), never
    # before Snowflake ids (November 2010), so that every earlier tweet has one.
    first = max(min(pd.Timestamp(knobs.creation_start), start - pd.DateOffset(years=8)), pd.Timestamp("2011-01-01"))
    last = start - pd.DateOffset(years=3)
    if last < first:
        raise ValueError(
            f"bought_accounts: the operation starts {knobs.start}; bought accounts need it to start in 2014 or "
            "later, three years after their earlier owners' first tweets"
        )
    created = (first + pd.to_timedelta(rng.integers(0, (last - first).days + 1, size=m), unit="D")).normalize()
    life = rng.integers(120, 2 * _YEAR_DAYS, size=m)  # days of use by the earlier owner
    bought_day = start - pd.to_timedelta(rng.integers(1, 61, size=m), unit="D")
    language = np.array(list(_EARLIER_TEXTS), dtype=object)[rng.integers(0, len(_EARLIER_TEXTS), size=m)]
    clients = np.array([c for c in _EARLIER_CLIENTS if c != knobs.bought_client], dtype=object)
    client = clients[rng.integers(0, len(clients), size=m)]

    # The earlier owner's tweets: any day of its life, leisure hours where it lived.
    per = knobs.bought_prior_tweets
    which = np.repeat(np.arange(m), per)
    created_ms = created.as_unit("ms").asi8
    day_ms = created_ms[which] + (1 + rng.integers(0, life[which])) * _DAY_MS
    hour = rng.choice(24, size=len(which), p=_EARLIER_HOURS / _EARLIER_HOURS.sum())
    local = day_ms + hour * 3_600_000 + rng.integers(0, 3_600_000, size=len(which))
    earlier_ms = np.empty(len(which), dtype=np.int64)
    zone = np.array([_EARLIER_ZONES[x] for x in language], dtype=object)
    for tz in np.unique(zone):
        rows = zone[which] == tz
        earlier_ms[rows] = _local_to_utc_ms(local[rows], tz)

    # The new owner's test tweet, on the day of the takeover, in the operation's office hours.
    tests = np.flatnonzero(rng.random(m) < knobs.bought_test_share)
    hours = rng.choice(24, size=len(tests), p=_hour_weights(knobs))
    test_local = bought_day.as_unit("ms").asi8[tests] + hours * 3_600_000 + rng.integers(0, 3_600_000, len(tests))
    test_ms = _local_to_utc_ms(test_local, knobs.timezone)

    added_author = np.concatenate([chosen[which], chosen[tests]])
    added_ms = np.concatenate([earlier_ms, test_ms])
    ids = np.concatenate([tweetid, _snowflakes(rng, added_ms)])
    # The plan's tweets come first and keep their ids, which retweets already point at.
    ids = _unique_snowflakes(rng, ids, np.concatenate([time_ms, added_ms]))

    n = users.num_rows
    created_all = info["created"].to_numpy().copy()
    created_all[chosen] = created.date
    column = users.schema.get_field_index("account_creation_date")
    users = users.set_column(column, "account_creation_date", pa.array(created_all, pa.date32()))
    burst = info["burst"].copy()
    burst.iloc[chosen] = None
    info = info.assign(created=created_all, burst=burst)
    main_client = main_client.copy()
    main_client[chosen] = knobs.bought_client
    earlier_language = np.full(n, None, dtype=object)
    earlier_language[chosen] = language
    earlier_client = np.full(n, None, dtype=object)
    earlier_client[chosen] = client

    spans = pd.DataFrame({"account": which, "ms": earlier_ms}).groupby("account")["ms"].agg(["min", "max"])
    table = pd.DataFrame(
        {
            "userid": pd.array(info["userid"].to_numpy()[chosen], dtype=pd.ArrowDtype(pa.string())),
            "created": created.date,
            "earlier_first": pd.to_datetime(spans["min"].to_numpy(), unit="ms").date,
            "earlier_last": pd.to_datetime(spans["max"].to_numpy(), unit="ms").date,
            "earlier_tweets": np.full(m, per, dtype=np.int64),
            "earlier_language": language.astype(str),
            "earlier_client": client.astype(str),
            "earlier_timezone": zone.astype(str),
            "bought": bought_day.date,
            "test_tweet": np.isin(np.arange(m), tests),
        }
    )
    return _Bought(
        users=users,
        info=info,
        main_client=main_client,
        author=added_author,
        time_ms=added_ms,
        phase=np.concatenate([np.full(len(which), EARLIER, np.int8), np.full(len(tests), TEST, np.int8)]),
        tweetid=ids,
        earlier_language=earlier_language,
        earlier_client=earlier_client,
        table=table,
    )


def _top_share(counts: np.ndarray) -> tuple[float, int, int]:
    active = np.sort(counts[counts > 0])[::-1]
    if active.size == 0:
        return float("nan"), 0, 0
    k = math.ceil(0.01 * active.size)
    return float(active[:k].sum() / active.sum()), int(active.size), k


def _truth(
    knobs,
    users,
    info,
    role,
    active,
    groups,
    rapid,
    originals_of,
    retweets_of,
    external_ids,
    external_names,
    target,
    kind,
    time_ms,
    burst_days,
    rng,
    bought,
) -> GroundTruth:
    n = users.num_rows
    group_of = np.full(n, -1)
    for g, members in enumerate(groups):
        group_of[members] = g
    accounts = info.assign(
        role=role,
        active=active,
        group=group_of,
        rapid_fire=np.isin(np.arange(n), rapid),
        originals=originals_of,
        retweets=retweets_of,
    )[["userid", "role", "active", "followers", "created", "burst", "group", "rapid_fire", "originals", "retweets"]]
    received = np.bincount(
        -1 - target[(target < 0) & (target > -(2**31)) & (kind == RETWEET)], minlength=len(external_ids)
    )
    external = pd.DataFrame(
        {
            "userid": pd.array(external_ids, dtype=pd.ArrowDtype(pa.string())),
            "screen_name": pd.array(external_names, dtype=pd.ArrowDtype(pa.string())),
            "retweets_received": received,
        }
    )
    group_table = pd.DataFrame(
        {
            "group": np.concatenate([np.full(len(m), g) for g, m in enumerate(groups)]) if groups else np.zeros(0, int),
            "userid": pd.array(
                np.concatenate([info["userid"].to_numpy()[m] for m in groups]) if groups else [],
                dtype=pd.ArrowDtype(pa.string()),
            ),
        }
    )
    campaigns = _campaigns(knobs, rng)
    local = pd.DatetimeIndex(time_ms * 1_000_000, tz="UTC").tz_convert(knobs.timezone)
    first, last = knobs.office_hours
    in_office = (local.day_of_week < 5) & (local.hour >= first) & (local.hour < last)
    share, retweeters, k = _top_share(retweets_of)
    followers = info["followers"].to_numpy()
    planted = {
        "zero_follower_share": float((followers == 0).mean()),
        "under_8_share": float((followers < 8).mean()),
        "top1_retweet_share": share,
        "retweeters": retweeters,
        "top_k": k,
        "office_hours_share": float(in_office.mean()) if len(local) else float("nan"),
        "burst_days": [d.date().isoformat() for d in burst_days],
    }
    return GroundTruth(
        knobs=knobs,
        accounts=accounts,
        external=external,
        groups=group_table,
        campaigns=campaigns,
        planted=planted,
        bought=bought,
    )


def _campaigns(knobs: Knobs, rng: np.random.Generator) -> pd.DataFrame:
    days = _day_range(knobs.start, knobs.end)
    rows = []
    for i in range(knobs.hashtag_campaigns):
        first = int(rng.integers(0, len(days)))
        length = int(rng.integers(3, max(4, len(days) // 3)))
        word = _HASHTAG_WORDS[int(rng.integers(0, len(_HASHTAG_WORDS)))]
        rows.append(
            {
                "hashtag": f"{word}{i + 1}",
                "start": days[first].date(),
                "end": days[min(len(days) - 1, first + length)].date(),
            }
        )
    return pd.DataFrame(rows, columns=["hashtag", "start", "end"])
