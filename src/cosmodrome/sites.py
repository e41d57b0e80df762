"""Launch sites, launch azimuth and inclination, range-safety corridors, and
what a site's latitude costs on the way to the equator.

Azimuths are degrees clockwise from north. The *inertial* azimuth is the
direction of the orbital velocity at launch in a frame that does not turn
with the Earth; the *ground* (rotating) azimuth is the heading a rocket flies
over the ground, which differs because the pad already moves east with the
Earth.

Sources: Vallado, *Fundamentals of Astrodynamics and Applications*, 4th ed.,
section 6.4 (eqs. 6-10 to 6-13, launch azimuth and the rotating-Earth
correction); Curtis, *Orbital Mechanics for Engineering Students*, 3rd ed.,
section 6.10 (plane change) and example 6.11; data/sites.toml for the sites.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from . import _check, earth, orbits
from ._data import load_toml
from .constants import GEO_RADIUS_M, GM_M3_S2, WGS84_A_M

if TYPE_CHECKING:
    from numpy.typing import ArrayLike, NDArray

DEFAULT_PARKING_ALTITUDE_M = 200e3
"""Altitude of the circular orbit assumed when turning an inertial azimuth
into a ground azimuth, m."""


@dataclass(frozen=True)
class Corridor:
    """A range of ground azimuths [from_deg, to_deg] (clockwise) and why it is allowed."""

    from_deg: float
    to_deg: float
    reason: str

    def contains(self, azimuth_deg: ArrayLike) -> NDArray[np.bool_]:
        az = np.mod(azimuth_deg, 360.0)
        lo, hi = self.from_deg % 360.0, self.to_deg % 360.0
        if lo <= hi:
            return (az >= lo - 1e-9) & (az <= hi + 1e-9)
        return (az >= lo - 1e-9) | (az <= hi + 1e-9)

    def __str__(self) -> str:
        return f"{self.from_deg:g}-{self.to_deg:g} deg"


@dataclass(frozen=True)
class Site:
    """A launch site from data/sites.toml."""

    key: str
    name: str
    country: str
    latitude_deg: float
    longitude_deg: float
    elevation_m: float
    corridors: tuple[Corridor, ...] = field(default=())
    corridor_estimate: bool = True
    coord_source: str = ""
    corridor_basis: str = ""
    notes: str = ""

    @property
    def lowest_inclination_deg(self) -> NDArray[np.float64]:
        return lowest_inclination_deg(self.latitude_deg)

    @property
    def surface_speed_m_s(self) -> float:
        return float(earth.surface_speed_m_s(self.latitude_deg, self.elevation_m))


@lru_cache(maxsize=1)
def _all_sites():
    raw = load_toml("sites.toml")
    out = {}
    for key, d in raw.items():
        out[key] = Site(
            key=key,
            name=d["name"],
            country=d["country"],
            latitude_deg=float(d["latitude_deg"]),
            longitude_deg=float(d["longitude_deg"]),
            elevation_m=float(d.get("elevation_m", 0.0)),
            corridors=tuple(Corridor(float(c["from_deg"]), float(c["to_deg"]), c["reason"])
                            for c in d.get("corridors", [])),
            corridor_estimate=bool(d.get("corridor_estimate", True)),
            coord_source=d.get("coord_source", ""),
            corridor_basis=d.get("corridor_basis", ""),
            notes=d.get("notes", ""),
        )
    return out


def all_sites() -> dict[str, Site]:
    """Every bundled site, as a dict from key (e.g. ``"vostochny"``) to :class:`Site`."""
    return dict(_all_sites())


def get_site(name: str | Site) -> Site:
    """The site named ``name`` (a :class:`Site` passes through); did-you-mean on a typo."""
    if isinstance(name, Site):
        return name
    return _check.lookup("launch site", name, _all_sites())


# --- latitude, azimuth, inclination ----------------------------------------------

def lowest_inclination_deg(latitude_deg: ArrayLike) -> NDArray[np.float64]:
    """The lowest inclination a direct ascent reaches from a *geodetic* latitude, deg.

    A launch due east puts the site at the northernmost (or southernmost)
    point of the orbit, so the orbit is tilted by at least the site's
    *geocentric* latitude (the plane passes through Earth's centre): 51.70 deg
    for Vostochny at 51.88 deg geodetic.
    """
    return np.abs(earth.geocentric_latitude_deg(_check.latitude("latitude_deg", latitude_deg)))


def inclination_deg(latitude_deg: ArrayLike, azimuth_deg: ArrayLike) -> NDArray[np.float64]:
    """Inclination reached by launching along an *inertial* azimuth, deg.

    ``latitude_deg`` is the site's *geodetic* (WGS84, map) latitude, as in
    data/sites.toml; it is converted to the geocentric latitude that the
    textbook formula cos i = cos(latitude) sin(azimuth) (Vallado eq. 6-11)
    takes. For that formula with a geocentric latitude as given, use
    :func:`cosmodrome.launch_geometry.plane_from_geocentric`;
    :func:`cosmodrome.earth.geocentric_latitude_deg` and
    :func:`cosmodrome.earth.geodetic_latitude_deg` convert between the two.
    """
    lat = np.radians(earth.geocentric_latitude_deg(_check.latitude("latitude_deg", latitude_deg)))
    az = np.radians(_check.as_array("azimuth_deg", azimuth_deg))
    return np.degrees(np.arccos(np.clip(np.cos(lat) * np.sin(az), -1.0, 1.0)))


def _unreachable_message(latitude_deg, inclination_deg_):
    lat = float(lowest_inclination_deg(latitude_deg))
    return (
        f"inclination_deg must be in [{lat:.2f}, {180 - lat:.2f}] deg from latitude "
        f"{float(latitude_deg):.2f} deg (geocentric {lat:.2f}) (got {float(inclination_deg_):.6g}): a direct ascent "
        f"cannot reach an orbit tilted less than the launch latitude, because the site itself "
        f"is carried around the orbit's plane; a lower inclination needs a dog-leg or a plane "
        f"change in orbit"
    )


def inertial_azimuth_deg(latitude_deg: ArrayLike,
                         inclination_deg_: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Inertial launch azimuths for an inclination: ``(ascending, descending)``, deg.

    The ascending (northbound) solution has sin(beta) = cos i / cos(latitude)
    (Vallado eq. 6-12); the descending (southbound) one is 180 deg - beta.
    Both in [0, 360). ``latitude_deg`` is *geodetic* and converted to geocentric
    (the geocentric form: :func:`cosmodrome.launch_geometry.azimuth_from_geocentric_deg`).
    """
    lat = _check.latitude("latitude_deg", latitude_deg)
    inc = _check.in_range("inclination_deg", inclination_deg_, 0.0, 180.0, unit="deg")
    cos_lat = np.cos(np.radians(earth.geocentric_latitude_deg(lat)))
    s = np.cos(np.radians(inc)) / np.where(cos_lat > 0, cos_lat, np.nan)
    bad = ~(np.abs(s) <= 1.0 + 1e-12)
    if np.any(bad):
        lat_b, inc_b = np.broadcast_arrays(lat, inc)
        raise ValueError(_unreachable_message(lat_b[bad].ravel()[0], inc_b[bad].ravel()[0]))
    beta = np.degrees(np.arcsin(np.clip(s, -1.0, 1.0)))
    return np.mod(beta, 360.0), np.mod(180.0 - beta, 360.0)


def ground_azimuth_deg(latitude_deg: ArrayLike, inertial_azimuth_deg_: ArrayLike,
                       altitude_m: ArrayLike = DEFAULT_PARKING_ALTITUDE_M) -> NDArray[np.float64]:
    """Ground (rotating-frame) azimuth that yields an inertial azimuth, deg.

    The pad moves east at the surface speed v_e; to leave with inertial velocity
    v (circular speed at ``altitude_m``) along beta, the rocket must fly over
    the ground along atan2(v sin beta - v_e, v cos beta) (Vallado eq. 6-13).
    """
    lat = _check.latitude("latitude_deg", latitude_deg)
    beta = np.radians(_check.as_array("inertial_azimuth_deg", inertial_azimuth_deg_))
    v = orbits.circular_speed_m_s(WGS84_A_M + _check.non_negative("altitude_m", altitude_m, unit="m"))
    ve = earth.surface_speed_m_s(lat)
    return np.mod(np.degrees(np.arctan2(v * np.sin(beta) - ve, v * np.cos(beta))), 360.0)


def inertial_from_ground_azimuth_deg(latitude_deg: ArrayLike, ground_azimuth_deg_: ArrayLike,
                                     altitude_m: ArrayLike = DEFAULT_PARKING_ALTITUDE_M) -> NDArray[np.float64]:
    """Inverse of :func:`ground_azimuth_deg`: the inertial azimuth a ground heading gives, deg.

    Solves |v_r u + v_e east| = v for the ground speed v_r along unit heading u.
    """
    lat = _check.latitude("latitude_deg", latitude_deg)
    az = np.radians(_check.as_array("ground_azimuth_deg", ground_azimuth_deg_))
    v = orbits.circular_speed_m_s(WGS84_A_M + _check.non_negative("altitude_m", altitude_m, unit="m"))
    ve = earth.surface_speed_m_s(lat)
    # v_r^2 + 2 v_r v_e sin(az) + v_e^2 - v^2 = 0, positive root
    b = ve * np.sin(az)
    vr = -b + np.sqrt(b**2 - ve**2 + v**2)
    return np.mod(np.degrees(np.arctan2(vr * np.sin(az) + ve, vr * np.cos(az))), 360.0)


def launch_azimuths_deg(latitude_deg: ArrayLike, inclination_deg_: ArrayLike,
                        altitude_m: ArrayLike = DEFAULT_PARKING_ALTITUDE_M) -> dict[str, NDArray[np.float64]]:
    """All four launch azimuths for an inclination, deg.

    Returns ``dict(inertial_ascending=..., inertial_descending=...,
    ground_ascending=..., ground_descending=...)``.
    """
    asc, desc = inertial_azimuth_deg(latitude_deg, inclination_deg_)
    return {
        "inertial_ascending": asc,
        "inertial_descending": desc,
        "ground_ascending": ground_azimuth_deg(latitude_deg, asc, altitude_m),
        "ground_descending": ground_azimuth_deg(latitude_deg, desc, altitude_m),
    }


def rotation_speed_along_azimuth_m_s(latitude_deg: ArrayLike, azimuth_deg: ArrayLike,
                                     altitude_m: ArrayLike = 0.0) -> NDArray[np.float64]:
    """The part of the pad's eastward speed that lies along a heading, m/s.

    v_e sin(azimuth): the free speed Earth's rotation gives a launch toward the
    east (positive) or takes from one toward the west (negative).
    """
    ve = earth.surface_speed_m_s(latitude_deg, altitude_m)
    return ve * np.sin(np.radians(_check.as_array("azimuth_deg", azimuth_deg)))


# --- corridors -------------------------------------------------------------------

def _corridor_grid(site, step_deg=0.05):
    az = np.arange(0.0, 360.0, step_deg)
    ok = np.zeros(az.shape, dtype=bool)
    for c in site.corridors:
        ok |= c.contains(az)
    return az, ok


def reachable_inclinations_deg(site: str | Site,
                               altitude_m: ArrayLike = DEFAULT_PARKING_ALTITUDE_M) -> list[tuple[float, float]]:
    """Inclination intervals a site's corridors allow for a direct ascent, deg.

    Returns a sorted list of ``(low, high)`` pairs, computed from every
    ground azimuth in the corridors (0.05 deg grid) through
    :func:`inertial_from_ground_azimuth_deg` and :func:`inclination_deg`.
    """
    site = get_site(site)
    az, ok = _corridor_grid(site)
    inc = inclination_deg(site.latitude_deg, inertial_from_ground_azimuth_deg(site.latitude_deg, az[ok], altitude_m))
    inc = np.sort(inc)
    if inc.size == 0:
        return []
    breaks = np.where(np.diff(inc) > 0.5)[0]
    starts = np.concatenate([[0], breaks + 1])
    ends = np.concatenate([breaks, [inc.size - 1]])
    return [(float(inc[s]), float(inc[e])) for s, e in zip(starts, ends, strict=True)]


def plan_direct_ascent(site: str | Site, inclination_deg_: float,
                       altitude_m: ArrayLike = DEFAULT_PARKING_ALTITUDE_M) -> tuple[float, Corridor]:
    """Choose the ground azimuth for a direct ascent from a site to an inclination.

    Returns ``(ground_azimuth_deg, corridor)`` for the first solution
    (ascending, then descending) that lies inside one of the site's corridors.
    Raises ValueError explaining what is reachable, and why, when none does.
    """
    site = get_site(site)
    inc = float(_check.in_range("inclination_deg", inclination_deg_, 0.0, 180.0, unit="deg"))
    if abs(np.cos(np.radians(inc))) > np.cos(np.radians(float(site.lowest_inclination_deg))) + 1e-12:
        raise ValueError(f"{site.name}: " + _unreachable_message(site.latitude_deg, inc))
    az = launch_azimuths_deg(site.latitude_deg, inc, altitude_m)
    for key in ("ground_ascending", "ground_descending"):
        a = float(az[key])
        for c in site.corridors:
            if bool(c.contains(a)):
                return a, c
    reach = ", ".join(f"{lo:.1f}-{hi:.1f}" for lo, hi in reachable_inclinations_deg(site, altitude_m))
    corr = "; ".join(f"{c} ({c.reason})" for c in site.corridors)
    raise ValueError(
        f"inclination_deg {inc:g} from {site.name} needs a ground azimuth of "
        f"{float(az['ground_ascending']):.1f} or {float(az['ground_descending']):.1f} deg, outside "
        f"the range-safety corridors {corr}. Reachable inclinations there: {reach} deg"
    )


# --- the cost of latitude --------------------------------------------------------

def equatorial_plane_change_dv_m_s(latitude_deg: ArrayLike,
                                   altitude_m: ArrayLike = DEFAULT_PARKING_ALTITUDE_M) -> NDArray[np.float64]:
    """Delta-v to rotate a circular orbit of inclination |latitude| into the equator, m/s.

    A pure plane change 2 v sin(i/2) at circular speed (Curtis eq. 6.62).
    """
    i = np.radians(lowest_inclination_deg(latitude_deg))
    v = orbits.circular_speed_m_s(WGS84_A_M + _check.non_negative("altitude_m", altitude_m, unit="m"))
    return orbits.plane_change_dv_m_s(v, i)


def geo_delta_v_m_s(latitude_deg: ArrayLike,
                    parking_altitude_m: ArrayLike = DEFAULT_PARKING_ALTITUDE_M) -> dict[str, NDArray[np.float64]]:
    """Delta-v from a circular parking orbit at inclination |latitude| to GEO, m/s.

    Hohmann transfer burn at perigee, then one burn at apogee that both
    circularizes and removes the inclination (the cheapest place to turn:
    the speed is lowest there). Returns ``dict(perigee=..., apogee=...,
    total=..., plane_change_penalty=...)`` where the penalty is what the
    inclination adds over an equatorial start.
    """
    i = np.radians(lowest_inclination_deg(latitude_deg))
    r1 = WGS84_A_M + _check.non_negative("parking_altitude_m", parking_altitude_m, unit="m")
    r2 = GEO_RADIUS_M
    at = (r1 + r2) / 2.0
    v1 = np.sqrt(GM_M3_S2 / r1)
    vp = np.sqrt(GM_M3_S2 * (2 / r1 - 1 / at))
    va = np.sqrt(GM_M3_S2 * (2 / r2 - 1 / at))
    vgeo = np.sqrt(GM_M3_S2 / r2)
    dv1 = vp - v1
    dv2 = orbits.combined_dv_m_s(va, vgeo, i)
    return {
        "perigee": np.broadcast_arrays(dv1, dv2)[0],
        "apogee": dv2,
        "total": dv1 + dv2,
        "plane_change_penalty": dv2 - (vgeo - va),
    }
