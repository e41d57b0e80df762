"""Rocket propulsion: the rocket equation, mass flow, burn time, thrust and Isp
at ambient pressure, thrust-to-weight.

Sources: G. P. Sutton & O. Biblarz, *Rocket Propulsion Elements*, 9th ed.
(2017), eqs. 2-5 (effective exhaust velocity), 3-21 (thrust with pressure
term) and 4-6 (ideal rocket equation); Curtis, *Orbital Mechanics for
Engineering Students*, 3rd ed., section 11.4.
"""

import numpy as np

from . import _check
from .constants import G0_M_S2

SEA_LEVEL_PRESSURE_PA = 101325.0
"""Standard sea-level pressure, Pa (US Standard Atmosphere 1976)."""


def exhaust_velocity_m_s(isp_s):
    """Effective exhaust velocity c = Isp g0, m/s."""
    return _check.positive("isp_s", isp_s, unit="s") * G0_M_S2


def delta_v_m_s(isp_s, initial_mass_kg, final_mass_kg):
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


def mass_ratio(isp_s, delta_v_m_s):
    """Mass ratio m0/mf needed for a delta-v, exp(dv / (Isp g0))."""
    c = exhaust_velocity_m_s(isp_s)
    dv = _check.non_negative("delta_v_m_s", delta_v_m_s, unit="m/s")
    return np.exp(dv / c)


def propellant_for_delta_v_kg(isp_s, delta_v_m_s, final_mass_kg):
    """Propellant needed to give ``final_mass_kg`` (dry + payload) a delta-v, kg."""
    mf = _check.positive("final_mass_kg", final_mass_kg, unit="kg")
    return mf * (mass_ratio(isp_s, delta_v_m_s) - 1.0)


def final_mass_kg(isp_s, delta_v_m_s, initial_mass_kg):
    """Mass left after a burn of ``delta_v_m_s`` from ``initial_mass_kg``, kg."""
    m0 = _check.positive("initial_mass_kg", initial_mass_kg, unit="kg")
    return m0 / mass_ratio(isp_s, delta_v_m_s)


def mass_flow_kg_s(thrust_n, isp_s):
    """Propellant mass flow F / (Isp g0), kg/s (use vacuum thrust with vacuum Isp)."""
    f = _check.non_negative("thrust_n", thrust_n, unit="N")
    return f / exhaust_velocity_m_s(isp_s)


def burn_time_s(propellant_mass_kg, thrust_n, isp_s):
    """Burn time of a propellant load at constant thrust, s."""
    mp = _check.non_negative("propellant_mass_kg", propellant_mass_kg, unit="kg")
    mdot = mass_flow_kg_s(_check.positive("thrust_n", thrust_n, unit="N"), isp_s)
    return mp / mdot


def nozzle_exit_area_m2(thrust_vac_n, thrust_sl_n, sea_level_pressure_pa=SEA_LEVEL_PRESSURE_PA):
    """Nozzle exit area implied by vacuum and sea-level thrust, m^2.

    F(pa) = F_vac - pa Ae, so Ae = (F_vac - F_sl) / p_sl (Sutton eq. 3-21).
    """
    fv = _check.positive("thrust_vac_n", thrust_vac_n, unit="N")
    fs = _check.non_negative("thrust_sl_n", thrust_sl_n, unit="N")
    if np.any(fs > fv):
        raise ValueError("thrust_sl_n must be <= thrust_vac_n (ambient pressure only reduces thrust)")
    return (fv - fs) / sea_level_pressure_pa


def thrust_at_pressure_n(thrust_vac_n, exit_area_m2, ambient_pressure_pa):
    """Thrust at an ambient pressure, F_vac - pa Ae, floored at zero, N."""
    fv = _check.non_negative("thrust_vac_n", thrust_vac_n, unit="N")
    ae = _check.non_negative("exit_area_m2", exit_area_m2, unit="m^2")
    pa = _check.non_negative("ambient_pressure_pa", ambient_pressure_pa, unit="Pa")
    return np.maximum(fv - pa * ae, 0.0)


def isp_at_pressure_s(isp_vac_s, thrust_vac_n, exit_area_m2, ambient_pressure_pa):
    """Specific impulse at an ambient pressure, Isp_vac F(pa) / F_vac, s.

    The mass flow does not depend on the outside pressure, so Isp scales with
    thrust.
    """
    isp = _check.positive("isp_vac_s", isp_vac_s, unit="s")
    fv = _check.positive("thrust_vac_n", thrust_vac_n, unit="N")
    return isp * thrust_at_pressure_n(fv, exit_area_m2, ambient_pressure_pa) / fv


def thrust_to_weight(thrust_n, mass_kg, gravity_m_s2=G0_M_S2):
    """Thrust-to-weight ratio F / (m g); must exceed 1 for a vertical lift-off."""
    f = _check.non_negative("thrust_n", thrust_n, unit="N")
    m = _check.positive("mass_kg", mass_kg, unit="kg")
    g = _check.positive("gravity_m_s2", gravity_m_s2, unit="m/s^2")
    return f / (m * g)
