"""Rocket propulsion: the rocket equation, mass flow, burn time, thrust and Isp
at ambient pressure, thrust-to-weight.

Sources: G. P. Sutton & O. Biblarz, *Rocket Propulsion Elements*, 9th ed.
(2017), eqs. 2-5 (effective exhaust velocity), 3-21 (thrust with pressure
term) and 4-6 (ideal rocket equation); chapter 2 (thrust from the nozzle,
F = mdot v2 + (p2 - p3) A2, and effective exhaust velocity c = F / mdot);
Curtis, *Orbital Mechanics for Engineering Students*, 3rd ed., section 11.4;
R. A. Braeunig, *Rocket Propulsion* (braeunig.us/space/propuls.htm),
problems 1.1 and 1.6 (worked examples of the two).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from . import _check
from .constants import G0_M_S2, SEA_LEVEL_PRESSURE_PA

if TYPE_CHECKING:
    from numpy.typing import ArrayLike, NDArray


def exhaust_velocity_m_s(isp_s: ArrayLike) -> NDArray[np.float64]:
    """Effective exhaust velocity c = Isp g0, m/s."""
    return _check.positive("isp_s", isp_s, unit="s") * G0_M_S2


def nozzle_thrust_n(mass_flow_kg_s: ArrayLike, exit_velocity_m_s: ArrayLike, exit_pressure_pa: ArrayLike,
                    ambient_pressure_pa: ArrayLike,
                    exit_area_m2: ArrayLike) -> NDArray[np.float64]:
    """Thrust from the nozzle, F = mdot Ve + (pe - pa) Ae, N.

    The momentum thrust of the gas leaving at ``exit_velocity_m_s`` (m/s) with
    ``mass_flow_kg_s`` (kg/s), plus the pressure thrust of the exit plane
    (``exit_area_m2``, m^2) where the gas is at ``exit_pressure_pa`` and the
    air around at ``ambient_pressure_pa`` (Pa). The pressure term is negative
    for an over-expanded nozzle (pe < pa), as a vacuum nozzle at sea level.
    Sutton & Biblarz, *Rocket Propulsion Elements*, chapter 2 (F = mdot v2 +
    (p2 - p3) A2).

    Worked example (Braeunig, *Rocket Propulsion*, problem 1.1): 30 kg/s at
    3,100 m/s, 5 kPa at a 0.7 m^2 exit, in vacuum:

    >>> float(nozzle_thrust_n(30.0, 3100.0, 5000.0, 0.0, 0.7))
    96500.0
    """
    mdot = _check.non_negative("mass_flow_kg_s", mass_flow_kg_s, unit="kg/s")
    ve = _check.non_negative("exit_velocity_m_s", exit_velocity_m_s, unit="m/s")
    pe = _check.non_negative("exit_pressure_pa", exit_pressure_pa, unit="Pa")
    pa = _check.non_negative("ambient_pressure_pa", ambient_pressure_pa, unit="Pa")
    ae = _check.non_negative("exit_area_m2", exit_area_m2, unit="m^2")
    return mdot * ve + (pe - pa) * ae


def effective_exhaust_velocity_m_s(thrust_n: ArrayLike, mass_flow_kg_s: ArrayLike) -> NDArray[np.float64]:
    """Effective exhaust velocity c = F / mdot, m/s: the exit velocity that would
    give the same thrust with no pressure term, c = Ve + (pe - pa) Ae / mdot
    (Sutton & Biblarz, chapter 2). ``thrust_n`` in N, ``mass_flow_kg_s`` in kg/s.

    >>> round(float(effective_exhaust_velocity_m_s(96500.0, 30.0)), 1)   # Braeunig problem 1.1's engine
    3216.7
    """
    f = _check.non_negative("thrust_n", thrust_n, unit="N")
    mdot = _check.positive("mass_flow_kg_s", mass_flow_kg_s, unit="kg/s")
    return f / mdot


def isp_from_thrust_s(thrust_n: ArrayLike, mass_flow_kg_s: ArrayLike) -> NDArray[np.float64]:
    """Specific impulse from thrust and mass flow, Isp = F / (mdot g0), s
    (g0 = 9.80665 m/s^2). ``thrust_n`` in N, ``mass_flow_kg_s`` in kg/s; use the
    thrust at the pressure you mean (sea level or vacuum): the mass flow is the
    same, so Isp follows the thrust.

    Worked example (Braeunig, *Rocket Propulsion*, problem 1.6): 1,000 kN at sea
    level with 400 kg/s of propellant gives 255 s.

    >>> round(float(isp_from_thrust_s(1.0e6, 400.0)), 1)
    254.9
    """
    return effective_exhaust_velocity_m_s(thrust_n, mass_flow_kg_s) / G0_M_S2


def delta_v_m_s(isp_s: ArrayLike, initial_mass_kg: ArrayLike, final_mass_kg: ArrayLike) -> NDArray[np.float64]:
    """Ideal (Tsiolkovsky) delta-v, Isp g0 ln(m0 / mf), m/s."""
    c = exhaust_velocity_m_s(isp_s)
    m0 = _check.positive("initial_mass_kg", initial_mass_kg, unit="kg")
    mf = _check.positive("final_mass_kg", final_mass_kg, unit="kg")
    m0b, mfb = np.broadcast_arrays(m0, mf)
    if np.any(mfb > m0b):
        bad = mfb > m0b
        raise ValueError(
            f"final_mass_kg must be <= initial_mass_kg ({m0b[bad].ravel()[0]:.6g} kg) "
            f"(got {mfb[bad].ravel()[0]:.6g})"
        )
    return c * np.log(m0 / mf)


def mass_ratio(isp_s: ArrayLike, delta_v_m_s: ArrayLike) -> NDArray[np.float64]:
    """Mass ratio m0/mf needed for a delta-v, exp(dv / (Isp g0))."""
    c = exhaust_velocity_m_s(isp_s)
    dv = _check.non_negative("delta_v_m_s", delta_v_m_s, unit="m/s")
    return np.exp(dv / c)


def propellant_for_delta_v_kg(isp_s: ArrayLike, delta_v_m_s: ArrayLike,
                              final_mass_kg: ArrayLike) -> NDArray[np.float64]:
    """Propellant needed to give ``final_mass_kg`` (dry + payload) a delta-v, kg."""
    mf = _check.positive("final_mass_kg", final_mass_kg, unit="kg")
    return mf * (mass_ratio(isp_s, delta_v_m_s) - 1.0)


def final_mass_kg(isp_s: ArrayLike, delta_v_m_s: ArrayLike, initial_mass_kg: ArrayLike) -> NDArray[np.float64]:
    """Mass left after a burn of ``delta_v_m_s`` from ``initial_mass_kg``, kg."""
    m0 = _check.positive("initial_mass_kg", initial_mass_kg, unit="kg")
    return m0 / mass_ratio(isp_s, delta_v_m_s)


def mass_flow_kg_s(thrust_n: ArrayLike, isp_s: ArrayLike) -> NDArray[np.float64]:
    """Propellant mass flow F / (Isp g0), kg/s (use vacuum thrust with vacuum Isp)."""
    f = _check.non_negative("thrust_n", thrust_n, unit="N")
    return f / exhaust_velocity_m_s(isp_s)


def burn_time_s(propellant_mass_kg: ArrayLike, thrust_n: ArrayLike, isp_s: ArrayLike) -> NDArray[np.float64]:
    """Burn time of a propellant load at constant thrust, s."""
    mp = _check.non_negative("propellant_mass_kg", propellant_mass_kg, unit="kg")
    mdot = mass_flow_kg_s(_check.positive("thrust_n", thrust_n, unit="N"), isp_s)
    return mp / mdot


def nozzle_exit_area_m2(thrust_vac_n: ArrayLike, thrust_sl_n: ArrayLike,
                        sea_level_pressure_pa: float = SEA_LEVEL_PRESSURE_PA) -> NDArray[np.float64]:
    """Nozzle exit area implied by vacuum and sea-level thrust, m^2.

    F(pa) = F_vac - pa Ae, so Ae = (F_vac - F_sl) / p_sl (Sutton eq. 3-21).
    """
    fv = _check.positive("thrust_vac_n", thrust_vac_n, unit="N")
    fs = _check.non_negative("thrust_sl_n", thrust_sl_n, unit="N")
    if np.any(fs > fv):
        raise ValueError("thrust_sl_n must be <= thrust_vac_n (ambient pressure only reduces thrust)")
    return (fv - fs) / sea_level_pressure_pa


def thrust_at_pressure_n(thrust_vac_n: ArrayLike, exit_area_m2: ArrayLike,
                         ambient_pressure_pa: ArrayLike) -> NDArray[np.float64]:
    """Thrust at an ambient pressure, F_vac - pa Ae, floored at zero, N."""
    fv = _check.non_negative("thrust_vac_n", thrust_vac_n, unit="N")
    ae = _check.non_negative("exit_area_m2", exit_area_m2, unit="m^2")
    pa = _check.non_negative("ambient_pressure_pa", ambient_pressure_pa, unit="Pa")
    return np.maximum(fv - pa * ae, 0.0)


def isp_at_pressure_s(isp_vac_s: ArrayLike, thrust_vac_n: ArrayLike, exit_area_m2: ArrayLike,
                      ambient_pressure_pa: ArrayLike) -> NDArray[np.float64]:
    """Specific impulse at an ambient pressure, Isp_vac F(pa) / F_vac, s.

    The mass flow does not depend on the outside pressure, so Isp scales with
    thrust.
    """
    isp = _check.positive("isp_vac_s", isp_vac_s, unit="s")
    fv = _check.positive("thrust_vac_n", thrust_vac_n, unit="N")
    return isp * thrust_at_pressure_n(fv, exit_area_m2, ambient_pressure_pa) / fv


def thrust_to_weight(thrust_n: ArrayLike, mass_kg: ArrayLike, gravity_m_s2: ArrayLike = G0_M_S2) -> NDArray[np.float64]:
    """Thrust-to-weight ratio F / (m g); must exceed 1 for a vertical lift-off."""
    f = _check.non_negative("thrust_n", thrust_n, unit="N")
    m = _check.positive("mass_kg", mass_kg, unit="kg")
    g = _check.positive("gravity_m_s2", gravity_m_s2, unit="m/s^2")
    return f / (m * g)
