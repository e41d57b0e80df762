"""Two-body orbits: speeds, elements <-> state vectors, Kepler's equation,
propagation, transfers, plane changes and J2 secular drift.

Arrays in, arrays out: every function broadcasts over NumPy arrays. Position
and velocity vectors have shape ``(3, ...)``. Lengths are metres, times
seconds, angles radians (names ending ``_rad``) unless a name ends ``_deg``.

Sources: D. A. Vallado, *Fundamentals of Astrodynamics and Applications*, 4th
ed. (2013), algorithms 2 (KepEqtnE), 4 (KepEqtnH), 9 (RV2COE), 10 (COE2RV),
36-37 (Hohmann, bi-elliptic) and eq. 9-41 (J2 nodal rate); H. D. Curtis,
*Orbital Mechanics for Engineering Students*, 3rd ed. (2014), algorithms 3.3-3.4
(universal-variable propagation), 4.2 and 4.5.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from . import _check
from .constants import EARTH_ROTATION_RAD_S, GM_M3_S2, J2, TROPICAL_YEAR_S, WGS84_A_M

if TYPE_CHECKING:
    from numpy.typing import ArrayLike, NDArray

TWO_PI = 2.0 * np.pi
_SMALL = 1e-11  # eccentricity / inclination below which an orbit counts as circular / equatorial


# --- speeds and periods ---------------------------------------------------------

def vis_viva_speed_m_s(radius_m: ArrayLike, semi_major_axis_m: ArrayLike,
                       mu_m3_s2: float = GM_M3_S2) -> NDArray[np.float64]:
    """Speed from the vis-viva equation v^2 = mu (2/r - 1/a), m/s.

    ``semi_major_axis_m`` is negative for a hyperbola. A radius outside an
    ellipse (beyond its apoapsis) is rejected.
    """
    r = _check.positive("radius_m", radius_m, unit="m")
    a = _check.as_array("semi_major_axis_m", semi_major_axis_m)
    if np.any(a == 0):
        raise ValueError("semi_major_axis_m must be non-zero (got 0)")
    v2 = mu_m3_s2 * (2.0 / r - 1.0 / a)
    if np.any(v2 < 0):
        bad = np.broadcast_to(r, v2.shape)[v2 < 0].ravel()[0]
        raise ValueError(
            f"radius_m must be <= 2 * semi_major_axis_m (the apoapsis of the ellipse) "
            f"(got {bad:.6g})"
        )
    return np.sqrt(v2)


def circular_speed_m_s(radius_m: ArrayLike, mu_m3_s2: float = GM_M3_S2) -> NDArray[np.float64]:
    """Speed on a circular orbit of the given radius, m/s."""
    r = _check.positive("radius_m", radius_m, unit="m")
    return np.sqrt(mu_m3_s2 / r)


def escape_speed_m_s(radius_m: ArrayLike, mu_m3_s2: float = GM_M3_S2) -> NDArray[np.float64]:
    """Escape speed at the given radius, m/s."""
    r = _check.positive("radius_m", radius_m, unit="m")
    return np.sqrt(2.0 * mu_m3_s2 / r)


def period_s(semi_major_axis_m: ArrayLike, mu_m3_s2: float = GM_M3_S2) -> NDArray[np.float64]:
    """Orbital period 2 pi sqrt(a^3 / mu), s."""
    a = _check.positive("semi_major_axis_m", semi_major_axis_m, unit="m")
    return TWO_PI * np.sqrt(a**3 / mu_m3_s2)


def semi_major_axis_from_period_m(period_s: ArrayLike, mu_m3_s2: float = GM_M3_S2) -> NDArray[np.float64]:
    """Semi-major axis for an orbital period, m (Kepler's third law)."""
    t = _check.positive("period_s", period_s, unit="s")
    return (mu_m3_s2 * (t / TWO_PI) ** 2) ** (1.0 / 3.0)


# --- classical elements ---------------------------------------------------------

@dataclass(frozen=True)
class Elements:
    """Classical orbital elements (arrays; SI units, angles in radians).

    Conventions for the degenerate cases follow Vallado (RV2COE): for a
    circular orbit ``arg_perigee_rad`` is 0 and ``true_anomaly_rad`` is the
    argument of latitude; for an equatorial orbit ``raan_rad`` is 0 and
    ``arg_perigee_rad`` is the longitude of periapsis; for a circular
    equatorial orbit both are 0 and ``true_anomaly_rad`` is the true longitude.
    """

    semi_major_axis_m: np.ndarray
    eccentricity: np.ndarray
    inclination_rad: np.ndarray
    raan_rad: np.ndarray
    arg_perigee_rad: np.ndarray
    true_anomaly_rad: np.ndarray
    mu_m3_s2: float = GM_M3_S2

    @property
    def inclination_deg(self) -> NDArray[np.float64]:
        return np.degrees(self.inclination_rad)

    @property
    def raan_deg(self) -> NDArray[np.float64]:
        return np.degrees(self.raan_rad)

    @property
    def arg_perigee_deg(self) -> NDArray[np.float64]:
        return np.degrees(self.arg_perigee_rad)

    @property
    def true_anomaly_deg(self) -> NDArray[np.float64]:
        return np.degrees(self.true_anomaly_rad)

    @property
    def semi_latus_rectum_m(self) -> NDArray[np.float64]:
        return self.semi_major_axis_m * (1.0 - self.eccentricity**2)

    @property
    def perigee_radius_m(self) -> NDArray[np.float64]:
        return self.semi_major_axis_m * (1.0 - self.eccentricity)

    @property
    def apogee_radius_m(self) -> NDArray[np.float64]:
        """Apogee radius, m (infinite for an open orbit)."""
        a, e = np.asarray(self.semi_major_axis_m), np.asarray(self.eccentricity)
        return np.where(e < 1.0, a * (1.0 + e), np.inf)

    @property
    def perigee_altitude_m(self) -> NDArray[np.float64]:
        """Perigee height above the equatorial radius, m."""
        return self.perigee_radius_m - WGS84_A_M

    @property
    def apogee_altitude_m(self) -> NDArray[np.float64]:
        """Apogee height above the equatorial radius, m (infinite for an open orbit)."""
        return self.apogee_radius_m - WGS84_A_M

    @property
    def period_s(self) -> NDArray[np.float64]:
        """Period, s (infinite for an open orbit)."""
        a = np.asarray(self.semi_major_axis_m)
        return np.where(a > 0, TWO_PI * np.sqrt(np.abs(a) ** 3 / self.mu_m3_s2), np.inf)


def state_to_elements(position_m: ArrayLike, velocity_m_s: ArrayLike, mu_m3_s2: float = GM_M3_S2) -> Elements:
    """Classical elements from an inertial state vector (Vallado RV2COE).

    Parabolic and rectilinear orbits (zero angular momentum) are rejected
    with a ValueError.
    """
    r = _check.as_array("position_m", position_m)
    v = _check.as_array("velocity_m_s", velocity_m_s)
    if r.shape[:1] != (3,) or v.shape[:1] != (3,):
        raise ValueError(f"position_m and velocity_m_s must have shape (3, ...) (got {r.shape}, {v.shape})")
    r, v = np.broadcast_arrays(r, v)
    rn = np.linalg.norm(r, axis=0)
    _check.positive("|position_m|", rn, unit="m")
    vn2 = np.sum(v * v, axis=0)
    h = np.cross(r, v, axis=0)
    hn = np.linalg.norm(h, axis=0)
    if np.any(hn <= 1e-12 * rn * np.sqrt(vn2 + 1e-300)):
        raise ValueError("velocity_m_s is parallel to position_m: a rectilinear orbit has no elements")
    k = np.zeros_like(h)
    k[2] = 1.0
    n = np.cross(k, h, axis=0)
    nn = np.linalg.norm(n, axis=0)
    rv = np.sum(r * v, axis=0)
    e_vec = ((vn2 - mu_m3_s2 / rn) * r - rv * v) / mu_m3_s2
    e = np.linalg.norm(e_vec, axis=0)
    energy = vn2 / 2.0 - mu_m3_s2 / rn
    if np.any(np.abs(e - 1.0) < 1e-12):
        raise ValueError("the orbit is parabolic (eccentricity 1): semi-major axis is undefined")
    a = -mu_m3_s2 / (2.0 * energy)
    inc = np.arccos(np.clip(h[2] / hn, -1.0, 1.0))

    circular = e < _SMALL
    equatorial = (inc < _SMALL) | (np.pi - inc < _SMALL)

    def angle(u, w, sign_src):
        """Angle between unit directions u and w, in [0, 2pi), using sign_src >= 0."""
        # atan2 of |u x w| and u . w keeps full precision near 0 and pi, where arccos does not
        ang = np.arctan2(np.linalg.norm(np.cross(u, w, axis=0), axis=0), np.sum(u * w, axis=0))
        return np.where(sign_src >= 0, ang, TWO_PI - ang)

    safe_n = np.where(nn > 0, n, np.array([1.0, 0.0, 0.0]).reshape((3,) + (1,) * (n.ndim - 1)))
    safe_e = np.where(e > 0, e_vec, safe_n)
    x_axis = np.array([1.0, 0, 0]).reshape((3,) + (1,) * (n.ndim - 1)) * np.ones_like(n)
    raan = np.where(equatorial, 0.0, angle(safe_n, x_axis, safe_n[1]))
    # Argument of perigee (inclined, eccentric)
    argp = angle(safe_n, safe_e, safe_e[2])
    # Longitude of periapsis (equatorial, eccentric), measured in the orbit's sense
    x_axis = np.zeros_like(r)
    x_axis[0] = 1.0
    lon_peri = np.arctan2(safe_e[1], safe_e[0]) % TWO_PI
    lon_peri = np.where(h[2] >= 0, lon_peri, (TWO_PI - lon_peri) % TWO_PI)
    argp = np.where(circular, 0.0, np.where(equatorial, lon_peri, argp))
    # True anomaly (eccentric)
    nu = angle(safe_e, r, rv)
    # Argument of latitude (circular inclined)
    u_lat = angle(safe_n, r, r[2])
    # True longitude (circular equatorial)
    lam = np.arctan2(r[1], r[0]) % TWO_PI
    lam = np.where(h[2] >= 0, lam, (TWO_PI - lam) % TWO_PI)
    nu = np.where(circular, np.where(equatorial, lam, u_lat), nu)
    return Elements(a, e, inc, raan % TWO_PI, argp % TWO_PI, nu % TWO_PI, mu_m3_s2)


def _rot3(angle, vec):
    c, s = np.cos(angle), np.sin(angle)
    return np.array([c * vec[0] - s * vec[1], s * vec[0] + c * vec[1], vec[2]])


def _rot1(angle, vec):
    c, s = np.cos(angle), np.sin(angle)
    return np.array([vec[0], c * vec[1] - s * vec[2], s * vec[1] + c * vec[2]])


def elements_to_state(semi_major_axis_m: ArrayLike, eccentricity: ArrayLike, inclination_rad: ArrayLike,
                      raan_rad: ArrayLike, arg_perigee_rad: ArrayLike, true_anomaly_rad: ArrayLike,
                      mu_m3_s2: float = GM_M3_S2) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Inertial position (m) and velocity (m/s), each shape ``(3, ...)`` (Vallado COE2RV).

    Uses the same degenerate-case conventions as :func:`state_to_elements`,
    so the two are inverses.
    """
    e = _check.non_negative("eccentricity", eccentricity)
    if np.any(np.abs(e - 1.0) < 1e-12):
        raise ValueError("eccentricity must not be exactly 1 (parabolic orbits are not supported)")
    a = _check.as_array("semi_major_axis_m", semi_major_axis_m)
    closed = e < 1.0
    if np.any(closed & (a <= 0)) or np.any(~closed & (a >= 0)):
        raise ValueError("semi_major_axis_m must be > 0 for an ellipse (e < 1) and < 0 for a hyperbola (e > 1)")
    inc = _check.in_range("inclination_rad", inclination_rad, 0.0, np.pi, unit="rad")
    raan = _check.as_array("raan_rad", raan_rad)
    argp = _check.as_array("arg_perigee_rad", arg_perigee_rad)
    nu = _check.as_array("true_anomaly_rad", true_anomaly_rad)
    p = a * (1.0 - e**2)
    denom = 1.0 + e * np.cos(nu)
    if np.any(denom <= 0):
        raise ValueError("true_anomaly_rad lies beyond the asymptotes of the hyperbola")
    r_pf = np.array([p * np.cos(nu) / denom, p * np.sin(nu) / denom, np.zeros(np.broadcast(p, nu).shape)])
    sq = np.sqrt(mu_m3_s2 / p)
    v_pf = np.array([-sq * np.sin(nu), sq * (e + np.cos(nu)), np.zeros(np.broadcast(p, nu).shape)])
    r_pf, v_pf = np.broadcast_arrays(r_pf, v_pf)
    r = _rot3(raan, _rot1(inc, _rot3(argp, r_pf)))
    v = _rot3(raan, _rot1(inc, _rot3(argp, v_pf)))
    return r, v


# --- Kepler's equation ----------------------------------------------------------

def eccentric_anomaly_rad(mean_anomaly_rad: ArrayLike, eccentricity: ArrayLike, tol: float = 1e-14,
                          max_iter: int = 30) -> NDArray[np.float64]:
    """Solve Kepler's equation M = E - e sin E for elliptic orbits (0 <= e < 1).

    Vectorized Halley iteration from Danby's starter E0 = M + 0.85 e sign(sin M),
    working only on the anomalies not yet converged; returns E in the same
    2-pi branch as M (Vallado algorithm 2; Danby, Fundamentals of Celestial
    Mechanics, 2nd ed., section 6.6).
    """
    m = _check.as_array("mean_anomaly_rad", mean_anomaly_rad)
    e = _check.in_range("eccentricity", eccentricity, 0.0, 1.0, high_open=True)
    m, e = np.broadcast_arrays(m, e)
    shape = m.shape
    m = m.ravel()
    e = e.ravel()
    m_red = np.remainder(m + np.pi, TWO_PI) - np.pi  # in [-pi, pi)
    E = m_red + 0.85 * e * np.sign(np.sin(m_red))
    active = np.arange(m.size)
    for _ in range(max_iter):
        Ea, ea, ma = E[active], e[active], m_red[active]
        es, ec = ea * np.sin(Ea), ea * np.cos(Ea)
        f = Ea - es - ma
        fp = 1.0 - ec
        dE = f / (fp - 0.5 * f * es / fp)
        E[active] = Ea - dE
        active = active[np.abs(dE) > tol * (1.0 + np.abs(Ea))]
        if active.size == 0:
            break
    return (E + (m - m_red)).reshape(shape)


def hyperbolic_anomaly_rad(mean_anomaly_rad: ArrayLike, eccentricity: ArrayLike, tol: float = 1e-14,
                           max_iter: int = 80) -> NDArray[np.float64]:
    """Solve the hyperbolic Kepler equation M = e sinh F - F (e > 1).

    Vectorized Newton-Raphson started from F0 = asinh(M / e) (Vallado algorithm 4).
    """
    m = _check.as_array("mean_anomaly_rad", mean_anomaly_rad)
    e = _check.in_range("eccentricity", eccentricity, 1.0, low_open=True)
    m, e = np.broadcast_arrays(m, e)
    F = np.arcsinh(m / e)
    # asinh starter is good for |M| large; near M = 0 use M / (e - 1)
    small = np.abs(m) < (e - 1.0)
    F = np.where(small, m / (e - 1.0), F)
    for _ in range(max_iter):
        f = e * np.sinh(F) - F - m
        fp = e * np.cosh(F) - 1.0
        dF = f / fp
        F = F - dF
        if np.all(np.abs(dF) <= tol * (1.0 + np.abs(F))):
            break
    return F


def true_to_mean_anomaly_rad(true_anomaly_rad: ArrayLike, eccentricity: ArrayLike) -> NDArray[np.float64]:
    """Mean anomaly from true anomaly, elliptic or hyperbolic (radians)."""
    nu = _check.as_array("true_anomaly_rad", true_anomaly_rad)
    e = _check.non_negative("eccentricity", eccentricity)
    nu, e = np.broadcast_arrays(nu, e)
    out = np.empty(nu.shape)
    ell = e < 1.0
    # elliptic: E = 2 atan(sqrt((1-e)/(1+e)) tan(nu/2)), keeping the revolution count
    k = np.round(nu / TWO_PI)
    nu_r = nu - k * TWO_PI
    with np.errstate(invalid="ignore", divide="ignore"):
        E = 2.0 * np.arctan2(np.sqrt(np.where(ell, 1 - e, 0.0)) * np.sin(nu_r / 2), np.sqrt(1 + e) * np.cos(nu_r / 2))
        out_e = E - e * np.sin(E) + k * TWO_PI
        F = 2.0 * np.arctanh(np.sqrt(np.where(ell, 0.0, (e - 1) / (e + 1))) * np.tan(nu / 2))
        out_h = e * np.sinh(F) - F
    out = np.where(ell, out_e, out_h)
    return out


def mean_to_true_anomaly_rad(mean_anomaly_rad: ArrayLike, eccentricity: ArrayLike) -> NDArray[np.float64]:
    """True anomaly from mean anomaly, elliptic or hyperbolic (radians)."""
    m = _check.as_array("mean_anomaly_rad", mean_anomaly_rad)
    e = _check.non_negative("eccentricity", eccentricity)
    m, e = np.broadcast_arrays(m, e)
    ell = e < 1.0
    out = np.empty(m.shape)
    if np.any(ell):
        E = eccentric_anomaly_rad(m[ell], e[ell])
        k = np.round(E / TWO_PI)
        Er = E - k * TWO_PI
        out[ell] = (2.0 * np.arctan2(np.sqrt(1 + e[ell]) * np.sin(Er / 2), np.sqrt(1 - e[ell]) * np.cos(Er / 2))
                    + k * TWO_PI)
    if np.any(~ell):
        F = hyperbolic_anomaly_rad(m[~ell], e[~ell])
        eh = e[~ell]
        out[~ell] = 2.0 * np.arctan(np.sqrt((eh + 1) / (eh - 1)) * np.tanh(F / 2))
    return out


# --- propagation ----------------------------------------------------------------

def _stumpff(z):
    """Stumpff functions C(z), S(z) with series near z = 0 (Curtis eqs. 3.52-3.53)."""
    z = np.asarray(z, dtype=float)
    c = np.empty_like(z)
    s = np.empty_like(z)
    pos, neg = z > 1e-6, z < -1e-6
    mid = ~(pos | neg)
    sz = np.sqrt(z[pos])
    c[pos] = (1 - np.cos(sz)) / z[pos]
    s[pos] = (sz - np.sin(sz)) / sz**3
    sn = np.sqrt(-z[neg])
    c[neg] = (np.cosh(sn) - 1) / (-z[neg])
    s[neg] = (np.sinh(sn) - sn) / sn**3
    zm = z[mid]
    c[mid] = 1 / 2 - zm / 24 + zm**2 / 720
    s[mid] = 1 / 6 - zm / 120 + zm**2 / 5040
    return c, s


def propagate(position_m: ArrayLike, velocity_m_s: ArrayLike, dt_s: ArrayLike, mu_m3_s2: float = GM_M3_S2,
              tol: float = 1e-13, max_iter: int = 60) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Two-body state after ``dt_s`` seconds, by universal variables and f, g functions.

    ``position_m``/``velocity_m_s`` have shape ``(3,)`` or ``(3, N)``; ``dt_s``
    broadcasts against the trailing shape. Elliptic orbits are first reduced
    modulo the period, so a hundred revolutions cost no more than one
    (Curtis algorithms 3.3-3.4).
    """
    r0 = _check.as_array("position_m", position_m)
    v0 = _check.as_array("velocity_m_s", velocity_m_s)
    dt = _check.as_array("dt_s", dt_s)
    shape = np.broadcast_shapes(r0.shape[1:], v0.shape[1:], dt.shape)
    # a single state (3,) against many times: give it the trailing axes to broadcast
    r0 = np.broadcast_to(r0.reshape(r0.shape + (1,) * (len(shape) + 1 - r0.ndim)), (3,) + shape)
    v0 = np.broadcast_to(v0.reshape(v0.shape + (1,) * (len(shape) + 1 - v0.ndim)), (3,) + shape)
    dt = np.broadcast_to(dt, shape).astype(float)
    rn0 = np.linalg.norm(r0, axis=0)
    _check.positive("|position_m|", rn0, unit="m")
    vn0 = np.linalg.norm(v0, axis=0)
    vr0 = np.sum(r0 * v0, axis=0) / rn0
    alpha = 2.0 / rn0 - vn0**2 / mu_m3_s2  # 1/a
    ell = alpha > 1e-14
    period = np.where(ell, TWO_PI / np.sqrt(mu_m3_s2 * np.abs(alpha) ** 3), np.inf)
    dt_red = np.where(ell, np.fmod(dt, np.where(ell, period, 1.0)), dt)
    sq_mu = np.sqrt(mu_m3_s2)
    # starting guess (Vallado algorithm 8)
    chi = sq_mu * dt_red / rn0  # near-parabolic
    chi = np.where(ell, sq_mu * dt_red * alpha, chi)
    hyp = alpha < -1e-14
    if np.any(hyp):
        a_h = 1.0 / np.where(hyp, alpha, -1.0)
        sgn = np.where(dt_red >= 0, 1.0, -1.0)
        rv = rn0 * vr0
        arg = (-2.0 * mu_m3_s2 * alpha * dt_red) / (rv + sgn * np.sqrt(-mu_m3_s2 * a_h) * (1.0 - rn0 * alpha))
        with np.errstate(divide="ignore", invalid="ignore"):
            chi_h = sgn * np.sqrt(-a_h) * np.log(np.abs(arg))
        chi = np.where(hyp & np.isfinite(chi_h) & (dt_red != 0), chi_h, chi)
    for _ in range(max_iter):
        z = alpha * chi**2
        c, s = _stumpff(z)
        f = (rn0 * vr0 / sq_mu) * chi**2 * c + (1 - alpha * rn0) * chi**3 * s + rn0 * chi - sq_mu * dt_red
        fp = (rn0 * vr0 / sq_mu) * chi * (1 - alpha * chi**2 * s) + (1 - alpha * rn0) * chi**2 * c + rn0
        dchi = f / fp
        chi = chi - dchi
        if np.all(np.abs(dchi) <= tol * (1.0 + np.abs(chi))):
            break
    z = alpha * chi**2
    c, s = _stumpff(z)
    fl = 1 - chi**2 / rn0 * c
    gl = dt_red - chi**3 / sq_mu * s
    r = fl * r0 + gl * v0
    rn = np.linalg.norm(r, axis=0)
    fdot = sq_mu / (rn * rn0) * (alpha * chi**3 * s - chi)
    gdot = 1 - chi**2 / rn * c
    v = fdot * r0 + gdot * v0
    return r, v


# --- manoeuvres -----------------------------------------------------------------

def hohmann(r1_m: ArrayLike, r2_m: ArrayLike,
            mu_m3_s2: float = GM_M3_S2) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Hohmann transfer between coplanar circular orbits (Vallado algorithm 36).

    Returns ``(dv1_m_s, dv2_m_s, transfer_time_s)``; both burns as positive
    magnitudes.
    """
    r1 = _check.positive("r1_m", r1_m, unit="m")
    r2 = _check.positive("r2_m", r2_m, unit="m")
    at = (r1 + r2) / 2.0
    dv1 = np.abs(np.sqrt(2 * mu_m3_s2 / r1 - mu_m3_s2 / at) - np.sqrt(mu_m3_s2 / r1))
    dv2 = np.abs(np.sqrt(mu_m3_s2 / r2) - np.sqrt(2 * mu_m3_s2 / r2 - mu_m3_s2 / at))
    return dv1, dv2, np.pi * np.sqrt(at**3 / mu_m3_s2)


def bi_elliptic(
    r1_m: ArrayLike, r2_m: ArrayLike, rb_m: ArrayLike, mu_m3_s2: float = GM_M3_S2,
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Bi-elliptic transfer via an intermediate apoapsis ``rb_m`` (Vallado algorithm 37).

    Returns ``(dv1_m_s, dv2_m_s, dv3_m_s, transfer_time_s)``, magnitudes.
    """
    r1 = _check.positive("r1_m", r1_m, unit="m")
    r2 = _check.positive("r2_m", r2_m, unit="m")
    rb = _check.positive("rb_m", rb_m, unit="m")
    if np.any(rb < np.maximum(r1, r2)):
        raise ValueError("rb_m must be >= max(r1_m, r2_m) for a bi-elliptic transfer")
    a1, a2 = (r1 + rb) / 2, (r2 + rb) / 2
    mu = mu_m3_s2
    dv1 = np.sqrt(2 * mu / r1 - mu / a1) - np.sqrt(mu / r1)
    dv2 = np.sqrt(2 * mu / rb - mu / a2) - np.sqrt(2 * mu / rb - mu / a1)
    dv3 = np.sqrt(2 * mu / r2 - mu / a2) - np.sqrt(mu / r2)
    t = np.pi * (np.sqrt(a1**3 / mu) + np.sqrt(a2**3 / mu))
    return np.abs(dv1), np.abs(dv2), np.abs(dv3), t


def plane_change_dv_m_s(speed_m_s: ArrayLike, delta_inclination_rad: ArrayLike) -> NDArray[np.float64]:
    """Delta-v to turn a velocity by an angle without changing its size, 2 v sin(di/2), m/s."""
    v = _check.non_negative("speed_m_s", speed_m_s, unit="m/s")
    di = _check.in_range("delta_inclination_rad", delta_inclination_rad, -np.pi, np.pi, unit="rad")
    return 2.0 * v * np.sin(np.abs(di) / 2.0)


def combined_dv_m_s(v1_m_s: ArrayLike, v2_m_s: ArrayLike, delta_inclination_rad: ArrayLike) -> NDArray[np.float64]:
    """Delta-v of one burn that changes speed v1 -> v2 and turns the plane by di, m/s.

    Law of cosines: sqrt(v1^2 + v2^2 - 2 v1 v2 cos di) (Vallado eq. 6-27).
    """
    v1 = _check.non_negative("v1_m_s", v1_m_s, unit="m/s")
    v2 = _check.non_negative("v2_m_s", v2_m_s, unit="m/s")
    di = _check.in_range("delta_inclination_rad", delta_inclination_rad, -np.pi, np.pi, unit="rad")
    return np.sqrt(np.maximum(v1**2 + v2**2 - 2 * v1 * v2 * np.cos(di), 0.0))


# --- J2 secular drift -----------------------------------------------------------

def _j2_terms(semi_major_axis_m, eccentricity, inclination_rad, mu_m3_s2):
    """Checked mean motion n, semi-latus rectum p and inclination for the J2 rates."""
    a = _check.positive("semi_major_axis_m", semi_major_axis_m, unit="m")
    e = _check.in_range("eccentricity", eccentricity, 0.0, 1.0, high_open=True)
    i = _check.in_range("inclination_rad", inclination_rad, 0.0, np.pi, unit="rad")
    return np.sqrt(mu_m3_s2 / a**3), a * (1 - e**2), i


def j2_nodal_rate_rad_s(semi_major_axis_m: ArrayLike, eccentricity: ArrayLike, inclination_rad: ArrayLike,
                        mu_m3_s2: float = GM_M3_S2) -> NDArray[np.float64]:
    """Secular drift of the ascending node under J2, rad/s (Vallado eq. 9-41).

    dOmega/dt = -3/2 n J2 (R/p)^2 cos i; westward (negative) for prograde orbits.
    """
    n, p, i = _j2_terms(semi_major_axis_m, eccentricity, inclination_rad, mu_m3_s2)
    return -1.5 * n * J2 * (WGS84_A_M / p) ** 2 * np.cos(i)


def j2_apsidal_rate_rad_s(semi_major_axis_m: ArrayLike, eccentricity: ArrayLike, inclination_rad: ArrayLike,
                          mu_m3_s2: float = GM_M3_S2) -> NDArray[np.float64]:
    """Secular drift of the argument of perigee under J2, rad/s (Vallado eq. 9-41)."""
    n, p, i = _j2_terms(semi_major_axis_m, eccentricity, inclination_rad, mu_m3_s2)
    return 0.75 * n * J2 * (WGS84_A_M / p) ** 2 * (4 - 5 * np.sin(i) ** 2)


SUN_SYNCHRONOUS_RATE_RAD_S = TWO_PI / TROPICAL_YEAR_S
"""Nodal rate that keeps an orbit's plane fixed relative to the mean Sun, rad/s (+0.9856 deg/day)."""


def sun_synchronous_max_semi_major_axis_m(eccentricity: ArrayLike = 0.0,
                                          mu_m3_s2: float = GM_M3_S2) -> NDArray[np.float64]:
    """Largest semi-major axis with a sun-synchronous inclination, m.

    There J2 turns the node eastward once a year only with a retrograde equatorial
    orbit (cos i = -1): 3/2 n J2 (R/p)^2 = (dOmega/dt)_sun, solved for a. About
    12,350 km (5,970 km altitude) for a circle; higher for an ellipse.
    """
    e = _check.in_range("eccentricity", eccentricity, 0.0, 1.0, high_open=True)
    k = 1.5 * np.sqrt(mu_m3_s2) * J2 * WGS84_A_M**2 / (SUN_SYNCHRONOUS_RATE_RAD_S * (1 - e**2) ** 2)
    return k ** (2.0 / 7.0)


def sun_synchronous_inclination_rad(semi_major_axis_m: ArrayLike, eccentricity: ArrayLike = 0.0,
                                    mu_m3_s2: float = GM_M3_S2) -> NDArray[np.float64]:
    """Inclination at which J2 turns the node eastward once a year, rad.

    Solves cos i = -(dOmega/dt)_sun / (3/2 n J2 (R/p)^2). The semi-major axis
    must lie above Earth's equatorial radius and at most
    :func:`sun_synchronous_max_semi_major_axis_m` (higher up J2 is too weak to
    turn the node that fast; about 5,970 km altitude for a circle); outside
    that no inclination is sun-synchronous and a ValueError says so.
    """
    a = _check.as_array("semi_major_axis_m", semi_major_axis_m)
    e = _check.in_range("eccentricity", eccentricity, 0.0, 1.0, high_open=True)
    top = sun_synchronous_max_semi_major_axis_m(e, mu_m3_s2)
    ok = (a > WGS84_A_M) & (a <= top)
    if not np.all(ok):
        bad_a, bad_e, bad_top = (np.broadcast_to(x, ok.shape)[~ok].ravel()[0] for x in (a, e, top))
        try:
            _check.in_range("semi_major_axis_m", bad_a, WGS84_A_M, bad_top, low_open=True, unit="m")
        except ValueError as exc:
            raise ValueError(
                f"{exc} for a sun-synchronous orbit (eccentricity {bad_e:.6g}): above Earth's equatorial "
                "radius and low enough for J2 to turn the node 360 deg a year"
            ) from None
    n = np.sqrt(mu_m3_s2 / a**3)
    p = a * (1 - e**2)
    cos_i = -SUN_SYNCHRONOUS_RATE_RAD_S / (1.5 * n * J2 * (WGS84_A_M / p) ** 2)
    return np.arccos(np.maximum(cos_i, -1.0))  # rounding at the top of the range only


def ground_track_repeat_nodal_shift_rad(semi_major_axis_m: ArrayLike, eccentricity: ArrayLike,
                                        inclination_rad: ArrayLike) -> NDArray[np.float64]:
    """Westward shift of the ground track's equator crossing per revolution, rad.

    Earth turns under the orbit during one nodal period while J2 moves the node.
    """
    a = _check.positive("semi_major_axis_m", semi_major_axis_m, unit="m")
    t = period_s(a)
    return (EARTH_ROTATION_RAD_S - j2_nodal_rate_rad_s(a, eccentricity, inclination_rad)) * t


def propagate_j2_secular(elements: Elements, dt_s: ArrayLike) -> Elements:
    """Elements after ``dt_s`` with J2's secular drift of the node, perigee and mean anomaly.

    Two-body motion plus the first-order secular J2 rates (Vallado eq. 9-41,
    with the mean-motion correction of eq. 9-39); short-period J2 terms, drag
    and third bodies are ignored. Returns a new :class:`Elements` (arrays over
    ``dt_s``). Elliptic orbits only.
    """
    el = elements
    a, e, i = (np.asarray(x, dtype=float) for x in (el.semi_major_axis_m, el.eccentricity, el.inclination_rad))
    if np.any(e >= 1):
        raise ValueError("eccentricity must be < 1 for secular J2 propagation")
    dt = _check.as_array("dt_s", dt_s)
    mu = el.mu_m3_s2
    n = np.sqrt(mu / a**3)
    p = a * (1 - e**2)
    k = 1.5 * J2 * (WGS84_A_M / p) ** 2
    n_bar = n * (1 + k * np.sqrt(1 - e**2) * (1 - 1.5 * np.sin(i) ** 2))
    m0 = true_to_mean_anomaly_rad(el.true_anomaly_rad, e)
    raan = el.raan_rad + j2_nodal_rate_rad_s(a, e, i, mu) * dt
    argp = el.arg_perigee_rad + j2_apsidal_rate_rad_s(a, e, i, mu) * dt
    nu = mean_to_true_anomaly_rad(m0 + n_bar * dt, np.broadcast_to(e, np.broadcast(e, dt).shape))
    shape = np.broadcast(a, dt).shape
    return Elements(np.broadcast_to(a, shape), np.broadcast_to(e, shape), np.broadcast_to(i, shape),
                    raan % TWO_PI, argp % TWO_PI, nu % TWO_PI, mu)
