"""Point-mass (3-DOF) ascent from a launch site to orbit over a rotating,
oblate Earth: staging with parallel boosters, US Standard Atmosphere 1976
drag with a Mach-dependent drag coefficient, thrust and Isp varying with
ambient pressure, a gravity turn through the atmosphere and closed-loop
steering in vacuum to a commanded perigee, apogee and inclination.

The equations of motion are integrated in an Earth-centred inertial frame
whose axes coincide with the Earth-fixed frame at lift-off, by classical
fourth-order Runge-Kutta with fixed steps (events are hit by shortening the
step that contains them). The delta-v budget is integrated alongside the
state: the rate of change of inertial speed is exactly

    d|v|/dt = F_vac/m - (F_vac - F)/m - (F/m)(1 - cos alpha) + (D . v_hat)/m + g . v_hat

so ideal delta-v = delivered + back-pressure + steering + drag + gravity losses,
to integration accuracy. The books are kept against the *inertial* velocity v
(alpha is the angle between thrust and v), and delivered = |v| at the end - |v| at
lift-off, the pad's eastward speed (``budget["earth_rotation"]``). The vertical
rise and the gravity turn point the thrust up and then along the *Earth-relative*
velocity, which in the first minutes is far from the inertial one (the pad's
speed dominates it): that thrust is booked as steering loss, most of a flight's
steering loss before closed-loop guidance starts. ``AscentResult.budget_until``
reads the books at any time of the flight.

Guidance (vertical rise, pitch-over kick, zero-lift gravity turn, then
closed-loop steering that drives altitude rate and out-of-plane motion to zero
at the commanded perigee with a linear-in-time acceleration profile, cutting
off when the orbital energy reaches the target's) follows the structure of
"E-guidance" and the Space Shuttle's powered explicit guidance, simplified for
teaching: R. Battin, *An Introduction to the Mathematics and Methods of
Astrodynamics*, rev. ed. (1999), ch. 11; W. F. Teren & O. K. Spurlock, NASA
TN D-3471 (1966) for the linear-tangent law.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np

from . import _check, atmosphere, earth, orbits, propulsion, sites as _sites, vehicles as _vehicles
from ._data import load_toml
from .constants import EARTH_ROTATION_RAD_S, G0_M_S2, GM_M3_S2, J2, WGS84_A_M, WGS84_B_M, WGS84_E2, WGS84_F

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from numpy.typing import ArrayLike, NDArray

    from .failures import Fault
    from .sites import Site
    from .vehicles import Vehicle

_OMEGA = EARTH_ROTATION_RAD_S
_ATM_STEP_M = 100.0
_ATM_TOP_M = 400_000.0
STAGE_SEPARATION_COAST_S = 2.0
CORE_THROTTLE_START_S = 40.0
VERTICAL_RISE_SPEED_M_S = 50.0
THIN_AIR_ALTITUDE_M = 40_000.0
VACUUM_ALTITUDE_M = 120_000.0
VACUUM_STEP_FACTOR = 4.0
FAIRING_JETTISON_ALTITUDE_M = 110_000.0


@lru_cache(maxsize=1)
def _atm_table():
    z = np.arange(0.0, _ATM_TOP_M + _ATM_STEP_M, _ATM_STEP_M)
    at = atmosphere.properties(z)
    return at.density_kg_m3.tolist(), at.pressure_pa.tolist(), at.speed_of_sound_m_s.tolist()


def _atm(h):
    """(rho, p, a) at geometric altitude h from a 100 m table (linear interpolation)."""
    rho, p, a = _atm_table()
    if h >= _ATM_TOP_M:
        return 0.0, 0.0, a[-1]
    if h <= 0.0:
        return rho[0], p[0], a[0]
    x = h / _ATM_STEP_M
    i = int(x)
    f = x - i
    return (rho[i] + f * (rho[i + 1] - rho[i]), p[i] + f * (p[i + 1] - p[i]), a[i] + f * (a[i + 1] - a[i]))


@lru_cache(maxsize=1)
def _drag_table():
    d = load_toml("aero.toml")["drag"]
    return list(map(float, d["mach"])), list(map(float, d["cd"]))


def _cd(mach):
    m, cd = _drag_table()
    if mach >= m[-1]:
        return cd[-1]
    i = bisect_right(m, mach) - 1
    return cd[i] + (mach - m[i]) / (m[i + 1] - m[i]) * (cd[i + 1] - cd[i])


def _altitude(x, y, z):
    """Height above the WGS84 ellipsoid measured along the radius (the ellipsoid
    radius at the point's geocentric latitude is exact); within a few metres of
    the geodetic height at launch altitudes."""
    r = math.sqrt(x * x + y * y + z * z)
    s2 = (z / r) ** 2
    return r - WGS84_B_M / math.sqrt(1.0 - WGS84_E2 * (1.0 - s2))


# --- the vehicle as flown ----------------------------------------------------------

@dataclass
class _Group:
    name: str
    thrust_vac_n: float  # total, full throttle
    exit_area_m2: float  # total
    mdot_full_kg_s: float  # total
    propellant_kg: float
    dry_kg: float
    parallel: bool
    throttle: float = 1.0  # while burning in parallel with boosters
    isp_vac_s: float = 0.0


def _groups(vehicle):
    out = []
    stages = vehicle.stages
    for s in stages:
        fv = s.total_thrust_vac_n
        mdot = float(propulsion.mass_flow_kg_s(fv, s.isp_vac_s))
        # an upper-stage engine with no sea-level rating is treated as pressure-free
        ae = float(propulsion.nozzle_exit_area_m2(fv, s.total_thrust_sl_n)) if s.thrust_sl_n > 0 else 0.0
        g = _Group(s.name, fv, ae, mdot, s.total_propellant_mass_kg, s.total_dry_mass_kg, s.parallel,
                   isp_vac_s=s.isp_vac_s)
        out.append(g)
    # a core burning beside boosters runs at full thrust off the pad, then is throttled
    # from CORE_THROTTLE_START_S until booster separation so that its propellant lasts its
    # published burn time (Angara-A5's core runs down to ~30-50 % while the side modules burn)
    for k, s in enumerate(stages[:-1]):
        if s.parallel:
            core, core_stage = out[k + 1], stages[k + 1]
            t_par = out[k].propellant_kg / out[k].mdot_full_kg_s
            full_time = core.propellant_kg / core.mdot_full_kg_s
            t1 = min(CORE_THROTTLE_START_S, t_par)
            k_thr = (full_time - t1 - (core_stage.burn_time_s - t_par)) / max(t_par - t1, 1e-9)
            core.throttle = min(1.0, max(0.3, k_thr))
    return out


def _throttle(groups, k, boost, t):
    """Throttle of group k at time t: a core beside burning boosters is throttled
    after CORE_THROTTLE_START_S."""
    g = groups[k]
    if boost and not g.parallel and k > 0 and groups[k - 1].parallel and t >= CORE_THROTTLE_START_S - 1e-9:
        return g.throttle
    return 1.0


# --- results -----------------------------------------------------------------------

@dataclass
class Event:
    time_s: float
    name: str
    altitude_m: float
    speed_m_s: float

    def __str__(self) -> str:
        return f"T+{self.time_s:7.1f} s  {self.name:<34s} {self.altitude_m / 1000:7.1f} km  {self.speed_m_s:7.0f} m/s"


@dataclass
class AscentResult:
    """A simulated flight: time series (NumPy arrays, SI units), events,
    the delta-v budget and the orbit reached (or the impact point)."""

    vehicle: str
    site: str
    time_s: np.ndarray
    position_m: np.ndarray  # (3, N) inertial
    velocity_m_s: np.ndarray  # (3, N) inertial
    mass_kg: np.ndarray
    thrust_n: np.ndarray
    dynamic_pressure_pa: np.ndarray
    axial_acceleration_g: np.ndarray
    stage: np.ndarray
    events: list[Event]
    budget: dict[str, float]
    reached_orbit: bool
    elements: orbits.Elements | None = None  # the orbit reached, None if suborbital
    impact: tuple[float, float, float] | None = None  # (latitude_deg, longitude_deg, time_s)
    # (latitude_deg, longitude_deg) arrays of the unpowered fall to impact
    fall_track: tuple[np.ndarray, np.ndarray] | None = None
    # the unpowered fall's integration steps, from the end of the record to impact
    fall_time_s: np.ndarray | None = None
    fall_position_m: np.ndarray | None = None  # (3, M) inertial, at fall_time_s
    fall_velocity_m_s: np.ndarray | None = None  # (3, M) inertial, at fall_time_s
    target: dict[str, Any] = field(default_factory=dict)
    # the budget's terms over time_s, as the books ran
    budget_series_m_s: dict[str, np.ndarray] = field(default_factory=dict)

    # derived series
    @property
    def earth_fixed_position_m(self) -> NDArray[np.float64]:
        th = _OMEGA * self.time_s
        c, s = np.cos(th), np.sin(th)
        x, y, z = self.position_m
        return np.array([c * x + s * y, -s * x + c * y, z])

    @cached_property
    def _geodetic(self):
        """(latitude_deg, longitude_deg, altitude_m) of the track, computed once."""
        return earth.ecef_to_geodetic(self.earth_fixed_position_m)

    @property
    def latitude_deg(self) -> NDArray[np.float64]:
        return self._geodetic[0]

    @property
    def longitude_deg(self) -> NDArray[np.float64]:
        return self._geodetic[1]

    @property
    def altitude_m(self) -> NDArray[np.float64]:
        return self._geodetic[2]

    @property
    def downrange_m(self) -> NDArray[np.float64]:
        lat, lon, _ = self._geodetic
        return earth.great_circle_distance_m(lat[0], lon[0], lat, lon)

    @property
    def east_north_m(self) -> NDArray[np.float64]:
        """Offsets of the track from the pad along the pad's local east and north, m (2 x N).

        The view from above of the first kilometres of a flight (a flat-Earth
        tangent plane at the pad: good to ~0.1 % within 50 km)."""
        ecef = self.earth_fixed_position_m
        lat, lon = np.radians(self._geodetic[0][0]), np.radians(self._geodetic[1][0])
        d = ecef - ecef[:, :1]
        east = -np.sin(lon) * d[0] + np.cos(lon) * d[1]
        north = -np.sin(lat) * np.cos(lon) * d[0] - np.sin(lat) * np.sin(lon) * d[1] + np.cos(lat) * d[2]
        return np.array([east, north])

    @property
    def inertial_speed_m_s(self) -> NDArray[np.float64]:
        return np.linalg.norm(self.velocity_m_s, axis=0)

    @property
    def relative_velocity_m_s(self) -> NDArray[np.float64]:
        x, y, _ = self.position_m
        vx, vy, vz = self.velocity_m_s
        return np.array([vx + _OMEGA * y, vy - _OMEGA * x, vz])

    @property
    def relative_speed_m_s(self) -> NDArray[np.float64]:
        return np.linalg.norm(self.relative_velocity_m_s, axis=0)

    @property
    def flight_path_angle_deg(self) -> NDArray[np.float64]:
        """Angle of the Earth-relative velocity above the local horizontal, deg."""
        r = self.position_m
        vr = self.relative_velocity_m_s
        s = np.sum(r * vr, axis=0) / (np.linalg.norm(r, axis=0) * np.maximum(np.linalg.norm(vr, axis=0), 1e-9))
        # standing on the pad the velocity is zero; the rocket points straight up
        return np.where(np.linalg.norm(vr, axis=0) < 1e-3, 90.0, np.degrees(np.arcsin(np.clip(s, -1, 1))))

    def budget_until(self, time_s: float) -> dict[str, float]:
        """The delta-v books as they stood at ``time_s`` (s after lift-off): a dict with the
        ideal delta-v spent and the gravity, drag, steering and back-pressure losses paid
        so far, m/s (linear between recorded steps). ``budget_until(time_s[-1])`` is the
        final ``budget`` without its delivered and earth_rotation entries."""
        t = float(_check.non_negative("time_s", time_s, unit="s"))
        return {k: float(np.interp(t, self.time_s, v)) for k, v in self.budget_series_m_s.items()}

    def telemetry(self, times_s: ArrayLike) -> tuple[NDArray[np.float64], ...]:
        """What telemetry would read at ``times_s`` (s after lift-off, an array), through
        the flight and on through the unpowered fall of a flight that did not reach orbit:
        ``(altitude_m, inertial_speed_m_s, thrust_n, mass_kg)``, arrays like ``times_s``.

        Up to the end of the record each value is the recorded one at the first step at
        or after the time; in the fall the position is interpolated between the
        integrator's steps (cubic Hermite, with the velocities), the thrust is zero and
        the mass is what the vehicle had when its engines stopped. Times before lift-off,
        after the impact, or after the end of a flight that reached orbit, give NaN."""
        t = np.asarray(_check.as_array("times_s", times_s), dtype=float)
        out = [np.full(t.shape, np.nan) for _ in range(4)]
        end = float(self.time_s[-1])
        flown = (t >= 0.0) & (t <= end)
        i = np.minimum(np.searchsorted(self.time_s, t[flown]), self.time_s.size - 1)
        for o, series in zip(out, (self.altitude_m, self.inertial_speed_m_s, self.thrust_n, self.mass_kg), strict=True):
            o[flown] = series[i]
        if self.fall_time_s is not None:
            assert self.fall_position_m is not None and self.fall_velocity_m_s is not None  # set with fall_time_s
            ft = self.fall_time_s
            falling = (t > end) & (t <= ft[-1])
            tf = t[falling]
            k = np.clip(np.searchsorted(ft, tf) - 1, 0, ft.size - 2)
            h = ft[k + 1] - ft[k]
            u = (tf - ft[k]) / h
            r0, r1 = self.fall_position_m[:, k], self.fall_position_m[:, k + 1]
            v0, v1 = self.fall_velocity_m_s[:, k], self.fall_velocity_m_s[:, k + 1]
            h00, h10, h01, h11 = 2 * u**3 - 3 * u**2 + 1, u**3 - 2 * u**2 + u, -2 * u**3 + 3 * u**2, u**3 - u**2
            pos = h00 * r0 + h10 * h * v0 + h01 * r1 + h11 * h * v1
            vel = (1 - u) * v0 + u * v1
            th = _OMEGA * tf
            c, s_ = np.cos(th), np.sin(th)
            ecef = np.array([c * pos[0] + s_ * pos[1], -s_ * pos[0] + c * pos[1], pos[2]])
            out[0][falling] = np.maximum(earth.ecef_to_geodetic(ecef)[2], 0.0)
            out[1][falling] = np.linalg.norm(vel, axis=0)
            out[2][falling] = 0.0
            out[3][falling] = float(self.mass_kg[-1])
        return tuple(out)

    def event(self, name: str) -> Event | None:
        """The first event whose name contains ``name`` (or None)."""
        for e in self.events:
            if name in e.name:
                return e
        return None

    def summary(self) -> str:
        """A few lines a student can read: events, budget, orbit."""
        lines = [f"{self.vehicle} from {self.site}"]
        lines += ["  " + str(e) for e in self.events]
        b = self.budget
        lines.append(
            f"  delta-v: ideal {b['ideal']:.0f} = delivered {b['delivered']:.0f} + gravity {b['gravity']:.0f}"
            f" + drag {b['drag']:.0f} + steering {b['steering']:.0f} + back-pressure {b['back_pressure']:.0f} m/s"
        )
        if self.reached_orbit:
            el = self.elements
            assert el is not None  # set whenever the flight reached orbit
            lines.append(
                f"  orbit: {float(el.perigee_altitude_m) / 1000:.1f} x {float(el.apogee_altitude_m) / 1000:.1f} km,"
                f" inclination {float(el.inclination_deg):.2f} deg, node {float(el.raan_deg):.1f} deg,"
                f" period {float(el.period_s) / 60:.1f} min"
            )
        elif self.impact:
            lines.append(f"  suborbital: impact at {self.impact[0]:.2f} N, {self.impact[1]:.2f} E, "
                         f"T+{self.impact[2]:.0f} s")
        return "\n".join(lines)


# --- the simulator -----------------------------------------------------------------

def _energy(state):
    """Specific orbital energy of a state list, J/kg."""
    return 0.5 * sum(c * c for c in state[3:6]) - GM_M3_S2 / math.sqrt(sum(c * c for c in state[:3]))


_Z_NORMAL = 1.0 / (1.0 - WGS84_F) ** 2


def _local_frame(x, y, z, geodetic=True):
    """(up, east, north) unit vectors at a point. With ``geodetic`` up is the ellipsoid normal (the
    local vertical a plumb line shows, ~0.2 deg from the geocentric radial at mid-latitudes), from the
    gradient of x^2/a^2 + y^2/a^2 + z^2/b^2: exact on the surface and within 1e-5 rad up to 1,000 km.
    Without it up is the geocentric radial."""
    zz = z * _Z_NORMAL if geodetic else z
    r = math.sqrt(x * x + y * y + zz * zz)
    ux, uy, uz = x / r, y / r, zz / r
    ex, ey = -uy, ux
    en = math.hypot(ex, ey) or 1.0
    ex, ey, ez = ex / en, ey / en, 0.0
    nx, ny, nz = uy * ez - uz * ey, uz * ex - ux * ez, ux * ey - uy * ex
    return (ux, uy, uz), (ex, ey, ez), (nx, ny, nz)


def _heading_vector(x, y, z, pitch_rad, azimuth_rad):
    u, e, n = _local_frame(x, y, z)
    cp, sp = math.cos(pitch_rad), math.sin(pitch_rad)
    sa, ca = math.sin(azimuth_rad), math.cos(azimuth_rad)
    return tuple(sp * u[i] + cp * (sa * e[i] + ca * n[i]) for i in range(3))


class _Flight:
    def __init__(self, vehicle, site, payload_kg, target, kick_deg, pitch_program, dt_s):
        self.v = vehicle
        self.site = site
        self.groups = _groups(vehicle)
        self.payload = payload_kg
        self.target = target
        self.kick = math.radians(kick_deg)
        self.pitch_program = pitch_program
        self.dt = dt_s
        self.area = vehicle.drag_area_m2
        self.fairing = vehicle.fairing_mass_kg
        self.cd_scale = 1.0

    faults: tuple[Fault, ...] = ()
    capsule_cd_area_m2 = 0.0  # set by an abort: from then on only the crew capsule (Cd x area, m^2) flies

    def thr(self, k, boost, t):
        """Throttle of group k at t, including injected thrust shortfalls."""
        x = _throttle(self.groups, k, boost, t)
        for f in self.faults:
            if f.kind == "thrust_shortfall" and f.stage == k + 1 and t >= f.time_s - 1e-9:
                x *= 1.0 - f.fraction
        return x

    # thrust from the active groups: (F_vac_eff, exit area, mdot)
    def engines(self, active, boost, t):
        fv = ae = md = 0.0
        for k in active:
            g = self.groups[k]
            thr = self.thr(k, boost, t)
            fv += thr * g.thrust_vac_n
            ae += g.exit_area_m2
            md += thr * g.mdot_full_kg_s
        return fv, ae, md

    def deriv(self, t, s, fv, ae, md, steer):
        x, y, z, vx, vy, vz, m = s[:7]
        r2 = x * x + y * y + z * z
        r = math.sqrt(r2)
        # J2 gravity
        k = 1.5 * J2 * (WGS84_A_M * WGS84_A_M / r2)
        zr2 = z * z / r2
        f = -GM_M3_S2 / (r2 * r)
        gx = f * x * (1 + k * (1 - 5 * zr2))
        gy = f * y * (1 + k * (1 - 5 * zr2))
        gz = f * z * (1 + k * (3 - 5 * zr2))
        # air
        h = _altitude(x, y, z)
        rho, p, a_snd = _atm(h)
        wx, wy, wz = vx + _OMEGA * y, vy - _OMEGA * x, vz
        vrel = math.sqrt(wx * wx + wy * wy + wz * wz)
        if rho > 0 and vrel > 0:
            dmag = 0.5 * rho * vrel * vrel * (self.capsule_cd_area_m2 or _cd(vrel / a_snd) * self.area * self.cd_scale)
            dx, dy, dz = -dmag * wx / vrel, -dmag * wy / vrel, -dmag * wz / vrel
        else:
            dx = dy = dz = 0.0
        # thrust
        thrust = max(fv - p * ae, 0.0) if fv > 0 else 0.0
        if thrust > 0:
            ux, uy, uz = steer(t, x, y, z, vx, vy, vz, wx, wy, wz)
        else:
            ux = uy = uz = 0.0
        ax = (thrust * ux + dx) / m + gx
        ay = (thrust * uy + dy) / m + gy
        az = (thrust * uz + dz) / m + gz
        v = math.sqrt(vx * vx + vy * vy + vz * vz)
        hx, hy, hz = vx / v, vy / v, vz / v
        cos_a = ux * hx + uy * hy + uz * hz
        return (vx, vy, vz, ax, ay, az, -md,
                fv / m,  # ideal
                -(gx * hx + gy * hy + gz * hz),  # gravity loss
                -(dx * hx + dy * hy + dz * hz) / m,  # drag loss
                thrust * (1.0 - cos_a) / m,  # steering loss
                (fv - thrust) / m)  # back-pressure loss

    def rk4(self, t, s, h, fv, ae, md, steer):
        d = self.deriv
        k1 = d(t, s, fv, ae, md, steer)
        s2 = [a + 0.5 * h * b for a, b in zip(s, k1, strict=True)]
        k2 = d(t + 0.5 * h, s2, fv, ae, md, steer)
        s3 = [a + 0.5 * h * b for a, b in zip(s, k2, strict=True)]
        k3 = d(t + 0.5 * h, s3, fv, ae, md, steer)
        s4 = [a + h * b for a, b in zip(s, k3, strict=True)]
        k4 = d(t + h, s4, fv, ae, md, steer)
        return [a + h / 6.0 * (b1 + 2 * b2 + 2 * b3 + b4) for a, b1, b2, b3, b4 in zip(s, k1, k2, k3, k4, strict=True)]


def _target_plane_normal(lat_deg, lon_deg, inertial_azimuth_deg):
    """Normal of the orbit plane through the site's position vector (at lift-off)
    along an inertial azimuth measured in the geocentric local frame."""
    r = earth.geodetic_to_ecef(lat_deg, lon_deg, 0.0)
    u, e, n = _local_frame(r[0], r[1], r[2], geodetic=False)
    a = math.radians(inertial_azimuth_deg)
    d = [math.sin(a) * e[i] + math.cos(a) * n[i] for i in range(3)]
    h = np.cross(u, d)
    return h / np.linalg.norm(h)


def fly(vehicle: str | Vehicle, site: str | Site, *, perigee_km: float = 200.0, apogee_km: float | None = None,
        inclination_deg: float | None = None, payload_kg: float | None = None, kick_deg: float | None = None,
        pitch_program: Callable[[float], float] | None = None, faults: Sequence[Fault] = (), dogleg: bool = False,
        dispersion: Dispersion | None = None, dt_s: float = 0.5, max_time_s: float = 3600.0) -> AscentResult:
    """Simulate one launch from ``site`` and return an :class:`AscentResult`.

    ``perigee_km``/``apogee_km`` (altitudes above the equatorial radius) and
    ``inclination_deg`` command the orbit; the inclination defaults to the
    site's latitude (due east). ``payload_kg`` (default half the published LEO
    payload) must lie between 0 and the vehicle's own lift-off mass.
    ``kick_deg`` is the pitch-over from the vertical, 0 < kick <= 45 deg
    (default: the best of :data:`KICK_CANDIDATES_DEG`, see
    :func:`choose_kick_deg`). ``pitch_program`` (optional) is a function of
    time in seconds returning the pitch angle above the horizon in degrees,
    flown along the launch azimuth instead of the vertical rise, kick and
    gravity turn until the closed-loop phase takes over at 80 km. ``faults``
    is a sequence of :class:`cosmodrome.failures.Fault` to inject. With
    ``dogleg=True`` an inclination below the site's geocentric latitude is
    reached by launching due east and yawing toward the lower plane in flight
    (the target plane's northernmost point is put over the site).
    ``dispersion`` (a :class:`Dispersion`) scales thrust, Isp, dry masses and
    drag of the vehicle as flown; guidance still plans for the nominal one.
    """
    v = _vehicles.get_vehicle(vehicle)
    s = _sites.get_site(site)
    payload = v.payload_leo_kg * 0.5 if payload_kg is None else v.checked_payload_kg(payload_kg)
    if kick_deg is not None:
        kick_deg = float(_check.in_range("kick_deg", kick_deg, 0.0, KICK_MAX_DEG, low_open=True, unit="deg"))
    hp = float(_check.in_range("perigee_km", perigee_km, 80.0, 40000.0, unit="km"))
    ha = hp if apogee_km is None else float(_check.in_range("apogee_km", apogee_km, hp, 400000.0, unit="km"))
    inc = abs(s.latitude_deg) if inclination_deg is None else float(inclination_deg)
    low = float(s.lowest_inclination_deg)
    use_dogleg = bool(dogleg) and (inc < low or inc > 180.0 - low)
    fly_inc = (low if inc < low else 180.0 - low) if use_dogleg else inc
    ground_az, corridor = _sites.plan_direct_ascent(s, fly_inc, hp * 1000.0)
    # which inertial azimuth (ascending or descending) the chosen ground azimuth belongs to
    asc, desc = _sites.inertial_azimuth_deg(s.latitude_deg, fly_inc)
    g_asc = float(_sites.ground_azimuth_deg(s.latitude_deg, asc, hp * 1000.0))
    inertial_az = float(asc) if abs((g_asc - ground_az + 180) % 360 - 180) < 1e-6 else float(desc)
    faults = tuple(faults)
    n_stages = len(v.stages)
    for f in faults:
        if f.stage and not 1 <= f.stage <= n_stages:
            raise ValueError(f"fault stage must be in [1, {n_stages}] for {v.name} (got {f.stage})")
        if f.kind == "no_ignition" and f.stage == 1:
            raise ValueError("fault stage must be >= 2 for no_ignition: if stage 1 does not ignite the rocket "
                             "never leaves the pad")
    plane_lat, plane_lon, plane_az = s.latitude_deg, s.longitude_deg, inertial_az
    for f in faults:
        if f.kind == "wrong_azimuth":
            ground_az = (ground_az + f.azimuth_error_deg) % 360.0
            plane_az = (plane_az + f.azimuth_error_deg) % 360.0
        elif f.kind == "wrong_site" and not f.stage:
            other = _sites.get_site(f.site)
            a2, d2 = _sites.inertial_azimuth_deg(other.latitude_deg, inc)
            plane_lat, plane_lon = other.latitude_deg, other.longitude_deg
            plane_az = float(a2) if abs(float(a2) - inertial_az) < abs(float(d2) - inertial_az) else float(d2)
    n_hat = _target_plane_normal(plane_lat, plane_lon, plane_az)
    if use_dogleg:
        # the plane of inclination inc whose northern (southern) apex lies over the site
        i_r = math.radians(inc)
        raan = math.radians(s.longitude_deg - 90.0 if s.latitude_deg >= 0 else s.longitude_deg + 90.0)
        n_hat = np.array([math.sin(i_r) * math.sin(raan), -math.sin(i_r) * math.cos(raan), math.cos(i_r)])
    extra = sum(f.extra_mass_kg for f in faults if f.kind == "overweight_payload")
    # one stage's own control system set up for another site (the Fregat, Meteor-M 2-1): its reference frame
    # is taken to be that site's (east, north, up) at lift-off while it really is this site's, so from its
    # ignition it sees the flight, and steers, turned by the rotation R between the two frames. Guidance is
    # unchanged by a rotation, so this is the same as chasing the target plane turned by R.
    misaligned = {}
    for f in faults:
        if f.kind == "wrong_site" and f.stage:
            other = _sites.get_site(f.site)
            frames = [np.array(_local_frame(*earth.geodetic_to_ecef(q.latitude_deg, q.longitude_deg, 0.0))).T
                      for q in (s, other)]
            rot = frames[0] @ frames[1].T
            angle = math.degrees(math.acos(max(-1.0, min(1.0, (float(np.trace(rot)) - 1.0) / 2.0))))
            misaligned = {"group": f.stage - 1, "rot": rot,
                          "event": f"FAULT: {f.describe()} ({angle:.0f} deg from the true one)"}

    m0 = v.liftoff_mass_kg(payload) + extra + v.fairing_mass_kg
    g_site = float(earth.surface_gravity_m_s2(s.latitude_deg))
    tw = v.liftoff_thrust_n / (m0 * g_site)
    if tw <= 1.0:
        raise ValueError(
            f"payload_kg {payload:.0f} makes {v.name} too heavy to lift off: thrust-to-weight {tw:.2f} "
            f"must be > 1 (lift-off mass {m0 / 1000:.1f} t, thrust {v.liftoff_thrust_n / 1e6:.2f} MN)"
        )
    if kick_deg is None:
        kick_deg = choose_kick_deg(v.key, s.key, payload, hp, ha, inc, dt_s, use_dogleg)

    F = _Flight(v, s, payload, dict(perigee_km=hp, apogee_km=ha, inclination_deg=inc), kick_deg, pitch_program, dt_s)
    F.faults = faults
    if dispersion is not None:
        F.cd_scale = dispersion.cd
        for g in F.groups:
            g.thrust_vac_n *= dispersion.thrust
            g.exit_area_m2 *= dispersion.thrust
            g.isp_vac_s *= dispersion.isp
            g.mdot_full_kg_s = g.thrust_vac_n / (g.isp_vac_s * G0_M_S2)
            g.dry_kg *= dispersion.dry_mass
    r_star = WGS84_A_M + hp * 1000.0
    a_star = WGS84_A_M + (hp + ha) * 500.0
    energy_star = -GM_M3_S2 / (2.0 * a_star)

    if dispersion is not None:
        m0 = sum(g.dry_kg + g.propellant_kg for g in F.groups) + payload + extra + v.fairing_mass_kg
    r0 = earth.geodetic_to_ecef(s.latitude_deg, s.longitude_deg, s.elevation_m)
    vel0 = np.cross([0.0, 0.0, _OMEGA], r0)
    state = [*r0.tolist(), *vel0.tolist(), m0, 0.0, 0.0, 0.0, 0.0, 0.0]
    az_rad = math.radians(ground_az)

    groups = F.groups
    prop = [g.propellant_kg for g in groups]
    active = [0, 1] if (groups[0].parallel and len(groups) > 1) else [0]
    next_group = max(active) + 1
    boost = groups[0].parallel
    coast_until = None
    closed_loop = False
    cutoff = False
    fairing_on = F.fairing > 0
    guidance: dict[str, Any] = {"dir": None, "frozen": False}
    t = 0.0
    events = [Event(0.0, "lift-off", s.elevation_m, float(np.linalg.norm(vel0)))]
    rec: dict[str, list[Any]] = {k: [] for k in ("t", "s", "thrust", "q", "acc", "stage")}
    t_vertical = None
    fired = set()
    dead = [0.0] * len(groups)
    timed = ("early_cutoff", "termination", "thrust_shortfall", "attitude_loss", "abort")
    fault_times = sorted(f.time_s for f in faults if f.kind in timed)
    no_ignite = {f.stage - 1 for f in faults if f.kind == "no_ignition"}
    stuck = {f.stage - 1 for f in faults if f.kind == "separation_failure"}

    def burn(step):
        """Take a step's propellant from every burning group."""
        for k in active:
            prop[k] = max(prop[k] - F.thr(k, boost, t) * groups[k].mdot_full_kg_s * step, 0.0)

    def record(t, st, fv, ae):
        x, y, z, vx, vy, vz, m = st[:7]
        h = _altitude(x, y, z)
        rho, p, a_snd = _atm(h)
        wx, wy, wz = vx + _OMEGA * y, vy - _OMEGA * x, vz
        q = 0.5 * rho * (wx * wx + wy * wy + wz * wz)
        thrust = max(fv - p * ae, 0.0) if fv > 0 else 0.0
        rec["t"].append(t)
        rec["s"].append(list(st))
        rec["thrust"].append(thrust)
        rec["q"].append(q)
        vrel = math.sqrt(wx * wx + wy * wy + wz * wz)
        drag = q * (F.capsule_cd_area_m2 or _cd(vrel / a_snd) * F.area)
        rec["acc"].append((thrust - drag) / m / G0_M_S2)
        rec["stage"].append(max(active) + 1 if active else 0)

    def tgo(m, dv_go):
        """Time to deliver dv_go with the remaining stages (vacuum), s."""
        tt, mm, need = 0.0, m, dv_go
        seq = list(active) + list(range(next_group, len(groups)))
        first = True
        for k in seq:
            if first and len(active) > 1 and k == active[0]:
                continue
            g = groups[k]
            c = g.thrust_vac_n / g.mdot_full_kg_s
            avail = prop[k]
            dv_here = c * math.log(mm / (mm - avail)) if avail > 0 else 0.0
            if dv_here >= need:
                return tt + mm * (1 - math.exp(-need / c)) / g.mdot_full_kg_s
            need -= dv_here
            tt += avail / g.mdot_full_kg_s + STAGE_SEPARATION_COAST_S
            mm = mm - avail - g.dry_kg
            first = False
        return tt + 1e3  # not enough: aim anyway

    attitude: dict[str, Any] = {}  # set when an attitude_loss fault fires: start time, rate, held and target directions

    def steer(t, x, y, z, vx, vy, vz, wx, wy, wz):
        if not attitude:
            return guide(t, x, y, z, vx, vy, vz, wx, wy, wz)
        # the thrust axis turns from the last commanded direction u0 towards d (perpendicular to u0)
        th = min(math.radians(attitude["rate"]) * max(t - attitude["t0"], 0.0), math.pi)
        c, s_ = math.cos(th), math.sin(th)
        u0, d = attitude["u0"], attitude["d"]
        return (c * u0[0] + s_ * d[0], c * u0[1] + s_ * d[1], c * u0[2] + s_ * d[2])

    def start_attitude_loss(f, t, st):
        x, y, z, vx, vy, vz = st[:6]
        wx, wy, wz = vx + _OMEGA * y, vy - _OMEGA * x, vz
        u0 = guide(t, x, y, z, vx, vy, vz, wx, wy, wz)
        d = _heading_vector(x, y, z, 0.0, az_rad + math.radians(f.direction_deg))
        dot = sum(a * b for a, b in zip(u0, d, strict=True))
        perp = [d[i] - dot * u0[i] for i in range(3)]
        n = math.sqrt(sum(c * c for c in perp))
        if n < 1e-9:  # already flying along d: turn downwards instead
            up = _local_frame(x, y, z)[0]
            dot = sum(a * b for a, b in zip(u0, up, strict=True))
            perp = [-up[i] + dot * u0[i] for i in range(3)]
            n = math.sqrt(sum(c * c for c in perp))
        attitude.update(t0=t, rate=f.rate_deg_s, u0=tuple(u0), d=tuple(c / n for c in perp))

    def guide(t, x, y, z, vx, vy, vz, wx, wy, wz):
        if closed_loop and guidance["dir"] is not None:
            return guidance["dir"]
        if t_vertical is None:
            return _local_frame(x, y, z)[0]
        tk = t - t_vertical
        if F.pitch_program is not None:
            p_deg = float(F.pitch_program(t))
            if not -90.0 <= p_deg <= 90.0:  # also rejects NaN
                raise ValueError(f"pitch_program must return a pitch in [-90, 90] deg (got {p_deg} at t = {t:.1f} s)")
            pitch = math.radians(p_deg)
            return _heading_vector(x, y, z, pitch, az_rad)
        if tk < 8.0:
            return _heading_vector(x, y, z, math.pi / 2 - F.kick * tk / 8.0, az_rad)
        w = math.sqrt(wx * wx + wy * wy + wz * wz)
        return (wx / w, wy / w, wz / w)

    nx_, ny_, nz_ = (float(c) for c in n_hat)
    v_star = math.sqrt(GM_M3_S2 * (2 / r_star - 1 / a_star))

    def closed_loop_update(st):
        """Steer in the target plane's frame (radial, downrange, normal), plain floats for speed."""
        x, y, z, vx, vy, vz, m = st[:7]
        r = math.sqrt(x * x + y * y + z * z)
        rx, ry, rz = x / r, y / r, z / r
        tx, ty, tz = ny_ * rz - nz_ * ry, nz_ * rx - nx_ * rz, nx_ * ry - ny_ * rx
        tn = math.sqrt(tx * tx + ty * ty + tz * tz)
        tx, ty, tz = tx / tn, ty / tn, tz / tn
        vr = vx * rx + vy * ry + vz * rz
        vt = vx * tx + vy * ty + vz * tz
        vc = vx * nx_ + vy * ny_ + vz * nz_
        dc = x * nx_ + y * ny_ + z * nz_
        dv_go = math.sqrt((v_star - vt) ** 2 + vr**2 + vc**2)
        T = max(tgo(m, dv_go), 1.0)
        fv, ae, md = F.engines(active, boost, t)
        acc = fv / m if fv > 0 else 1.0
        if T < 6.0 and guidance["dir"] is not None:
            return
        A_r = 6 * (r_star - r) / T**2 - 4 * vr / T
        a_r = A_r + GM_M3_S2 / r**2 - vt**2 / r
        a_c = -6 * dc / T**2 - 4 * vc / T
        lim = 0.9 * acc
        mag = math.hypot(a_r, a_c)
        if mag > lim:
            a_r, a_c = a_r * lim / mag, a_c * lim / mag
        a_t = math.sqrt(max(acc**2 - a_r**2 - a_c**2, 0.0))
        dx = a_r * rx + a_t * tx + a_c * nx_
        dy = a_r * ry + a_t * ty + a_c * ny_
        dz = a_r * rz + a_t * tz + a_c * nz_
        dn = math.sqrt(dx * dx + dy * dy + dz * dz)
        guidance["dir"] = (dx / dn, dy / dn, dz / dn)

    max_steps = int(max_time_s / dt_s) + 10000
    steps = 0
    while t < max_time_s and steps < max_steps:
        steps += 1
        fv, ae, md = F.engines(active, boost, t) if (active and coast_until is None and not cutoff) else (0.0, 0.0, 0.0)
        record(t, state, fv, ae)
        x, y, z, vx, vy, vz, m = state[:7]
        h = _altitude(x, y, z)
        # vertical rise ends when clear of the tower
        if t_vertical is None and (math.sqrt((vx + _OMEGA * y) ** 2 + (vy - _OMEGA * x) ** 2 + vz**2)
                                   > VERTICAL_RISE_SPEED_M_S or t > 30.0):
            t_vertical = t
        # switch to closed loop once out of the dense air
        if not closed_loop and pitch_program is None and t > 60.0 and h > 40_000.0:
            rho, _, _ = _atm(h)
            if 0.5 * rho * (vx * vx + vy * vy + vz * vz) < 3000.0:
                closed_loop = True
                events.append(Event(t, "closed-loop guidance", h, math.sqrt(vx * vx + vy * vy + vz * vz)))
        if not closed_loop and pitch_program is not None and h > 80_000.0:
            closed_loop = True
            events.append(Event(t, "closed-loop guidance", h, math.sqrt(vx * vx + vy * vy + vz * vz)))
        for f in faults:
            if f in fired or f.kind not in timed or t < f.time_s - 1e-9:
                continue
            if f.kind == "thrust_shortfall" and f.stage - 1 not in active:
                continue
            fired.add(f)
            events.append(Event(t, "FAULT: " + f.describe(), h, math.sqrt(vx * vx + vy * vy + vz * vz)))
            if f.kind in ("termination", "abort"):
                active, next_group, coast_until = [], len(groups), None
            if f.kind == "abort":  # the crew capsule leaves the rocket and falls alone
                state[6] = f.capsule_mass_kg
                F.capsule_cd_area_m2 = f.capsule_drag_area_m2
            elif f.kind == "attitude_loss":
                start_attitude_loss(f, t, state)
            elif f.kind == "early_cutoff" and f.stage - 1 in active:
                dead[f.stage - 1] += prop[f.stage - 1]
                prop[f.stage - 1] = 0.0
        if not active and coast_until is None:
            break
        if fairing_on and h > FAIRING_JETTISON_ALTITUDE_M:
            state[6] -= F.fairing
            fairing_on = False
            events.append(Event(t, "fairing jettison", h, math.sqrt(vx * vx + vy * vy + vz * vz)))
        if closed_loop and fv > 0:
            closed_loop_update(state)
        if h < -50.0 and t > 1.0:
            break
        # the step, shortened to land on the next burnout or ignition
        # above the air the forces change slowly: a 4x longer step costs < 0.1 % in apogee (bench_ascent.py)
        step = dt_s if h < THIN_AIR_ALTITUDE_M else (2.0 * dt_s if h < VACUUM_ALTITUDE_M else VACUUM_STEP_FACTOR * dt_s)
        burnout = None
        if fv > 0:
            for k in active:
                g = groups[k]
                thr = F.thr(k, boost, t)
                tb = prop[k] / (thr * g.mdot_full_kg_s)
                if tb <= step + 1e-9:
                    step, burnout = tb, k
        elif coast_until is not None and coast_until - t < step:
            step = coast_until - t
        if boost and t < CORE_THROTTLE_START_S < t + step:
            step, burnout = CORE_THROTTLE_START_S - t, None
        for tf in fault_times:
            if t < tf < t + step - 1e-9:
                step, burnout = tf - t, None
        if cutoff or (not active and coast_until is None):
            break
        new = F.rk4(t, state, step, fv, ae, md, steer)
        # cutoff on reaching the target orbital energy
        if closed_loop and fv > 0:
            e_new = _energy(new)
            if e_new >= energy_star:
                e_old = _energy(state)
                frac = min(max((energy_star - e_old) / (e_new - e_old), 0.0), 1.0)
                step2 = step * frac
                new = F.rk4(t, state, step2, fv, ae, md, steer)
                burn(step2)
                t += step2
                state = new
                cutoff = True
                sp = math.sqrt(sum(c * c for c in state[3:6]))
                events.append(Event(t, f"engine cutoff (stage {max(active) + 1}), target orbit",
                                    _altitude(*state[:3]), sp))
                continue
        # a vehicle driven into the ground under power: end the step at the ground
        grounded = False
        h_new = _altitude(*new[:3])
        if t > 1.0 and h_new < 0.0 <= h:
            step *= h / (h - h_new)
            new = F.rk4(t, state, step, fv, ae, md, steer)
            burnout, grounded = None, True
        # propellant bookkeeping
        if fv > 0:
            burn(step)
        t += step
        state = new
        if grounded:
            break
        sp = math.sqrt(sum(c * c for c in state[3:6]))
        hh = _altitude(*state[:3])
        if coast_until is not None and t >= coast_until - 1e-9:
            coast_until = None
            events.append(Event(t, f"stage {max(active) + 1} ignition ({groups[max(active)].name})", hh, sp))
            if misaligned and misaligned["group"] == max(active):
                events.append(Event(t, misaligned["event"], hh, sp))
                nx_, ny_, nz_ = (float(c) for c in misaligned["rot"] @ np.array([nx_, ny_, nz_]))
        if burnout is not None:
            g = groups[burnout]
            prop[burnout] = 0.0
            active.remove(burnout)
            if burnout in stuck:
                events.append(Event(t, f"FAULT: stage {burnout + 1} burnout, fails to separate", hh, sp))
            else:
                state[6] -= g.dry_kg + dead[burnout]
            if g.parallel:
                boost = False
                if burnout not in stuck:
                    events.append(Event(t, f"booster separation ({g.name})", hh, sp))
            else:
                if burnout not in stuck:
                    events.append(Event(t, f"stage {burnout + 1} burnout and separation", hh, sp))
                if next_group < len(groups):
                    if next_group in no_ignite:
                        events.append(Event(t + STAGE_SEPARATION_COAST_S,
                                            f"FAULT: stage {next_group + 1} fails to ignite", hh, sp))
                        next_group = len(groups)
                    else:
                        active.append(next_group)
                        next_group += 1
                        coast_until = t + STAGE_SEPARATION_COAST_S
    # final record
    record(t, state, 0.0, 0.0)

    st = np.array(rec["s"]).T
    r_f, v_f = st[0:3, -1], st[3:6, -1]
    el = orbits.state_to_elements(r_f, v_f)
    reached = bool(float(el.eccentricity) < 1 and float(el.perigee_altitude_m) > 100_000.0)
    impact = None
    fall = None
    fall_states = (None, None, None)
    if not reached:
        impact, fall, fall_states = _ballistic_impact(F, t, state)
        events.append(Event(impact[2], "impact", 0.0, 0.0))
    else:
        events.append(Event(t, "orbit insertion", _altitude(*state[:3]), float(np.linalg.norm(v_f))))
    ideal, grav, drag, steer_l, press = st[7:12, -1]
    v_start = float(np.linalg.norm(st[3:6, 0]))
    budget = {
        "ideal": float(ideal),
        "delivered": float(np.linalg.norm(v_f)) - v_start,
        "gravity": float(grav),
        "drag": float(drag),
        "steering": float(steer_l),
        "back_pressure": float(press),
        "earth_rotation": v_start,
    }
    q = np.array(rec["q"])
    powered = np.array(rec["thrust"]) > 0  # max-Q is an event of the powered ascent
    iq = int(np.argmax(np.where(powered, q, -1.0))) if powered.any() else int(np.argmax(q))
    events.append(Event(rec["t"][iq], f"max-Q ({q[iq] / 1000:.1f} kPa)", _altitude(*rec["s"][iq][:3]),
                        float(np.linalg.norm(rec["s"][iq][3:6]))))
    events.sort(key=lambda e: e.time_s)
    return AscentResult(
        vehicle=v.name, site=s.name, time_s=np.array(rec["t"]), position_m=st[0:3], velocity_m_s=st[3:6],
        mass_kg=st[6], thrust_n=np.array(rec["thrust"]), dynamic_pressure_pa=q,
        axial_acceleration_g=np.array(rec["acc"]), stage=np.array(rec["stage"]), events=events, budget=budget,
        reached_orbit=reached, elements=el if reached else None, impact=impact, fall_track=fall,
        fall_time_s=fall_states[0], fall_position_m=fall_states[1], fall_velocity_m_s=fall_states[2],
        budget_series_m_s={k: st[7 + i]
                           for i, k in enumerate(("ideal", "gravity", "drag", "steering", "back_pressure"))},
        target=dict(perigee_km=hp, apogee_km=ha, inclination_deg=inc, ground_azimuth_deg=ground_az,
                    inertial_azimuth_deg=inertial_az, corridor=str(corridor), kick_deg=kick_deg, payload_kg=payload,
                    faults=[f.describe() for f in faults], dogleg=use_dogleg),
    )


@dataclass(frozen=True)
class Dispersion:
    """Multipliers on the vehicle as flown (1 = nominal)."""

    thrust: float = 1.0
    isp: float = 1.0
    dry_mass: float = 1.0
    cd: float = 1.0


DEFAULT_SIGMAS = {"thrust": 0.02, "isp": 0.01, "dry_mass": 0.03, "cd": 0.10}
"""One-sigma relative dispersions for :func:`monte_carlo`: typical of the
flight-to-flight scatter of liquid engines and of the uncertainty in a
drag model, chosen for teaching (not a specific vehicle's)."""


def _mc_one(args):
    vkey, skey, kw, disp = args
    r = fly(vkey, skey, dispersion=disp, **kw)
    if r.reached_orbit:
        assert r.elements is not None  # set whenever the flight reached orbit
        return True, float(r.elements.perigee_altitude_m), float(r.elements.apogee_altitude_m)
    return False, math.nan, math.nan


def monte_carlo(vehicle: str | Vehicle, site: str | Site, n: int = 100, seed: int = 0,
                sigmas: Mapping[str, float] | None = None, processes: int | None = None,
                **mission: Any) -> dict[str, Any]:
    """Fly ``n`` dispersed copies of one mission; returns a dict of arrays.

    Each flight draws its thrust, Isp, dry-mass and drag multipliers from
    normal distributions with ``sigmas`` (default :data:`DEFAULT_SIGMAS`)
    using an explicit ``numpy.random.default_rng(seed)``. The pitch-over
    kick is planned once for the nominal vehicle, as a real flight plan is.
    Keys: ``reached_orbit``, ``perigee_m``, ``apogee_m``, one array per
    dispersed quantity, ``success_fraction`` and ``main_cause`` (the
    quantity whose low values separate failures from successes most).
    """
    from multiprocessing import get_context

    n = int(_check.in_range("n", n, 1, 100000))
    v = _vehicles.get_vehicle(vehicle)
    s = _sites.get_site(site)
    sig = dict(DEFAULT_SIGMAS, **(sigmas or {}))
    rng = np.random.default_rng(seed)
    draws = {k: np.clip(rng.normal(1.0, sig[k], n), 0.5, 1.5) for k in ("thrust", "isp", "dry_mass", "cd")}
    kw = dict(mission)
    if kw.get("kick_deg") is None:
        first = fly(v.key, s.key, **kw)
        kw["kick_deg"] = first.target["kick_deg"]
        kw.setdefault("payload_kg", first.target["payload_kg"])
    jobs = [(v.key, s.key, kw, Dispersion(*(float(draws[k][i]) for k in ("thrust", "isp", "dry_mass", "cd"))))
            for i in range(n)]
    if processes == 1 or n < 8:
        out = [_mc_one(j) for j in jobs]
    else:
        with get_context("fork").Pool(processes) as pool:
            out = pool.map(_mc_one, jobs, chunksize=max(1, n // 32))
    ok = np.array([o[0] for o in out])
    res: dict[str, Any] = {"reached_orbit": ok, "perigee_m": np.array([o[1] for o in out]),
                           "apogee_m": np.array([o[2] for o in out])}
    res.update(draws)
    res["success_fraction"] = float(ok.mean())
    cause = None
    if 0 < ok.sum() < n:
        # failures come from the low side of thrust/Isp and the high side of mass/drag
        sign = {"thrust": -1, "isp": -1, "dry_mass": 1, "cd": 1}
        score = {k: sign[k] * (draws[k][~ok].mean() - draws[k][ok].mean()) / sig[k] for k in sign}
        cause = max(score, key=score.__getitem__)
    res["main_cause"] = cause
    return res


KICK_CANDIDATES_DEG = (0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.5)

KICK_MAX_DEG = 45.0
"""Steepest pitch-over kick ``fly`` accepts, deg (it must also be > 0): well past the
planner's candidates, so students can see a too-steep kick fail, yet still a pitch-over."""


@lru_cache(maxsize=256)
def choose_kick_deg(vehicle_key: str, site_key: str, payload_kg: float, perigee_km: float, apogee_km: float,
                    inclination_deg: float, dt_s: float = 0.5,
                    dogleg: bool = False) -> float:
    """The pitch-over kick (deg) that reaches the commanded orbit with the most mass left.

    Real launchers fly a pitch programme computed before each mission; this
    plays that mission-planning role by flying each of KICK_CANDIDATES_DEG
    and keeping the best (cached per mission). If none reaches orbit, the kick
    that delivers the most delta-v is returned, so the failure is honest.
    """
    best, best_score = KICK_CANDIDATES_DEG[0], -math.inf
    for k in KICK_CANDIDATES_DEG:
        r = fly(vehicle_key, site_key, perigee_km=perigee_km, apogee_km=apogee_km,
                inclination_deg=inclination_deg, payload_kg=payload_kg, kick_deg=k, dt_s=dt_s, dogleg=dogleg)
        score = float(r.mass_kg[-1]) if r.reached_orbit else -1e12 + r.budget["delivered"]
        if score > best_score:
            best, best_score = k, score
    return best


def _ballistic_impact(F, t, state, max_time_s=7200.0):
    """Coast (drag and gravity, no thrust) until the ground.

    Returns ((lat, lon, time) of the impact, (lat_deg, lon_deg) arrays of the fall,
    (times, inertial positions (3, M), inertial velocities (3, M)) of the fall's steps).
    """
    st = list(state)
    t_end = t + max_time_s
    path_t, path_r, path_v = [t], [st[:3]], [st[3:6]]

    def no_steer(*a):
        return (0.0, 0.0, 0.0)

    while t < t_end:
        # long steps through vacuum, short ones once back in the air
        h_now = _altitude(*st[:3])
        dt = 10.0 if h_now > 150_000.0 else (4.0 if h_now > 60_000.0 else 1.0)
        new = F.rk4(t, st, dt, 0.0, 0.0, 0.0, no_steer)
        if _altitude(*new[:3]) <= 0.0:
            h0, h1 = _altitude(*st[:3]), _altitude(*new[:3])
            frac = min(max(h0 / (h0 - h1), 0.0), 1.0) if h0 != h1 else 1.0
            new = F.rk4(t, st, dt * frac, 0.0, 0.0, 0.0, no_steer)
            t += dt * frac
            st = new
            break
        t += dt
        st = new
        path_t.append(t)
        path_r.append(st[:3])
        path_v.append(st[3:6])
    if t > path_t[-1]:
        path_t.append(t)
        path_r.append(st[:3])
        path_v.append(st[3:6])
    pt = np.array(path_t)
    pr = np.array(path_r).T
    c, s_ = np.cos(_OMEGA * pt), np.sin(_OMEGA * pt)
    flat, flon, _ = earth.ecef_to_geodetic(np.array([c * pr[0] + s_ * pr[1], -s_ * pr[0] + c * pr[1], pr[2]]))
    th = _OMEGA * t
    x, y, z = st[:3]
    ecef = np.array([math.cos(th) * x + math.sin(th) * y, -math.sin(th) * x + math.cos(th) * y, z])
    lat, lon, _ = earth.ecef_to_geodetic(ecef)
    return (float(lat), float(lon), float(t)), (flat, flon), (pt, pr, np.array(path_v).T)


def missions() -> dict[str, dict[str, Any]]:
    """The reference flights of data/missions.toml, as a dict from key to its table."""
    return dict(load_toml("missions.toml"))


def fly_mission(key: str, **overrides: Any) -> AscentResult:
    """Fly a reference flight from data/missions.toml (keyword overrides allowed)."""
    m = _check.lookup("mission", key, load_toml("missions.toml"))
    kw = dict(perigee_km=m["perigee_km"], apogee_km=m["apogee_km"], inclination_deg=m["inclination_deg"],
              payload_kg=m["payload_kg"])
    kw.update(overrides)
    return fly(m["vehicle"], m["site"], **kw)
