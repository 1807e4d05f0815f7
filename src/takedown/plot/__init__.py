"""Figures in the visual language of the ASPI, OII and SIO reports: one function per measure.

Each function draws a measure's output (from :mod:`takedown.measures`) on
one Axes and returns it: ``fn(data, *, ax=None, source=None, **kwargs)``. It
computes nothing it does not draw. ``source`` names the release in a small
source line under the plot. Colours come from seaborn's colour-blind-safe
palette.
"""

from takedown.plot.charts import (
    PALETTE,
    activity_series,
    client_shares,
    creation_bursts,
    engagement_distribution,
    follower_ccdf,
    hourly_activity,
    lorenz_curve,
    timezone_fit,
)
from takedown.plot.network import network

__all__ = [
    "PALETTE",
    "activity_series",
    "client_shares",
    "creation_bursts",
    "engagement_distribution",
    "follower_ccdf",
    "hourly_activity",
    "lorenz_curve",
    "network",
    "timezone_fit",
]
