"""Sitting exams in another language: the learner chooses it, items show in it where they
are translated (marked with lang attributes), every answer records the language shown,
practice can switch an item's language, and no language reveals the key."""

from __future__ import annotations

import re

import pytest
from flask_babel import refresh
from sqlalchemy import insert, select, update

from app.domain import translation
from app.extensions import db
from app.models import (
    Attempt,
    AttemptItem,
    Question,
    QuestionTranslation,
    QuestionVersion,
    Response,
    Role,
    User,
)
from app.queries import banks as bank_queries
from app.services import answering
from tests.factories import public_answer


def _chinese(value):
    """A stand-in translation: each source text marked as translated."""
    if isinstance(value, str):
        return f"译文：{value}"
    if isinstance(value, dict):
        return {k: _chinese(v) for k, v in value.items()}
    return [_chinese(v) for v in value]


@pytest.fixture
def zh_banks(banks):
    """The bundled banks with every question translated into zh-Hans."""
    rows = db.session.execute(
        select(Question.id, QuestionVersion.id).join(
            QuestionVersion, QuestionVersion.id == Question.live_version_id
        )
    ).all()
    records = bank_queries.version_records([vid for _qid, vid in rows])
    values = []
    for qid, vid in rows:
        record = records[vid]
        values.append(
            {
                "question_id": qid,
                "language": "zh-Hans",
                "source_language": "en",
                "source_hash": translation.source_hash(record),
                "fields": _chinese(translation.source_texts(record)),
            }
        )
    # The bundled banks carry their own translations: these marked ones replace them,
    # so that the tests can tell a translated text at a glance.
    db.session.execute(QuestionTranslation.__table__.delete())
    db.session.execute(insert(QuestionTranslation), values)
    db.session.commit()


def _start(client, **fields) -> Attempt:
    data = {"scheme": "foundation", "mode": "practice", "count": "12", "layout": "single"}
    response = client.post("/learn/attempts", data={**data, **fields})
    assert response.status_code == 302, response.data[:500]
    return db.session.scalars(select(Attempt).order_by(Attempt.id.desc())).first()


def _stems(page: str) -> list[str]:
    return re.findall(r'<div class="cw-stem mt-2"( lang="[^"]+")?>', page)


def test_a_mock_in_chinese_shows_translated_items_marked_and_results_in_chinese(
    client, login_as, zh_banks
):
    login_as(Role.LEARNER)
    attempt = _start(client, mode="mock", language="zh-Hans")
    assert attempt.language == "zh-Hans" and "toggle" not in attempt.settings
    assert {item.language for item in attempt.items} == {"zh-Hans"}
    url = f"/learn/attempts/{attempt.id}"
    page = client.get(url + "?layout=all").data.decode()
    assert page.count('class="cw-stem mt-2" lang="zh-Hans">') == len(attempt.items)
    assert "译文：" in page and "Show this question in" not in page  # no toggle in mocks
    item = next(i for i in attempt.items if i.version.type == "single_choice")
    answer = public_answer(attempt, item, item.display_order[0])
    client.post(f"{url}/answers/{item.position}", data={"response": answer})
    assert db.session.scalars(select(Response.language)).one() == "zh-Hans"
    client.post(f"{url}/submit")
    result = client.get(f"{url}/result").data.decode()
    assert 'class="small cw-explanation" lang="zh-Hans"><p>译文：' in result


def test_items_without_a_translation_show_in_their_source_with_a_note(client, login_as, zh_banks):
    login_as(Role.LEARNER)
    attempt = _start(client, language="zh-Hans", count="5")
    parity = attempt.items[0].version.question_id % 2
    # Every other question loses its translation, the first item's among them.
    gone = QuestionTranslation.question_id % 2 == parity
    db.session.execute(QuestionTranslation.__table__.delete().where(gone))
    db.session.commit()
    again = _start(client, language="zh-Hans", count="40", then="discard", replace=attempt.id)
    untranslated = [i for i in again.items if i.version.question_id % 2 == parity]
    assert untranslated and all(i.language == "en" for i in untranslated)
    assert {i.language for i in again.items if i not in untranslated} == {"zh-Hans"}
    for item in untranslated[:3]:
        page = client.get(f"/learn/attempts/{again.id}?q={item.position}").data.decode()
        assert "it has no up-to-date translation into Chinese (Simplified)" in page
        assert _stems(page) == [""]  # English on an English page: no lang attribute


def test_an_item_whose_translation_is_stale_shows_in_its_source(client, login_as, zh_banks):
    """The source texts changed after the translation was made (it may now contradict
    the key): learners see the source until a trainer brings the translation up to date,
    in an attempt already open and in the next one drawn."""
    login_as(Role.LEARNER)
    attempt = _start(client, language="zh-Hans", count="5")
    first = attempt.items[0]
    stale = {"source_hash": "0" * translation.HASH_DIGITS}
    # Every other question's translation goes stale, the first item's among them.
    odd = QuestionTranslation.question_id % 2 == first.version.question_id % 2
    db.session.execute(update(QuestionTranslation).where(odd).values(**stale))
    db.session.commit()
    url = f"/learn/attempts/{attempt.id}"
    page = client.get(f"{url}?q={first.position}").data.decode()
    assert _stems(page) == [""] and "译文：" not in page.split('class="cw-stem')[1]
    assert "it has no up-to-date translation into Chinese (Simplified)" in page
    again = _start(client, language="zh-Hans", count="40", then="discard", replace=attempt.id)
    languages = {
        ("en" if i.version.question_id % 2 == first.version.question_id % 2 else "zh-Hans")
        for i in again.items
    }
    assert languages == {"en", "zh-Hans"}  # both kinds were drawn
    for item in again.items:
        stale_here = item.version.question_id % 2 == first.version.question_id % 2
        assert item.language == ("en" if stale_here else "zh-Hans"), item.position


def test_practice_switches_an_item_between_languages_keeping_its_ids_and_order(
    client, login_as, zh_banks
):
    login_as(Role.LEARNER)
    attempt = _start(client, language="zh-Hans")
    assert attempt.settings["toggle"] == "en"
    item = next(i for i in attempt.items if i.version.type == "single_choice")
    url = f"/learn/attempts/{attempt.id}"
    chinese = client.get(f"{url}?q={item.position}").data.decode()
    assert "Show this question in English" in chinese
    switched = client.post(f"{url}/language/{item.position}")
    assert switched.status_code == 302
    english = client.get(f"{url}?q={item.position}").data.decode()
    assert "Show this question in Chinese (Simplified)" in english
    option_ids = re.compile(rf'id="q{item.position}-(\w+)" value="\w+"')
    assert option_ids.findall(english) == option_ids.findall(chinese) != []
    answer = public_answer(attempt, item, item.display_order[0])
    client.post(f"{url}/answers/{item.position}", data={"response": answer})
    response = db.session.scalars(select(Response)).one()
    assert response.language == "en"  # the language it showed in when answered
    client.post(f"{url}/language/{item.position}")
    client.post(f"{url}/answers/{item.position}", data={"response": answer})
    db.session.refresh(response)
    assert response.language == "zh-Hans"


def test_a_mock_refuses_to_switch_languages(client, login_as, zh_banks):
    learner = login_as(Role.LEARNER)
    attempt = _start(client, mode="mock", language="zh-Hans")
    with pytest.raises(Exception, match="keeps the language"):
        answering.switch_language(learner, attempt.id, 1)
    assert db.session.get(AttemptItem, attempt.items[0].id).language == "zh-Hans"


def test_a_short_answer_shown_in_chinese_accepts_the_chinese_answer(client, login_as, zh_banks):
    learner = login_as(Role.LEARNER)
    attempt = _start(client, scheme="auditor", language="zh-Hans", count="100")
    item = next(i for i in attempt.items if i.version.type == "short_answer")
    record = bank_queries.version_records([item.version_id])[item.version_id]
    chinese = "译文：" + record.answers[0]
    # The translation moves on after the item was drawn in Chinese (say, brought up to
    # date for a newer version): the Chinese answer still counts.
    stale = {"source_hash": "0" * translation.HASH_DIGITS}
    where = QuestionTranslation.question_id == item.version.question_id
    db.session.execute(update(QuestionTranslation).where(where).values(**stale))
    db.session.commit()
    answering.record_answer(learner, attempt.id, item.position, chinese)
    checked = answering.check_practice_answer(learner, attempt.id, item.position)
    assert checked.response.score == 1.0 and checked.response.language == "zh-Hans"


def test_the_home_page_offers_the_interface_language_when_most_items_have_it(
    client, login_as, zh_banks
):
    learner = login_as(Role.LEARNER)
    english = client.get("/learn/").data.decode()
    assert re.search(r'<option value="en" selected>English</option>', english)
    # The form says why an item may still show in its original language.
    assert "A question without an up-to-date translation shows in its original" in english
    # The interface language the learner chose on her profile.
    db.session.execute(update(User).where(User.id == learner.id).values(language="zh_Hans"))
    db.session.commit()
    refresh()  # the tests' app context outlives a request: forget the locale it chose
    chinese = client.get("/learn/").data.decode()
    assert re.search(r'<option value="zh-Hans" selected>', chinese)


def test_an_unknown_exam_language_is_refused_and_nothing_starts(client, login_as, zh_banks):
    login_as(Role.LEARNER)
    response = client.post(
        "/learn/attempts",
        data={"scheme": "foundation", "mode": "mock", "language": "fr"},
        follow_redirects=True,
    )
    assert "No question is available in that language" in response.data.decode()
    assert Attempt.query.count() == 0


def test_the_api_starts_in_a_language_and_says_which_each_item_shows_in(api, zh_banks):
    started = api(
        "POST",
        "/attempts",
        json={"scheme": "foundation", "mode": "practice", "count": 5, "language": "zh-Hans"},
    )
    assert started.status_code == 201, started.json
    assert {item["language"] for item in started.json["items"]} == {"zh-Hans"}
    assert all(item["question"]["stem"].startswith("译文：") for item in started.json["items"])
    assert api("GET", f"/attempts/{started.json['id']}").json == started.json


def test_starting_in_a_language_costs_two_queries_more_whatever_the_size(zh_banks, make_user):
    """The start burst stays fast: one query checks that the language exists, one reads
    the translations of all the drawn items (none of the Foundation items has a case
    text, which would take a third)."""
    from sqlalchemy import event

    from app.services.attempts import StartOptions, start_and_show

    learner = make_user(role=Role.LEARNER)
    statements: list[str] = []

    def counted(language: str, count: int) -> int:
        statements.clear()
        options = StartOptions(mode="practice", count=count, language=language, seed=7)
        start_and_show(learner, "foundation", options)
        return len(statements)

    def count_statement(*_args) -> None:
        statements.append("")

    counted("", 5)  # the first starts load the pool and the records drawn (seeded)
    counted("", 40)
    event.listen(db.engine, "before_cursor_execute", count_statement)
    try:
        small, large = counted("", 5), counted("", 40)
        assert counted("zh-Hans", 5) == small + 2
        assert counted("zh-Hans", 40) == large + 2
    finally:
        event.remove(db.engine, "before_cursor_execute", count_statement)


def test_a_stale_translation_is_neither_offered_by_the_toggle_nor_sent_by_the_api(
    client, api, login_as, zh_banks
):
    """Practice in English with Chinese to switch to: an item whose translation went stale
    offers no switch (and refuses one), and the API, which reads the same views, sends
    its source texts."""
    started = api(
        "POST",
        "/attempts",
        json={"scheme": "foundation", "mode": "practice", "count": 5, "language": "en"},
    )
    attempt = db.session.get(Attempt, started.json["id"])
    attempt.settings = {**attempt.settings, "toggle": "zh-Hans"}
    db.session.commit()
    item = attempt.items[0]
    stale = {"source_hash": "0" * translation.HASH_DIGITS}
    where = QuestionTranslation.question_id == item.version.question_id
    db.session.execute(update(QuestionTranslation).where(where).values(**stale))
    db.session.commit()
    others = [i for i in attempt.items if i.version.question_id != item.version.question_id]
    login_as(user=api.user)
    url = f"/learn/attempts/{attempt.id}"
    assert "Show this question in Chinese" not in client.get(f"{url}?q={item.position}").text
    assert "Show this question in Chinese" in client.get(f"{url}?q={others[0].position}").text
    with pytest.raises(Exception, match="not available in another language"):
        answering.switch_language(api.user, attempt.id, item.position)
    db.session.execute(update(AttemptItem).values(language="zh-Hans"))  # as if switched
    db.session.commit()
    shown = {i["position"]: i for i in api("GET", f"/attempts/{attempt.id}").json["items"]}
    assert shown[item.position]["language"] == "en"
    assert not shown[item.position]["question"]["stem"].startswith("译文：")
    assert shown[others[0].position]["question"]["stem"].startswith("译文：")


SORTING = """\
bank: {id: sorting, title: Sorting records, language: en}
questions:
  - id: sort-desk
    type: classification
    level: foundation
    clauses: ["8.6.1"]
    stem: Sort each record.
    categories: [{id: inc, text: Incident}, {id: req, text: Service request}]
    items:
      - {id: i1, text: The printer is down, category: inc}
      - {id: i2, text: A new starter needs a laptop, category: req}
    translations:
      zh-Hans:
        stem: 给每条记录分类。
        data:
          categories: {inc: 事件, req: 服务请求}
          items: {i1: 打印机故障, i2: 新员工需要一台笔记本电脑}
"""


def test_a_classification_shows_its_translated_categories_and_items_and_grades_alike(
    client, login_as, reference
):
    from app.models import SYSTEM
    from app.services.bank_import import ImportOptions, import_files

    report = import_files(SYSTEM, [("sorting.yaml", SORTING.encode())], ImportOptions(publish=True))
    assert report.ok, [str(p) for p in report.errors]
    learner = login_as(Role.LEARNER)
    attempt = _start(client, language="zh-Hans", clauses="8.6.1", count="1")
    (item,) = attempt.items
    assert item.language == "zh-Hans"
    url = f"/learn/attempts/{attempt.id}"
    page = client.get(f"{url}?q={item.position}").data.decode()
    for text in ("给每条记录分类。", "事件", "服务请求", "打印机故障", "新员工需要一台笔记本电脑"):
        assert text in page
    assert "Service request" not in page and "The printer is down" not in page
    switched = client.post(f"{url}/language/{item.position}")
    assert switched.status_code == 302
    english = client.get(f"{url}?q={item.position}").data.decode()
    assert "Service request" in english and "服务请求" not in english
    selects = re.compile(r'name="(category-\w+)"')
    assert selects.findall(english) == selects.findall(page) != []
    client.post(f"{url}/language/{item.position}")  # back to Chinese, then answer
    key = {"i1": "inc", "i2": "req"}
    answering.record_answer(learner, attempt.id, item.position, public_answer(attempt, item, key))
    checked = answering.check_practice_answer(learner, attempt.id, item.position)
    assert checked.response.score == 1.0 and checked.response.language == "zh-Hans"


def _zh_option(page: str, scheme: str = "foundation") -> str:
    """The text of the zh-Hans option of a scheme's exam-language select on a page."""
    select_ = page.split(f'id="language-{scheme}"', 1)[1].split("</select>", 1)[0]
    found = re.search(r'<option value="zh-Hans"[^>]*>([^<]*)</option>', select_)
    assert found, select_
    return found.group(1)


def _live_foundation_questions() -> list[int]:
    """The ids of the questions a Foundation exam draws from (live, at its levels)."""
    from app.models import Scheme

    levels = db.session.scalars(select(Scheme).where(Scheme.code == "foundation")).one()
    stmt = (
        select(Question.id)
        .join(QuestionVersion, QuestionVersion.id == Question.live_version_id)
        .where(QuestionVersion.level.in_(levels.practice_levels))
    )
    return list(db.session.scalars(stmt))


def test_the_start_form_share_counts_only_up_to_date_translations(client, login_as, zh_banks):
    """A source edit made half the translations stale: the start form says about half
    the items show in Chinese (not every one), and all again once they are brought up to
    date."""
    login_as(Role.LEARNER)
    assert _zh_option(client.get("/learn/").text) == "Chinese (Simplified)"  # every item
    rows = db.session.execute(select(QuestionTranslation.id, QuestionTranslation.source_hash))
    made = {tid: source_hash for tid, source_hash in rows}
    stale = {"source_hash": "0" * translation.HASH_DIGITS}
    odd = QuestionTranslation.question_id % 2 == 1
    db.session.execute(update(QuestionTranslation).where(odd).values(**stale))
    db.session.commit()
    questions = _live_foundation_questions()
    current = [qid for qid in questions if qid % 2 == 0]
    percent = 100 * len(current) // len(questions)
    assert 30 <= percent <= 70, percent  # both kinds are there in numbers
    shown = _zh_option(client.get("/learn/").text)
    assert shown == f"Chinese (Simplified) ({percent}% of the questions)"
    for tid, source_hash in made.items():  # brought up to date (same texts, same hash)
        db.session.execute(
            update(QuestionTranslation)
            .where(QuestionTranslation.id == tid)
            .values(source_hash=source_hash)
        )
    db.session.commit()
    assert _zh_option(client.get("/learn/").text) == "Chinese (Simplified)"


def test_a_language_with_only_stale_translations_is_refused_until_one_is_brought_up_to_date(
    client, login_as, zh_banks
):
    from app.analytics import exam_languages
    from app.models import Scheme
    from app.services import translation_editing

    login_as(Role.LEARNER)
    stale = {"source_hash": "0" * translation.HASH_DIGITS}
    db.session.execute(update(QuestionTranslation).values(**stale))
    db.session.commit()
    refused = client.post(
        "/learn/attempts",
        data={"scheme": "foundation", "mode": "practice", "language": "zh-Hans"},
        follow_redirects=True,
    )
    assert "No question is available in that language" in refused.text
    assert Attempt.query.count() == 0
    assert 'value="zh-Hans"' not in client.get("/learn/").text  # nor offered
    # A trainer brings one Foundation item's translation up to date.
    qid = _live_foundation_questions()[0]
    question = db.session.get(Question, qid)
    assert question.current_version_id == question.live_version_id
    record = bank_queries.version_records([question.live_version_id])[question.live_version_id]
    trainer = login_as(Role.TRAINER)
    fields = _chinese(translation.source_texts(record))
    _row, written = translation_editing.save_question_translation(trainer, qid, "zh-Hans", fields)
    assert written
    schemes = list(db.session.scalars(select(Scheme).where(Scheme.code == "foundation")))
    (chinese,) = [
        c for c in exam_languages.choices_by_scheme(schemes)["foundation"] if c.tag == "zh-Hans"
    ]
    assert chinese.items == 1 and chinese.total == len(_live_foundation_questions())
    login_as(Role.LEARNER)
    attempt = _start(client, language="zh-Hans", count="40")
    assert attempt.language == "zh-Hans"
    shown = {i.version.question_id: i.language for i in attempt.items}
    assert {lang for q, lang in shown.items() if q != qid} == {"en"}
    assert shown.get(qid, "zh-Hans") == "zh-Hans"
