"""Propulsion: rocket equation and engine figures against published engine data."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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
