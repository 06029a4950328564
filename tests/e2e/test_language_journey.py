"""The language switcher in a real browser: a Chinese browser gets zh-Hans pages, the
switcher works by keyboard on a desktop and on a phone, and a signed-in choice is kept."""

from __future__ import annotations

import re

from app.extensions import db
from app.models import Role, User
from tests.e2e.conftest import screenshot, sign_in
from tests.factories import make_team, sit_exam

PHONE = {"width": 390, "height": 844}


def _new_page(browser, **context):
    """A fresh browser context (its own cookies) and a page in it."""
    tab = browser.new_context(**context).new_page()
    tab.set_default_timeout(10_000)
    return tab


def _tab_to(page, selector: str, most: int = 8) -> None:
    """Press Tab until the element `selector` names has the focus."""
    for _ in range(most):
        page.keyboard.press("Tab")
        if page.locator(f"{selector}:focus").count():
            return
    raise AssertionError(f"Tab never reached {selector}")


def _lang(page) -> str | None:
    return page.locator("html").get_attribute("lang")


def test_a_chinese_browser_switches_to_english_with_the_keyboard(browser, live_server, app):
    page = _new_page(browser, viewport={"width": 1280, "height": 860}, locale="zh-CN")
    try:
        page.goto(f"{live_server}/login")
        assert _lang(page) == "zh-Hans"
        switcher = page.get_by_role("group", name="语言")  # the page speaks Chinese
        chinese = switcher.get_by_role("button", name="简体中文")
        assert chinese.get_attribute("aria-current") == "true"
        assert chinese.get_attribute("lang") == "zh-Hans"
        screenshot(page, "language-switcher-desktop-zh", full_page=False)
        _tab_to(page, "button[lang='en']")  # the keyboard alone: skip link, brand, English
        page.keyboard.press("Enter")
        page.locator("html[lang='en']").wait_for()
        assert page.url == f"{live_server}/login"
        assert page.get_by_role("button", name="English").get_attribute("aria-current") == "true"
        _tab_to(page, "button[lang='zh-Hans']")  # its focus ring shows on the navy bar
        screenshot(page, "language-switcher-desktop-en", full_page=False)
    finally:
        page.context.close()


def test_the_switcher_fits_a_phone_and_keeps_a_signed_in_choice(browser, live_server, make_user):
    learner = make_user(role=Role.LEARNER)
    page = _new_page(browser, viewport=PHONE, locale="en-GB", is_mobile=True, has_touch=True)
    try:
        sign_in(page, live_server, learner.email, lands_on="/learn/")
        chinese = page.get_by_role("button", name="简体中文")
        box = chinese.bounding_box()
        assert chinese.is_visible() and box is not None  # no need to open the menu first
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
        screenshot(page, "language-switcher-phone-en", full_page=False)
        chinese.focus()
        page.keyboard.press("Space")
        page.locator("html[lang='zh-Hans']").wait_for()
        assert re.search(r"/learn/$", page.url)
        screenshot(page, "language-switcher-phone-zh", full_page=False)
        db.session.expire_all()
        assert db.session.get(User, learner.id).language == "zh_Hans"
        page.goto(f"{live_server}/profile")
        assert page.get_by_label("页面语言").input_value() == "zh_Hans"
        screenshot(page, "language-profile-phone-zh")
        page.set_viewport_size({"width": 1280, "height": 860})
        page.goto(f"{live_server}/learn/")
        assert page.get_by_role("button", name="简体中文").get_attribute("aria-current") == "true"
        screenshot(page, "language-switcher-desktop-signed-in-zh", full_page=False)
    finally:
        page.context.close()


def test_the_printed_evidence_pack_shows_chinese_names(page, live_server, make_user, banks):
    manager = make_user(role=Role.MANAGER)
    learner = make_user(role=Role.LEARNER, email="zhang.wei@example.cn", name="张伟")
    team = make_team(manager, "服务台", [learner])
    sit_exam(learner, right=True)
    sign_in(page, live_server, manager.email, lands_on="/manage/")
    page.goto(f"{live_server}/manage/teams/{team.id}/evidence")
    page.emulate_media(media="print")
    assert page.get_by_text("张伟").first.is_visible()
    screenshot(page, "evidence-pack-print-chinese-names")
