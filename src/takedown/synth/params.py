"""The knobs of the synthetic generator and the presets built from them.

Every number a published analysis measures has a knob here, so that a test
can plant it and check that the measure finds it again. Presets are labelled
synthetic and say which published figures they imitate.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields, replace

__all__ = ["PRESETS", "Knobs", "knobs_for"]


@dataclass(frozen=True)
class Knobs:
    """What the generator plants. Every field can be passed to :func:`takedown.synth.generate`.

    Attributes
    ----------
    campaign : str
        Campaign name, used in file names (``<campaign>_tweets_csv_hashed``).
    start, end : str
        First and last day of tweeting (``YYYY-MM-DD``).
    zero_follower_share : float
        Share of accounts with no followers (ASPI: 0.785 for China 2020).
    follower_tail : float
        Shape a of the follower counts above zero, ``1 + floor(Lomax(a))``:
        P(followers < m | followers > 0) = 1 - m**-a. Smaller is heavier
        (ASPI's 95% of China 2020 accounts under 8 followers gives a = 0.7).
    core_share : float
        Share of accounts that write original content; the rest are
        amplifiers that mostly retweet.
    inactive_share : float
        Share of accounts that never tweeted (SIO: 471 of Thailand's 926).
    retweet_share : float
        Share of all tweets that are retweets.
    external_accounts : int
        Outside accounts being amplified (state media, diplomats): plain
        numeric ids, not in the users file.
    external_share : float
        Share of retweets that amplify outside accounts rather than core ones.
    top1_retweet_share : float or None
        Share of all retweets made by the top 1% of retweeting accounts
        (k = ceil(0.01 * retweeters)); ``None`` leaves the natural
        log-normal spread (OII: about half).
    timezone : str
        IANA time zone of the operators' office.
    office_hours : tuple of int
        First and last working hour (local), e.g. ``(9, 18)``.
    lunch : tuple of int
        Lunch break (local hours) with reduced activity.
    lunch_level, night_level, weekend_level : float
        Activity during lunch, outside office hours and on weekend days,
        relative to working hours.
    clients : dict
        Client name to share of accounts using it as their main client.
    client_switch : float
        Chance that a tweet comes from another client than the account's own.
    creation_bursts : int
        Days on which batches of accounts were created.
    burst_share : float
        Share of accounts created in those bursts; the rest spread over
        ``creation_start``..``start``.
    creation_start : str
        Earliest account creation date.
    account_languages, tweet_languages : dict
        Language code to share.
    hashtag_campaigns : int
        Hashtags pushed during a window of the period.
    campaign_rate : float
        Share of original tweets in a campaign's window that carry its hashtag.
    engaged_share : float
        Share of original tweets with any engagement (the rest have none).
    coordinated_groups, group_size : int
        Groups of accounts that retweet the same tweet within seconds.
    group_spread : float
        Seconds within which a group's retweets of one tweet fall.
    group_events : int
        Tweets each group retweets together.
    rapid_fire_accounts : int
        Accounts whose retweets come seconds apart.
    rapid_fire_gap : float
        Mean seconds between a rapid-fire account's retweets.
    bought_accounts : int
        Accounts bought from earlier owners (ASPI 2019, "Tweeting through
        the great firewall"): registered at least three years before the
        operation (from ``creation_start`` or eight years before, whichever
        is earlier, and not before 2011), used for a while in another
        language, from another client and at the leisure hours of another
        place, then dormant for years, then taken over in the two months
        before the operation and put to work in it from ``bought_client`` in
        office hours. 0 (the default) plants none and draws no random number.
    bought_prior_tweets : int
        Tweets each bought account made under its earlier owner.
    bought_client : str
        The client the new owners post from (ASPI: "Twitter Web Client").
    bought_test_share : float
        Share of bought accounts whose first tweet under the new owner is a
        "test new owner" style tweet.
    reply_share, quote_share : float
        Share of original tweets that are replies or quotes.
    newline_share : float
        Share of original texts with line breaks inside.
    unhashed_share : float
        Share of accounts published unhashed (numeric id and real-looking
        names), as in releases that hashed only small accounts.
    hash_style : {"base64", "hex"}
        Hashed ids as in 2019 and later releases (44 base64 characters) or in
        2018 (64 hex digits).
    synthetic_note : str
        What the preset imitates (kept in the ground truth).
    """

    campaign: str = "synthetic"
    start: str = "2020-01-01"
    end: str = "2020-03-31"
    zero_follower_share: float = 0.6
    follower_tail: float = 1.2
    core_share: float = 0.2
    inactive_share: float = 0.0
    retweet_share: float = 0.5
    external_accounts: int = 20
    external_share: float = 0.7
    top1_retweet_share: float | None = None
    timezone: str = "Asia/Bangkok"
    office_hours: tuple[int, int] = (9, 18)
    lunch: tuple[int, int] = (12, 13)
    lunch_level: float = 0.35
    night_level: float = 0.04
    weekend_level: float = 0.3
    clients: dict = field(
        default_factory=lambda: {
            "Twitter Web App": 0.45,
            "Twitter for Android": 0.3,
            "Twitter for iPhone": 0.15,
            "Twitter Web Client": 0.1,
        }
    )
    client_switch: float = 0.05
    creation_bursts: int = 3
    burst_share: float = 0.6
    creation_start: str = "2012-01-01"
    account_languages: dict = field(default_factory=lambda: {"en": 0.55, "th": 0.4, "en-GB": 0.05})
    tweet_languages: dict = field(default_factory=lambda: {"th": 0.6, "en": 0.25, "und": 0.15})
    hashtag_campaigns: int = 3
    campaign_rate: float = 0.4
    engaged_share: float = 0.2
    coordinated_groups: int = 2
    group_size: int = 6
    group_spread: float = 10.0
    group_events: int = 15
    rapid_fire_accounts: int = 2
    rapid_fire_gap: float = 4.0
    bought_accounts: int = 0
    bought_prior_tweets: int = 20
    bought_client: str = "Twitter Web Client"
    bought_test_share: float = 0.5
    reply_share: float = 0.1
    quote_share: float = 0.05
    newline_share: float = 0.15
    unhashed_share: float = 0.0
    hash_style: str = "base64"
    synthetic_note: str = "synthetic archive with default knobs"

    def __post_init__(self) -> None:
        for name in (
            "zero_follower_share",
            "core_share",
            "inactive_share",
            "retweet_share",
            "external_share",
            "client_switch",
            "burst_share",
            "campaign_rate",
            "engaged_share",
            "reply_share",
            "quote_share",
            "newline_share",
            "unhashed_share",
            "bought_test_share",
        ):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name}: expected a share between 0 and 1, got {value!r}")
        if self.top1_retweet_share is not None and not 0.0 < self.top1_retweet_share < 1.0:
            raise ValueError(
                f"top1_retweet_share: expected a share between 0 and 1, or None, got {self.top1_retweet_share!r}"
            )
        if self.hash_style not in ("base64", "hex"):
            raise ValueError(f"hash_style: expected 'base64' or 'hex', got {self.hash_style!r}")
        if self.reply_share + self.quote_share > 1.0:
            raise ValueError("reply_share + quote_share: together at most 1")
        for name in ("bought_accounts", "bought_prior_tweets"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"{name}: expected a whole number of at least 0, got {value!r}")
        if self.bought_accounts and self.bought_prior_tweets < 1:
            raise ValueError("bought_prior_tweets: expected at least 1 when bought_accounts is given")
        for name in ("clients", "account_languages", "tweet_languages"):
            if not getattr(self, name):
                raise ValueError(f"{name}: expected at least one entry")

    def as_dict(self) -> dict:
        """The knobs as a plain dictionary (for the ground truth)."""
        return asdict(self)


PRESETS: dict[str, dict] = {
    "sample": {
        "campaign": "synthetic_sample",
        "zero_follower_share": 0.7,
        "inactive_share": 0.5,
        "unhashed_share": 0.03,
        "synthetic_note": (
            "SYNTHETIC. A small archive for the README, notebooks and tests, shaped like the "
            "Thailand 2020 release (SIO, 'Cheerleading Without Fans'): most accounts without "
            "followers, Bangkok office hours, accounts created in bursts, army-PR-like outside "
            "accounts amplified."
        ),
    },
    "aspi_china_2020": {
        "campaign": "synthetic_china_052020",
        "start": "2018-01-01",
        "end": "2020-04-17",
        "zero_follower_share": 0.785,
        # P(1 <= followers < 8) = 1 - 8**-0.7 = 0.77 of the rest: 0.785 + 0.215 * 0.77 = 95% under 8.
        "follower_tail": 0.7,
        "timezone": "Asia/Shanghai",
        "account_languages": {"zh-cn": 0.7, "en": 0.25, "zh-tw": 0.05},
        "tweet_languages": {"zh": 0.8, "en": 0.1, "und": 0.1},
        "weekend_level": 0.15,
        "creation_start": "2009-06-01",
        "synthetic_note": (
            "SYNTHETIC. Imitates ASPI, 'Retweeting through the great firewall' (June 2020) on "
            "china_052020: 23,750 accounts, 348,608 tweets, 78.5% of accounts with no followers, "
            "95% under 8, activity in Beijing office hours with quiet weekends."
        ),
    },
    "oii_superspreaders": {
        "campaign": "synthetic_superspreaders",
        "start": "2020-06-01",
        "end": "2021-02-28",
        "top1_retweet_share": 0.5,
        "retweet_share": 0.9,
        "external_accounts": 365,
        "external_share": 0.95,
        "timezone": "Asia/Shanghai",
        "synthetic_note": (
            "SYNTHETIC. Imitates the Oxford Internet Institute and AP (May 2021): retweets of 189 "
            "PRC diplomats and 176 state-media accounts, where the top 1% of retweeting accounts "
            "made about half of all retweets."
        ),
    },
}

#: Suggested sizes for the presets (used when generate() is not given them).
PRESET_SIZES: dict[str, tuple[int, int]] = {
    "sample": (926, 21_385),
    "aspi_china_2020": (23_750, 348_608),
    "oii_superspreaders": (20_000, 400_000),
}


def knobs_for(preset: str | None, **overrides) -> Knobs:
    """The knobs of a preset (or the defaults), with overrides.

    Examples
    --------
    >>> from takedown.synth.params import knobs_for
    >>> knobs_for("aspi_china_2020").zero_follower_share
    0.785
    >>> knobs_for(None, retweet_share=0.8).retweet_share
    0.8
    """
    if preset is not None and preset not in PRESETS:
        raise ValueError(f"preset: unknown {preset!r}; choose one of {', '.join(PRESETS)}")
    known = {f.name for f in fields(Knobs)}
    unknown = sorted(set(overrides) - known)
    if unknown:
        raise TypeError(f"unknown knob(s): {', '.join(unknown)}; the knobs are the fields of takedown.synth.Knobs")
    return replace(Knobs(), **{**(PRESETS[preset] if preset else {}), **overrides})
