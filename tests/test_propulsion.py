"""Propulsion: rocket equation and engine figures against published engine data."""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from cosmodrome import propulsion


def test_rd0124_mass_flow_matches_published_rates():
    """SpaceBallistics Soyuz-2.1b/Stage3.h: RD-0124 294.3 kN, Isp 359 s, with
    fuel 23.8 kg/s + oxidiser 59.6 kg/s = 83.4 kg/s."""
    assert propulsion.mass_flow_kg_s(294.3e3, 359.0) == pytest.approx(83.4, rel=0.005)


def test_rd107a_sea_level_thrust_from_vacuum_and_exit_area():
    """Soyuz User's Manual: RD-107A 1,021.3 kN vacuum, 838.5 kN sea level,
    Isp 319 s vacuum, 262 s sea level. The exit area that turns one into
    the other also predicts the sea-level Isp (within the rounding of 262 s)."""
    ae = propulsion.nozzle_exit_area_m2(1021.3e3, 838.5e3)
    assert propulsion.thrust_at_pressure_n(1021.3e3, ae, 101325.0) == pytest.approx(838.5e3)
    assert propulsion.isp_at_pressure_s(319.0, 1021.3e3, ae, 101325.0) == pytest.approx(262.0, abs=1.0)
    assert propulsion.thrust_at_pressure_n(1021.3e3, ae, 0.0) == pytest.approx(1021.3e3)


def test_burn_time_of_soyuz_boosters():
    """Manual: 39,160 kg of propellant at 1,021.3 kN and 319 s burn ~118 s
    (observed separation 118 s; SpaceBallistics Consts.h)."""
    assert propulsion.burn_time_s(39160.0, 1021.3e3, 319.0) == pytest.approx(118, rel=0.03)


@settings(max_examples=200, deadline=None)
@given(isp=st.floats(50, 500), m0=st.floats(10, 1e6), frac=st.floats(0.01, 0.99))
def test_rocket_equation_round_trips(isp, m0, frac):
    mf = m0 * frac
    dv = propulsion.delta_v_m_s(isp, m0, mf)
    assert propulsion.mass_ratio(isp, dv) == pytest.approx(m0 / mf, rel=1e-9)
    assert propulsion.final_mass_kg(isp, dv, m0) == pytest.approx(mf, rel=1e-9)
    assert propulsion.propellant_for_delta_v_kg(isp, dv, mf) == pytest.approx(m0 - mf, rel=1e-9)


def test_a_kilometre_per_second_costs_more_each_time():
    """Exponential: each further 1 km/s multiplies the mass by the same factor."""
    r = propulsion.mass_ratio(300.0, np.array([1000.0, 2000.0, 3000.0]))
    assert r[1] / r[0] == pytest.approx(r[0]) and r[2] / r[1] == pytest.approx(r[0])


def test_thrust_to_weight():
    assert propulsion.thrust_to_weight(9.80665e3, 1000.0) == pytest.approx(1.0)


@pytest.mark.parametrize("call,msg", [
    (lambda: propulsion.delta_v_m_s(-300, 100, 50), r"isp_s must be > 0 s \(got -300\)"),
    (lambda: propulsion.delta_v_m_s(300, 100, 150), r"final_mass_kg must be <= initial_mass_kg \(100 kg\) \(got 150\)"),
    (lambda: propulsion.delta_v_m_s(300, -100, 50), r"initial_mass_kg must be > 0 kg \(got -100\)"),
    (lambda: propulsion.nozzle_exit_area_m2(100.0, 200.0), r"thrust_sl_n must be <= thrust_vac_n"),
    (lambda: propulsion.burn_time_s(100.0, 0.0, 300.0), r"thrust_n must be > 0"),
    (lambda: propulsion.mass_flow_kg_s(1e3, 0.0), r"isp_s must be > 0"),
])
def test_bad_input_messages(call, msg):
    with pytest.raises(ValueError, match=msg):
        call()


# --- Thrust from the nozzle -----------------------------------------------------
# R. A. Braeunig, "Rocket Propulsion" (braeunig.us/space/propuls.htm), as typed in
# the teamgannon/trips ChemicalPropulsion.java docstrings:
#   Problem 1.1: "A spacecraft's engine ejects mass at a rate of 30 kg/s with an
#   exhaust velocity of 3,100 m/s. The pressure at the nozzle exit is 5 kPa and
#   the exit area is 0.7 m2. What is the thrust of the engine in a vacuum?"
#   F = 30 x 3,100 + 5,000 x 0.7 = 96,500 N.
#   Problem 1.6: "A rocket engine produces a thrust of 1,000 kN at sea level with
#   a propellant flow rate of 400 kg/s. Calculate the specific impulse." 255 s.


def test_braeunig_problem_1_1_vacuum_thrust():
    assert propulsion.nozzle_thrust_n(30.0, 3100.0, 5000.0, 0.0, 0.7) == pytest.approx(96_500.0, rel=1e-12)


def test_braeunig_problem_1_6_specific_impulse():
    assert propulsion.isp_from_thrust_s(1_000e3, 400.0) == pytest.approx(255.0, abs=0.5)
    assert propulsion.isp_from_thrust_s(1_000e3, 400.0) == pytest.approx(1e6 / (400 * 9.80665), rel=1e-12)


def test_rd107a_isp_from_thrust_and_mass_flow():
    """The RD-107A figures of the Soyuz User's Manual (1,021.3 kN vacuum, 838.5 kN
    sea level, 319 s vacuum, 262 s sea level) share one mass flow: the vacuum
    figures give it, and the sea-level thrust with it gives the sea-level Isp."""
    mdot = propulsion.mass_flow_kg_s(1021.3e3, 319.0)
    assert propulsion.isp_from_thrust_s(838.5e3, mdot) == pytest.approx(262.0, abs=1.0)
    assert propulsion.effective_exhaust_velocity_m_s(1021.3e3, mdot) == pytest.approx(319.0 * 9.80665)


@settings(max_examples=200, deadline=None)
@given(mdot=st.floats(0.1, 5e3), ve=st.floats(500, 5e3), pe=st.floats(0, 2e5),
       pa=st.floats(0, 1.1e5), ae=st.floats(0, 10))
def test_nozzle_thrust_properties(mdot, ve, pe, pa, ae):
    f = propulsion.nozzle_thrust_n(mdot, ve, pe, pa, ae)
    # matched nozzle: no pressure thrust
    assert propulsion.nozzle_thrust_n(mdot, ve, pa, pa, ae) == pytest.approx(mdot * ve, rel=1e-12)
    # vacuum minus ambient is pa Ae, whatever the nozzle
    f_vac = propulsion.nozzle_thrust_n(mdot, ve, pe, 0.0, ae)
    assert f_vac - f == pytest.approx(pa * ae, rel=1e-9, abs=1e-6 * f_vac)
    # and the library's existing pressure correction agrees
    assert propulsion.thrust_at_pressure_n(f_vac, ae, pa) == pytest.approx(max(f, 0.0), rel=1e-9, abs=1e-6 * f_vac)
    if f > 0:
        c = propulsion.effective_exhaust_velocity_m_s(f, mdot)
        assert c == pytest.approx(ve + (pe - pa) * ae / mdot, rel=1e-9)
        assert propulsion.isp_from_thrust_s(f, mdot) * 9.80665 == pytest.approx(c, rel=1e-12)


def test_nozzle_inputs_are_checked():
    with pytest.raises(ValueError, match=r"exit_area_m2 must be >= 0 m\^2 \(got -1\)"):
        propulsion.nozzle_thrust_n(30.0, 3100.0, 5000.0, 0.0, -1.0)
    with pytest.raises(ValueError, match=r"mass_flow_kg_s must be > 0 kg/s \(got 0\)"):
        propulsion.isp_from_thrust_s(1e6, 0.0)
    with pytest.raises(ValueError, match="ambient_pressure_pa"):
        propulsion.nozzle_thrust_n(30.0, 3100.0, 5000.0, np.nan, 0.7)


def test_nozzle_thrust_broadcasts():
    f = propulsion.nozzle_thrust_n(30.0, 3100.0, 5000.0, np.array([0.0, 101325.0]), 0.7)
    assert f.shape == (2,)
    assert f[0] - f[1] == pytest.approx(101325.0 * 0.7)
