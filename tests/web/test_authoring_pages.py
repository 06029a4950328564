"""Trainer authoring pages: banks, the editor for every type, workflow, list filters."""

from dataclasses import replace

import pytest

from app.analytics import questions as question_views
from app.domain import question_types
from app.models import Bank, Question, Role
from app.services import authoring

SINGLE = {
    "key": "w-001",
    "title": "Catalogue clause",
    "stem": "Which clause asks for a **service catalogue**?",
    "level": "foundation",
    "difficulty": "2",
    "marks": "1",
    "clauses": ["8.2.4"],
    "scenario": "",
    "explanation": "Clause 8.2.4 covers the catalogue; 8.5.1 is change management.",
    "options-0-text": "8.2.4",
    "options-1-text": "8.5.1",
    "options-2-text": "9.2",
    "options-3-text": "",
    "correct": "0",
}


@pytest.fixture
def bank(reference, make_user):
    owner = make_user(role=Role.TRAINER)
    return authoring.save_bank(owner, "pages", "Page tests")


def test_trainer_creates_a_bank_from_the_form(client, login_as, reference):
    login_as(Role.TRAINER)
    reply = client.post("/train/banks/new", data={"code": "my-bank", "title": "My bank"})
    assert reply.status_code == 302
    assert Bank.query.filter_by(code="my-bank").one().title == "My bank"
    bad = client.post("/train/banks/new", data={"code": "My Bank!", "title": "x"})
    assert bad.status_code == 200 and Bank.query.count() == 1


@pytest.mark.parametrize("qtype", question_types.keys())
def test_the_editor_renders_every_type(client, login_as, bank, qtype):
    login_as(Role.TRAINER)
    page = client.get(f"/train/banks/{bank.id}/questions/new?type={qtype}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert question_types.get(qtype).label in html and 'name="csrf_token"' in html


def test_saving_a_single_choice_question_and_the_detail_page(client, login_as, bank):
    login_as(Role.TRAINER)
    reply = client.post(f"/train/banks/{bank.id}/questions/new?type=single_choice", data=SINGLE)
    assert reply.status_code == 302, reply.get_data(as_text=True)
    question = Question.query.filter_by(key="w-001").one()
    record_options = question.current_version.options
    assert [(o.text, o.correct) for o in record_options] == [
        ("8.2.4", True),
        ("8.5.1", False),
        ("9.2", False),
    ]
    page = client.get(f"/train/questions/{question.id}").get_data(as_text=True)
    assert "<strong>service catalogue</strong>" in page and "Send for review" in page


def test_a_refused_save_lists_the_problems_and_keeps_the_input(client, login_as, bank):
    login_as(Role.TRAINER)
    data = dict(SINGLE, correct="", **{"options-1-text": "", "options-2-text": ""})
    reply = client.post(f"/train/banks/{bank.id}/questions/new?type=single_choice", data=data)
    html = reply.get_data(as_text=True)
    assert reply.status_code == 200 and "was not saved" in html
    assert "options" in html and 'value="8.2.4"' in html
    assert Question.query.count() == 0


def _segment(tag: str, said: str, text: str) -> str:
    """A changed run of words in the history: read out whole, shown as it is."""
    hidden = f'<span class="visually-hidden">{said}: {text}</span>'
    return f'<{tag}>{hidden}<span aria-hidden="true">{text}</span></{tag}>'


def test_editing_makes_version_two_and_the_history_shows_the_change(client, login_as, bank):
    login_as(Role.TRAINER)
    client.post(f"/train/banks/{bank.id}/questions/new?type=single_choice", data=SINGLE)
    question = Question.query.filter_by(key="w-001").one()
    changed = dict(SINGLE, stem="Which clause requires a service catalogue?")
    client.post(f"/train/questions/{question.id}/edit", data=changed)
    assert question.current_version.number == 2
    page = client.get(f"/train/questions/{question.id}").get_data(as_text=True)
    assert "v2" in page and "The first version." in page
    history = page.partition('id="history-h"')[2]
    assert "<dt>Question</dt>" in history and "<dt>Explanation</dt>" not in history
    assert _segment("del", "Deleted", "asks for") in history
    assert _segment("ins", "Inserted", "requires") in history


def test_the_editor_sets_and_shows_the_thinking_a_question_asks_for(client, login_as, bank):
    login_as(Role.TRAINER)
    odd = client.post(
        f"/train/banks/{bank.id}/questions/new?type=single_choice",
        data=dict(SINGLE, cognitive="analyse"),
    )
    assert odd.status_code == 200 and Question.query.count() == 0
    path = f"/train/banks/{bank.id}/questions/new?type=single_choice"
    assert client.post(path, data=dict(SINGLE, cognitive="apply")).status_code == 302
    question = Question.query.filter_by(key="w-001").one()
    assert question.current_version.cognitive == "apply"
    page = client.get(f"/train/questions/{question.id}/edit").get_data(as_text=True)
    assert '<option selected value="apply">' in page
    client.post(f"/train/questions/{question.id}/edit", data=dict(SINGLE, cognitive=""))
    assert question.current_version.number == 2 and question.current_version.cognitive is None


def test_workflow_buttons_follow_four_eyes(client, login_as, bank, make_user):
    author = login_as(Role.TRAINER)
    client.post(f"/train/banks/{bank.id}/questions/new?type=single_choice", data=SINGLE)
    question = Question.query.filter_by(key="w-001").one()
    client.post(f"/train/questions/{question.id}/workflow", data={"action": "submit", "version": 1})
    assert question.status == "in_review"
    page = client.get(f"/train/questions/{question.id}").get_data(as_text=True)
    assert "Approve and publish" not in page  # never offered to the one who asked
    assert "another trainer approves it" in page
    own = client.post(
        f"/train/questions/{question.id}/workflow", data={"action": "approve", "version": 1}
    )
    assert own.status_code == 403 and question.status == "in_review"
    assert author.id == question.review_requested_by_id
    login_as(Role.TRAINER)
    page = client.get(f"/train/questions/{question.id}").get_data(as_text=True)
    assert "Approve and publish" in page and "another trainer approves it" not in page
    client.post(
        f"/train/questions/{question.id}/workflow", data={"action": "approve", "version": 1}
    )
    assert question.status == "published"


def test_question_list_filters_and_searches(client, login_as, bank):
    login_as(Role.TRAINER)
    client.post(f"/train/banks/{bank.id}/questions/new?type=single_choice", data=SINGLE)
    other = dict(SINGLE, key="w-002", title="Audit clause", clauses=["9.2"])
    client.post(f"/train/banks/{bank.id}/questions/new?type=single_choice", data=other)
    page = client.get(f"/train/banks/{bank.id}?clause=9").get_data(as_text=True)
    assert "Audit clause" in page and "Catalogue clause" not in page
    page = client.get(f"/train/banks/{bank.id}?q=catalogue&status=draft").get_data(as_text=True)
    assert "Catalogue clause" in page
    assert "Catalogue clause" not in client.get(f"/train/banks/{bank.id}?status=published").text


def test_learners_cannot_author_and_forms_need_csrf(client, login_as, bank, make_app):
    login_as(Role.LEARNER)
    assert client.get(f"/train/banks/{bank.id}").status_code == 403
    strict = make_app(WTF_CSRF_ENABLED=True).test_client()
    from tests.factories import PASSWORD, make_user

    trainer = make_user(role=Role.TRAINER)
    strict.post("/login", data={"email": trainer.email, "password": PASSWORD})
    refused = strict.post(f"/train/banks/{bank.id}/questions/new?type=single_choice", data=SINGLE)
    assert refused.status_code in (302, 400) and Question.query.count() == 0


BASE = {
    "title": "",
    "level": "practitioner",
    "difficulty": "2",
    "marks": "1",
    "clauses": ["8.5.1"],
    "scenario": "",
    "explanation": "Clause 8.5.1 sets out how changes are assessed and approved before release.",
}
EACH_TYPE = {
    "single_choice": {k: v for k, v in SINGLE.items() if k != "key"},
    "multiple_response": {
        "stem": "Which of these does change management ask for?",
        "options-0-text": "Assessing the risk of a change",
        "options-0-correct": "on",
        "options-1-text": "Approving changes before deployment",
        "options-1-correct": "on",
        "options-2-text": "Skipping review for urgent changes",
    },
    "true_false": {"stem": "Emergency changes need no record at all.", "answer": "false"},
    "matching": {
        "stem": "Match each activity to its clause.",
        "pairs-0-prompt": "Assess a change",
        "pairs-0-match": "8.5.1",
        "pairs-1-prompt": "Plan the release",
        "pairs-1-match": "8.5.3",
    },
    "ordering": {
        "stem": "Put the change steps in order.",
        "steps-0-text": "Record the request",
        "steps-1-text": "Assess and approve",
        "steps-2-text": "Deploy and review",
    },
    "short_answer": {"stem": "Which clause covers change management?", "answers": "8.5.1\n8.5"},
    "essay": {
        "stem": "Write a nonconformity statement for an unapproved change.",
        "rubric-0-criterion": "Names the requirement",
        "rubric-0-marks": "2",
        "rubric-1-criterion": "States the objective evidence",
        "rubric-1-marks": "3",
        "model_answer": "Clause 8.5.1 requires approval; change 42 went live unapproved.",
    },
}


@pytest.mark.parametrize("qtype", list(EACH_TYPE))
def test_a_question_of_every_type_can_be_written_in_the_editor(client, login_as, bank, qtype):
    login_as(Role.TRAINER)
    data = {**BASE, "key": f"e-{qtype}", **EACH_TYPE[qtype]}
    reply = client.post(f"/train/banks/{bank.id}/questions/new?type={qtype}", data=data)
    assert reply.status_code == 302, reply.get_data(as_text=True)[-3000:]
    question = Question.query.filter_by(key=f"e-{qtype}").one()
    assert question.current_version.type == qtype
    if qtype == "essay":
        assert question.current_version.marks == 5


def test_scenarios_are_written_and_used_by_questions(client, login_as, bank):
    login_as(Role.TRAINER)
    case = {"key": "cloud-1", "title": "Nimbus Cloud", "text": "Nimbus runs a public cloud."}
    assert client.post(f"/train/banks/{bank.id}/scenarios", data=case).status_code == 302
    page = client.get(f"/train/banks/{bank.id}/scenarios").get_data(as_text=True)
    assert "Nimbus Cloud" in page and "Used by 0 questions" in page
    data = dict(SINGLE, key="w-sc", scenario="cloud-1", stem="At Nimbus, which clause applies?")
    reply = client.post(f"/train/banks/{bank.id}/questions/new?type=single_choice", data=data)
    assert reply.status_code == 302
    page = client.get(f"/train/banks/{bank.id}/scenarios").get_data(as_text=True)
    assert "Used by 1 question" in page
    bad = client.post(f"/train/banks/{bank.id}/scenarios", data=dict(case, key="Bad Id"))
    assert bad.status_code == 200 and "Bad Id" in bad.get_data(as_text=True)
    changed = dict(case, text="Nimbus runs a private cloud.")
    saved = client.post(f"/train/banks/{bank.id}/scenarios", data=changed, follow_redirects=True)
    page = saved.get_data(as_text=True)
    assert "The question using it has a new version with this text" in page
    assert "Nimbus runs a private cloud." in page and "Used by 1 question" in page
    question = Question.query.filter_by(key="w-sc").one()
    assert question.current_version.number == 2


def test_editing_a_published_question_keeps_it_live_and_the_pages_say_so(
    client, login_as, bank, make_user
):
    from app.queries.banks import published_pool

    reviewer = make_user(role=Role.TRAINER)
    login_as(Role.TRAINER)
    client.post(f"/train/banks/{bank.id}/questions/new?type=single_choice", data=SINGLE)
    question = Question.query.filter_by(key="w-001").one()
    client.post(f"/train/questions/{question.id}/workflow", data={"action": "submit", "version": 1})
    authoring.transition(reviewer, question.id, "approve")
    v1 = question.current_version_id
    editor = client.get(f"/train/questions/{question.id}/edit").get_data(as_text=True)
    assert "The published version stays in exams until this change is approved." in editor
    changed = dict(SINGLE, stem="Which clause requires a service catalogue?")
    saved = client.post(f"/train/questions/{question.id}/edit", data=changed, follow_redirects=True)
    page = saved.get_data(as_text=True)
    assert "The published version stays in exams until this change is approved." in page
    assert "Change against the published version 1" in page and "Discard this change" in page
    assert published_pool()[1]["w-001"] == v1
    listing = client.get(f"/train/banks/{bank.id}").get_data(as_text=True)
    assert "v1 in exams" in listing
    client.post(f"/train/questions/{question.id}/workflow", data={"action": "submit", "version": 2})
    queue = client.get("/train/review").get_data(as_text=True)
    assert "Change against the published version 1" in queue
    assert _segment("ins", "Inserted", "requires") in queue


def _resave(actor, question_id: int, **changes):
    """Save a new version of a question as another trainer, as the editor would."""
    question = authoring.get_question(question_id)
    stored = question_views.current_record(question)
    authoring.save_question(actor, question.bank_id, replace(stored, **changes), question_id)


def test_the_editor_keeps_my_text_when_someone_saved_first(client, login_as, bank, make_user):
    """Two trainers edit version 1 at once: the second save is refused with a message,
    keeps what was typed, and goes through once the trainer has seen the conflict."""
    other = make_user(role=Role.TRAINER)
    login_as(Role.TRAINER)
    client.post(f"/train/banks/{bank.id}/questions/new?type=single_choice", data=SINGLE)
    question = Question.query.filter_by(key="w-001").one()
    form = client.get(f"/train/questions/{question.id}/edit").get_data(as_text=True)
    assert 'name="base_version" type="hidden" value="1"' in form
    _resave(other, question.id, stem="Their wording?")
    mine = dict(SINGLE, stem="My wording?", base_version="1")
    refused = client.post(f"/train/questions/{question.id}/edit", data=mine)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 200
    assert "Version 2 of this question was saved while you were editing version 1" in page
    assert "My wording?" in page and 'name="base_version" type="hidden" value="2"' in page
    assert authoring.get_question(question.id).current_version.stem == "Their wording?"
    again = client.post(f"/train/questions/{question.id}/edit", data=dict(mine, base_version="2"))
    assert again.status_code == 302
    assert authoring.get_question(question.id).current_version.stem == "My wording?"


def test_approve_from_a_stale_page_is_refused(client, login_as, bank, make_user):
    """The reviewer's page showed version 1; the author then sent version 2 for review.
    Approving from the old page publishes nothing."""
    author = make_user(role=Role.TRAINER)
    login_as(Role.TRAINER)
    client.post(f"/train/banks/{bank.id}/questions/new?type=single_choice", data=SINGLE)
    question = Question.query.filter_by(key="w-001").one()
    authoring.transition(author, question.id, "submit")
    page = client.get(f"/train/questions/{question.id}").get_data(as_text=True)
    assert 'name="version" value="1"' in page
    _resave(author, question.id, stem="Changed while the page was open?")
    authoring.transition(author, question.id, "submit")
    stale = client.post(
        f"/train/questions/{question.id}/workflow", data={"action": "approve", "version": 1}
    )
    assert stale.status_code == 409
    assert "now at version 2" in stale.get_data(as_text=True)
    assert authoring.get_question(question.id).status == "in_review"


def test_the_history_names_a_changed_option_and_marks_only_its_words(client, login_as, bank):
    login_as(Role.TRAINER)
    client.post(f"/train/banks/{bank.id}/questions/new?type=single_choice", data=SINGLE)
    question = Question.query.filter_by(key="w-001").one()
    changed = dict(SINGLE, **{"options-2-text": "9.2 Internal audit", "correct": "1"})
    client.post(f"/train/questions/{question.id}/edit", data=changed)
    page = client.get(f"/train/questions/{question.id}").get_data(as_text=True)
    history = page.partition('id="history-h"')[2]
    assert "<dt>Option c, text</dt>" in history and "<dt>Option b, correct</dt>" in history
    assert "<dd>9.2<ins>" in history and "Internal audit</span></ins></dd>" in history
    assert "<dt>Question</dt>" not in history  # the stem did not change


def test_the_clause_picker_serves_the_tree_and_keeps_the_select_without_javascript(
    client, login_as, bank
):
    login_as(Role.TRAINER)
    client.post(f"/train/banks/{bank.id}/questions/new?type=single_choice", data=SINGLE)
    question = Question.query.filter_by(key="w-001").one()
    page = client.get(f"/train/questions/{question.id}/edit").get_data(as_text=True)
    fallback, _sep, template = page.partition("<template data-clause-template>")
    # without JavaScript: the filter and the multiple select, the chosen clause selected
    assert 'data-filter="clauses"' in fallback and '<option selected value="8.2.4">' in fallback
    # with it: the tree, nested by clause, each clause a checkbox that posts nothing
    tree = template.partition("</template>")[0]
    assert 'value="8.2.4" data-title="Service catalogue management"' in tree
    section = tree.partition('value="8.2"')[2].partition('value="8.3"')[0]
    assert '<ul class="list-unstyled mb-0">' in section and 'value="8.2.4"' in section
    assert "name=" not in tree and "Remove clause %(clause)s" in tree


def test_the_editor_writes_and_shows_feedback_by_outcome_and_hints(client, login_as, bank):
    login_as(Role.TRAINER)
    data = dict(
        SINGLE,
        correct_feedback="Right: the catalogue is 8.2.4.",
        incorrect_feedback="Look for the clause named after the catalogue.",
        **{
            "hints-0-text": "It is in clause 8.2.",
            "hints-0-clear_wrong": "y",
            "hints-1-text": "  ",
            "hints-2-text": "Service *catalogue* management.",
            "hints-2-show_num_correct": "y",
        },
    )
    saved = client.post(f"/train/banks/{bank.id}/questions/new?type=single_choice", data=data)
    assert saved.status_code == 302, saved.get_data(as_text=True)
    question = Question.query.filter_by(key="w-001").one()
    body = question.current_version.body
    assert body["correct_feedback"] == "Right: the catalogue is 8.2.4."
    assert "partial_feedback" not in body
    assert body["hints"] == [
        {"text": "It is in clause 8.2.", "show_num_correct": False, "clear_wrong": True},
        {"text": "Service *catalogue* management.", "show_num_correct": True, "clear_wrong": False},
    ]
    page = client.get(f"/train/questions/{question.id}/edit").get_data(as_text=True)
    assert "Look for the clause named after the catalogue." in page
    assert 'name="hints-1-text"' in page and "Service *catalogue* management." in page
    assert 'name="hints-2-text"' in page  # a blank row for one more hint
    assert 'checked class="form-check-input" id="hints-0-clear_wrong"' in page
    assert 'checked class="form-check-input" id="hints-0-show_num_correct"' not in page
    detail = client.get(f"/train/questions/{question.id}").get_data(as_text=True)
    assert "Feedback for a wrong answer" in detail and "Feedback for a partly right" not in detail
    assert "Service <em>catalogue</em> management." in detail
    assert "Says how many parts are right" in detail and "Clears the wrong parts" in detail


def test_a_question_saved_without_feedback_or_hints_stores_none(client, login_as, bank):
    login_as(Role.TRAINER)
    client.post(f"/train/banks/{bank.id}/questions/new?type=single_choice", data=SINGLE)
    body = Question.query.filter_by(key="w-001").one().current_version.body
    assert not {"correct_feedback", "incorrect_feedback", "hints"} & set(body)


def test_the_history_names_changed_outcome_feedback_and_hints(client, login_as, bank):
    login_as(Role.TRAINER)
    client.post(f"/train/banks/{bank.id}/questions/new?type=single_choice", data=SINGLE)
    question = Question.query.filter_by(key="w-001").one()
    changed = dict(
        SINGLE,
        incorrect_feedback="Look for the catalogue clause.",
        **{"hints-0-text": "It is in clause 8.2.", "hints-0-clear_wrong": "y"},
    )
    client.post(f"/train/questions/{question.id}/edit", data=changed)
    history = client.get(f"/train/questions/{question.id}").text.partition('id="history-h"')[2]
    assert "<dt>Feedback for a wrong answer</dt>" in history
    assert "<dt>Hint 1, text</dt>" in history
    assert "<dt>Hint 1, clears the wrong parts</dt>" in history


def test_the_question_list_shows_plain_excerpts_in_a_table_that_scrolls_in_its_card(
    client, login_as, bank
):
    login_as(Role.TRAINER)
    long_stem = "Which clause asks for a **service catalogue** and `8.2.4`? " + "word " * 60
    data = dict(SINGLE, stem=long_stem, title="A *very* long title " + "x" * 30)
    client.post(f"/train/banks/{bank.id}/questions/new?type=single_choice", data=data)
    page = client.get(f"/train/banks/{bank.id}").get_data(as_text=True)
    assert "Which clause asks for a service catalogue and 8.2.4?" in page
    assert "**" not in page and "`8.2.4`" not in page and "A very long title" in page
    assert "word word…" in page  # cut at a word
    # the table scrolls inside its card, in a region the keyboard can reach
    assert 'class="card-body p-0 table-responsive" tabindex="0" role="region"' in page
    assert 'aria-label="Questions"' in page and "text-truncate" not in page
