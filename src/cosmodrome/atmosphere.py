"""The U.S. Standard Atmosphere, 1976, from -5 km to 1000 km.

Below 86 km the standard's closed-form layer equations are evaluated exactly
(seven layers of constant molecular-temperature gradient in geopotential
height, plus the 80-86 km molecular-weight correction of its Table 8).

Above 86 km the standard defines the kinetic temperature in closed form (an
isothermal layer to 91 km, an ellipse to 110 km, a line to 120 km and an
exponential approach to 1000 K above), which is evaluated exactly; pressure
and density follow from the number densities of N2, O, O2, Ar, He and H,
which the standard defines by the diffusion equations of its high-altitude
model (molecular and eddy diffusion, thermal diffusion, the vertical-flux
terms of O, O2, Ar and He, and the escape flux of hydrogen). Those are
computed here from the standard's own equations and constants: integrated
numerically from 86 to 115 km (where eddy diffusion couples the gases), and
in closed form above 115 km (diffusive equilibrium, plus the flux terms'
exact integrals); hydrogen by the standard's integral from 500 km. The
result is tabulated once, on first use above 86 km, every 250 m with exact
derivatives, and read with cubic Hermite interpolation (error below 1e-7,
``tests/test_against_ussa76.py``). Nothing above 86 km is read from the
standard's printed tables; the tests compare with them.

Source: *U.S. Standard Atmosphere, 1976*, NOAA-S/T 76-1562 (NASA-TM-X-74335),
Washington, D.C., October 1976: eqs. 18, 23, 33a/b and Tables 4, 8 below
86 km; above 86 km the temperature eqs. 27-32, the number densities from
eq. 8 (molecular diffusion coefficient), eqs. 36-37 (the function f and the
vertical-flux term) and eqs. 38-40 (hydrogen), with the constants tabulated
there (n_i at 86 km, n_H at 500 km, alpha_i, a_i, b_i, Q_i, q_i, U_i, u_i,
W_i, w_i, K7 = 120 m^2/s, phi = 7.2e11 m^-2 s^-1). How those equations are
organised (which gases form the background in each D_i, which mean molecular
weight enters the eddy term) follows S. S. Pietrobon's USSA1976 program and
B. Lewis's MATLAB ``atmo``, both written from the standard; the result
reproduces the standard's Table VIII number densities and Table I pressures
and densities to their printed digits.

All functions take geometric altitude above sea level in metres (scalar or
array) and return arrays of the same shape.
"""

from __future__ import annotations

import itertools
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from . import _check
from .constants import G0_M_S2, SEA_LEVEL_PRESSURE_PA

if TYPE_CHECKING:
    from numpy.typing import ArrayLike, NDArray

# Constants of the standard (its Table 2); note R* and g0 as the 1976 values.
R_STAR = 8.31432  # J/(mol K), universal gas constant as adopted by the standard
M0 = 28.9644e-3  # kg/mol, sea-level mean molecular weight
G0 = G0_M_S2  # m/s^2, the standard's g0 (the same as constants.G0_M_S2; named as its equations do)
R0_M = 6356766.0  # m, effective Earth radius for geopotential height
GAMMA = 1.40  # ratio of specific heats of air
BOLTZMANN_J_K = 1.380622e-23  # J/K, the standard's k (Table 2)
AVOGADRO_PER_MOL = 6.022169e23  # 1/mol, the standard's N_A (Table 2)

# Layer bases in geopotential metres and molecular-temperature gradients, K/m'
_H_BASE = np.array([0.0, 11000.0, 20000.0, 32000.0, 47000.0, 51000.0, 71000.0, 84852.0])
_LAPSE = np.array([-6.5, 0.0, 1.0, 2.8, 0.0, -2.8, -2.0, 0.0]) * 1e-3
_T0_K = 288.15

# Table 8: M/M0 between 80 and 86 km geometric altitude.
_MW_ALT_M = np.arange(80000.0, 86001.0, 500.0)
_MW_RATIO = np.array(
    [1.0, 0.999996, 0.999989, 0.999971, 0.999941, 0.999909, 0.999870,
     0.999829, 0.999786, 0.999741, 0.999694, 0.999641, 0.999579]
)

# Upper-atmosphere temperature (eqs. 27-32 of the standard).
_Z7, _Z8, _Z9, _Z10, _Z11, _Z12 = 86000.0, 91000.0, 110000.0, 120000.0, 500000.0, 1000000.0
_T7 = 186.8673  # K, isothermal 86-91 km
_TC, _A_ELL, _a_ELL = 263.1905, -76.3232, -19942.9  # K, K, m (elliptical 91-110 km)
_T9, _L9 = 240.0, 12.0e-3  # K, K/m (linear 110-120 km)
_T10, _T_INF, _LAMBDA = 360.0, 1000.0, 0.01875e-3  # K, K, 1/m (120-1000 km)

MIN_ALTITUDE_M = -5000.0
MAX_ALTITUDE_M = 1000000.0

# --- High-altitude model: gases and their constants ---------------------------
SPECIES = ("N2", "O", "O2", "Ar", "He", "H")
# Molecular weights, kg/mol (Table 3 of the standard; O and H as half of O2, H2).
_M_I = np.array([28.0134, 15.9994, 31.9988, 39.948, 4.0026, 1.00797]) * 1e-3
_N7 = np.array([1.129794e20, 8.6e16, 3.030898e19, 1.3514e18, 7.5817e14])  # m^-3 at 86 km
_ALPHA = np.array([0.0, 0.0, 0.0, 0.0, -0.40, -0.25])  # thermal-diffusion factors
_A_D = np.array([np.nan, 6.986e20, 4.863e20, 4.487e20, 1.700e21, 3.305e21])  # m^-1 s^-1
_B_D = np.array([np.nan, 0.750, 0.750, 0.870, 0.691, 0.500])
# Vertical-flux term (eq. 37), z in km: Q (z-U)^2 exp(-W (z-U)^3) [+ q (u-z)^2 exp(-w (u-z)^3) for O below 97 km]
_Q = np.array([0.0, -5.809644e-4, 1.366212e-4, 9.434079e-5, -2.457369e-4])  # km^-3
_U = np.array([0.0, 56.90311, 86.0, 86.0, 86.0])  # km
_W = np.array([0.0, 2.706240e-5, 8.333333e-5, 8.333333e-5, 6.666667e-4])  # km^-3
_Q_O, _U_O, _W_O = -3.416248e-3, 97.0, 5.008765e-4  # km^-3, km, km^-3
_K7 = 120.0  # m^2/s, eddy-diffusion coefficient 86-95 km
_Z_EDDY_TOP = 115000.0  # m, no eddy diffusion above
_Z_FLUX_TOP = 150000.0  # m, flux terms (and the absence of H) end here
_N_H_500 = 8.0e10  # m^-3, hydrogen at 500 km
_PHI_H = 7.2e11  # m^-2 s^-1, hydrogen escape flux

_TABLE_STEP_M = 250.0
# Where a derivative of the integrands jumps; all fall on the table's nodes.
_BREAKS_M = (86e3, 91e3, 95e3, 97e3, 100e3, 110e3, 115e3)


def _layer_bases():
    t = [_T0_K]
    p = [SEA_LEVEL_PRESSURE_PA]
    for i in range(len(_H_BASE) - 1):
        dh = _H_BASE[i + 1] - _H_BASE[i]
        tb, lb = t[-1], _LAPSE[i]
        tn = tb + lb * dh
        if lb == 0.0:
            pn = p[-1] * np.exp(-G0 * M0 * dh / (R_STAR * tb))
        else:
            pn = p[-1] * (tb / tn) ** (G0 * M0 / (R_STAR * lb))
        t.append(tn)
        p.append(pn)
    return np.array(t), np.array(p)


_T_BASE, _P_BASE = _layer_bases()


def geopotential_height_m(altitude_m: ArrayLike) -> NDArray[np.float64]:
    """Geopotential height H = r0 z / (r0 + z) for geometric altitude z, m (eq. 18)."""
    z = _check.in_range("altitude_m", altitude_m, MIN_ALTITUDE_M, MAX_ALTITUDE_M, unit="m")
    return R0_M * z / (R0_M + z)


def _lower(z):
    """Kinetic T, molecular T, and p for z <= 86 km (arrays)."""
    h = R0_M * z / (R0_M + z)
    i = np.clip(np.searchsorted(_H_BASE, h, side="right") - 1, 0, len(_H_BASE) - 1)
    tb, pb, lb, hb = _T_BASE[i], _P_BASE[i], _LAPSE[i], _H_BASE[i]
    tm = tb + lb * (h - hb)
    isothermal = lb == 0.0
    safe_l = np.where(isothermal, 1.0, lb)
    p_grad = pb * (tb / tm) ** (G0 * M0 / (R_STAR * safe_l))
    p_iso = pb * np.exp(-G0 * M0 * (h - hb) / (R_STAR * tb))
    p = np.where(isothermal, p_iso, p_grad)
    ratio = np.interp(z, _MW_ALT_M, _MW_RATIO, left=1.0, right=_MW_RATIO[-1])
    return tm * ratio, tm, p


# --- Temperature above 86 km ---------------------------------------------------

def _upper_temperature_and_gradient(z):
    """Kinetic temperature (K) and dT/dz (K/m) for 86 km <= z <= 1000 km (eqs. 27-32)."""
    z = np.asarray(z, dtype=float)
    ell = (z > _Z8) & (z <= _Z9)
    x = np.where(ell, (z - _Z8) / _a_ELL, 0.0)
    root = np.sqrt(np.clip(1.0 - x**2, 1e-300, None))
    lin = (z > _Z9) & (z <= _Z10)
    top = z > _Z10
    xi = np.where(top, (z - _Z10) * (R0_M + _Z10) / (R0_M + z), 0.0)
    decay = np.exp(-_LAMBDA * xi)
    t = np.select(
        [ell, lin, top],
        [_TC + _A_ELL * root, _T9 + _L9 * (z - _Z9), _T_INF - (_T_INF - _T10) * decay],
        _T7,
    )
    dt = np.select(
        [ell, lin, top],
        [-_A_ELL / _a_ELL * x / root, np.full(z.shape, _L9),
         _LAMBDA * (_T_INF - _T10) * ((R0_M + _Z10) / (R0_M + z)) ** 2 * decay],
        0.0,
    )
    return t, dt


def _upper_temperature(z):
    """Kinetic temperature (K) for 86 km <= z <= 1000 km (eqs. 27-32), without the gradient."""
    z = np.asarray(z, dtype=float)
    t = np.where(z > _Z9, _T9 + _L9 * (z - _Z9), _T7)
    x = (np.clip(z, _Z8, _Z9) - _Z8) / _a_ELL
    t = np.where((z > _Z8) & (z <= _Z9), _TC + _A_ELL * np.sqrt(1.0 - x * x), t)
    xi = (z - _Z10) * (R0_M + _Z10) / (R0_M + z)
    return np.where(z > _Z10, _T_INF - (_T_INF - _T10) * np.exp(-_LAMBDA * xi), t)


def _gravity(z):
    return G0 * (R0_M / (R0_M + z)) ** 2


def _g_over_t_integral(z):
    """Integral of g/T dz from 115 km to z (z >= 115 km), in closed form, 1/(K m) * m^2/s^2."""
    z = np.asarray(z, dtype=float)
    c = G0 * R0_M**2

    def linear_part(zz):  # T = T9 + L9 (z - z9): integral of 1/(u^2 (L u + B)) du, u = r0 + z
        u = R0_M + zz
        b = _T9 - _L9 * (R0_M + _Z9)
        return c * (-1.0 / (b * u) + _L9 / b**2 * np.log((_L9 * u + b) / u))

    low = linear_part(np.minimum(z, _Z10)) - linear_part(_Z_EDDY_TOP)
    xi = np.maximum(z - _Z10, 0.0) * (R0_M + _Z10) / (R0_M + z)
    high = (c / (R0_M + _Z10) ** 2 / (_LAMBDA * _T_INF)
            * np.log((_T_INF * np.exp(_LAMBDA * xi) - (_T_INF - _T10)) / _T10))
    return low + high


# --- Number densities ------------------------------------------------------------

def _eddy_m2_s(z):
    zk = z / 1000.0
    d = 400.0 - (zk - 95.0) ** 2
    mid = (zk >= 95.0) & (z < _Z_EDDY_TOP)
    k = np.where(mid, _K7 * np.exp(1.0 - 400.0 / np.where(mid, d, 1.0)), 0.0)
    return np.where(zk < 95.0, _K7, k)


def _flux_term_per_m(z):
    """The standard's v_i/(D_i + K) (eq. 37) for O, O2, Ar, He (rows 1-4), 1/m; zero above 150 km."""
    zk = np.asarray(z, dtype=float) / 1000.0
    d = zk - _U[:, None] if zk.ndim else zk - _U
    if zk.ndim:
        v = _Q[:, None] * d**2 * np.exp(-_W[:, None] * d**3)
    else:
        v = _Q * d**2 * np.exp(-_W * d**3)
    dq = np.maximum(_U_O - zk, 0.0)
    v[1] = v[1] + np.where(zk <= _U_O, _Q_O * dq**2 * np.exp(-_W_O * dq**3), 0.0)
    return np.where(zk <= _Z_FLUX_TOP / 1000.0, v, 0.0) / 1000.0


def _flux_primitive(z):
    """A primitive of the flux term in z (m), per species row (N2 row zero), dimensionless.

    d/dz [-Q/(3W) exp(-W (z-U)^3)] = Q (z-U)^2 exp(-W (z-U)^3), and likewise for
    O's second term; the term stops at 150 km, so z is clipped there.
    """
    zk = np.minimum(np.atleast_1d(np.asarray(z, dtype=float)), _Z_FLUX_TOP) / 1000.0
    d = zk - _U[:, None]
    has = _W > 0
    coef = np.where(has, -_Q / (3.0 * np.where(has, _W, 1.0)), 0.0)
    out = coef[:, None] * np.exp(-_W[:, None] * d**3)
    dq = np.maximum(_U_O - zk, 0.0)
    out[1] += _Q_O / (3.0 * _W_O) * np.exp(-_W_O * dq**3)
    return out


def _dlog_n_dz(z, n, z_switch=None):
    """d(ln n_i)/dz, 1/m, for N2, O, O2, Ar, He (rows), eqs. 8, 36, 37 of the standard.

    ``n`` is (5,) or (5, m) for z of shape () or (m,). ``z_switch`` (default z)
    decides which side of the 100 km switch of molecular weight applies, so a
    caller can take the left or right limit there.
    """
    t, dt = _upper_temperature_and_gradient(z)
    g = _gravity(z)
    k = _eddy_m2_s(z)
    zs = z if z_switch is None else z_switch
    mixed = zs <= 100e3
    m_n2 = np.where(mixed, M0, _M_I[0])
    n_mix = n[0] + n[1] + n[2]
    m_mix = (n[0] * _M_I[0] + n[1] * _M_I[1] + n[2] * _M_I[2]) / n_mix
    # Mean molecular weight in the eddy term: M0 while mixed; above 100 km that of
    # the background gas (N2 for O and O2; N2+O+O2 for Ar and He).
    m_eddy = np.stack([np.where(mixed, M0, _M_I[0])] * 2 + [np.where(mixed, M0, m_mix)] * 2)
    background = np.stack([n[0], n[0], n_mix, n_mix])
    d = _A_D[1:5, None] / background * (t / 273.15) ** _B_D[1:5, None] if np.ndim(z) else (
        _A_D[1:5] / background * (t / 273.15) ** _B_D[1:5])
    if np.ndim(z):
        mi, al = _M_I[1:5, None], _ALPHA[1:5, None]
    else:
        mi, al = _M_I[1:5], _ALPHA[1:5]
    f = g / (R_STAR * t) * d / (d + k) * (mi + m_eddy * k / d + al * R_STAR / g * dt)
    out = np.empty_like(n)
    out[0] = -dt / t - m_n2 * g / (R_STAR * t)
    out[1:] = -dt / t - f - _flux_term_per_m(z)[1:]
    return out


def _hydrogen_dlog_dz(z, n_h, n_background):
    """d(ln n_H)/dz, 1/m, with the escape flux (150-500 km) or without it (above 500 km)."""
    t, dt = _upper_temperature_and_gradient(z)
    d_h = _A_D[5] / n_background * (t / 273.15) ** _B_D[5]
    flux = np.where(z <= _Z11, _PHI_H / (d_h * n_h), 0.0)
    return -(1.0 + _ALPHA[5]) * dt / t - _M_I[5] * _gravity(z) / (R_STAR * t) - flux


def _five_gases(z):
    """Number densities of N2, O, O2, Ar, He (5, m) at z >= 115 km, in closed form."""
    n115, _ = _eddy_region()
    t115 = _upper_temperature(_Z_EDDY_TOP)
    t = _upper_temperature(z)
    gi = _g_over_t_integral(z)
    flux = _flux_primitive(z) - _flux_primitive(_Z_EDDY_TOP)
    log_n = (np.log(n115)[:, None] - (1.0 + _ALPHA[:5, None]) * np.log(t / t115)
             - _M_I[:5, None] / R_STAR * gi - flux)
    return np.exp(log_n)


@lru_cache(maxsize=1)
def _eddy_region():
    """Integrate the coupled equations from 86 km to 115 km on the table's nodes."""
    from scipy.integrate import solve_ivp  # only needed once, on first use above 86 km

    nodes = [np.array([_Z7])]
    logs = [np.log(_N7)[:, None]]
    y = np.log(_N7)
    for lo, hi in itertools.pairwise(_BREAKS_M):
        t_eval = np.arange(lo + _TABLE_STEP_M, hi + 0.5 * _TABLE_STEP_M, _TABLE_STEP_M)
        inside = 0.5 * (lo + hi)  # which side of the 100 km switch this segment is on
        sol = solve_ivp(lambda zz, yy, s=inside: _dlog_n_dz(zz, np.exp(yy), z_switch=s),
                        (lo, hi), y, method="DOP853", t_eval=t_eval, rtol=1e-9, atol=1e-10)
        nodes.append(sol.t)
        logs.append(sol.y)
        y = sol.y[:, -1]
    return np.exp(y), (np.concatenate(nodes), np.exp(np.hstack(logs)))


def _hydrogen(z, n5):
    """Hydrogen number density on sorted nodes z >= 150 km with the five gases n5 there (eqs. 38-40)."""
    t500 = _upper_temperature(_Z11)
    tau = _M_I[5] / R_STAR * (_g_over_t_integral(z) - _g_over_t_integral(_Z11))
    t = _upper_temperature(z)
    equilibrium = (t500 / t) ** (1.0 + _ALPHA[5]) * np.exp(-tau)
    # phi * integral from z to 500 km of (1/D_H) (T/T500)^(1+alpha) exp(tau), by Gauss-Legendre per interval.
    below = z < _Z11
    zb = z[below]
    edges = np.append(zb, _Z11)
    xg, wg = np.polynomial.legendre.leggauss(8)
    mid, half = 0.5 * (edges[1:] + edges[:-1]), 0.5 * (edges[1:] - edges[:-1])
    zq = (mid[:, None] + half[:, None] * xg).ravel()
    nq = _five_gases(zq).sum(axis=0)
    tq = _upper_temperature(zq)
    tauq = _M_I[5] / R_STAR * (_g_over_t_integral(zq) - _g_over_t_integral(_Z11))
    integrand = (tq / 273.15) ** (-_B_D[5]) * nq / _A_D[5] * (tq / t500) ** (1.0 + _ALPHA[5]) * np.exp(tauq)
    pieces = (integrand.reshape(-1, xg.size) * wg).sum(axis=1) * half
    tail = np.cumsum(pieces[::-1])[::-1]  # integral from each node up to 500 km
    bracket = np.full(z.shape, _N_H_500)
    bracket[below] += _PHI_H * tail
    return equilibrium * bracket


@lru_cache(maxsize=1)
def _upper_table():
    """Nodes every 250 m from 86 to 1000 km: z, n_i, ln N, ln rho, and one-sided derivatives."""
    _, (z_eddy, n_eddy) = _eddy_region()
    z_top = np.arange(_Z_EDDY_TOP + _TABLE_STEP_M, _Z12 + 0.5 * _TABLE_STEP_M, _TABLE_STEP_M)
    z = np.concatenate([z_eddy, z_top])
    n5 = np.hstack([n_eddy, _five_gases(z_top)])
    n_h = np.zeros(z.shape)
    with_h = z >= _Z_FLUX_TOP
    n_h[with_h] = _hydrogen(z[with_h], n5[:, with_h])
    n = np.vstack([n5, n_h])
    total = n.sum(axis=0)
    mass = (n * _M_I[:, None]).sum(axis=0)
    # Hydrogen starts at 150 km: the interval ending there ends without it.
    at_150 = z == _Z_FLUX_TOP
    table = {"z": z, "n": n, "log_total": np.log(total), "log_rho": np.log(mass / AVOGADRO_PER_MOL),
             "log_total_end": np.log(total - np.where(at_150, n_h, 0.0)),
             "log_rho_end": np.log((mass - np.where(at_150, n_h * _M_I[5], 0.0)) / AVOGADRO_PER_MOL)}
    for name, side in (("left", -1e-6), ("right", 1e-6)):
        zz = np.clip(z + side, _Z7, _Z12)
        dlog = np.zeros(n.shape)
        dlog[:5] = _dlog_n_dz(zz, n5, z_switch=zz)
        dlog[5, with_h] = _hydrogen_dlog_dz(zz[with_h], n_h[with_h], n5[:, with_h].sum(axis=0))
        table["dlog_n_" + name] = dlog
        table["dlog_total_" + name] = (n * dlog).sum(axis=0) / total
        table["dlog_rho_" + name] = (n * _M_I[:, None] * dlog).sum(axis=0) / mass
    return table


def _hermite(z, values, d_left, d_right, values_end=None):
    """Cubic Hermite interpolation on the uniform table (right derivative at an interval's
    start, left derivative and ``values_end`` (default ``values``) at its end)."""
    values_end = values if values_end is None else values_end
    x = (z - _Z7) / _TABLE_STEP_M
    i = np.clip(x.astype(int), 0, values.size - 2)
    s = x - i
    h = _TABLE_STEP_M
    s2, s3 = s * s, s * s * s
    return ((2 * s3 - 3 * s2 + 1) * values[i] + (s3 - 2 * s2 + s) * h * d_right[i]
            + (-2 * s3 + 3 * s2) * values_end[i + 1] + (s3 - s2) * h * d_left[i + 1])


def _upper(z):
    """T (K), p (Pa), rho (kg/m^3) for 86 km <= z <= 1000 km (arrays)."""
    tb = _upper_table()
    t = _upper_temperature(z)
    total = np.exp(_hermite(z, tb["log_total"], tb["dlog_total_left"], tb["dlog_total_right"],
                            tb["log_total_end"]))
    rho = np.exp(_hermite(z, tb["log_rho"], tb["dlog_rho_left"], tb["dlog_rho_right"], tb["log_rho_end"]))
    return t, total * BOLTZMANN_J_K * t, rho


class Composition(NamedTuple):
    """Number densities (m^-3) of the standard's six gases above 86 km and the mean molar mass (kg/mol)."""

    N2: NDArray[np.float64]
    O: NDArray[np.float64]  # noqa: E741 (the chemical symbol, one of SPECIES)
    O2: NDArray[np.float64]
    Ar: NDArray[np.float64]
    He: NDArray[np.float64]
    H: NDArray[np.float64]
    mean_molar_mass_kg_mol: NDArray[np.float64]


def composition(altitude_m: ArrayLike) -> Composition:
    """Number densities of N2, O, O2, Ar, He and H (m^-3) and the mean molar mass (kg/mol).

    ``altitude_m``: geometric altitude, 86,000 m to 1,000,000 m (below 86 km the
    standard treats air as one mixed gas of molar mass 28.9644 g/mol). Hydrogen
    is zero below 150 km, as in the standard. Computed from the standard's
    diffusion equations (see the module docstring), not read from its Table VIII.

    >>> c = composition(400e3)   # Table VIII: O 9.584e13 m^-3; Table I: M = 15.98 kg/kmol
    >>> f"{c.O:.3e} m^-3, M = {c.mean_molar_mass_kg_mol * 1e3:.2f} g/mol"
    '9.584e+13 m^-3, M = 15.98 g/mol'
    """
    z = _check.in_range("altitude_m", altitude_m, _Z7, MAX_ALTITUDE_M, unit="m")
    tb = _upper_table()
    shape = z.shape
    zf = z.ravel()
    out = np.empty((6, zf.size))
    log_n = np.log(np.where(tb["n"] > 0, tb["n"], 1.0))
    for k in range(6):
        out[k] = np.exp(_hermite(zf, log_n[k], tb["dlog_n_left"][k], tb["dlog_n_right"][k]))
    out[5] = np.where(zf >= _Z_FLUX_TOP, out[5], 0.0)
    mean = (out * _M_I[:, None]).sum(axis=0) / out.sum(axis=0)
    return Composition._make([*(a.reshape(shape) for a in out), mean.reshape(shape)])


class Atmosphere(NamedTuple):
    """Standard-atmosphere state at given altitudes (SI units)."""

    temperature_k: NDArray[np.float64]
    pressure_pa: NDArray[np.float64]
    density_kg_m3: NDArray[np.float64]
    speed_of_sound_m_s: NDArray[np.float64]


def properties(altitude_m: ArrayLike) -> Atmosphere:
    """Temperature (K), pressure (Pa), density (kg/m^3) and speed of sound (m/s).

    ``altitude_m``: geometric altitude above sea level, -5,000 m to 1,000,000 m
    (scalar or array). Above 86 km the standard gives no speed of sound (the
    air is no longer a continuum for sound); there it is extended as
    sqrt(1.4 p / rho), which keeps Mach numbers finite and continuous for drag
    tables.

    >>> at = properties(200e3)   # the standard's Table I prints 854.56 K, 8.4736e-5 Pa, 2.541e-10 kg/m^3
    >>> f"{at.temperature_k:.2f} K, {at.pressure_pa:.4e} Pa, {at.density_kg_m3:.3e} kg/m^3"
    '854.56 K, 8.4735e-05 Pa, 2.541e-10 kg/m^3'
    """
    z = _check.in_range(
        "altitude_m", altitude_m, MIN_ALTITUDE_M, MAX_ALTITUDE_M, unit="m"
    )
    low = z <= _Z7
    z_low = np.where(low, z, _Z7)
    t, tm_low, p = _lower(z_low)
    rho = p * M0 / (R_STAR * tm_low)
    a = np.sqrt(GAMMA * R_STAR * tm_low / M0)
    if not low.all():
        up = ~low
        t_up, p_up, rho_up = _upper(z[up])
        t, p, rho, a = (np.array(q, dtype=float) for q in (t, p, rho, a))
        t[up], p[up], rho[up] = t_up, p_up, rho_up
        a[up] = np.sqrt(GAMMA * p_up / rho_up)
    return Atmosphere(t, p, rho, a)


def temperature_k(altitude_m: ArrayLike) -> NDArray[np.float64]:
    """Kinetic temperature, K, at geometric altitude ``altitude_m`` (-5 km to 1000 km)."""
    return properties(altitude_m).temperature_k


def pressure_pa(altitude_m: ArrayLike) -> NDArray[np.float64]:
    """Pressure, Pa, at geometric altitude ``altitude_m`` (-5 km to 1000 km)."""
    return properties(altitude_m).pressure_pa


def density_kg_m3(altitude_m: ArrayLike) -> NDArray[np.float64]:
    """Mass density, kg/m^3, at geometric altitude ``altitude_m`` (-5 km to 1000 km)."""
    return properties(altitude_m).density_kg_m3


def speed_of_sound_m_s(altitude_m: ArrayLike) -> NDArray[np.float64]:
    """Speed of sound, m/s (see :func:`properties` for the extension above 86 km)."""
    return properties(altitude_m).speed_of_sound_m_s
