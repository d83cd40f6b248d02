import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.player_experience


def test_a_player_begins_and_is_greeted_by_name(page, base_url):
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(base_url + "/")
    expect(page.get_by_role("heading", name="Begin your adventure")).to_be_visible()
    page.get_by_label("Player id").fill("p-3")
    page.get_by_role("button", name="Begin").click()
    expect(page.get_by_role("status")).to_have_text(re.compile(r"\bAsh\b"))
    assert errors == []


def test_an_unknown_player_sees_a_clear_message(page, base_url):
    page.goto(base_url + "/")
    page.get_by_label("Player id").fill("nobody")
    page.get_by_role("button", name="Begin").click()
    expect(page.get_by_role("status")).to_have_text("unknown player")
