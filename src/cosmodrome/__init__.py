"""cosmodrome: orbital mechanics and rocket launch, taught through Vostochny and Sohae.

The physics lives in small modules named for what they compute:

- :mod:`cosmodrome.constants`  -- Earth and unit constants, each with its source
- :mod:`cosmodrome.earth`      -- WGS84 geodesy, surface rotation speed, gravity
- :mod:`cosmodrome.atmosphere` -- US Standard Atmosphere 1976
- :mod:`cosmodrome.sites`      -- launch sites, azimuth and inclination, corridors
- :mod:`cosmodrome.propulsion` -- the rocket equation, thrust and Isp at altitude
- :mod:`cosmodrome.vehicles`   -- stages and vehicles from data/vehicles.toml
- :mod:`cosmodrome.orbits`     -- two-body orbits, Kepler, transfers, J2 drift

Plotting lives in :mod:`cosmodrome.plot`, which nothing in the physics imports.
"""

__version__ = "0.1.0"
