"""data/*.toml: a key the library does not read is an error naming the file, the table and the key
(issue 18; a misspelt optional field used to be dropped and read as 0)."""

import copy
import dataclasses

import pytest

from cosmodrome import _data, vehicles


@pytest.mark.parametrize("name", sorted(_data.FORMATS))
def test_every_data_file_passes_its_format(name):
    _data.check_keys(name, _data.load_toml(name), _data.FORMATS[name])


def _with(name, edit):
    data = copy.deepcopy(_data.load_toml(name))
    edit(data)
    return data


@pytest.mark.parametrize("name, edit, message", [
    ("vehicles.toml", lambda d: d["chollima-1"].update(payload_leo_kgs=300),
     r"data/vehicles.toml: table \[chollima-1\] has an unknown key 'payload_leo_kgs'; did you mean 'payload_leo_kg'\?"),
    ("vehicles.toml", lambda d: d["chollima-1"]["stages"][1].update(isp_vacc_s=320),
     r"table \[chollima-1.stages\[1\]\] has an unknown key 'isp_vacc_s'; did you mean 'isp_vac_s'\?"),
    ("sites.toml", lambda d: d["sohae"]["corridors"][0].update(too_deg=200),
     r"data/sites.toml: table \[sohae.corridors\[0\]\] has an unknown key 'too_deg'"),
    ("missions.toml", lambda d: d["malligyong-1"].update(inclination=97.4),
     r"table \[malligyong-1\] has an unknown key 'inclination'; did you mean 'inclination_deg'\?"),
    ("failures.toml", lambda d: d["chollima-1-2023-05"]["model"].update(stages=2),
     r"data/failures.toml: table \[chollima-1-2023-05.model\] has an unknown key 'stages'; did you mean 'stage'\?"),
    ("places.toml", lambda d: d["pyongyang"].update(lat_deg=39.0),
     r"data/places.toml: table \[pyongyang\] has an unknown key 'lat_deg'"),
])
def test_a_misspelt_key_names_the_file_the_table_and_the_key(name, edit, message):
    with pytest.raises(ValueError, match=message):
        _data.check_keys(name, _with(name, edit), _data.FORMATS[name])


def test_the_stage_keys_are_the_stage_fields():
    """Every key a stage table may hold is read into Stage, and every Stage field may be given."""
    fields = {f.name for f in dataclasses.fields(vehicles.Stage)}
    assert _data.FORMATS["vehicles.toml"]["tables"]["stages"] == fields


def test_an_estimated_stage_keeps_its_basis():
    stage = vehicles.get_vehicle("chollima-1").stages[2]
    assert stage.estimate and "705 s" in stage.basis
