#!/usr/bin/env python3
"""Screenshots of the Ask VixShield widget, open with answers, for the docs.

    .venv/bin/python scripts/screenshots.py                       # starts `vixshield serve` itself
    .venv/bin/python scripts/screenshots.py --base-url http://127.0.0.1:8000

Writes docs/screenshots/widget-desktop.png (1280x800, a calculator answer),
widget-citation.png (1280x800, a cited answer with its passage shown) and
widget-mobile.png (375 px wide) and widget-whatif.png (1280x1000, the what-if sliders moved to
10 days from now and +5 volatility points, the P/L table open; ``--only whatif`` writes just
that one). Needs Debian's Chromium at /usr/bin/chromium and the playwright
Python package (test extras); the server it starts uses a temporary database.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
QUESTIONS = [
    "What is the ALVH?",
    "Iron condor 5700/5750/6050/6100 for a 3.50 credit, SPX at 5900, IV 18%, 45 days: probability of profit?",
]


def start_server(tmp: Path):
    """``vixshield serve`` on a free port with a temporary database (the shared launcher)."""
    from assistant.testing.server import start_server as launch

    try:
        srv = launch(tmp, index_dir=ROOT / "index", env={"VIXSHIELD_RATE_LIMIT_PER_MINUTE": "120"})
    except RuntimeError as err:
        sys.exit(str(err))
    return srv, srv.base_url


def ask(page, question: str) -> None:
    n = page.locator(".vs-bot[data-turn]").count()
    page.locator(".vs-input").fill(question)
    page.keyboard.press("Enter")
    page.locator(".vs-bot[data-turn]").nth(n).wait_for()


def shoot(browser, base: str, name: str, viewport: dict) -> Path:
    ctx = browser.new_context(viewport=viewport, device_scale_factor=1, reduced_motion="reduce")
    page = ctx.new_page()
    page.goto(base + "/")
    page.locator(".vs-launcher").click()
    ask(page, QUESTIONS[0])
    if name == "desktop":
        # A methodology answer with the cited passage shown (keyboard focus on the first chip).
        page.locator(".vs-bot[data-turn='0'] .vs-cite").first.focus()
        page.wait_for_timeout(300)
        page.screenshot(path=str(OUT / "widget-citation.png"))
        page.locator(".vs-input").focus()
    ask(page, QUESTIONS[1])
    # Show the calculator answer: its first lines, the table and the payoff chart.
    page.evaluate(
        """() => {
          const root = document.querySelector('#vixshield-widget').shadowRoot;
          const log = root.querySelector('.vs-log');
          const chart = root.querySelector('.vs-chart');
          const r = chart.getBoundingClientRect(), l = log.getBoundingClientRect();
          log.scrollTop += (r.bottom - l.bottom) + 12;
          root.querySelector('.vs-input').blur();
        }"""
    )
    page.wait_for_timeout(300)
    path = OUT / f"widget-{name}.png"
    page.screenshot(path=str(path))
    ctx.close()
    return path


def shoot_whatif(browser, base: str) -> Path:
    """The condor answer with its date slider at 10 days, the IV shift at +5 points and the P/L table open."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 1000}, device_scale_factor=1, reduced_motion="reduce")
    page = ctx.new_page()
    page.goto(base + "/")
    page.locator(".vs-launcher").click()
    ask(page, QUESTIONS[1])
    card = page.locator(".vs-calc[data-calculator='iron-condor']")
    for selector, key, presses in (("input[data-whatif='days']", "ArrowRight", 10), ("input[data-whatif='iv-shift']", "ArrowUp", 5)):
        card.locator(selector).focus()
        for _ in range(presses):
            card.locator(selector).press(key)
    page.wait_for_timeout(1000)  # the sliders' debounced request
    card.locator(".vs-whatif-toggle").click()
    card.locator(".vs-grid-table").wait_for()
    page.wait_for_timeout(400)
    page.evaluate(
        """() => {
          const root = document.querySelector('#vixshield-widget').shadowRoot;
          const log = root.querySelector('.vs-log');
          const chart = root.querySelector('.vs-chart');
          log.scrollTop += chart.getBoundingClientRect().top - log.getBoundingClientRect().top - 8;
          root.activeElement && root.activeElement.blur();
        }"""
    )
    page.wait_for_timeout(300)
    path = OUT / "widget-whatif.png"
    page.screenshot(path=str(path))
    ctx.close()
    return path


NOT_COVERED_Q = "Do you take profits at 50% of max profit?"
NOT_COVERED_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Help centre</title>
<style>body{{font:16px system-ui,sans-serif;margin:40px;color:#1f2937}}</style></head>
<body><h1>VixShield help centre</h1><p>Questions about SPX iron condors and the ALVH.</p>
<script src="{base}/widget.js" data-api="{base}" data-support-url="https://www.vixshield.com/contact" defer></script>
</body></html>"""


def shoot_not_covered(browser, base: str) -> Path:
    """widget-not-covered.png: an in-domain question no article answers, with related articles and "Ask our team"."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 800}, device_scale_factor=1, reduced_motion="reduce")
    page = ctx.new_page()
    page.route(base + "/help-centre", lambda route: route.fulfill(
        status=200, content_type="text/html", body=NOT_COVERED_PAGE.format(base=base)))
    page.goto(base + "/help-centre")
    page.locator(".vs-launcher").click()
    ask(page, NOT_COVERED_Q)
    page.locator(".vs-input").blur()
    page.wait_for_timeout(300)
    path = OUT / "widget-not-covered.png"
    page.screenshot(path=str(path))
    ctx.close()
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base-url", help="a running server (default: start one on a free port)")
    parser.add_argument("--only", choices=["desktop", "mobile", "whatif", "not-covered"], help="write one screenshot (desktop also writes the citation one)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    proc = None
    with tempfile.TemporaryDirectory() as tmp:
        base = args.base_url
        if not base:
            proc, base = start_server(Path(tmp))
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                for name, viewport in (("desktop", {"width": 1280, "height": 800}), ("mobile", {"width": 375, "height": 760})):
                    if args.only in (None, name):
                        print(shoot(browser, base.rstrip("/"), name, viewport))
                if args.only in (None, "whatif"):
                    print(shoot_whatif(browser, base.rstrip("/")))
                if args.only in (None, "not-covered"):
                    print(shoot_not_covered(browser, base.rstrip("/")))
                browser.close()
        finally:
            if proc is not None:
                proc.stop()


if __name__ == "__main__":
    main()
