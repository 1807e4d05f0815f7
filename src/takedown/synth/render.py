"""Turn a slice of a :class:`~takedown.synth.generate.Plan` into tweets in the archive schema.

Every random choice here is a hash of the tweet's id and a salt, not a draw
from a generator, so a tweet renders the same whatever chunk it falls in:
writing in chunks of any size gives the same files.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from takedown.schema import TWEETS, arrow_schema
from takedown.synth.generate import _EARLIER_TEXTS, _TEST_TEXTS, _TEXTS, EARLIER, QUOTE, REPLY, RETWEET, TEST, Plan

__all__ = ["render"]

_NONE = -(2**31)
_SCHEMA = arrow_schema(TWEETS)
_POLL = ["yes", "no, never", "it's complicated"]


def _uniform(ids: np.ndarray, salt: int) -> np.ndarray:
    """A uniform number in [0, 1) per id, fixed by the id and the salt (splitmix64)."""
    with np.errstate(over="ignore"):
        z = ids.astype(np.uint64) + np.uint64((0x9E3779B97F4A7C15 * (salt + 1)) % 2**64)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
    return (z >> np.uint64(11)).astype(np.float64) / float(1 << 53)


def _pick(shares: dict, u: np.ndarray) -> np.ndarray:
    names = np.array(list(shares), dtype=object)
    cumulative = np.cumsum(np.array(list(shares.values()), dtype=float))
    return names[np.minimum(np.searchsorted(cumulative / cumulative[-1], u, side="right"), len(names) - 1)]


def _geometric(u: np.ndarray, p: float) -> np.ndarray:
    """1, 2, 3, ... with P(k) = p (1-p)^(k-1), by inverting the distribution."""
    return 1 + np.floor(np.log1p(-u) / np.log1p(-p)).astype(np.int64)


def _lists(values: list[np.ndarray], present: list[np.ndarray], n: int) -> pa.ListArray:
    """A list per row holding, in order, ``values[i][row]`` wherever ``present[i][row]``."""
    lengths = np.sum(present, axis=0).astype(np.int32) if present else np.zeros(n, np.int32)
    offsets = np.concatenate(([0], np.cumsum(lengths))).astype(np.int32)
    stacked = np.stack(values, axis=1) if values else np.zeros((n, 0), dtype=object)
    mask = np.stack(present, axis=1) if present else np.zeros((n, 0), dtype=bool)
    return pa.ListArray.from_arrays(pa.array(offsets), pa.array(stacked[mask], pa.string()))


def _texts(language: np.ndarray, u: np.ndarray) -> np.ndarray:
    pools = {key: np.array(texts, dtype=object) for key, texts in _TEXTS.items()}
    family = np.where(pd.Series(language).str.startswith("zh"), "zh", np.where(language == "th", "th", "en"))
    out = np.empty(len(language), dtype=object)
    for key, pool in pools.items():
        rows = family == key
        out[rows] = pool[(u[rows] * len(pool)).astype(np.int64)]
    return out


def _earlier_texts(language: np.ndarray, u: np.ndarray) -> np.ndarray:
    out = np.empty(len(language), dtype=object)
    for key, texts in _EARLIER_TEXTS.items():
        rows = language == key
        out[rows] = np.array(texts, dtype=object)[(u[rows] * len(texts)).astype(np.int64)]
    return out


def render(plan: Plan, start: int = 0, stop: int | None = None) -> pa.Table:
    """Tweets ``start``..``stop`` of a plan as a table in the archive schema.

    Examples
    --------
    >>> from takedown.synth.generate import plan
    >>> from takedown.synth.params import knobs_for
    >>> p = plan(accounts=20, tweets=100, seed=1, knobs=knobs_for("sample"))
    >>> table = render(p, 0, 10)
    >>> table.num_rows, table.schema.field("tweet_time").type
    (10, TimestampType(timestamp[s, tz=UTC]))
    """
    knobs = plan.knobs
    window = slice(start, stop)
    author, kind, time_ms = plan.author[window], plan.kind[window], plan.time_ms[window]
    ids, target, other = plan.tweetid[window], plan.target[window], plan.other_id[window]
    n = len(author)
    retweet, reply, quote = kind == RETWEET, kind == REPLY, kind == QUOTE
    original = ~retweet

    def u(salt: int) -> np.ndarray:
        return _uniform(ids, salt)

    users = plan.users.take(pa.array(author))
    userids = plan.users["userid"].to_numpy(zero_copy_only=False)
    screens = plan.users["user_screen_name"].to_numpy(zero_copy_only=False)
    has_target = target != _NONE
    inside = has_target & (target >= 0)
    outside = has_target & (target < 0)
    target_id = np.full(n, None, dtype=object)
    target_name = np.full(n, None, dtype=object)
    target_id[inside], target_name[inside] = userids[target[inside]], screens[target[inside]]
    target_id[outside] = plan.external_ids[-1 - target[outside]]
    target_name[outside] = plan.external_names[-1 - target[outside]]

    language = _pick(knobs.tweet_languages, u(1))
    text = _texts(language, u(2))
    second = _texts(language, u(3))
    # Bought accounts' earlier owners and new owners' tests write their own texts: no line
    # breaks, campaign hashtags or mentions; only earlier owners post links.
    campaign = linkable = original
    if plan.phase is not None:
        phase = plan.phase[window]
        earlier, test = phase == EARLIER, phase == TEST
        campaign, linkable = original & ~earlier & ~test, original & ~test
        language[earlier] = plan.earlier_language[author[earlier]]
        text[earlier] = _earlier_texts(language[earlier], u(2)[earlier])
        language[test] = "en"
        text[test] = np.array(_TEST_TEXTS, dtype=object)[(u(2)[test] * len(_TEST_TEXTS)).astype(np.int64)]
    broken = campaign & (u(4) < knobs.newline_share)
    text[broken] = text[broken] + "\n\n" + second[broken]
    linked = linkable & (u(5) < 0.3)
    story = (u(6) * 100_000).astype(np.int64).astype(str)
    text[linked] = text[linked] + " https://t.co/" + story[linked]
    # Expanded links, a few with commas or a quote in them, as real URLs have.
    urls_value = np.where(u(11) < 0.05, "https://example.org/it's-news?ids=1,", "https://example.org/story?id=").astype(
        object
    ) + story.astype(object)

    # Hashtags: a campaign's tag during its window, and now and then a generic one.
    day = pd.DatetimeIndex(time_ms * 1_000_000, tz="UTC").tz_convert(knobs.timezone).date
    tag_values, tag_present = [], []
    for i, row in enumerate(plan.truth.campaigns.itertuples()):
        active = campaign & (day >= row.start) & (day <= row.end) & (u(10 + i) < knobs.campaign_rate)
        tag_values.append(np.full(n, row.hashtag, dtype=object))
        tag_present.append(active)
    generic = np.array(["news", "ข่าว", "Thailand", "ทหาร"], dtype=object)[(u(7) * 4).astype(np.int64)]
    tag_values.append(generic)
    tag_present.append(campaign & (u(8) < 0.1))
    hashtags = _lists(tag_values, tag_present, n)
    for values, present in zip(tag_values, tag_present):
        text[present] = text[present] + " #" + values[present]

    text[reply] = "@" + target_name[reply].astype(object) + " " + text[reply]
    text[retweet] = "RT @" + target_name[retweet].astype(object) + ": " + text[retweet]

    mention_extra = campaign & ~reply & (u(9) < 0.1) & (len(plan.external_ids) > 0)
    extra_id = (
        plan.external_ids[(u(20) * max(1, len(plan.external_ids))).astype(np.int64) % max(1, len(plan.external_ids))]
        if len(plan.external_ids)
        else np.full(n, "", dtype=object)
    )
    mentions = _lists([target_id, extra_id], [retweet | reply, mention_extra], n)

    engaged = original & (u(30) < knobs.engaged_share)
    counts = {}
    for salt, (name, p) in enumerate(
        [("like_count", 0.25), ("retweet_count", 0.5), ("reply_count", 0.7), ("quote_count", 0.85)], start=31
    ):
        counts[name] = np.where(engaged & (u(salt + 10) < 0.8), _geometric(u(salt), p), 0)

    clients = np.array(list(knobs.clients), dtype=object)
    client = plan.main_client[author].copy()
    switch = u(40) < knobs.client_switch
    client[switch] = clients[(u(41)[switch] * len(clients)).astype(np.int64)]
    if plan.phase is not None:
        client[earlier] = plan.earlier_client[author[earlier]]
        client[test] = knobs.bought_client

    polls = original & (u(50) < 0.002)
    poll_lists = _lists([np.full(n, c, dtype=object) for c in _POLL], [polls] * len(_POLL), n)

    def ids_where(mask: np.ndarray, values: np.ndarray) -> pa.Array:
        return pc.if_else(pa.array(mask), pa.array(values.astype(str)), pa.scalar(None, pa.string()))

    columns = {
        "tweetid": pa.array(ids.astype(str)),
        **{name: users[name] for name in users.column_names},
        "tweet_language": pa.array(language, pa.string()),
        "tweet_text": pa.array(text, pa.string()),
        "tweet_time": pa.array((time_ms // 60_000) * 60, pa.timestamp("s", tz="UTC")),
        "tweet_client_name": pa.array(client, pa.string()),
        "in_reply_to_userid": pa.array(np.where(reply, target_id, None), pa.string()),
        "in_reply_to_tweetid": ids_where(reply, other),
        "quoted_tweet_tweetid": ids_where(quote, other),
        "is_retweet": pa.array(retweet),
        "retweet_userid": pa.array(np.where(retweet & inside, target_id, None), pa.string()),
        "retweet_tweetid": ids_where(retweet, other),
        "latitude": pa.array(np.full(n, "absent", dtype=object), pa.string()),
        "longitude": pa.array(np.full(n, "absent", dtype=object), pa.string()),
        "quote_count": pa.array(counts["quote_count"], pa.int64()),
        "reply_count": pa.array(counts["reply_count"], pa.int64()),
        "like_count": pa.array(counts["like_count"], pa.int64()),
        "retweet_count": pa.array(counts["retweet_count"], pa.int64()),
        "hashtags": hashtags,
        "urls": _lists([urls_value], [linked], n),
        "user_mentions": mentions,
        "poll_choices": poll_lists,
    }
    return pa.table([columns[name] for name in _SCHEMA.names], schema=_SCHEMA)
