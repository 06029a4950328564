"""A hostile reviewer's attacks on the start reply built from the draw, shared matches,
combined feedback and hints, and the trainer's export report: those that found a problem,
and those the defences held (kept as regressions)."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import defusedxml.ElementTree as SafeET
import pytest

from app.domain import question_types
from app.domain.answer_ids import new_secret, secret_order
from app.domain.records import BankRecord, PairRecord, QuestionRecord
from app.extensions import db
from app.formats import qti
from app.models import SYSTEM, Attempt, Role, Scheme
from app.services import answering, attempts
from app.services.bank_import import ImportOptions, import_files
from tests.factories import bearer, make_user, public_answer

FEEDBACK_BANK = """\
format: clausewise-bank/1
bank:
  id: attack-feedback
  title: Attack feedback
questions:
  - id: atk-fb-sc
    type: single_choice
    level: foundation
    clauses: ["8.6.1"]
    stem: ATTACK which record does an interrupted service raise?
    options:
      - {id: a, text: "An incident", correct: true, feedback: "OPTFB-A-SECRET"}
      - {id: b, text: "A problem", feedback: "OPTFB-B-SECRET"}
      - {id: c, text: "A change"}
      - {id: d, text: "A request"}
    explanation: EXPLAIN-SECRET
    correct_feedback: CORRECTFB-SECRET
    partial_feedback: PARTIALFB-SECRET
    incorrect_feedback: INCORRECTFB-SECRET
    hints:
      - {text: HINT-ONE-SECRET, show_num_correct: true}
      - {text: HINT-TWO-SECRET, clear_wrong: true}
"""
MATCH_BANK = """\
format: clausewise-bank/1
bank:
  id: attack-matching
  title: Attack matching
questions:
  - id: atk-match
    type: matching
    level: foundation
    clauses: ["8.6.1"]
    marks: 3
    stem: ATTACK matching, which process handles each record?
    pairs:
      - {id: p1, prompt: "The payroll service stopped", match: "Incident management"}
      - {id: p2, prompt: "The cause of three outages is unknown", match: "Problem management"}
      - {id: p3, prompt: "Users on floor 4 cannot print", match: "Incident management"}
    extra_matches: [Capacity management]
    explanation: MATCH-EXPLAIN-SECRET
    correct_feedback: MATCH-CORRECTFB-SECRET
    partial_feedback: MATCH-PARTIALFB-SECRET
    incorrect_feedback: MATCH-INCORRECTFB-SECRET
    hints:
      - {text: MATCH-HINT-SECRET, show_num_correct: true}
  - id: atk-sort
    type: classification
    level: foundation
    clauses: ["8.6.1"]
    stem: ATTACK classification, sort each record
    categories:
      - {id: inc, text: Incident}
      - {id: req, text: Service request}
    items:
      - {id: i1, text: Printer down, category: inc}
      - {id: i2, text: Mail down, category: inc}
      - {id: i3, text: New laptop, category: req}
    correct_feedback: SORT-CORRECTFB-SECRET
  - id: atk-order
    type: ordering
    level: foundation
    clauses: ["8.6.1"]
    stem: ATTACK ordering, put the steps of incident handling in order
    steps:
      - {id: s1, text: Record}
      - {id: s2, text: Classify}
      - {id: s3, text: Resolve}
      - {id: s4, text: Close}
    incorrect_feedback: ORDER-INCORRECTFB-SECRET
"""
SECRETS = [
    "OPTFB-A-SECRET",
    "OPTFB-B-SECRET",
    "EXPLAIN-SECRET",
    "CORRECTFB-SECRET",
    "PARTIALFB-SECRET",
    "INCORRECTFB-SECRET",
    "HINT-ONE-SECRET",
    "HINT-TWO-SECRET",
    "MATCH-HINT-SECRET",
    "SORT-CORRECTFB-SECRET",
]


def _import(text: str) -> None:
    """Import and publish a bank file through the real service."""
    report = import_files(SYSTEM, [("attack.yaml", text.encode())], ImportOptions(publish=True))
    assert report.ok, [str(p) for p in report.errors]


def _leaks(text: str) -> list[str]:
    """The secret feedback, explanation and hint texts found in a page or a reply."""
    return [s for s in SECRETS if s in text]


# --- 1. the API start reply, built from the draw ---------------------------------


def _walk_keys(value: Any) -> set[str]:
    """Every mapping key anywhere in a JSON document."""
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _walk_keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _walk_keys(v)}
    return set()


KEY_FIELDS = {
    "review",
    "correct",
    "correct_response",
    "correct_options",
    "explanation",
    "feedback",
    "outcome_feedback",
    "option_feedback",
    "correct_feedback",
    "partial_feedback",
    "incorrect_feedback",
    "hints",
    "model_answer",
    "rubric",
    "pairs",
    "key",
    "clauses",
}


@pytest.mark.parametrize(
    "body",
    [
        {"scheme": "foundation", "mode": "mock"},
        {"scheme": "foundation", "mode": "practice", "count": 60, "cbm": True},
        {"scheme": "auditor", "mode": "mock"},
        {"scheme": "practitioner", "mode": "drill", "count": 40},
    ],
    ids=["foundation-mock", "practice", "auditor-mock", "drill"],
)
def test_the_start_reply_is_exactly_what_the_attempt_shows_afterwards(api, banks, body):
    cases = 0
    for _start in range(8 if body["scheme"] == "auditor" else 1):
        started = api("POST", "/attempts", json=body)
        assert started.status_code == 201, started.json
        again = api("GET", f"/attempts/{started.json['id']}")
        assert again.status_code == 200
        # Nothing more, nothing less, nothing in another order: ids, option order, cases.
        assert json.dumps(started.json, sort_keys=True) == json.dumps(again.json, sort_keys=True)
        assert not _walk_keys(started.json["items"]) & KEY_FIELDS
        cases += sum(1 for item in started.json["items"] if item["scenario"])
        if cases:
            break
    if body["scheme"] == "auditor":  # an auditor mock draws case texts, most of the time
        assert cases, "no case drawn"


def test_a_second_start_on_the_cached_pool_still_matches_its_read_back(api, banks):
    first = api("POST", "/attempts", json={"scheme": "foundation", "mode": "mock"}).json
    second = api("POST", "/attempts", json={"scheme": "foundation", "mode": "mock"}).json
    assert second == api("GET", f"/attempts/{second['id']}").json
    # Per-attempt ids: the same question never carries the same option ids twice.
    ids = {o["id"] for i in first["items"] for o in i["question"].get("options", []) if "id" in o}
    again = {
        o["id"] for i in second["items"] for o in i["question"].get("options", []) if "id" in o
    }
    assert ids and not ids & again


def test_a_start_refused_or_by_a_non_learner_returns_and_writes_nothing(client, banks):
    trainer = make_user(role=Role.TRAINER)
    refused = client.post(
        "/api/v1/attempts", json={"scheme": "foundation", "mode": "mock"}, headers=bearer(trainer)
    )
    assert refused.status_code == 403
    assert "items" not in (refused.json or {})
    learner = make_user(role=Role.LEARNER)
    bad = client.post(
        "/api/v1/attempts",
        json={"scheme": "foundation", "mode": "practice", "count": 0},
        headers=bearer(learner),
    )
    assert bad.status_code == 400 and "items" not in (bad.json or {})


# --- 2. matching questions whose prompts share a match ----------------------------


def _keyed(key: list[str]) -> list[tuple[str, str, str]]:
    """The prompts paired with the matches of `key`, in order."""
    return [(pid, text, m) for (pid, text), m in zip(PROMPTS, key, strict=True)]


def _matching(pairs: list[tuple[str, str, str]], extra: list[str]) -> QuestionRecord:
    """A matching question of (pair id, prompt, match) with extra matches."""
    return QuestionRecord(
        id="atk-match",
        type="matching",
        stem="Which process handles each record?",
        pairs=[PairRecord(pid, prompt, match) for pid, prompt, match in pairs],
        extra_matches=extra,
    )


PROMPTS = [("p1", "Payroll stopped"), ("p2", "Cause unknown"), ("p3", "Printer down")]
SHARED = _matching(
    _keyed(["Incident", "Problem", "Incident"]),
    ["Capacity"],
)
UNSHARED_KEYS = [
    ["Incident", "Problem", "Capacity"],
    ["Capacity", "Incident", "Problem"],
    ["Problem", "Capacity", "Incident"],
]


def _seen(record: QuestionRecord, secret: str, position: int) -> dict[str, Any]:
    """The learner view of a matching item as an attempt would show it."""
    kind = question_types.get(record.type)
    ids = question_types.answer_ids(secret, position, record)
    order = secret_order(secret, str(position), kind.shuffle_ids(record))
    return kind.learner_view(record, order, ids)


def test_a_shared_match_looks_exactly_like_a_question_whose_prompts_share_nothing():
    """Same prompts, same offered texts, a different key: the learner's view (ids, order,
    everything) is the same under the same attempt secret, so only the texts can tell."""
    for n in range(50):
        secret = new_secret()
        shared = _seen(SHARED, secret, n + 1)
        for key in UNSHARED_KEYS:
            assert _seen(_matching(_keyed(key), []), secret, n + 1) == shared
    kind = question_types.get("matching")
    unshared = _matching(_keyed(UNSHARED_KEYS[0]), [])
    assert kind.random_guess(SHARED) == kind.random_guess(unshared)


def test_the_shared_match_lands_anywhere_in_the_list_and_every_answer_is_accepted():
    kind = question_types.get("matching")
    places: set[int] = set()
    for n in range(200):
        secret = new_secret()
        view = _seen(SHARED, secret, 1)
        places.add([m["text"] for m in view["matches"]].index("Incident"))
        ids = question_types.answer_ids(secret, 1, SHARED)
        every_prompt_one_match = {p["id"]: view["matches"][n % 3]["id"] for p in view["prompts"]}
        # No refusal says "this match is taken" or "that one fits no prompt".
        assert kind.parse_response(SHARED, every_prompt_one_match, ids)
    assert places == {0, 1, 2}


@pytest.fixture
def shared_bank(banks):
    """The bundled banks and a shared-match question with combined feedback and hints."""
    _import(MATCH_BANK)


def test_the_api_shows_a_shared_match_once_with_nothing_that_says_whose_it_is(api, shared_bank):
    body = {"scheme": "foundation", "mode": "practice", "clauses": ["8.6.1"], "count": 100}
    started = api("POST", "/attempts", json=body).json
    (item,) = [
        i for i in started["items"] if i["question"].get("stem", "").startswith("ATTACK matching")
    ]
    text = json.dumps(item)
    assert text.count('"Incident management"') == 1
    assert not _walk_keys(item) & KEY_FIELDS
    assert _leaks(json.dumps(started)) == []
    assert started == api("GET", f"/attempts/{started['id']}").json
    stems = {i["question"]["stem"].split(",")[0] for i in started["items"]}
    assert {"ATTACK matching", "ATTACK classification", "ATTACK ordering"} <= stems


# --- 3. combined feedback and hints ----------------------------------------------


def _policy(policy: str, code: str = "foundation") -> None:
    """Set the scheme's mock review policy."""
    db.session.query(Scheme).filter_by(code=code).one().review_policy = policy
    db.session.commit()


def _mock_with(learner, key: str = "atk-fb-sc") -> Attempt:
    """An open Foundation mock of the learner's that holds question `key`: mocks that do
    not are submitted unanswered until one does. They are thrown away under a policy that
    reviews them at once: mocks whose review is closed keep their questions out of later
    draws, and would soon leave the blueprint short."""
    policy = db.session.query(Scheme).filter_by(code="foundation").one().review_policy
    _policy("immediately")
    try:
        for seed in range(300):
            drawn = attempts.start_attempt(learner, "foundation", attempts.StartOptions(seed=seed))
            if any(i.version.question.key == key for i in drawn.items):
                return drawn
            answering.submit_attempt(learner, drawn.id)
    finally:
        _policy(policy)
    raise AssertionError(f"no mock drew {key}")


def _item(attempt: Attempt, key: str = "atk-fb-sc"):
    """The attempt's item showing question `key`."""
    return next(i for i in attempt.items if i.version.question.key == key)


def _answer(learner, attempt: Attempt, option: str, key: str = "atk-fb-sc") -> int:
    """Answer question `key` of the attempt with an option (real id); its position."""
    item = _item(attempt, key)
    answer = public_answer(attempt, item, option)
    answering.record_answer(learner, attempt.id, item.position, answer)
    return item.position


def _everything(client, learner, attempt_id: int) -> str:
    """Every page and reply a learner can ask about an attempt, run together."""
    headers = bearer(learner)
    texts = [
        client.get(f"/learn/attempts/{attempt_id}?layout=all").get_data(as_text=True),
        client.get(f"/learn/attempts/{attempt_id}/result").get_data(as_text=True),
        client.get(f"/learn/attempts/{attempt_id}/result?show=wrong").get_data(as_text=True),
        client.get(f"/api/v1/attempts/{attempt_id}", headers=headers).get_data(as_text=True),
        client.get(f"/api/v1/attempts/{attempt_id}/result", headers=headers).get_data(as_text=True),
        client.get("/learn/").get_data(as_text=True),
        client.get("/learn/history").get_data(as_text=True),
        client.get("/learn/progress").get_data(as_text=True),
        client.get("/learn/reviews").get_data(as_text=True),
    ]
    return "\n".join(texts)


@pytest.fixture
def feedback_bank(banks):
    """The bundled banks and a single-choice question with every kind of feedback."""
    _import(FEEDBACK_BANK)


@pytest.mark.parametrize("policy", ["never", "after_deadline"])
def test_no_feedback_or_hint_shows_in_an_open_mock_nor_after_it_while_review_is_closed(
    client, login_as, feedback_bank, policy
):
    _policy(policy)
    learner = login_as(Role.LEARNER)
    mock = _mock_with(learner)
    _answer(learner, mock, "b")  # wrong: incorrect feedback and option b's feedback
    assert _leaks(_everything(client, learner, mock.id)) == []
    answering.submit_attempt(learner, mock.id)
    assert _leaks(_everything(client, learner, mock.id)) == []
    # The same pages show it once the review opens: the texts above were there to leak.
    _policy("immediately")
    shown = _everything(client, learner, mock.id)
    assert "INCORRECTFB-SECRET" in shown and "OPTFB-B-SECRET" in shown


def test_a_practice_question_also_in_a_closed_mock_shows_no_feedback_checked_or_after(
    client, login_as, feedback_bank
):
    _policy("never")
    learner = login_as(Role.LEARNER)
    practice = attempts.start_attempt(
        learner,
        "foundation",
        attempts.StartOptions(mode="practice", clauses=["8.6.1"], count=100, seed=1),
    )
    position = _answer(learner, practice, "a")
    # Checked before the mock: the learner saw its feedback once, as practice allows.
    answering.check_practice_answer(learner, practice.id, position)
    assert "CORRECTFB-SECRET" in _everything(client, learner, practice.id)
    mock = _mock_with(learner)
    _answer(learner, mock, "b")
    answering.submit_attempt(learner, mock.id)
    # Now embargoed: the checked answer's feedback is gone from every page and reply...
    assert _leaks(_everything(client, learner, practice.id)) == []
    answering.submit_attempt(learner, practice.id)
    # ...and the closed practice set shows none for it either.
    assert _leaks(_everything(client, learner, practice.id)) == []
    _policy("immediately")
    assert "CORRECTFB-SECRET" in _everything(client, learner, practice.id)


def test_checking_an_embargoed_practice_answer_is_refused_and_shows_nothing(
    client, login_as, feedback_bank
):
    _policy("never")
    learner = login_as(Role.LEARNER)
    practice = attempts.start_attempt(
        learner,
        "foundation",
        attempts.StartOptions(mode="practice", clauses=["8.6.1"], count=100, seed=1),
    )
    mock = _mock_with(learner)  # open: its questions are embargoed at once
    item = _item(practice)
    answer = public_answer(practice, item, "b")
    page = client.post(
        f"/learn/attempts/{practice.id}/answers/{item.position}",
        data={"response": answer, "check": "1"},
    )
    assert page.status_code == 409
    assert _leaks(page.get_data(as_text=True)) == []
    answering.submit_attempt(learner, mock.id)
    assert _leaks(_everything(client, learner, practice.id)) == []


def test_trainer_pages_showing_feedback_and_hints_refuse_learners_and_managers(
    client, login_as, feedback_bank
):
    from app.models import Bank, Question

    question = db.session.query(Question).filter_by(key="atk-fb-sc").one()
    bank = db.session.query(Bank).filter_by(code="attack-feedback").one()
    pages = [
        f"/train/questions/{question.id}",
        f"/train/questions/{question.id}/edit",
        f"/train/banks/{bank.id}",
        "/train/banks/attack-feedback/export?format=yaml",
        "/train/banks/attack-feedback/export/report?format=moodlexml",
        "/train/analysis",
        "/train/review",
    ]
    assert "/login" in client.get(pages[0]).headers["Location"]  # nobody signed in
    for role in (Role.LEARNER, Role.MANAGER):
        login_as(role)
        for page in pages:
            reply = client.get(page)
            assert reply.status_code == 403, (role, page)
            assert _leaks(reply.get_data(as_text=True)) == [], (role, page)
            assert "X-Clausewise-Warnings" not in reply.headers
        preview = client.post(
            f"/train/banks/{bank.id}/questions/preview?type=single_choice",
            data={"stem": "CORRECTFB-SECRET"},
        )
        assert preview.status_code == 403
        client.post("/logout")
    # A trainer sees them: the pages above were worth refusing.
    login_as(Role.TRAINER)
    assert "HINT-ONE-SECRET" in client.get(pages[0]).get_data(as_text=True)


# --- 4. the trainer's export report and the warnings header ----------------------


def test_the_export_report_and_its_header_are_for_trainers_and_admins_only(
    client, login_as, make_user, feedback_bank
):
    report = "/train/banks/attack-feedback/export/report?format=aiken"
    download = "/train/banks/attack-feedback/export?format=aiken"
    for page in (report, download):
        anonymous = client.get(page)
        assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
        assert "X-Clausewise-Warnings" not in anonymous.headers
    both = make_user(role={Role.LEARNER, Role.MANAGER})
    login_as(user=both)
    assert client.get(report).status_code == 403
    refused = client.get(download)
    assert refused.status_code == 403 and "X-Clausewise-Warnings" not in refused.headers
    client.post("/logout")
    for role in (Role.TRAINER, Role.ADMIN):
        login_as(role)
        page = client.get(report)
        assert page.status_code == 200, role
        assert "cw-export-warnings" in page.get_data(as_text=True)  # Aiken drops feedback
        assert int(client.get(download).headers["X-Clausewise-Warnings"]) >= 1
        client.post("/logout")


def test_the_export_report_refuses_unknown_banks_and_formats_and_escapes_what_it_echoes(
    client, login_as, feedback_bank
):
    login_as(Role.TRAINER)
    assert client.get("/train/banks/no-such-bank/export/report").status_code == 404
    bad = client.get("/train/banks/attack-feedback/export/report?format=<script>x</script>")
    assert bad.status_code == 400 and "<script>x" not in bad.get_data(as_text=True)
    odd = client.get("/train/banks/%3Cscript%3Ealert(1)%3C%2Fscript%3E/export/report")
    assert odd.status_code == 404 and "<script>alert" not in odd.get_data(as_text=True)


def _twin_scheme(policy: str = "immediately") -> Scheme:
    """A second active scheme drawing from the Foundation pool (the same blueprint and
    levels), whose mock review follows `policy`: a deployment may well let a
    practitioner-style scheme draw Foundation questions too."""
    foundation = db.session.query(Scheme).filter_by(code="foundation").one()
    twin = Scheme(
        code="foundation-twin",
        title="Foundation (second sitting)",
        level=foundation.level,
        duration_minutes=foundation.duration_minutes,
        item_count=foundation.item_count,
        pass_mark=foundation.pass_mark,
        review_policy=policy,
        blueprint=dict(foundation.blueprint),
        active=True,
    )
    db.session.add(twin)
    db.session.commit()
    return twin


def test_a_reviewed_mock_of_another_scheme_does_not_show_a_closed_mocks_key(client, feedback_bank):
    _policy("never")
    _twin_scheme("immediately")
    learner = make_user(role=Role.LEARNER)
    closed = attempts.start_attempt(learner, "foundation", attempts.StartOptions(seed=3))
    answering.submit_attempt(learner, closed.id)
    in_closed = {i.version.question.key for i in closed.items}
    keyed: set[str] = set()
    for seed in range(20):
        other = attempts.start_attempt(learner, "foundation-twin", attempts.StartOptions(seed=seed))
        answering.submit_attempt(learner, other.id)
        reply = client.get(f"/api/v1/attempts/{other.id}", headers=bearer(learner)).json
        shown = {i["position"] for i in reply["items"] if "review" in i}
        keyed |= {i.version.question.key for i in other.items if i.position in shown}
        # The defence: no later mock draws a question of the closed one at all.
        assert not {i.version.question.key for i in other.items} & in_closed, seed
    assert keyed, "the second mocks' reviews are open: their own keys show"


def test_pages_and_downloads_holding_keys_are_not_kept_by_a_shared_browser(
    client, login_as, feedback_bank
):
    """A training room's computers are shared: after a trainer signs out, Back (or the
    browser's cache) must not show the next person a question page, an export or its
    report, nor a learner's reviewed result. Static files may still be cached."""
    from app.models import Question

    question = db.session.query(Question).filter_by(key="atk-fb-sc").one()
    login_as(Role.TRAINER)
    for page in (
        f"/train/questions/{question.id}",
        "/train/banks/attack-feedback/export?format=yaml",
        "/train/banks/attack-feedback/export/report?format=aiken",
    ):
        reply = client.get(page)
        assert reply.status_code == 200, page
        assert "no-store" in reply.headers.get("Cache-Control", ""), page
    client.post("/logout")
    learner = login_as(Role.LEARNER)
    practice = attempts.start_attempt(
        learner, "foundation", attempts.StartOptions(mode="practice", count=5, seed=1)
    )
    answering.submit_attempt(learner, practice.id)
    for page in (f"/learn/attempts/{practice.id}/result", f"/api/v1/attempts/{practice.id}"):
        reply = client.get(page, headers=bearer(learner))
        assert reply.status_code == 200, page
        assert "no-store" in reply.headers.get("Cache-Control", ""), page
    static = client.get("/static/clausewise.css")
    static.close()
    assert "no-store" not in static.headers.get("Cache-Control", "")


def test_the_start_reply_of_a_mock_with_case_texts_matches_its_read_back(client, banks):
    learner = make_user(role=Role.LEARNER)
    headers = bearer(learner)
    for seed in range(20):
        started = attempts.start_and_show(learner, "auditor", attempts.StartOptions(seed=seed))
        shown = client.get(f"/api/v1/attempts/{started.attempt_id}", headers=headers).json
        assert [item.to_dict() for item in started.items] == shown["items"]
        answering.submit_attempt(learner, started.attempt_id)
        if any(item.scenario for item in started.items):
            return
    raise AssertionError("no auditor mock drew a case text")


def test_a_second_mock_submitted_at_once_does_not_answer_the_open_one(client, banks):
    learner = make_user(role=Role.LEARNER)
    headers = bearer(learner)
    exam = attempts.start_attempt(learner, "foundation", attempts.StartOptions(seed=3))
    in_exam = {i.version.question.key for i in exam.items}
    answered: set[str] = set()
    for seed in range(10, 15):  # each one the learner throws away for its keys
        probe = attempts.start_attempt(learner, "foundation", attempts.StartOptions(seed=seed))
        answering.submit_attempt(learner, probe.id)
        reply = client.get(f"/api/v1/attempts/{probe.id}/result", headers=headers).json
        keyed = {i["position"] for i in reply["items"] if "review" in i}
        answered |= {i.version.question.key for i in probe.items if i.position in keyed}
    assert answered, "the thrown-away mocks' own keys show (review immediately)"
    db.session.expire_all()
    assert db.session.get(Attempt, exam.id).status == "open"
    assert not answered & in_exam, f"{len(answered & in_exam)} of the open exam's keys shown"


def _qti_targets(q: QuestionRecord) -> tuple[dict[str, str], set[str]]:
    """Text → identifier of the matches of a question's QTI item, and their matchMax."""
    data = qti.write(BankRecord(id="b", title="B", questions=[q])).data
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        item = SafeET.fromstring(archive.read(f"items/{q.id}.xml"))
    ns = "{http://www.imsglobal.org/xsd/imsqti_v2p1}"
    matches = item.find(f"{ns}itemBody/{ns}matchInteraction").findall(f"{ns}simpleMatchSet")[1]
    return {c.text: c.get("identifier") for c in matches}, {c.get("matchMax") for c in matches}


def test_qti_match_identifiers_do_not_say_which_match_is_the_first_prompts():
    """A QTI player shows learners the item, identifiers in its page: numbered in the order
    of the prompts, m1 was always the first prompt's match (and extras came last)."""
    shared, shared_max = _qti_targets(SHARED)
    for key in UNSHARED_KEYS:
        unshared, _max = _qti_targets(_matching(_keyed(key), []))
        assert unshared == shared, key
    assert shared_max == {"3"}  # the same on every match: which one is shared stays unsaid
