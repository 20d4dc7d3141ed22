"""What-if inputs through POST /v1/calculators/{name} on the real server: the figures are the
registry's, the schema lists the fields, bad what-if inputs are a 422 with one sentence."""

from __future__ import annotations

import pytest

import calculators

CONDOR = {"long_put": 5650, "short_put": 5700, "short_call": 6100, "long_call": 6150, "credit": 5.10,
          "spot": 5900, "iv": 0.18, "days": 45, "rate": 0.04, "dividend": 0.013}
WHAT_IF = {"at_days": 10, "at_spot": 5800, "iv_shift": 5, "grid_spots": 60, "grid_days": 10}


@pytest.mark.parametrize(("name", "raw"), [
    ("iron-condor", CONDOR | WHAT_IF),
    ("vertical-spread", {"kind": "call", "short_strike": 6050, "long_strike": 6100, "credit": 2.5, "spot": 5950, "iv": "13%",
                         "days": 14, "at_days": 7, "at_spot": 6080, "at_iv": "16%", "grid_spots": [6000, 6050, 6100], "grid_days": 3}),
])
def test_the_endpoint_answers_what_ifs_with_the_registrys_figures(http, name, raw):
    r = http.post(f"/v1/calculators/{name}", json=raw)
    assert r.status_code == 200, r.text
    assert r.json() == calculators.get(name).run(raw)
    out = r.json()["outputs"]
    assert out["what_if"]["pnl"] == pytest.approx(out["what_if"]["pnl_points"] * 100)
    assert len(out["grid"]["pnl"]) == len(out["grid"]["spots"]) and len(out["grid"]["pnl"][0]) == len(out["grid"]["days"])


def test_the_schema_lists_the_what_if_fields(http):
    calcs = {c["name"]: c for c in http.get("/v1/calculators").json()["calculators"]}
    for name in ("iron-condor", "vertical-spread"):
        props = calcs[name]["input_schema"]["properties"]
        assert {"at_days", "at_spot", "iv_shift", "at_iv", "grid_spots", "grid_days"} <= set(props), name
        assert "what-if" in props["at_days"]["description"]


@pytest.mark.parametrize(("extra", "sentence"), [
    ({"at_days": 46}, "at_days (46) must not be after expiry (45 days)"),
    ({"at_days": -1}, "at_days must be at least 0 (got -1)"),
    ({"at_spot": 0}, "at_spot must be greater than 0 (got 0)"),
    ({"iv_shift": "5%"}, "iv_shift is in volatility points: write 5 for +5 points (18% becomes 23% with 5), not '5%'"),
    ({"iv_shift": -30}, "iv_shift (-30 points) would take the long put's volatility (18 %) to zero or below"),
    ({"grid_spots": 1000}, "grid_spots must be a count from 2 to 200 (got 1000), or a list of index levels"),
    ({"grid_days": [0, 60]}, "grid_days (60) must not be after expiry (45 days)"),
])
def test_bad_what_if_inputs_are_a_422_with_a_sentence(http, extra, sentence):
    r = http.post("/v1/calculators/iron-condor", json=CONDOR | extra)
    assert r.status_code == 422, r.text
    assert r.json()["detail"] == sentence
