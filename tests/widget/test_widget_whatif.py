"""The what-if sliders under an iron condor's payoff chart, in headless Chromium against the real app.

Moving the date or the volatility-shift slider (with the keyboard) asks POST
/v1/calculators/iron-condor for the P/L at that date and volatility and redraws the dashed
"at date" curve; no chat request is ever sent. The P/L table toggle shows the grid.
"""

from __future__ import annotations

import json

import pytest
from test_widget_e2e import CONDOR_Q, ask, open_widget, shadow_eval

import calculators

pytestmark = [pytest.mark.browser, pytest.mark.timeout(240)]

CARD = ".vs-bot[data-turn='0'] .vs-calc[data-calculator='iron-condor']"
AT_CURVE = f"{CARD} svg.vs-payoff path[data-series='pnl-at']"


def curve_d(page) -> str:
    return shadow_eval(page, f"root.querySelector(\"{AT_CURVE}\").getAttribute('d')")


def wait_for_new_curve(page, before: str) -> str:
    page.wait_for_function(
        "([sel, before]) => { const p = document.querySelector('[data-vixshield]').shadowRoot.querySelector(sel);"
        " return p && p.getAttribute('d') !== before; }",
        arg=[AT_CURVE, before],
    )
    return curve_d(page)


def test_sliders_redraw_the_at_date_curve_from_the_calculator_api_and_never_chat(page, app_server):
    open_widget(page, app_server.base_url)
    reply = ask(page, CONDOR_Q)
    calc = next(c for c in reply["calculations"] if c["calculator"] == "iron-condor")
    card = page.locator(CARD)
    card.locator(".vs-whatif").wait_for()

    requests: list = []
    page.on("request", lambda r: requests.append(r))
    before = curve_d(page)
    assert before.startswith("M") and before.count("L") == len(calc["outputs"]["curve"]["prices"]) - 1

    date = card.locator("input[data-whatif='days']")
    assert (date.get_attribute("min"), date.get_attribute("max")) == ("0", f"{calc['inputs']['days']:g}")
    assert date.get_attribute("aria-valuetext") == "Today, 45 days to expiry"
    date.focus()
    with page.expect_response(lambda r: r.url.endswith("/v1/calculators/iron-condor") and r.request.method == "POST"):
        for _ in range(10):
            date.press("ArrowRight")
    after_date = wait_for_new_curve(page, before)
    assert date.get_attribute("aria-valuetext") == "In 10 days, 35 days to expiry"
    assert card.locator("label", has_text="Date").count() == 1

    vol = card.locator("input[data-whatif='iv-shift']")
    vol.focus()
    for _ in range(5):
        vol.press("ArrowUp")
    after_vol = wait_for_new_curve(page, after_date)
    assert vol.get_attribute("aria-valuetext") == "+5 volatility points (IV 23%)"
    assert len({before, after_date, after_vol}) == 3

    # The last request carried the sliders' values; its answer is the registry's, and the drawn curve is its pnl_eval.
    calc_posts = [r for r in requests if r.url.endswith("/v1/calculators/iron-condor")]
    body = json.loads(calc_posts[-1].post_data)
    assert (body["at_days"], body["iv_shift"]) == (10, 5)
    expected = calculators.get("iron-condor").run(body)
    assert calc_posts[-1].response().json() == expected
    summary = card.locator(".vs-whatif-summary")
    pnl = expected["outputs"]["what_if"]["pnl"]
    assert summary.inner_text().startswith("P/L in 10 days at 5,900, IV 23% (+5 pts): ")
    assert f"${abs(pnl):,.0f}" in summary.inner_text().replace("\u2212", "-")

    # The P/L table toggle.
    toggle = card.locator(".vs-whatif-toggle")
    assert toggle.get_attribute("aria-expanded") == "false"
    toggle.click()
    table = card.locator(".vs-grid-table")
    table.wait_for()
    assert toggle.get_attribute("aria-expanded") == "true"
    grid = json.loads([r for r in requests if r.url.endswith("/v1/calculators/iron-condor")][-1].post_data)
    assert (grid["grid_spots"], grid["grid_days"]) == (9, [0, 15, 30, 45])
    heads = table.locator("thead th").all_inner_texts()
    assert heads[0] == "Index" and heads[1] == "Today" and heads[-1] == "Expiry" and heads[2:4] == ["Day 15", "Day 30"]
    assert table.locator("tbody tr").count() == 9

    assert not [r for r in requests if "/v1/chat" in r.url], [r.url for r in requests]
    assert page.locator(".vs-bot[data-turn]").count() == 1 and page.locator(".vs-user").count() == 1
    assert not [e for e in page.js_errors if e.startswith("pageerror")], page.js_errors
