"""Launch geometry and launch windows: which orbit plane a launch makes, and when
a site passes under a given plane.

A rocket flying from a site along an *inertial* azimuth puts its orbit in the
plane through Earth's centre that contains the site and that direction. On a
sphere the site, the ascending node and the foot of the site's meridian on the
equator make a right spherical triangle, and Napier's rules give (latitude
phi, inertial azimuth beta clockwise from north, inclination i, argument of
latitude u of the site, angle dlambda along the equator from the node to the
site's meridian):

    cos i = cos phi sin beta          sin phi = sin i sin u
    tan u = tan phi / cos beta        tan dlambda = cos i tan u

(Vallado, *Fundamentals of Astrodynamics and Applications*, 4th ed., eqs. 6-11
and 6-12 and section 6.4; Braeunig, *Orbital Mechanics*, braeunig.us/space/
orbmech.htm, eqs. 4.71-4.73; Curtis, *Orbital Mechanics for Engineering
Students*, section 4.7). The node's right ascension is then the site's local
sidereal angle minus dlambda, and its (Earth-fixed) longitude the site's
longitude minus dlambda.

**Which latitude.** The triangle lives on the sphere through the site and
Earth's centre, so the textbook formulas take the *geocentric* latitude.
Functions here whose argument is ``geocentric_latitude_deg`` take it as is;
those whose argument is ``latitude_deg`` take the geodetic (WGS84, map)
latitude of a site, as data/sites.toml and :mod:`cosmodrome.sites` do, and
convert it with :func:`cosmodrome.earth.geocentric_latitude_deg` (51.88 deg
geodetic at Vostochny is 51.70 deg geocentric).

Launch windows are the inverse: the times on a day when the site is in a
target plane, northbound (the site on the ascending half of the orbit) and
southbound; a plane given by its right ascension of the ascending node
(RAAN, drifting at a constant rate, e.g. J2's), or for a sun-synchronous
orbit by the local time of its ascending node. Sidereal time is skyfield's
GMST (IAU 1982, as SGP4's TEME frame uses), as in :mod:`cosmodrome.tracking`.

Spherical-Earth, instantaneous-ascent geometry: the few tens of seconds by
which a real launch leads or lags its plane (the ascent's own rotation of
Earth under it, the yaw the guidance adds) are not modelled.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, NamedTuple, overload

import numpy as np

from . import _check, earth, orbits
from .constants import EARTH_ROTATION_RAD_S, GM_M3_S2, TROPICAL_YEAR_S, WGS84_A_M

if TYPE_CHECKING:
    from numpy.typing import ArrayLike, NDArray
    from skyfield.sgp4lib import EarthSatellite

_DEG_S = np.degrees(EARTH_ROTATION_RAD_S)  # Earth's sidereal rotation, deg/s
SUN_MEAN_MOTION_DEG_S = 360.0 / TROPICAL_YEAR_S
"""The mean Sun's motion in right ascension, deg/s: a sun-synchronous node drifts at this rate."""



class LaunchPlane(NamedTuple):
    """The orbit plane of a launch: inclination; the site's argument of latitude (angle along the orbit from the
    ascending node, [0, 360)); the angle along the equator from the node east to the site's meridian ([-180, 180));
    the node's Earth-fixed longitude and right ascension at launch ([0, 360)), deg."""

    inclination_deg: NDArray[np.float64]
    argument_of_latitude_deg: NDArray[np.float64]
    node_to_site_deg: NDArray[np.float64]
    node_longitude_deg: NDArray[np.float64]
    raan_deg: NDArray[np.float64]


class Windows(NamedTuple):
    """Launch windows on one UTC day: lists of UTC datetimes when the site is in the target plane moving north
    (the site on the orbit's ascending half) and south, and the inertial azimuths (deg) to fly at them."""

    northbound_utc: list[datetime]
    southbound_utc: list[datetime]
    northbound_azimuth_deg: float
    southbound_azimuth_deg: float


class LateLaunch(NamedTuple):
    """The angle between the plane reached and the target plane, deg, and the delta-v to turn it, m/s."""

    plane_change_deg: NDArray[np.float64]
    delta_v_m_s: NDArray[np.float64]


def _utc(when: datetime | str) -> datetime:
    """A timezone-aware UTC datetime from a datetime (naive = UTC) or an ISO string."""
    if isinstance(when, str):
        when = datetime.fromisoformat(when)
    if not isinstance(when, datetime):
        raise ValueError(f"launch_utc must be a datetime or an ISO 8601 string (got {when!r})")  # noqa: TRY004 (the project reports bad input as ValueError)
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


@overload
def gmst_deg(when_utc: datetime | str) -> float: ...
@overload
def gmst_deg(when_utc: list[datetime] | list[str] | tuple[datetime | str, ...]) -> NDArray[np.float64]: ...
def gmst_deg(when_utc: datetime | str | list[datetime] | list[str] | tuple[datetime | str, ...],
             ) -> float | NDArray[np.float64]:
    """Greenwich mean sidereal angle at a UTC datetime (or list of them), deg, from skyfield."""
    from .tracking import timescale

    ts = timescale()
    if isinstance(when_utc, (list, tuple)):
        return np.array([ts.from_datetime(_utc(w)).gmst * 15.0 for w in when_utc])
    return ts.from_datetime(_utc(when_utc)).gmst * 15.0


def plane_from_geocentric(
    geocentric_latitude_deg: ArrayLike, azimuth_deg: ArrayLike,
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Inclination, the site's argument of latitude and the node-to-site angle, deg.

    ``geocentric_latitude_deg``: the site's *geocentric* latitude; ``azimuth_deg``:
    the *inertial* launch azimuth, clockwise from north. Returns ``(i, u,
    dlambda)``: inclination [0, 180], argument of latitude [0, 360) and the angle
    along the equator from the ascending node east to the site's meridian
    [-180, 180). Napier's rules (module docstring); arrays broadcast.

    >>> i, u, dl = plane_from_geocentric(28.5, 90.0)   # due east from 28.5 deg: the site is at the orbit's top
    >>> round(float(i), 6), round(float(u), 6), round(float(dl), 6)
    (28.5, 90.0, 90.0)
    """
    phi = np.radians(_check.latitude("geocentric_latitude_deg", geocentric_latitude_deg))
    beta = np.radians(_check.as_array("azimuth_deg", azimuth_deg))
    inc = np.arccos(np.clip(np.cos(phi) * np.sin(beta), -1.0, 1.0))
    u = np.arctan2(np.sin(phi), np.cos(phi) * np.cos(beta))
    dlam = np.arctan2(np.cos(inc) * np.sin(u), np.cos(u))
    return np.degrees(inc), np.mod(np.degrees(u), 360.0), (np.degrees(dlam) + 180.0) % 360.0 - 180.0


def launch_plane(latitude_deg: ArrayLike, longitude_deg: ArrayLike, azimuth_deg: ArrayLike,
                 launch_utc: datetime | str) -> LaunchPlane:
    """The orbit plane made by launching from a site along an inertial azimuth at a time.

    ``latitude_deg``: the site's *geodetic* (WGS84, map) latitude, converted to
    geocentric here; ``longitude_deg``: east longitude; ``azimuth_deg``: inertial
    azimuth, clockwise from north (see :func:`cosmodrome.sites.inertial_from_ground_azimuth_deg`
    for the ground heading); ``launch_utc``: a datetime (naive means UTC) or ISO
    string. Returns a :class:`LaunchPlane` (deg); the RAAN is GMST + longitude -
    dlambda, in skyfield's TEME-compatible mean equinox of date.
    """
    lat = _check.latitude("latitude_deg", latitude_deg)
    lon = _check.in_range("longitude_deg", longitude_deg, -360.0, 360.0, unit="deg")
    inc, u, dlam = plane_from_geocentric(earth.geocentric_latitude_deg(lat), azimuth_deg)
    node_lon = np.mod(lon - dlam, 360.0)
    raan = np.mod(gmst_deg(launch_utc) + lon - dlam, 360.0)
    return LaunchPlane(inc, u, dlam, node_lon, raan)


def azimuth_from_geocentric_deg(geocentric_latitude_deg: ArrayLike, inclination_deg: ArrayLike,
                                northbound: bool = True) -> NDArray[np.float64]:
    """Inertial azimuth that reaches an inclination from a *geocentric* latitude, deg.

    sin beta = cos i / cos phi (Vallado eq. 6-12); southbound 180 - beta. The
    inverse of :func:`plane_from_geocentric`'s inclination; see
    :func:`cosmodrome.sites.inertial_azimuth_deg` for the geodetic-latitude version.
    """
    phi = np.radians(_check.latitude("geocentric_latitude_deg", geocentric_latitude_deg))
    inc = _check.in_range("inclination_deg", inclination_deg, 0.0, 180.0, unit="deg")
    s = np.cos(np.radians(inc)) / np.cos(phi)
    if np.any(np.abs(s) > 1.0 + 1e-12):
        lowest = float(np.min(np.abs(np.degrees(phi))))
        raise ValueError(f"inclination_deg must be in [{lowest:.2f}, {180 - lowest:.2f}] deg from geocentric "
                         f"latitude {lowest:.2f} deg (got {float(np.max(inc)):.6g}): a plane through the site "
                         f"cannot be tilted less than the site's latitude")
    beta = np.degrees(np.arcsin(np.clip(s, -1.0, 1.0)))
    return np.mod(beta if northbound else 180.0 - beta, 360.0)


def _node_to_site_deg(geocentric_latitude_deg, inclination_deg, northbound):
    """dlambda (deg) of a site in a plane of inclination i, on its ascending or descending half."""
    phi = np.radians(geocentric_latitude_deg)
    inc = np.radians(inclination_deg)
    sin_u = np.sin(phi) / np.sin(inc)
    if np.any(np.abs(sin_u) > 1.0 + 1e-12):
        raise ValueError(
            f"inclination_deg must be in "
            f"[{abs(geocentric_latitude_deg):.2f}, {180 - abs(geocentric_latitude_deg):.2f}] "
            f"deg for a site at geocentric latitude {geocentric_latitude_deg:.2f} deg (got {inclination_deg:.6g}): "
            f"the site never passes under a plane tilted less than its latitude")
    sin_u = np.clip(sin_u, -1.0, 1.0)
    cos_u = np.sqrt(1.0 - sin_u**2) * (1.0 if northbound else -1.0)
    return np.degrees(np.arctan2(np.cos(inc) * sin_u, cos_u))


def launch_windows(latitude_deg: ArrayLike, longitude_deg: ArrayLike, inclination_deg: ArrayLike, raan_deg: ArrayLike,
                   raan_epoch_utc: datetime | str, day_utc: datetime | date,
                   raan_rate_deg_s: float = 0.0) -> Windows:
    """Times on a UTC day when a site passes under a target orbit plane.

    ``latitude_deg``: the site's *geodetic* latitude (converted to geocentric);
    ``longitude_deg``: east longitude; the plane: ``inclination_deg`` and its RAAN
    ``raan_deg`` at ``raan_epoch_utc``, drifting at ``raan_rate_deg_s`` (e.g. J2's
    :func:`cosmodrome.orbits.j2_nodal_rate_rad_s`, in deg/s); ``day_utc``: a date
    or datetime (its UTC day is searched). The site is under the plane when its
    local sidereal angle equals RAAN + dlambda, with dlambda from
    sin u = sin phi / sin i on the ascending (northbound) or descending
    (southbound) half; about once a sidereal day each, so one or two of each per
    day. Returns :class:`Windows` (UTC datetimes, to about 0.01 s of this model).
    """
    lat = float(_check.latitude("latitude_deg", latitude_deg))
    lon = float(_check.in_range("longitude_deg", longitude_deg, -360.0, 360.0, unit="deg"))
    inc = float(_check.in_range("inclination_deg", inclination_deg, 0.0, 180.0, unit="deg"))
    raan0 = float(_check.as_array("raan_deg", raan_deg))
    rate = float(_check.as_array("raan_rate_deg_s", raan_rate_deg_s))
    epoch = _utc(raan_epoch_utc)
    day = day_utc if isinstance(day_utc, datetime) else datetime(day_utc.year, day_utc.month, day_utc.day)
    start = _utc(day).replace(hour=0, minute=0, second=0, microsecond=0)
    end = start + timedelta(days=1)
    phi_c = float(earth.geocentric_latitude_deg(lat))
    out = {}
    for northbound in (True, False):
        dlam = float(_node_to_site_deg(phi_c, inc, northbound))
        times = []
        # the angle still to turn: (RAAN(t) + dlambda) - (GMST(t) + lon), closing at (omega - rate)
        t = start
        for _ in range(3):
            gap = (raan0 + rate * (t - epoch).total_seconds() + dlam - gmst_deg(t) - lon) % 360.0
            t = t + timedelta(seconds=gap / (_DEG_S - rate))
            for _ in range(2):  # refine with skyfield's GMST at the estimate
                err = ((raan0 + rate * (t - epoch).total_seconds() + dlam - gmst_deg(t) - lon) + 180.0) % 360.0 - 180.0
                t = t + timedelta(seconds=err / (_DEG_S - rate))
            if t >= end:
                break
            if t >= start:
                times.append(t)
            t = t + timedelta(seconds=60.0)
        out[northbound] = times
    return Windows(out[True], out[False],
                   float(azimuth_from_geocentric_deg(phi_c, inc, True)),
                   float(azimuth_from_geocentric_deg(phi_c, inc, False)))


def sun_right_ascension_deg(when_utc: datetime | str) -> float:
    """Apparent right ascension of the Sun (equinox of date), deg, from DE421 via skyfield."""
    from .tracking import ephemeris, timescale

    t = timescale().from_datetime(_utc(when_utc))
    eph = ephemeris()
    return eph["earth"].at(t).observe(eph["sun"]).apparent().radec(epoch="date")[0].hours * 15.0


def mean_sun_right_ascension_deg(when_utc: datetime | str) -> float:
    """Right ascension of the *mean* Sun, deg: the point that moves along the equator at the Sun's mean
    rate and is on the Greenwich meridian at 12:00 UT, so RA = GMST - 15 deg/h (UT - 12 h) (Meeus,
    *Astronomical Algorithms*, 2nd ed., ch. 28: the equation of time is the mean Sun's lead on the
    apparent one). Mean solar time, and so a sun-synchronous plane's local time of the node, follow it;
    the apparent Sun (:func:`sun_right_ascension_deg`) runs up to 16 min ahead or behind."""
    from .tracking import timescale

    t = timescale().from_datetime(_utc(when_utc))
    ut_h = ((t.ut1 + 0.5) % 1.0) * 24.0
    return float((t.gmst - (ut_h - 12.0)) * 15.0 % 360.0)


def raan_for_local_time_deg(local_time_of_ascending_node_h: ArrayLike, when_utc: datetime | str) -> NDArray[np.float64]:
    """RAAN (deg) of the plane whose ascending node is at a local mean solar time.

    RAAN = RA(mean Sun) + 15 deg/h (LTAN - 12 h), the relation
    :func:`cosmodrome.tracking.local_time_of_ascending_node_h` inverts.
    """
    ltan = _check.in_range("local_time_of_ascending_node_h", local_time_of_ascending_node_h, 0.0, 24.0, unit="h")
    return np.mod(mean_sun_right_ascension_deg(when_utc) + 15.0 * (ltan - 12.0), 360.0)


def sun_synchronous_launch_windows(latitude_deg: ArrayLike, longitude_deg: ArrayLike, inclination_deg: ArrayLike,
                                   local_time_of_ascending_node_h: ArrayLike, day_utc: datetime | date) -> Windows:
    """Launch windows on a UTC day into the sun-synchronous plane with a given local
    time of the ascending node (hours, 0-24).

    ``latitude_deg`` geodetic, ``longitude_deg`` east, ``inclination_deg`` the
    orbit's (e.g. :func:`cosmodrome.orbits.sun_synchronous_inclination_rad`). The
    plane's RAAN follows the Sun (0.9856 deg/day). Returns :class:`Windows`.
    """
    day = day_utc if isinstance(day_utc, datetime) else datetime(day_utc.year, day_utc.month, day_utc.day)
    noon = _utc(day).replace(hour=12, minute=0, second=0, microsecond=0)
    raan = float(raan_for_local_time_deg(local_time_of_ascending_node_h, noon))
    return launch_windows(latitude_deg, longitude_deg, inclination_deg, raan, noon, day,
                          raan_rate_deg_s=SUN_MEAN_MOTION_DEG_S)


def _plane_normal(inclination_rad, raan_rad):
    return np.stack([np.sin(inclination_rad) * np.sin(raan_rad), -np.sin(inclination_rad) * np.cos(raan_rad),
                     np.cos(inclination_rad) * np.ones_like(raan_rad)])


def late_launch(latitude_deg: ArrayLike, inclination_deg: ArrayLike, delay_s: ArrayLike, altitude_m: ArrayLike = 200e3,
                northbound: bool = True, re_aim: bool = False,
                raan_rate_deg_s: float = 0.0) -> LateLaunch:
    """The plane-change angle and delta-v of launching ``delay_s`` seconds after the
    site passed under the target plane (negative: early).

    ``latitude_deg``: the site's *geodetic* latitude; the target plane has
    ``inclination_deg``; ``altitude_m``: the circular orbit where the plane is
    corrected (v = sqrt(GM / r), dv = 2 v sin(angle / 2)). The site has turned
    by (omega_E - raan_rate) delay_s past the plane. With ``re_aim=False`` the
    rocket flies the on-time azimuth, so its plane has the target's inclination
    and a node shifted by that angle: sin(angle/2) = sin i sin(dOmega/2). With
    ``re_aim=True`` it flies the best azimuth, and the angle left is the site's
    angular distance from the target plane (no plane through the site comes
    closer). Zero at the window, growing with the delay. Arrays broadcast.
    """
    lat = _check.latitude("latitude_deg", latitude_deg)
    inc = _check.in_range("inclination_deg", inclination_deg, 0.0, 180.0, unit="deg")
    dt = _check.as_array("delay_s", delay_s)
    h = _check.in_range("altitude_m", altitude_m, 0.0, 1e8, unit="m")
    shift = np.radians((_DEG_S - float(raan_rate_deg_s)) * dt)
    if re_aim:
        phi_c = np.radians(earth.geocentric_latitude_deg(lat))
        dlam = np.radians(_node_to_site_deg(np.degrees(phi_c), inc, northbound))
        site_ra = dlam + shift  # target node at RA 0
        r = np.stack([np.cos(phi_c) * np.cos(site_ra), np.cos(phi_c) * np.sin(site_ra),
                      np.sin(phi_c) * np.ones_like(site_ra)])
        n = _plane_normal(np.radians(inc), np.zeros_like(site_ra))
        angle = np.arcsin(np.clip(np.abs(np.sum(r * n, axis=0)), 0.0, 1.0))
    else:
        angle = 2.0 * np.arcsin(np.clip(np.abs(np.sin(np.radians(inc)) * np.sin(shift / 2.0)), 0.0, 1.0))
    v = np.sqrt(GM_M3_S2 / (WGS84_A_M + h))
    return LateLaunch(np.degrees(angle), orbits.plane_change_dv_m_s(v, angle))


def satellite_plane(sat: EarthSatellite, when_utc: datetime | str) -> tuple[float, float, float]:
    """Inclination (deg), RAAN (deg, TEME) at ``when_utc`` and its J2 drift rate (deg/s)
    of a skyfield EarthSatellite (e.g. :func:`cosmodrome.tracking.satellite`), from
    SGP4's mean elements at the element set's epoch propagated with
    :func:`cosmodrome.orbits.j2_nodal_rate_rad_s`."""
    from .tracking import mean_elements

    el = mean_elements(sat)
    rate = np.degrees(orbits.j2_nodal_rate_rad_s(el.semi_major_axis_m, el.eccentricity, el.inclination_rad,
                                                 el.mu_m3_s2))
    epoch = sat.epoch.utc_datetime()
    dt = (_utc(when_utc) - epoch).total_seconds()
    return (float(np.degrees(el.inclination_rad)), float(np.mod(np.degrees(el.raan_rad) + rate * dt, 360.0)),
            float(rate))
