"""The U.S. Standard Atmosphere, 1976, from -5 km to 1000 km.

Below 86 km the standard's closed-form layer equations are evaluated exactly
(seven layers of constant molecular-temperature gradient in geopotential
height, plus the 80-86 km molecular-weight correction of its Table 8). Above
86 km the standard defines temperature in closed form, which is evaluated
exactly, while pressure and density come from integrating the diffusion of
each gas; those are interpolated (monotone cubic in log space) in the
standard's Table I, bundled as ``data/ussa76_upper.csv``.

Source: *U.S. Standard Atmosphere, 1976*, NOAA-S/T 76-1562 (NASA-TM-X-74335),
Washington, D.C., October 1976: eqs. 18, 23, 33a/b, 27-32 and Tables 4, 8.

All functions take geometric altitude above sea level in metres (scalar or
array) and return arrays of the same shape.
"""

from collections import namedtuple
from functools import lru_cache

import numpy as np
from scipy.interpolate import PchipInterpolator

from . import _check
from ._data import data_path

# Constants of the standard (its Table 2); note R* and g0 as the 1976 values.
R_STAR = 8.31432  # J/(mol K), universal gas constant as adopted by the standard
M0 = 28.9644e-3  # kg/mol, sea-level mean molecular weight
G0 = 9.80665  # m/s^2
R0_M = 6356766.0  # m, effective Earth radius for geopotential height
GAMMA = 1.40  # ratio of specific heats of air

# Layer bases in geopotential metres and molecular-temperature gradients, K/m'
_H_BASE = np.array([0.0, 11000.0, 20000.0, 32000.0, 47000.0, 51000.0, 71000.0, 84852.0])
_LAPSE = np.array([-6.5, 0.0, 1.0, 2.8, 0.0, -2.8, -2.0, 0.0]) * 1e-3
_T0_K = 288.15
_P0_PA = 101325.0

# Table 8: M/M0 between 80 and 86 km geometric altitude.
_MW_ALT_M = np.arange(80000.0, 86001.0, 500.0)
_MW_RATIO = np.array(
    [1.0, 0.999996, 0.999989, 0.999971, 0.999941, 0.999909, 0.999870,
     0.999829, 0.999786, 0.999741, 0.999694, 0.999641, 0.999579]
)

# Upper-atmosphere temperature (section 1.2.5 of the standard).
_Z7, _Z8, _Z9, _Z10 = 86000.0, 91000.0, 110000.0, 120000.0
_T7 = 186.8673  # K, isothermal 86-91 km
_TC, _A_ELL, _a_ELL = 263.1905, -76.3232, -19942.9  # K, K, m (elliptical 91-110 km)
_T9, _L9 = 240.0, 12.0e-3  # K, K/m (linear 110-120 km)
_T10, _T_INF, _LAMBDA = 360.0, 1000.0, 0.01875e-3  # K, K, 1/m (120-1000 km)

MIN_ALTITUDE_M = -5000.0
MAX_ALTITUDE_M = 1000000.0


def _layer_bases():
    t = [_T0_K]
    p = [_P0_PA]
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


@lru_cache(maxsize=1)
def _upper_table():
    with open(data_path("ussa76_upper.csv"), encoding="utf-8") as f:
        lines = [ln.strip() for ln in f if ln.strip() and not ln.startswith("#")]
    rows = [ln.split(",") for ln in lines[1:]]
    z = np.array([float(r[0]) for r in rows]) * 1000.0
    p = np.array([float(r[1]) if r[1] else np.nan for r in rows])
    rho = np.array([float(r[2]) if r[2] else np.nan for r in rows])
    p_ok, r_ok = np.isfinite(p), np.isfinite(rho)
    log_p = PchipInterpolator(z[p_ok], np.log(p[p_ok]))
    log_rho = PchipInterpolator(z[r_ok], np.log(rho[r_ok]))
    return log_p, log_rho


def geopotential_height_m(altitude_m):
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


def _upper_temperature(z):
    t = np.full(z.shape, _T7)
    ell = (z > _Z8) & (z <= _Z9)
    x = np.where(ell, (z - _Z8) / _a_ELL, 0.0)
    t = np.where(ell, _TC + _A_ELL * np.sqrt(np.clip(1.0 - x**2, 0.0, None)), t)
    lin = (z > _Z9) & (z <= _Z10)
    t = np.where(lin, _T9 + _L9 * (z - _Z9), t)
    top = z > _Z10
    xi = (z - _Z10) * (R0_M + _Z10) / (R0_M + z)
    t = np.where(top, _T_INF - (_T_INF - _T10) * np.exp(-_LAMBDA * xi), t)
    return t


Atmosphere = namedtuple(
    "Atmosphere", ["temperature_k", "pressure_pa", "density_kg_m3", "speed_of_sound_m_s"]
)
Atmosphere.__doc__ = "Standard-atmosphere state at given altitudes (SI units)."


def properties(altitude_m):
    """Temperature (K), pressure (Pa), density (kg/m^3) and speed of sound (m/s).

    Above 86 km the standard gives no speed of sound (the air is no longer a
    continuum for sound); there it is extended as sqrt(1.4 p / rho), which
    keeps Mach numbers finite and continuous for drag tables.
    """
    z = _check.in_range(
        "altitude_m", altitude_m, MIN_ALTITUDE_M, MAX_ALTITUDE_M, unit="m"
    )
    low = z <= _Z7
    z_low = np.where(low, z, _Z7)
    t_low, tm_low, p_low = _lower(z_low)
    rho_low = p_low * M0 / (R_STAR * tm_low)

    z_up = np.where(low, _Z7, z)
    log_p, log_rho = _upper_table()
    t_up = _upper_temperature(z_up)
    p_up = np.exp(log_p(z_up))
    rho_up = np.exp(log_rho(z_up))

    t = np.where(low, t_low, t_up)
    p = np.where(low, p_low, p_up)
    rho = np.where(low, rho_low, rho_up)
    a = np.where(low, np.sqrt(GAMMA * R_STAR * tm_low / M0), np.sqrt(GAMMA * p_up / rho_up))
    return Atmosphere(t, p, rho, a)


def temperature_k(altitude_m):
    """Kinetic temperature, K."""
    return properties(altitude_m).temperature_k


def pressure_pa(altitude_m):
    """Pressure, Pa."""
    return properties(altitude_m).pressure_pa


def density_kg_m3(altitude_m):
    """Mass density, kg/m^3."""
    return properties(altitude_m).density_kg_m3


def speed_of_sound_m_s(altitude_m):
    """Speed of sound, m/s (see :func:`properties` for the extension above 86 km)."""
    return properties(altitude_m).speed_of_sound_m_s
