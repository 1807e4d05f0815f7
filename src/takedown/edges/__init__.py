"""Tidy edge tables: interactions (who retweets, replies to, quotes and mentions whom) and co-actions
(who acts together within seconds)."""

from takedown.edges.coordination import co_actions, evidence, fast_retweets, null_model, significant
from takedown.edges.interactions import (
    TWITTER_EPOCH_MS,
    aggregate,
    amplification,
    mentions,
    quotes,
    replies,
    retweets,
    screen_names,
    snowflake_time,
    tweet_times,
)
from takedown.edges.tables import from_table

__all__ = [
    "TWITTER_EPOCH_MS",
    "aggregate",
    "amplification",
    "co_actions",
    "evidence",
    "fast_retweets",
    "from_table",
    "mentions",
    "null_model",
    "quotes",
    "replies",
    "retweets",
    "screen_names",
    "significant",
    "snowflake_time",
    "tweet_times",
]
