"""The widget's "not covered" state in Chromium, against the real served app.

A host page (served at the app's own origin through Playwright's router, so it
is same-origin with the real API) embeds the widget with ``data-support-url``.
The question is one the knowledge base does not answer; the real pipeline must
decline it as not covered (``grounded: false`` with ``related`` articles).
"""

from __future__ import annotations

import pytest
from test_widget_e2e import ask  # noqa: F401  (tests/widget is on sys.path)

pytestmark = [pytest.mark.browser, pytest.mark.timeout(240)]

NOT_COVERED_Q = "Do you take profits at 50% of max profit?"
SUPPORT_URL = "https://www.vixshield.com/contact"

HOST_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Support test</title></head>
<body><h1>Help centre</h1>
<script src="{base}/widget.js" data-api="{base}" data-support-url="{support}" defer></script>
</body></html>"""


def test_not_covered_reply_says_so_and_links_related_articles_and_the_team(page, app_server):
    base = app_server.base_url
    page.route(base + "/support-test", lambda route: route.fulfill(
        status=200, content_type="text/html", body=HOST_PAGE.format(base=base, support=SUPPORT_URL)))
    page.goto(base + "/support-test")
    page.locator(".vs-launcher").click()
    page.locator(".vs-panel").wait_for(state="visible")

    reply = ask(page, NOT_COVERED_Q)
    assert reply["grounded"] is False and reply["related"], f"the pipeline did not decline it as not covered: {reply}"
    assert reply["citations"] == []

    bubble = page.locator(".vs-bot[data-turn='0'] .vs-bubble")
    assert "vs-notcovered" in bubble.get_attribute("class")
    assert bubble.locator(".vs-notcovered-title").inner_text() == "Not in the knowledge base yet"
    items = bubble.locator(".vs-related li")
    assert items.count() == len(reply["related"][:3]) >= 1
    for i, related in enumerate(reply["related"][:3]):
        item = items.nth(i)
        assert item.inner_text() == related["title"]
        if related["url"]:  # a link to the article; a related entry without a url stays plain text
            assert item.locator("a").get_attribute("href") == related["url"]
            assert item.locator("a").get_attribute("target") == "_blank"
    team = bubble.locator("a.vs-support")
    assert team.inner_text() == "Ask our team" and team.get_attribute("href") == SUPPORT_URL
    assert bubble.locator(".vs-cite").count() == 0  # nothing cited

    # A grounded answer in the same widget has none of it.
    ask(page, "What is the ALVH?")
    grounded = page.locator(".vs-bot[data-turn='1'] .vs-bubble")
    assert grounded.locator(".vs-notcovered-title").count() == 0 and grounded.locator("a.vs-support").count() == 0

    # After a reload the stored reply renders the same state.
    page.reload()
    page.locator(".vs-launcher").wait_for()
    page.wait_for_timeout(300)
    if not page.locator(".vs-panel").is_visible():  # the widget remembers it was open
        page.locator(".vs-launcher").click()
    restored = page.locator(".vs-bot[data-turn='0'] .vs-bubble")
    restored.locator(".vs-notcovered-title").wait_for()
    assert restored.locator(".vs-related li").count() == items.count()


def test_without_support_url_there_is_no_team_link(page, app_server):
    base = app_server.base_url
    page.goto(base + "/")
    page.locator(".vs-launcher").click()
    reply = ask(page, NOT_COVERED_Q)
    assert reply["grounded"] is False and reply["related"], reply
    bubble = page.locator(".vs-bot[data-turn='0'] .vs-bubble")
    assert bubble.locator(".vs-notcovered-title").count() == 1
    assert bubble.locator("a.vs-support").count() == 0
