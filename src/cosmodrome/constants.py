"""Physical constants, in SI units, each with its source.

Earth's size and shape are those of the World Geodetic System 1984 (WGS84);
NIMA TR8350.2, 3rd edition (2000), Table 3.1 (defining parameters) and
Table 3.3 (J2 from the normalized C20).
"""

import math

# --- WGS84 defining parameters (NIMA TR8350.2, Table 3.1) -------------------
WGS84_A_M = 6378137.0
"""Semi-major axis (equatorial radius) of the WGS84 ellipsoid, m."""

WGS84_F = 1.0 / 298.257223563
"""Flattening of the WGS84 ellipsoid (dimensionless)."""

GM_M3_S2 = 3.986004418e14
"""Earth's gravitational parameter including the atmosphere, m^3/s^2 (WGS84)."""

EARTH_ROTATION_RAD_S = 7.292115e-5
"""Earth's mean angular velocity, rad/s (WGS84)."""

# --- Derived WGS84 quantities ------------------------------------------------
WGS84_B_M = WGS84_A_M * (1.0 - WGS84_F)
"""Semi-minor (polar) axis, m: 6,356,752.3142 m (NIMA TR8350.2, Table 3.5)."""

WGS84_E2 = WGS84_F * (2.0 - WGS84_F)
"""First eccentricity squared of the WGS84 ellipsoid."""

J2 = -math.sqrt(5.0) * -0.484166774985e-3
"""Second zonal harmonic, J2 = -sqrt(5) * C20bar, with the normalized
C20bar = -0.484166774985e-3 of EGM96 quoted in NIMA TR8350.2 Table 3.3;
J2 = 1.08262998905e-3."""

MEAN_EARTH_RADIUS_M = 6371008.8
"""Mean radius of the Earth R1 = (2a + b)/3, m (IUGG; H. Moritz, Geodetic Reference System 1980,
Bulletin Géodésique 54 (1980), and WGS84 gives the same to 0.1 m). For great circles and
horizon geometry on a sphere."""

# --- Units and standards -----------------------------------------------------
G0_M_S2 = 9.80665
"""Standard acceleration of gravity, m/s^2 (exact; 3rd CGPM, 1901). Used to
convert specific impulse between seconds and m/s."""

SEA_LEVEL_PRESSURE_PA = 101325.0
"""Standard sea-level pressure, Pa (U.S. Standard Atmosphere 1976, Table 2)."""

TROPICAL_YEAR_S = 365.242190 * 86400.0
"""Mean tropical year, s (365.242190 days; Vallado, Fundamentals of
Astrodynamics and Applications, 4th ed., section 3.5). Sets the nodal rate
of a sun-synchronous orbit."""

GEO_RADIUS_M = (GM_M3_S2 / EARTH_ROTATION_RAD_S**2) ** (1.0 / 3.0)
"""Radius of the geostationary orbit, m (42,164 km), from Kepler's third law
with the period equal to one sidereal day."""
