"""Synthetic takedown archives with planted, known structure.

Students often cannot get the real archives, and every measure needs data
whose right answer is known. :func:`generate` builds an archive in memory
together with the :class:`GroundTruth` of what was planted; :func:`write`
writes any archive as real release files; :func:`stream` generates and writes
a large archive chunk by chunk with bounded memory. Everything generated is
synthetic: no real account or tweet.
"""

from __future__ import annotations

import pandas as pd

from takedown.archive import Archive, Provenance
from takedown.synth.generate import GroundTruth, Plan, plan
from takedown.synth.params import PRESET_SIZES, PRESETS, Knobs, knobs_for
from takedown.synth.render import render
from takedown.synth.write import split_parts, write, write_tables

__all__ = ["PRESETS", "GroundTruth", "Knobs", "generate", "stream", "write"]


def _sizes(preset: str | None, accounts: int | None, tweets: int | None) -> tuple[int, int]:
    if accounts is None or tweets is None:
        if preset is None:
            raise TypeError("accounts and tweets: give both, or a preset whose sizes are used")
        default_accounts, default_tweets = PRESET_SIZES[preset]
        accounts = default_accounts if accounts is None else accounts
        tweets = default_tweets if tweets is None else tweets
    return accounts, tweets


def _plan(accounts, tweets, seed, preset, knobs) -> Plan:
    settings = knobs_for(preset, **knobs)
    accounts, tweets = _sizes(preset, accounts, tweets)
    return plan(accounts=accounts, tweets=tweets, seed=seed, knobs=settings)


def generate(
    *, accounts: int | None = None, tweets: int | None = None, seed: int = 0, preset: str | None = None, **knobs
) -> tuple[Archive, GroundTruth]:
    """Generate a synthetic archive and the ground truth of what was planted.

    Parameters
    ----------
    accounts, tweets : int, optional
        Sizes. With a preset they default to the preset's published sizes.
    seed : int, default 0
        The same seed gives the same archive; different seeds differ.
    preset : {"sample", "aspi_china_2020", "oii_superspreaders"}, optional
        A set of knobs imitating published figures (see :data:`PRESETS`).
    **knobs
        Any field of :class:`Knobs`, overriding the preset: follower shares,
        retweet concentration, office hours and time zone, clients, creation
        bursts, languages, hashtag campaigns, engagement, coordinated groups,
        rapid-fire accounts, bought accounts, ...

    Returns
    -------
    archive : Archive
        Tables exactly as :func:`takedown.read_archive` returns them; the
        provenance says the archive is synthetic.
    truth : GroundTruth
        Roles, groups, outside accounts, campaigns, bought accounts and the
        planted values as realised.

    Examples
    --------
    >>> import takedown as td
    >>> archive, truth = td.synth.generate(accounts=200, tweets=2_000, seed=7, zero_follower_share=0.8)
    >>> round(float((archive.users["follower_count"] == 0).mean()), 2) == round(truth.planted["zero_follower_share"], 2)
    True
    >>> archive.provenance.release_format
    'synthetic'
    >>> _, truth = td.synth.generate(accounts=200, tweets=2_000, start="2021-03-01", end="2021-06-30", bought_accounts=3)
    >>> len(truth.bought), int(truth.bought["earlier_tweets"].sum())
    (3, 60)
    """
    planned = _plan(accounts, tweets, seed, preset, knobs)
    tweets_table = render(planned)
    note = f"synthetic: takedown.synth.generate(preset={preset!r}, seed={seed}); {planned.knobs.synthetic_note}"
    provenance = Provenance(source="takedown.synth.generate", files=(), release_format="synthetic", notes=(note,))
    archive = Archive(
        users=planned.users.to_pandas(types_mapper=pd.ArrowDtype),
        tweets=tweets_table.to_pandas(types_mapper=pd.ArrowDtype),
        name=planned.knobs.campaign,
        provenance=provenance,
    )
    return archive, planned.truth


def stream(
    folder,
    *,
    accounts: int | None = None,
    tweets: int | None = None,
    seed: int = 0,
    preset: str | None = None,
    release_format: str = "2020",
    zipped: bool = True,
    parts: int = 1,
    chunk_size: int = 250_000,
    **knobs,
):
    """Generate an archive straight into release files, ``chunk_size`` tweets at a time.

    Memory stays bounded by the plan (a few numbers per tweet) and one chunk
    of text, so archives of tens of millions of tweets can be written. The
    files equal those :func:`write` makes from :func:`generate` with the same
    arguments.

    Parameters
    ----------
    folder : str or os.PathLike
    accounts, tweets, seed, preset, **knobs
        As in :func:`generate`. ``release_format="2018"`` implies 2018-style
        hashes (64 hex digits) unless ``hash_style`` is given.
    release_format, zipped, parts
        As in :func:`write`.
    chunk_size : int
        Tweets rendered and written at a time.

    Returns
    -------
    list of pathlib.Path, GroundTruth

    Examples
    --------
    >>> import tempfile, takedown as td
    >>> folder = tempfile.mkdtemp()
    >>> paths, truth = td.synth.stream(folder, accounts=50, tweets=1_000, seed=3, chunk_size=300, zipped=False)
    >>> [p.name for p in paths]
    ['synthetic_users_csv_hashed.csv', 'synthetic_tweets_csv_hashed.csv']
    """
    if release_format == "2018":
        knobs.setdefault("hash_style", "hex")
    planned = _plan(accounts, tweets, seed, preset, knobs)
    chunks = (
        (part, render(planned, start, stop)) for part, start, stop in split_parts(planned.tweets, parts, chunk_size)
    )
    paths = write_tables(
        [planned.users],
        chunks,
        folder,
        campaign=planned.knobs.campaign,
        release_format=release_format,
        zipped=zipped,
        parts=parts,
    )
    return paths, planned.truth
