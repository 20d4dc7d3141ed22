"""The widget in headless Chromium against the real served app (``vixshield serve``).

What a visitor does: open the demo page, ask, read the streamed answer and its
sources, look at a calculation, rate an answer, reload, use the keyboard, and
survive the API being down. Plus: hostile text from the corpus or the API
renders as text and runs nothing.
"""

from __future__ import annotations

import json
import re

import pytest

XSS_ARTICLE_ID = "alvh-layer-rebalancing-checklist"  # the article conftest.xss_server writes

pytestmark = [pytest.mark.browser, pytest.mark.timeout(240)]

METHODOLOGY_Q = "What is the ALVH?"
CONDOR_Q = "Iron condor 5700/5750/6050/6100 for a 3.50 credit, SPX at 5900, IV 18%, 45 days: probability of profit?"

# Records, in the page, whether an answer was ever on screen while still streaming.
WATCH_STREAMING = """
() => {
  const root = document.querySelector('#vixshield-widget').shadowRoot;
  window.__partials = [];
  new MutationObserver(() => {
    const p = root.querySelector('.vs-pending .vs-bubble');
    if (p && !p.querySelector('.vs-typing') && p.textContent) window.__partials.push(p.textContent.length);
  }).observe(root, {subtree: true, childList: true, characterData: true});
}
"""


def shadow_eval(page, expr: str):
    """Evaluate ``expr`` with ``root`` bound to the widget's shadow root."""
    return page.evaluate(f"() => {{ const root = document.querySelector('[data-vixshield]').shadowRoot; return ({expr}); }}")


def sse_final(body: str) -> dict:
    """The reply object from a /v1/chat/stream body."""
    event, finals = None, []
    for line in body.splitlines():
        if line.startswith("event:"):
            event = line[6:].strip()
        elif line.startswith("data:") and event == "final":
            finals.append(json.loads(line[5:].strip()))
    assert len(finals) == 1, body[-500:]
    return finals[0]


def open_widget(page, base_url: str, path: str = "/"):
    page.goto(base_url + path)
    page.locator(".vs-launcher").click()
    page.locator(".vs-panel").wait_for(state="visible")


def ask(page, question: str) -> dict:
    """Type the question, press Enter, wait for the answer; return the reply object the stream delivered."""
    box = page.locator(".vs-input")
    box.fill(question)
    answers_before = page.locator(".vs-bot[data-turn]").count()
    with page.expect_response(lambda r: r.url.endswith("/v1/chat/stream")) as resp:
        box.press("Enter")
    reply = sse_final(resp.value.text())
    page.locator(".vs-bot[data-turn]").nth(answers_before).wait_for()
    return reply


def fmt_pct(x: float) -> str:
    return f"{x * 100:.1f}".rstrip("0").rstrip(".") + "%"


# --- asking ---------------------------------------------------------------------------


def test_methodology_answer_streams_in_with_working_citations(page, app_server, context):
    base = app_server.base_url
    open_widget(page, base)
    page.evaluate(WATCH_STREAMING)

    reply = ask(page, METHODOLOGY_Q)
    assert reply["grounded"] and reply["citations"], reply

    answer = page.locator(".vs-bot[data-turn='0']")
    # Streamed: the widget parsed delta events and showed the text before the final event.
    assert int(answer.get_attribute("data-deltas")) > 1
    assert page.evaluate("window.__partials.length") >= 1
    # The Markdown became elements, the [n] markers became chips.
    assert "[1]" not in answer.locator(".vs-bubble > p").first.inner_text()
    chips = answer.locator(".vs-cite")
    assert chips.count() >= 1
    cited = {c["id"]: c for c in reply["citations"]}

    for i in range(chips.count()):
        chip = chips.nth(i)
        c = cited[int(chip.get_attribute("data-cite"))]
        href = chip.get_attribute("href")
        if c["url"]:
            assert href == c["url"]
        elif c["source_id"].startswith("glossary:"):
            assert href == f"{base}/glossary#{c['source_id'].split(':', 1)[1]}"
        else:
            assert href == f"{base}/articles/{c['source_id']}"
        assert chip.get_attribute("target") == "_blank" and "noopener" in chip.get_attribute("rel")
        # Focus shows the cited passage (keyboard users get it too), linked by aria-describedby.
        chip.focus()
        tip = page.locator(".vs-tip")
        tip.wait_for(state="visible")
        assert c["title"] in tip.inner_text()
        assert " ".join(c["text"].split())[:120] in " ".join(tip.inner_text().split())
        assert chip.get_attribute("aria-describedby") == "vs-tip"
        chip.blur()
        tip.wait_for(state="hidden")

    # Hover shows it as well.
    chips.first.hover()
    page.locator(".vs-tip").wait_for(state="visible")

    # The link works: an article without a url opens the app's article page, in a new tab, with its title.
    for article in (c for c in reply["citations"] if not c["source_id"].startswith("glossary:")):
        if article["url"] is None:
            with context.expect_page() as new:
                answer.locator(f".vs-sources a[href$='/articles/{article['source_id']}']").first.click()
            art_page = new.value
        else:
            art_page = context.new_page()
            art_page.goto(f"{base}/articles/{article['source_id']}")
        art_page.wait_for_load_state()
        assert art_page.locator("h1").inner_text().strip() == article["title"].strip()
        art_page.close()
        break
    glossary = next((c for c in reply["citations"] if c["source_id"].startswith("glossary:")), None)
    if glossary is not None:
        term = glossary["source_id"].split(":", 1)[1]
        resp = page.request.get(f"{base}/glossary")
        assert resp.ok and f'id="{term}"' in resp.text()
    assert not [e for e in page.js_errors if e.startswith("pageerror")], page.js_errors


def test_calculator_answer_shows_table_and_payoff_chart(page, app_server):
    open_widget(page, app_server.base_url)
    reply = ask(page, CONDOR_Q)
    calc = next(c for c in reply["calculations"] if c["calculator"] == "iron-condor")
    out = calc["outputs"]

    card = page.locator(".vs-bot[data-turn='0'] .vs-calc[data-calculator='iron-condor']")
    card.wait_for()
    rows = dict(
        zip(card.locator(".vs-calc-table th").all_inner_texts(), card.locator(".vs-calc-table td").all_inner_texts())
    )
    assert rows["Probability of profit"] == fmt_pct(out["pop"])
    assert rows["Lower breakeven"].replace(",", "") == f"{out['lower_breakeven']:g}"
    assert rows["Upper breakeven"].replace(",", "") == f"{out['upper_breakeven']:g}"
    assert rows["Max profit"].startswith("$350")

    chart = card.locator("svg.vs-payoff")
    chart.wait_for()
    assert chart.get_attribute("role") == "img" and "break-evens" in chart.get_attribute("aria-label")
    line = chart.locator("polyline[data-series='pnl-expiry']")
    assert len(line.get_attribute("points").split()) == len(out["curve"]["prices"])
    assert chart.locator("[data-marker='breakeven']").count() == 2
    assert chart.locator("[data-marker='spot']").count() == 1
    assert "Spot 5,900" in chart.text_content()
    # The chart has a real size on screen.
    box = chart.bounding_box()
    assert box["width"] > 250 and box["height"] > 120
    assert not [e for e in page.js_errors if e.startswith("pageerror")], page.js_errors


def test_thumbs_up_reaches_the_feedback_store(page, app_server):
    open_widget(page, app_server.base_url)
    first = ask(page, METHODOLOGY_Q)
    second = ask(page, "What is an iron condor?")
    assert first["conversation_id"] == second["conversation_id"]
    cid = first["conversation_id"]

    up = page.locator(".vs-bot[data-turn='0'] .vs-vote-up")
    with page.expect_response(lambda r: r.url.endswith("/v1/feedback")) as resp:
        up.click()
    assert resp.value.ok, resp.value.text()
    assert up.get_attribute("aria-pressed") == "true"
    page.locator(".vs-bot[data-turn='0'] .vs-vote-status").filter(has_text="Thanks").wait_for()

    down = page.locator(".vs-bot[data-turn='1'] .vs-vote-down")
    with page.expect_response(lambda r: r.url.endswith("/v1/feedback")) as resp:
        down.click()
    assert resp.value.ok, resp.value.text()

    rows = [r for r in app_server.feedback() if r["conversation_id"] == cid]
    assert [(r["turn"], r["rating"]) for r in rows] == [(0, "up"), (1, "down")]
    assert rows[0]["message"] == METHODOLOGY_Q and rows[1]["message"] == "What is an iron condor?"


def test_reload_keeps_the_conversation(page, app_server):
    open_widget(page, app_server.base_url)
    reply = ask(page, METHODOLOGY_Q)
    page.locator(".vs-bot[data-turn='0'] .vs-vote-up").click()
    page.locator(".vs-vote-status").filter(has_text="Thanks").wait_for()
    page.reload()
    # The panel reopens (same tab) with the conversation, its chips and the rating.
    page.locator(".vs-panel").wait_for(state="visible")
    page.locator(".vs-bot[data-turn='0'] .vs-cite").first.wait_for()
    assert page.locator(".vs-user").inner_text().strip().endswith(METHODOLOGY_Q)
    assert page.locator(".vs-bot[data-turn='0'] .vs-vote-up").get_attribute("aria-pressed") == "true"
    stored = json.loads(page.evaluate("localStorage.getItem('vixshield.chat:' + VixShieldWidget.config.api)"))
    assert stored["conversation_id"] == reply["conversation_id"]

    # A follow-up continues the same conversation on the server.
    follow = ask(page, "How are its layers adjusted?")
    assert follow["conversation_id"] == reply["conversation_id"]
    assert page.locator(".vs-bot[data-turn='1']").count() == 1

    # The full-page chat is the same code and shares the conversation.
    page.goto(app_server.base_url + "/chat")
    page.locator(".vs-bot[data-turn='1']").wait_for()
    assert page.locator(".vs-launcher").count() == 0

    # "New conversation" clears it.
    page.locator(".vs-new").click()
    assert page.locator(".vs-bot[data-turn]").count() == 0
    assert page.evaluate("localStorage.getItem('vixshield.chat:' + VixShieldWidget.config.api)") is None


# --- keyboard and accessibility -------------------------------------------------------


def test_keyboard_enter_sends_shift_enter_newline_esc_closes(page, app_server):
    page.goto(app_server.base_url + "/")
    launcher = page.locator(".vs-launcher")
    assert launcher.get_attribute("aria-expanded") == "false"
    launcher.focus()
    page.keyboard.press("Enter")  # the launcher is a real button
    panel = page.locator(".vs-panel")
    panel.wait_for(state="visible")
    assert launcher.get_attribute("aria-expanded") == "true"
    # Focus moved to the input.
    assert shadow_eval(page, "root.activeElement && root.activeElement.id") == "vs-input"
    # ARIA: a labelled dialog with a polite live log, labelled controls.
    assert panel.get_attribute("role") == "dialog"
    assert shadow_eval(page, "root.getElementById(root.querySelector('.vs-panel').getAttribute('aria-labelledby')).textContent") == "Ask VixShield"
    log = page.locator(".vs-log")
    assert log.get_attribute("role") == "log" and log.get_attribute("aria-live") == "polite"
    assert shadow_eval(page, "root.querySelector('label[for=vs-input]').textContent") == "Ask a question"
    assert page.locator(".vs-send").get_attribute("aria-label") == "Send"
    assert "not financial advice" in page.locator(".vs-disclaimer").inner_text()

    # Shift+Enter: a new line, nothing sent.
    page.keyboard.type("first line")
    page.keyboard.press("Shift+Enter")
    page.keyboard.type("second line")
    assert page.locator(".vs-input").input_value() == "first line\nsecond line"
    assert page.locator(".vs-user").count() == 0

    # Enter sends.
    page.locator(".vs-input").fill(METHODOLOGY_Q)
    with page.expect_response(lambda r: r.url.endswith("/v1/chat/stream")):
        page.keyboard.press("Enter")
    page.locator(".vs-bot[data-turn='0']").wait_for()
    assert page.locator(".vs-input").input_value() == ""

    # Esc closes and gives focus back to the launcher.
    page.locator(".vs-input").focus()
    page.keyboard.press("Escape")
    panel.wait_for(state="hidden")
    assert shadow_eval(page, "root.activeElement && root.activeElement.className") == "vs-launcher"
    assert launcher.get_attribute("aria-expanded") == "false"


def test_suggested_question_is_asked_on_click(page, app_server):
    open_widget(page, app_server.base_url)
    chip = page.locator(".vs-suggest .vs-chip", has_text="What is the ALVH?")
    with page.expect_response(lambda r: r.url.endswith("/v1/chat/stream")):
        chip.click()
    page.locator(".vs-bot[data-turn='0']").wait_for()
    assert page.locator(".vs-suggest").count() == 0


def test_readable_at_320px_and_reduced_motion(browser, app_server):
    ctx = browser.new_context(viewport={"width": 320, "height": 640}, reduced_motion="reduce")
    page = ctx.new_page()
    try:
        open_widget(page, app_server.base_url)
        ask(page, CONDOR_Q)
        panel = page.locator(".vs-panel").bounding_box()
        assert panel["x"] >= 0 and panel["x"] + panel["width"] <= 320
        # Nothing spills sideways: the log does not scroll horizontally and the input is on screen.
        assert shadow_eval(page, "(() => { const l = root.querySelector('.vs-log'); return l.scrollWidth <= l.clientWidth + 1; })()")
        box = page.locator(".vs-input").bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 320 and box["y"] + box["height"] <= 640
        assert page.locator("svg.vs-payoff").bounding_box()["width"] <= 320
        # prefers-reduced-motion: no animation on the panel.
        assert shadow_eval(page, "getComputedStyle(root.querySelector('.vs-panel')).animationName") == "none"
    finally:
        ctx.close()


# --- failure -------------------------------------------------------------------------


def test_error_state_when_api_is_unreachable_and_retry_works(page, app_server):
    open_widget(page, app_server.base_url)
    page.route("**/v1/chat/stream", lambda route: route.abort("connectionrefused"))
    page.locator(".vs-input").fill(METHODOLOGY_Q)
    page.keyboard.press("Enter")
    error = page.locator(".vs-error")
    error.wait_for()
    assert error.get_attribute("role") == "alert"
    assert "can\u2019t be reached" in error.inner_text()
    retry = error.locator(".vs-retry")
    assert retry.inner_text() == "Retry"

    page.unroute("**/v1/chat/stream")
    with page.expect_response(lambda r: r.url.endswith("/v1/chat/stream")):
        retry.click()
    page.locator(".vs-bot[data-turn='0'] .vs-cite").first.wait_for()
    assert page.locator(".vs-error").count() == 0
    assert page.locator(".vs-user").count() == 1  # the question was not duplicated
    assert not [e for e in page.js_errors if e.startswith("pageerror")], page.js_errors


def test_server_error_event_shows_its_message(page, app_server):
    open_widget(page, app_server.base_url)
    body = 'event: delta\ndata: {"text": "Partial "}\n\nevent: error\ndata: {"detail": "the index is being rebuilt"}\n\n'
    page.route("**/v1/chat/stream", lambda route: route.fulfill(status=200, content_type="text/event-stream", body=body))
    page.locator(".vs-input").fill(METHODOLOGY_Q)
    page.keyboard.press("Enter")
    page.locator(".vs-error").filter(has_text="the index is being rebuilt").wait_for()
    page.locator(".vs-error .vs-retry").wait_for()


# --- safety --------------------------------------------------------------------------


def assert_nothing_ran(page):
    assert page.evaluate("window.__xss") is None
    assert page.evaluate("document.querySelectorAll('img').length") == 0
    assert shadow_eval(page, "root.querySelectorAll('img, script, iframe, object, embed').length") == 0
    hrefs = shadow_eval(page, "[...root.querySelectorAll('a')].map(a => a.getAttribute('href'))")
    assert all(re.match(r"^https?://", h) for h in hrefs), hrefs


def test_xss_from_the_corpus_renders_as_text(page, xss_server):
    """A real article whose title and passages carry <img onerror> and <script>: shown as text, nothing runs."""
    open_widget(page, xss_server.base_url)
    reply = ask(page, "How often should the ALVH hedge layers be rebalanced according to the rebalancing checklist?")
    cited = [c for c in reply["citations"] if c["source_id"] == XSS_ARTICLE_ID]
    assert cited, reply
    payload_cites = [c for c in cited if "<img" in c["text"] or "<script" in c["text"]]
    assert payload_cites, cited

    answer = page.locator(".vs-bot[data-turn='0']")
    chip = answer.locator(f".vs-cite[data-source='{XSS_ARTICLE_ID}']").first
    chip.focus()
    tip = page.locator(".vs-tip")
    tip.wait_for(state="visible")
    shown = tip.inner_text()
    assert "<img src=x onerror=" in shown or "<script>" in shown, shown
    assert "<img src=x onerror=" in answer.locator(".vs-sources").inner_text()  # the title, as text
    page.wait_for_timeout(300)  # give an onerror handler time to fire, were there an image
    assert_nothing_ran(page)

    # The article page escapes it too.
    page.goto(f"{xss_server.base_url}/articles/{XSS_ARTICLE_ID}")
    assert "<img src=x onerror=" in page.locator("h1").inner_text()
    assert "<script>" in page.locator("article").inner_text()
    assert page.locator("article a[href^='javascript']").count() == 0
    page.wait_for_timeout(300)
    assert page.evaluate("window.__xss") is None
    assert page.evaluate("document.querySelectorAll('article img, article script').length") == 0


XSS_REPLY = {
    "conversation_id": "xss-test",
    "answer": (
        "**Bold <img src=x onerror=\"window.__xss=1\">** and <script>window.__xss=2</script> [1]\n\n"
        "- [a link](javascript:window.__xss=3) and [ok](https://www.vixshield.com/)\n"
        "- <a href=\"javascript:window.__xss=4\">raw anchor</a> [2]"
    ),
    "citations": [
        {"id": 1, "source_id": "x\" onmouseover=\"window.__xss=5", "title": "<img src=x onerror=\"window.__xss=6\">",
         "url": "javascript:window.__xss=7", "text": "<script>window.__xss=8</script><img src=x onerror=\"window.__xss=9\">"},
        {"id": 2, "source_id": "glossary:<b>x</b>", "title": "T", "url": None, "text": "<svg onload=\"window.__xss=10\">"},
    ],
    "calculations": [
        {"calculator": "iron-condor<img src=x onerror=\"window.__xss=11\">",
         "inputs": {"<b>k</b>": "<img src=x onerror=\"window.__xss=12\">"},
         "outputs": {"note<script>": "<script>window.__xss=13</script>", "pop": 0.5}},
    ],
    "grounded": True,
}


def test_xss_in_a_crafted_stream_renders_as_text(page, app_server):
    """Every string field of a hostile reply (answer, titles, passages, urls, calculator values) stays text."""
    words = XSS_REPLY["answer"].split(" ")
    body = "".join(f"event: delta\ndata: {json.dumps({'text': (' ' if i else '') + w})}\n\n" for i, w in enumerate(words))
    body += f"event: final\ndata: {json.dumps(XSS_REPLY)}\n\n"
    open_widget(page, app_server.base_url)
    page.route("**/v1/chat/stream", lambda route: route.fulfill(status=200, content_type="text/event-stream", body=body))
    page.locator(".vs-input").fill("anything")
    page.keyboard.press("Enter")
    answer = page.locator(".vs-bot[data-turn='0']")
    answer.wait_for()
    text = answer.inner_text()
    assert "<script>window.__xss=2</script>" in text and '<img src=x onerror="window.__xss=1">' in text
    assert answer.locator("strong").first.inner_text().startswith("Bold <img")
    # javascript: links are not links; the https one is.
    assert answer.locator("a", has_text="a link").count() == 0
    assert answer.locator("a", has_text="ok").get_attribute("href") == "https://www.vixshield.com/"
    # A javascript: citation url falls back to the article page, with the id escaped in the path.
    chip = answer.locator(".vs-cite[data-cite='1']")
    assert chip.get_attribute("href").startswith(app_server.base_url + "/articles/x%22%20onmouseover")
    chip.focus()
    assert "<script>window.__xss=8</script>" in page.locator(".vs-tip").inner_text()
    answer.locator(".vs-cite[data-cite='2']").focus()
    assert '<svg onload="window.__xss=10">' in page.locator(".vs-tip").inner_text()
    page.wait_for_timeout(300)
    assert_nothing_ran(page)
    assert shadow_eval(page, "root.querySelectorAll('svg [onload], [onerror], [onmouseover]').length") == 0
