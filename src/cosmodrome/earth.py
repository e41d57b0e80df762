"""The Earth as a rotating WGS84 ellipsoid with point-mass + J2 gravity.

Positions are Earth-centred arrays of shape ``(3, ...)`` (x, y, z in metres),
following skyfield's convention; angles at the edges are in degrees.

Sources: NIMA TR8350.2, *Department of Defense World Geodetic System 1984*,
3rd ed. (2000) for the ellipsoid; Vallado, *Fundamentals of Astrodynamics and
Applications*, 4th ed. (2013), section 8.6.1 (eq. 8-29 form) for the J2
acceleration.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from . import _check
from .constants import (
    EARTH_ROTATION_RAD_S,
    GM_M3_S2,
    J2,
    MEAN_EARTH_RADIUS_M,
    WGS84_A_M,
    WGS84_B_M,
    WGS84_E2,
    WGS84_F,
)

if TYPE_CHECKING:
    from numpy.typing import ArrayLike, NDArray


def geodetic_to_ecef(latitude_deg: ArrayLike, longitude_deg: ArrayLike,
                     altitude_m: ArrayLike = 0.0) -> NDArray[np.float64]:
    """Earth-fixed Cartesian position of a geodetic point, shape ``(3, ...)``, m.

    ``altitude_m`` is the height above the WGS84 ellipsoid.
    """
    lat = np.radians(_check.latitude("latitude_deg", latitude_deg))
    lon = np.radians(_check.as_array("longitude_deg", longitude_deg))
    h = _check.in_range("altitude_m", altitude_m, -WGS84_B_M / 2, unit="m")
    n = WGS84_A_M / np.sqrt(1.0 - WGS84_E2 * np.sin(lat) ** 2)
    x = (n + h) * np.cos(lat) * np.cos(lon)
    y = (n + h) * np.cos(lat) * np.sin(lon)
    z = (n * (1.0 - WGS84_E2) + h) * np.sin(lat)
    return np.array(np.broadcast_arrays(x, y, z))


def ecef_to_geodetic(position_m: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Geodetic latitude (deg), longitude (deg) and height (m) of Earth-fixed points.

    Uses Bowring's parametric-latitude iteration, which converges to better
    than 1e-12 rad in four steps for points from the Earth's centre region
    out past the Moon (Bowring 1976, Survey Review 23(181)).
    """
    r = _check.as_array("position_m", position_m)
    if r.shape[:1] != (3,):
        raise ValueError(f"position_m must have shape (3, ...) (got {r.shape})")
    x, y, z = r
    p = np.hypot(x, y)
    lon = np.arctan2(y, x)
    ep2 = WGS84_E2 / (1.0 - WGS84_E2)
    beta = np.arctan2(z * WGS84_A_M, p * WGS84_B_M)
    for _ in range(5):
        lat = np.arctan2(
            z + ep2 * WGS84_B_M * np.sin(beta) ** 3,
            p - WGS84_E2 * WGS84_A_M * np.cos(beta) ** 3,
        )
        beta = np.arctan2((1.0 - WGS84_F) * np.sin(lat), np.cos(lat))
    sin_lat = np.sin(lat)
    n = WGS84_A_M / np.sqrt(1.0 - WGS84_E2 * sin_lat**2)
    # The height formula below is well conditioned at all latitudes.
    h = p * np.cos(lat) + z * sin_lat - WGS84_A_M**2 / n
    return np.degrees(lat), np.degrees(lon), h



def geocentric_latitude_deg(latitude_deg: ArrayLike, altitude_m: ArrayLike = 0.0) -> NDArray[np.float64]:
    """Geocentric latitude of a geodetic point: the angle between its position
    vector and the equator, deg. At sea level tan(phi_c) = (1 - e^2) tan(phi);
    0.19 deg less than the geodetic latitude at 45 deg. An orbit's plane passes
    through Earth's centre, so this is the latitude that bounds inclination.
    """
    r = geodetic_to_ecef(latitude_deg, 0.0, altitude_m)
    return np.degrees(np.arctan2(r[2], np.hypot(r[0], r[1])))


def geodetic_latitude_deg(geocentric_latitude_deg: ArrayLike) -> NDArray[np.float64]:
    """Geodetic (map) latitude of a point on the WGS84 ellipsoid's surface with a
    given geocentric latitude, deg: tan(phi) = tan(phi_c) / (1 - e^2), the inverse
    of :func:`geocentric_latitude_deg` at sea level. Textbook launch formulas use
    the geocentric latitude; site lists give the geodetic one."""
    phi_c = np.radians(_check.latitude("geocentric_latitude_deg", geocentric_latitude_deg))
    return np.degrees(np.arctan2(np.sin(phi_c), (1.0 - WGS84_E2) * np.cos(phi_c)))


def surface_speed_m_s(latitude_deg: ArrayLike, altitude_m: ArrayLike = 0.0) -> NDArray[np.float64]:
    """Eastward speed of a point fixed to the rotating Earth, m/s.

    The distance from the spin axis times Earth's rotation rate; 465.1 m/s on
    the equator at sea level, 0 at the poles.
    """
    r = geodetic_to_ecef(latitude_deg, 0.0, altitude_m)
    return EARTH_ROTATION_RAD_S * np.hypot(r[0], r[1])


def gravity_point_mass(position_m: ArrayLike) -> NDArray[np.float64]:
    """Newtonian gravitational acceleration of a point Earth, shape ``(3, ...)``, m/s^2."""
    r = _check.as_array("position_m", position_m)
    rn = np.linalg.norm(r, axis=0)
    _check.positive("|position_m|", rn, unit="m")
    return -GM_M3_S2 * r / rn**3


def gravity_j2(position_m: ArrayLike) -> NDArray[np.float64]:
    """Gravitational acceleration with the J2 oblateness term, shape ``(3, ...)``, m/s^2.

    Valid in any frame whose z axis is Earth's spin axis (Earth-fixed or
    inertial), because the J2 field is axially symmetric (Vallado eq. 8-29).
    """
    r = _check.as_array("position_m", position_m)
    x, y, z = r
    rn = np.linalg.norm(r, axis=0)
    _check.positive("|position_m|", rn, unit="m")
    k = 1.5 * J2 * (WGS84_A_M / rn) ** 2
    zr2 = (z / rn) ** 2
    f = -GM_M3_S2 / rn**3
    return np.array(
        [
            f * x * (1.0 + k * (1.0 - 5.0 * zr2)),
            f * y * (1.0 + k * (1.0 - 5.0 * zr2)),
            f * z * (1.0 + k * (3.0 - 5.0 * zr2)),
        ]
    )


def surface_gravity_m_s2(latitude_deg: ArrayLike, altitude_m: ArrayLike = 0.0) -> NDArray[np.float64]:
    """Effective gravity felt at rest on the rotating Earth, m/s^2.

    The magnitude of J2 gravity plus the centrifugal acceleration; compare
    WGS84 normal gravity, 9.7803 m/s^2 at the equator and 9.8322 m/s^2 at the
    poles (TR8350.2 Table 3.4).
    """
    r = geodetic_to_ecef(latitude_deg, 0.0, altitude_m)
    g = gravity_j2(r)
    g[0] += EARTH_ROTATION_RAD_S**2 * r[0]
    g[1] += EARTH_ROTATION_RAD_S**2 * r[1]
    return np.linalg.norm(g, axis=0)


def great_circle_distance_m(lat1_deg: ArrayLike, lon1_deg: ArrayLike, lat2_deg: ArrayLike,
                            lon2_deg: ArrayLike) -> NDArray[np.float64]:
    """Great-circle distance on a sphere of Earth's mean radius (6371.0088 km), m.

    Haversine formula; accurate to about 0.5 % on the ellipsoid, enough for
    downrange distances and maps.
    """
    p1 = np.radians(_check.latitude("lat1_deg", lat1_deg))
    p2 = np.radians(_check.latitude("lat2_deg", lat2_deg))
    dl = np.radians(_check.as_array("lon2_deg", lon2_deg) - _check.as_array("lon1_deg", lon1_deg))
    h = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2.0 * MEAN_EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))
