"""What a satellite can see: the footprint within which it rises above a given
elevation, the swath of a nadir camera, and how often it revisits a place.

Spherical Earth of mean radius 6,371.0088 km (IUGG), enough for coverage.
Source: Wertz & Larson, *Space Mission Analysis and Design*, 3rd ed. (1999),
section 5.2, eqs. 5-16 to 5-27 (Earth central angle, nadir angle, elevation).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from . import _check
from .constants import MEAN_EARTH_RADIUS_M

if TYPE_CHECKING:
    from collections.abc import Iterable

    from numpy.typing import ArrayLike, NDArray



def earth_central_angle_rad(altitude_m: ArrayLike, min_elevation_deg: ArrayLike = 0.0) -> NDArray[np.float64]:
    """Earth central angle from the sub-satellite point to the edge of visibility, rad.

    lambda = 90 deg - eps - eta, with sin(eta) = cos(eps) R / (R + h) (SMAD eq. 5-17).
    """
    h = _check.positive("altitude_m", altitude_m, unit="m")
    eps = np.radians(_check.in_range("min_elevation_deg", min_elevation_deg, 0.0, 90.0, unit="deg"))
    eta = np.arcsin(np.cos(eps) * MEAN_EARTH_RADIUS_M / (MEAN_EARTH_RADIUS_M + h))
    return np.pi / 2 - eps - eta


def footprint_radius_m(altitude_m: ArrayLike, min_elevation_deg: ArrayLike = 0.0) -> NDArray[np.float64]:
    """Ground distance from the sub-satellite point to where the satellite is
    ``min_elevation_deg`` above the horizon, m."""
    return MEAN_EARTH_RADIUS_M * earth_central_angle_rad(altitude_m, min_elevation_deg)


def swath_width_m(altitude_m: ArrayLike, field_of_view_deg: ArrayLike) -> NDArray[np.float64]:
    """Ground width seen by a nadir-pointing camera of full field of view ``field_of_view_deg``, m.

    Half-angle eta at the satellite maps to Earth central angle
    lambda = asin((R + h) sin(eta) / R) - eta (SMAD eqs. 5-24/5-25).
    """
    h = _check.positive("altitude_m", altitude_m, unit="m")
    fov = _check.in_range("field_of_view_deg", field_of_view_deg, 0.0, 179.0, low_open=True, unit="deg")
    eta = np.radians(fov) / 2
    s = (MEAN_EARTH_RADIUS_M + h) * np.sin(eta) / MEAN_EARTH_RADIUS_M
    if np.any(s > 1):
        raise ValueError("field_of_view_deg is wider than the Earth's disc seen from altitude_m: the edges see space")
    return 2 * MEAN_EARTH_RADIUS_M * (np.arcsin(s) - eta)


def revisit_times_h(pass_times_utc: Iterable[str]) -> NDArray[np.float64]:
    """Hours between successive passes, from the ISO times that ``tracking.passes`` returns."""
    from datetime import datetime
    from itertools import pairwise

    t = sorted(datetime.fromisoformat(x.replace("Z", "+00:00")) for x in pass_times_utc)
    return np.array([(b - a).total_seconds() / 3600 for a, b in pairwise(t)])
