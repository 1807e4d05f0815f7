"""Measures as ASPI, the Oxford Internet Institute and the Stanford Internet Observatory took them.

Every measure takes an :class:`~takedown.Archive` or an edge table and
returns a named Series or a tidy DataFrame whose columns its docstring
lists, citing the report it follows.
"""

from takedown.measures.accounts import creation_bursts, follower_ccdf, follower_summary, tweeting_accounts
from takedown.measures.concentration import gini, hhi, lorenz_curve, top_share
from takedown.measures.engagement import (
    engagement,
    engagement_by_account,
    engagement_histogram,
    engagement_summary,
    zero_follower_hits,
)
from takedown.measures.spreaders import retweets_by_account, share_from, superspreader_share_by_target, superspreaders
from takedown.measures.timezone import likely_timezone, timezone_fit
from takedown.measures.timing import (
    VOLUME_THRESHOLDS,
    activity_series,
    client_shares,
    client_switches,
    daily_volume,
    hourly_activity,
    language_shares,
    office_hours_share,
    post_times,
    posting_gaps,
    retweet_delays,
    top_hashtags,
)

__all__ = [
    "VOLUME_THRESHOLDS",
    "activity_series",
    "client_shares",
    "client_switches",
    "creation_bursts",
    "daily_volume",
    "engagement",
    "engagement_by_account",
    "engagement_histogram",
    "engagement_summary",
    "follower_ccdf",
    "follower_summary",
    "gini",
    "hhi",
    "hourly_activity",
    "language_shares",
    "likely_timezone",
    "lorenz_curve",
    "office_hours_share",
    "post_times",
    "posting_gaps",
    "retweet_delays",
    "retweets_by_account",
    "share_from",
    "superspreader_share_by_target",
    "superspreaders",
    "timezone_fit",
    "top_hashtags",
    "top_share",
    "tweeting_accounts",
    "zero_follower_hits",
]
