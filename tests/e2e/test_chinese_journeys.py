"""Each persona's pages in Simplified Chinese (issue 19), in a browser that asks for Chinese
(Accept-Language zh-CN): the page is zh-Hans, its headings, labels and buttons are the
catalogue's Chinese with no English left over, and axe-core finds no WCAG 2.1 AA violation.
The learner sits a Foundation mock exam in Chinese (also on a phone), the manager reads
the team's readiness, downloads its CSV and opens the evidence pack, the trainer reads a
bank, a question with its translation and the editor, and the admin the accounts,
settings and background jobs. Every page is screenshotted (tests/e2e/screenshots/a11y-zh-*).

axe runs as a script in the page, which the Content-Security-Policy forbids: these tests'
browser contexts bypass it, as the accessibility journey's do."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.extensions import db
from app.models import Attempt, Job, JobState, Role
from app.models.base import utcnow
from tests.e2e.test_accessibility_journey import (
    DESKTOP,
    PHONE,
    Audit,
    _answer_the_rest,
    _context,
)
from tests.factories import PASSWORD, make_team, sit_exam

HAN = re.compile(r"[\u4e00-\u9fff]")
# What stays as it is on a Chinese page: the standard, formats, the product, e-mail
# addresses and job names (organization.export).
KEPT_AS_IS = re.compile(
    r"ISO/IEC|ISO|Clausewise|API|CSV|XLSX|JSON|PDF|LTI|UTC|ID|Markdown|\S+@\S+|\b[a-z_]+\.[a-z_]+\b"
)
# The interface's own words on a page (headings, column heads, labels, buttons, tabs);
# not the people's names, bank titles or question texts, which are data.
INTERFACE = "main h1, main h2, main th, main label, main .btn, main .nav-link, main summary"
# An exam page's labels are its options: its interface words are the rest.
EXAM = "main h2, main .btn, main .nav-link, main summary, main .cw-timer-label"
TYPE_NAMES = {"单选题", "多选题", "判断题", "匹配题", "排序题", "简答题", "问答题", "分类题"}


def _chinese_page(browser, viewport=DESKTOP, **extra):
    """A new page in a Chinese browser (Accept-Language zh-CN) whose context lets axe run."""
    return _context(browser, viewport, locale="zh-CN", **extra).new_page()


def _sign_in(page, base_url: str, email: str) -> None:
    """Sign in on the Chinese sign-in page, by its Chinese labels."""
    page.goto(f"{base_url}/login")
    page.get_by_label("电子邮箱").fill(email)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()


def _assert_chinese(page, heading: str, words: str = INTERFACE) -> None:
    """The page is zh-Hans, its h1 is `heading`, and `words` hold no English word."""
    assert page.locator("html").get_attribute("lang") == "zh-Hans", page.url
    assert page.locator("main h1").first.inner_text().strip() == heading, page.url
    left = [
        text
        for text in page.locator(words).all_inner_texts()
        if re.search(r"[A-Za-z]{2,}", KEPT_AS_IS.sub("", text))
    ]
    assert not left, f"English left on {page.url}: {left}"


def test_a_learner_sits_a_foundation_mock_exam_in_chinese(browser, live_server, make_user, banks):
    learner = make_user(role=Role.LEARNER, name="王芳")
    audit = Audit()
    page = _chinese_page(browser)
    page.goto(f"{live_server}/login")
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    page.get_by_role("heading", name="登录").wait_for()
    audit.check(page, "zh-sign-in")
    _sign_in(page, live_server, learner.email)
    assert page.url == f"{live_server}/learn/"
    _assert_chinese(page, "欢迎，王芳")
    card = page.locator(".card", has=page.locator("input[name=scheme][value=foundation]"))
    assert card.locator(".cw-level").inner_text() == "基础级"
    audit.check(page, "zh-learner-home")

    # The start form offers the exam language; Chinese is chosen.
    card.get_by_label("模式").select_option("mock")
    language = card.get_by_label("考试语言")
    assert language.locator("option[value=zh-Hans]").inner_text() == "中文（简体）"
    language.select_option("zh-Hans")
    card.get_by_role("button", name="开始").click()
    page.wait_for_url(f"{live_server}/learn/attempts/*")
    url = page.url.split("?")[0]
    _assert_chinese(page, "ISO/IEC 20000-1 基础级模拟考试 模拟考试", EXAM)
    audit.check(page, "zh-mock")
    for position in (1, 2, 3):  # three answered here, by the first choice of each
        question = page.locator("article.cw-question")
        assert HAN.search(question.locator(".cw-stem").inner_text())
        assert question.locator(".cw-stem").get_attribute("lang") is None  # the page's own
        question.locator("input.form-check-input").first.check()
        page.locator(f'.cw-cell[data-position="{position}"].is-answered').wait_for()
        page.get_by_role("button", name="下一题").click()
        page.wait_for_url(f"{url}?*q={position + 1}*")
    assert page.locator("#answered-count").inner_text() == "3"

    # The same exam on a phone: nothing sticks out of its 390 pixels.
    phone = _chinese_page(browser, PHONE, has_touch=True)
    _sign_in(phone, live_server, learner.email)
    phone.goto(f"{url}?q=2")
    phone.locator("#timer", has_text=re.compile(r"^\d+:\d\d$")).wait_for()
    _assert_chinese(phone, "ISO/IEC 20000-1 基础级模拟考试 模拟考试", EXAM)
    for part in (phone.locator("main h1"), phone.get_by_role("button", name="下一题")):
        box = part.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    audit.check(phone, "zh-mock-phone")
    phone.context.close()

    attempt = db.session.scalars(select(Attempt).where(Attempt.user_id == learner.id)).one()
    _answer_the_rest(learner, attempt.id)
    page.goto(f"{url}/submit")
    _assert_chinese(page, "检查并提交")
    audit.check(page, "zh-submit")
    page.get_by_role("button", name="立即提交").click()
    page.wait_for_url(f"{url}/result")
    # Each answer's summary quotes its question: the words checked leave them out.
    _assert_chinese(page, "ISO/IEC 20000-1 基础级模拟考试", "main h2, main th, main .nav-link")
    page.get_by_role("heading", name="你的答案").wait_for()
    first = page.locator("#answer-1")
    first.locator("summary").click()
    assert first.locator(".cw-answer-summary .small").first.inner_text().strip("· ") in TYPE_NAMES
    explanation = first.locator(".cw-explanation")
    assert HAN.search(explanation.inner_text()) and explanation.get_attribute("lang") is None
    audit.check(page, "zh-result")
    page.context.close()
    audit.assert_clean()


def test_a_manager_reads_the_team_and_its_evidence_in_chinese(
    browser, live_server, make_user, banks
):
    manager = make_user(role=Role.MANAGER, name="李经理")
    learner = make_user(role=Role.LEARNER, name="王芳")
    team = make_team(manager, "服务台", [learner])
    sit_exam(learner, right=True)
    audit = Audit()
    page = _chinese_page(browser)
    _sign_in(page, live_server, manager.email)
    assert page.url == f"{live_server}/manage/"
    _assert_chinese(page, "我的团队")
    audit.check(page, "zh-manager-home")

    page.get_by_role("link", name="服务台", exact=True).click()
    page.wait_for_url(f"{live_server}/manage/teams/{team.id}")
    _assert_chinese(page, "服务台")
    page.get_by_role("heading", name="目标").wait_for()
    assert page.locator("table.cw-members").get_by_role("link", name="王芳").is_visible()
    audit.check(page, "zh-team")
    with page.expect_download() as download:
        page.locator("a[href*='/export/members.csv']").click()
    data = download.value.path().read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # a UTF-8 BOM: spreadsheet programs read it so
    assert "\n王芳," in data.decode("utf-8")

    page.get_by_role("link", name="能力证据（7.2）").click()
    page.wait_for_url(f"{live_server}/manage/teams/{team.id}/evidence")
    _assert_chinese(page, "能力证据：服务台")
    assert page.locator("table").first.get_by_text("王芳").is_visible()
    assert page.get_by_role("button", name="打印或另存为 PDF").is_visible()
    audit.check(page, "zh-evidence")
    page.context.close()
    audit.assert_clean()


def test_a_trainer_reads_a_bank_a_translation_and_the_editor_in_chinese(
    browser, live_server, make_user, banks
):
    trainer = make_user(role=Role.TRAINER)
    audit = Audit()
    page = _chinese_page(browser)
    _sign_in(page, live_server, trainer.email)
    assert page.url == f"{live_server}/train/"
    _assert_chinese(page, "题库", "main h2, main th, main .btn")  # labels name bank codes
    foundation = page.get_by_role("row", name=re.compile("Foundation practice bank"))
    assert foundation.get_by_role("cell", name="英语").is_visible()  # the bank's language
    audit.check(page, "zh-trainer-banks")

    foundation.get_by_role("link").first.click()
    page.wait_for_url(re.compile(r"/train/banks/\d+$"))
    bank_url = page.url
    words = "main h2, main th, main label, main .btn"  # the h1 is the bank's own title
    _assert_chinese(page, "ISO/IEC 20000-1:2018 Foundation practice bank", words)
    rows = page.locator("table.cw-question-table tbody tr")
    assert {rows.nth(i).locator("td").nth(2).inner_text() for i in range(5)} <= TYPE_NAMES
    assert rows.first.locator("td").nth(4).inner_text() == "基础级"
    audit.check(page, "zh-trainer-bank")

    page.goto(f"{bank_url}?type=single_choice")
    page.locator("table.cw-question-table tbody a").first.click()
    page.wait_for_url(re.compile(r"/train/questions/\d+$"))
    assert page.locator("main h1 + p").inner_text().startswith("单选题 · 基础级 · 难度")
    translation = page.locator(".cw-translation")
    assert translation.locator(".fw-semibold").inner_text() == "中文（简体）"
    assert translation.locator(".badge").inner_text() == "最新"
    assert HAN.search(translation.locator(".small").first.inner_text())
    audit.check(page, "zh-trainer-question")

    page.locator("main").get_by_role("link", name="编辑", exact=True).click()
    page.wait_for_url(re.compile(r"/edit$"))
    _assert_chinese(page, "编辑 · 单选题", "main h1, main h2, main .btn")
    audit.check(page, "zh-trainer-editor")
    page.context.close()
    audit.assert_clean()


def test_an_admin_reads_accounts_settings_and_jobs_in_chinese(
    browser, live_server, make_user, reference
):
    admin = make_user(role=Role.ADMIN, name="赵管理")
    make_user(role=Role.LEARNER, name="王芳")
    make_user(role={Role.MANAGER, Role.TRAINER}, name="李经理")
    db.session.add(
        Job(
            name="organization.export",
            kwargs={"actor_id": admin.id},
            owner_id=admin.id,
            state=JobState.FAILED,
            tries=5,
            max_tries=5,
            finished_at=utcnow(),
            last_error="OperationalError: the database system is shutting down",
        )
    )
    db.session.commit()
    audit = Audit()
    page = _chinese_page(browser)
    _sign_in(page, live_server, admin.email)
    assert page.url == f"{live_server}/admin/"
    _assert_chinese(page, "账户")
    manager_row = page.get_by_role("row", name=re.compile("李经理"))
    roles = manager_row.locator(".badge.text-bg-secondary").all_inner_texts()
    assert sorted(roles) == sorted(["培训师", "经理"])
    assert page.get_by_role("row", name=re.compile("王芳")).get_by_text("学员").is_visible()
    audit.check(page, "zh-admin-accounts")

    page.get_by_role("link", name="组织设置").click()
    page.wait_for_url(f"{live_server}/admin/settings")
    _assert_chinese(page, "组织设置")
    audit.check(page, "zh-admin-settings")

    page.goto(f"{live_server}/admin/")
    page.get_by_role("link", name=re.compile("^后台任务")).click()
    page.wait_for_url(re.compile(r"/admin/jobs"))
    _assert_chinese(page, "后台任务")
    row = page.get_by_role("row", name=re.compile("organization.export"))
    assert row.get_by_role("button", name="重新运行").is_visible()
    audit.check(page, "zh-admin-jobs")

    page.goto(f"{live_server}/profile")
    _assert_chinese(page, "个人资料")
    assert page.locator("main .badge", has_text="管理员").is_visible()
    audit.check(page, "zh-admin-profile")
    page.context.close()
    audit.assert_clean()
