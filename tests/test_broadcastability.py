"""Every physics function takes arrays and returns arrays of the broadcast shape."""

import numpy as np
import pytest

from cosmodrome import atmosphere, earth, orbits, propulsion, reliability, sites

N = 7
Z = np.linspace(0, 5e5, N)
LAT = np.linspace(-60, 60, N)

CASES = [
    (atmosphere.density_kg_m3, (Z,)),
    (atmosphere.temperature_k, (Z,)),
    (atmosphere.pressure_pa, (Z,)),
    (atmosphere.speed_of_sound_m_s, (Z,)),
    (earth.surface_speed_m_s, (LAT,)),
    (earth.surface_gravity_m_s2, (LAT,)),
    (orbits.circular_speed_m_s, (7e6 + Z,)),
    (orbits.period_s, (7e6 + Z,)),
    (orbits.eccentric_anomaly_rad, (np.linspace(0, 6, N), 0.3)),
    (orbits.hyperbolic_anomaly_rad, (np.linspace(-6, 6, N), 1.7)),
    (orbits.sun_synchronous_inclination_rad, (7e6 + Z / 5,)),
    (orbits.j2_nodal_rate_rad_s, (7e6 + Z, 0.01, 1.0)),
    (propulsion.delta_v_m_s, (300.0, 1000.0, np.linspace(100, 900, N))),
    (propulsion.mass_ratio, (np.linspace(250, 450, N), 9000.0)),
    (sites.inclination_deg, (LAT, 90.0)),
    (sites.rotation_speed_along_azimuth_m_s, (LAT, 90.0)),
    (sites.equatorial_plane_change_dv_m_s, (LAT,)),
    (reliability.at_least_one_success, (np.linspace(0.1, 0.9, N), 3)),
    (lambda k, n: reliability.success_fraction(k, n)[1], (np.arange(N) * 10.0, 100.0)),
]


@pytest.mark.parametrize("func,args", CASES, ids=[c[0].__name__ for c in CASES])
def test_array_in_array_out(func, args):
    out = np.asarray(func(*args))
    assert out.shape == (N,)
    scalar = np.asarray(func(*[a[2] if np.ndim(a) else a for a in args]))
    assert scalar.shape == ()
    assert out[2] == pytest.approx(float(scalar))


def test_state_vectors_broadcast():
    nu = np.linspace(0, 6, N)
    r, v = orbits.elements_to_state(7e6, 0.1, 1.0, 0.2, 0.3, nu)
    assert r.shape == (3, N) and v.shape == (3, N)
    el = orbits.state_to_elements(r, v)
    assert el.true_anomaly_rad.shape == (N,)
    r2, v2 = orbits.propagate(r, v, np.linspace(0, 1e4, N))
    assert r2.shape == (3, N)
    lat, lon, h = earth.ecef_to_geodetic(earth.geodetic_to_ecef(LAT, 10.0, Z))
    assert lat.shape == (N,) and np.allclose(lat, LAT)
