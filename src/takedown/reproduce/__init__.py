"""Published findings, recomputed: each claim with its published value, ours, and whether they match.

One function per report. Each returns one table, a row per published
claim, with the columns

- ``claim``: what was measured, in words;
- ``published``: the value as the report gives it;
- ``recomputed``: ours, from the package's measures (``None`` when the
  claim cannot be checked on the data given);
- ``match``: whether ours agrees under ``tolerance`` (nullable boolean:
  ``<NA>`` when the claim cannot be checked or compared);
- ``tolerance``: the rule ``match`` applies;
- ``source``: who published the value (full references in each function's
  docstring);
- ``note``: what limits the comparison, and why a claim cannot be checked:
  ``"not measurable here: ..."`` when the data lack what it is computed
  from (a users-only release has no tweets, Reddit's data no followers or
  retweets, FiveThirtyEight's no engagement counts), ``"cannot be checked:
  ..."`` when an input was not given (a list of suspended accounts);
- ``synthetic``: True on every row when the data are synthetic.

``table.attrs`` holds ``reproduction`` (the report), ``studied`` (the
data it studied), ``data`` (the archive's name), ``described`` (its name,
accounts, tweets and, when not Twitter's files, source format),
``synthetic``, ``other_data`` (True for another source format than the
report's, or data that lack what some claims need), ``not_measurable``
(those claims), ``label`` (the name, followed by ``(SYNTHETIC DATA)`` or
``(OTHER DATA, not ...)`` when it is, for figures' source lines) and
``shares`` (the claims whose value is a share). :func:`summary` says in one
line how many claims match, and opens with a banner when the numbers are
synthetic or the data are not the report's. Any archive runs: a claim the
data cannot give is a row that says so, never an error. How each claim is
recomputed is listed in the project's ``FINDINGS.md`` and in each
function's docstring; a reproduction notebook only shows this table.
"""

from takedown.reproduce.aspi import aspi_china_2020
from takedown.reproduce.oii import oii_2021, planted_suspensions
from takedown.reproduce.sio import sio_thailand_2020
from takedown.reproduce.tables import styled, summary

__all__ = ["aspi_china_2020", "oii_2021", "planted_suspensions", "sio_thailand_2020", "styled", "summary"]
