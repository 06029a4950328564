"""The item-writing linter: each rule fires on a flawed item and stays quiet on a sound one."""

from __future__ import annotations

import random

from app.domain.lint import Finding, lint_banks, near_duplicate_pairs, normalise_stem, summary
from app.domain.records import BankRecord, Location, OptionRecord, QuestionRecord, ScenarioRecord
from app.messages import render, render_finding

CLAUSES = {"1", "3", "5.1", "7.5.4", "8.5.1", "8.6.1", "8.6.3"}
STEM = (
    "A user tells the service desk that the payroll application has stopped responding. "
    "What should the desk do first?"
)
TEXTS = [
    "Log the call, then give it a category and a priority",
    "Raise a request for change so that developers can repair it",
    "Ask the supplier for a root-cause analysis before acting",
    "Wait until several users report the same fault before acting",
]
EXPLANATION = (
    "Clause 8.6.1 expects an incident to be recorded, categorized and prioritized first; a "
    "request for change may follow later, and only if the fix needs one."
)
CLOUD = ScenarioRecord(
    "sc-cloud",
    "Stratavault Cloud (IaaS provider)",
    "Stratavault Cloud runs two data centres. Power at the Lyon site is supplied by "
    "FerroHost. The head of operations, Ines Kovač, reports to the board.",
)


def options(texts: list[str], key: int = 0) -> list[OptionRecord]:
    """Options a, b, c… with the key at the given position."""
    return [OptionRecord(chr(97 + n), text, n == key) for n, text in enumerate(texts)]


def item(qid: str = "q1", *, texts: list[str] = TEXTS, key: int = 0, **fields) -> QuestionRecord:
    """A sound foundation single-choice item unless the fields say otherwise."""
    fields = {"stem": STEM, "clauses": ["8.6.1"], "explanation": EXPLANATION, **fields}
    return QuestionRecord(id=qid, type="single_choice", options=options(texts, key), **fields)


def bank(*questions: QuestionRecord, bank_id: str = "b") -> BankRecord:
    """A bank holding the questions and the cloud scenario."""
    return BankRecord(id=bank_id, title="Test bank", scenarios=[CLOUD], questions=list(questions))


def hits(*questions: QuestionRecord, rule: str | None = None) -> list[tuple[str, str]]:
    """(severity, rule) of every finding on a bank of these questions, or of one rule."""
    found = lint_banks([bank(*questions)], CLAUSES)
    return [(f.severity, f.rule) for f in found if rule in (None, f.rule)]


def messages(*questions: QuestionRecord, rule: str) -> list[str]:
    """The messages of one rule's findings on a bank of these questions."""
    return [render(f.message) for f in lint_banks([bank(*questions)], CLAUSES) if f.rule == rule]


def test_a_sound_item_has_no_findings():
    assert lint_banks([bank(item())], CLAUSES) == []


def test_a_missing_explanation_is_an_error_and_nothing_more_is_said_about_it():
    assert hits(item(explanation="  ")) == [("error", "explanation-missing")]


def test_a_short_explanation_is_a_warning_with_its_length():
    text = "Clause 8.6.1: log incidents first."
    assert hits(item(explanation=text)) == [("warning", "explanation-short")]
    assert (
        f"only {len(text)} characters"
        in messages(item(explanation=text), rule="explanation-short")[0]
    )


def test_an_explanation_must_name_a_clause_unless_the_item_is_about_the_series_or_terms():
    vague = "The desk records the incident first; " + "a change request comes later. " * 3
    assert hits(item(explanation=vague)) == [("warning", "explanation-no-clause")]
    assert hits(item(explanation=vague, clauses=["1"])) == []
    assert hits(item(explanation=vague, clauses=["1", "3"])) == []
    assert hits(item(explanation=vague, clauses=["1", "8.6.1"])) == [
        ("warning", "explanation-no-clause")
    ]


def test_a_clause_number_the_word_clause_or_an_iso_reference_all_count():
    tail = " explains why the desk records the incident before anything else happens to it."
    for named in ("8.6.1", "The clause", "ISO/IEC 20000-2", "ISO 19011"):
        assert hits(item(explanation=named + tail)) == [], named


def test_clauses_missing_from_the_2018_tree_are_errors():
    assert messages(item(clauses=["8.6.1", "8.9"]), rule="clause-unknown") == [
        "clause 8.9 is not in the ISO/IEC 20000-1:2018 clause tree"
    ]
    assert hits(item(clauses=["8.6.1", "8.9"])) == [("error", "clause-unknown")]


def test_2011_items_are_checked_against_prefixed_numbers_only_when_there_are_some():
    old = item("q1", edition="2011", clauses=["8.1"])
    wrong = item("q2", stem="Which 2011 process logs incidents?", edition="2011", clauses=["9.9"])
    with_2011 = CLAUSES | {"2011:8.1", "2011:8.2"}
    found = lint_banks([bank(old, wrong)], with_2011)
    assert [(f.question_id, render(f.message)) for f in found] == [
        ("q2", "clause 9.9 is not in the ISO/IEC 20000-1:2011 clause tree")
    ]
    assert lint_banks([bank(old, wrong)], CLAUSES) == []


def test_identical_stems_across_banks_are_an_error_that_points_at_the_first():
    first = item("fnd-1", location=Location("banks/a.yaml", line=3))
    again = item(
        "prc-9",
        stem="  a USER tells the service-desk that the payroll application has stopped "
        "responding!\n\nWhat should the desk do, first? ",
        location=Location("banks/b.yaml", line=40),
    )
    found = lint_banks([bank(first, bank_id="a"), bank(again, bank_id="b")], CLAUSES)
    assert [render_finding(f) for f in found] == [
        "banks/b.yaml:40: error [stem-duplicate] prc-9: the stem is the same as that of "
        "question fnd-1 (banks/a.yaml:3); remove or rewrite one"
    ]


def test_the_same_stem_on_different_scenarios_is_only_a_warning():
    other = ScenarioRecord("sc-bank", "Merrowgate Bank", "Merrowgate Bank runs a CAB.")
    stem = "In the scenario, which process failed first?"
    one, two = item("q1", stem=stem, scenario="sc-cloud"), item("q2", stem=stem, scenario="sc-bank")
    cases = BankRecord(id="b", title="t", scenarios=[CLOUD, other], questions=[one, two])
    [finding] = [f for f in lint_banks([cases], CLAUSES) if f.rule.startswith("stem")]
    assert (finding.severity, finding.rule, finding.question_id) == (
        "warning",
        "stem-near-duplicate",
        "q2",
    )
    assert "repeats 100% of the wording of question q1 (bank b)" in render(finding.message)
    three = item("q3", stem=stem, scenario="sc-bank")
    cases.questions.append(three)
    found = [(f.rule, f.question_id) for f in lint_banks([cases], CLAUSES) if f.rule[:4] == "stem"]
    assert found == [("stem-near-duplicate", "q2"), ("stem-duplicate", "q3")]


NEAR = (
    "During the quarterly review the service owner finds that three incidents breached the "
    "agreed resolution target for the payroll"
)


def test_a_stem_that_differs_in_its_last_word_is_a_near_duplicate():
    # 20 words make 18 three-word shingles; only the last differs, so 17 of 19 are shared.
    assert len(NEAR.split()) == 19
    one, two = item("q1", stem=NEAR + " service?"), item("q2", stem=NEAR + " system?")
    assert hits(one, two) == [("warning", "stem-near-duplicate")]
    [message] = messages(one, two, rule="stem-near-duplicate")
    assert message.startswith(f"the stem repeats {17 / 19:.0%} of the wording of question q1")


def test_a_stem_that_differs_in_a_middle_word_is_not_a_near_duplicate():
    changed = NEAR.replace("three incidents", "three problems") + " service?"
    # The changed word sits in three shingles: 15 of 21 shared, below 80%.
    assert hits(item("q1", stem=NEAR + " service?"), item("q2", stem=changed)) == []


def test_stems_are_normalised_without_case_punctuation_or_spacing():
    assert (
        normalise_stem("  What is **NOT** in\n the  SMS-scope? ") == "what is not in the sms scope"
    )


def test_the_prefix_filter_finds_exactly_the_pairs_a_full_comparison_finds():
    rng = random.Random(4)
    sets: list[frozenset[int]] = []
    for _ in range(300):
        if sets and rng.random() < 0.4:
            base = set(rng.choice(sets))
            base.discard(rng.choice(sorted(base)))
            sets.append(frozenset(base | {rng.randrange(400)}))
        else:
            sets.append(frozenset(rng.sample(range(400), rng.randint(2, 15))))
    for threshold in (0.5, 0.8):
        brute = [
            (i, j, len(a & b) / len(a | b))
            for i, a in enumerate(sets)
            for j, b in enumerate(sets[i + 1 :], i + 1)
            if len(a & b) / len(a | b) >= threshold
        ]
        assert len(brute) > 20
        assert near_duplicate_pairs(sets, threshold) == brute


def longest_key_bank(longest: int, total: int = 10, three_options: int = 0) -> BankRecord:
    """Items whose key is the uniquely longest option in the first `longest` of them."""
    questions = []
    for n in range(total):
        texts = ["Option text of medium size here", "Another medium option text"]
        texts += [] if n < three_options else ["A fourth option, also of medium size"]
        key_text = (
            "The key, which is clearly the longest option of them all" if n < longest else "Key"
        )
        questions.append(
            item(f"q{n}", stem=f"Question number {n} about incidents?", texts=[key_text, *texts])
        )
    return bank(*questions)


def key_longest(b: BankRecord) -> list[Finding]:
    """The key-longest findings of a bank."""
    return [f for f in lint_banks([b], CLAUSES) if f.rule == "key-longest"]


def test_a_key_that_is_often_the_longest_option_is_a_warning_with_the_figures():
    [finding] = key_longest(longest_key_bank(6))
    assert finding.severity == "warning" and finding.question_id is None
    assert render(finding.message) == (
        "the key is the longest option in 6 of 10 single-choice items (60%), where chance is "
        "about 25%; candidates learn to pick the longest option, so make distractors as long "
        "and specific as the key"
    )


def test_a_key_that_is_the_longest_option_most_of_the_time_is_an_error():
    [finding] = key_longest(longest_key_bank(7))
    assert finding.severity == "error"
    assert "7 of 10 single-choice items (70%)" in render(finding.message)


def test_chance_follows_the_number_of_options():
    # Five three-option and five four-option items: chance (5/3 + 5/4) / 10 = 29%.
    [finding] = key_longest(longest_key_bank(6, three_options=5))
    assert "6 of 10 single-choice items (60%), where chance is about 29%" in render(finding.message)
    assert key_longest(longest_key_bank(6, three_options=10)) == []  # 60% is under 2 × 33%


def test_key_longest_stays_quiet_up_to_twice_chance_and_in_small_banks():
    assert key_longest(longest_key_bank(5)) == []  # 50% is exactly twice chance
    assert key_longest(longest_key_bank(4)) == []
    assert key_longest(longest_key_bank(9, total=9)) == []


def test_a_key_tied_for_longest_does_not_count_as_longest():
    tied = bank(
        *[
            item(f"q{n}", stem=f"Question {n}?", texts=["Same size", "Same size", "Shorter"])
            for n in range(10)
        ]
    )
    assert key_longest(tied) == []


def position_bank(*counts: int) -> BankRecord:
    """Four-option items with the key counts[p] times at position p."""
    keys = [p for p, count in enumerate(counts) for _ in range(count)]
    return bank(*[item(f"q{n}", stem=f"Question number {n}?", key=k) for n, k in enumerate(keys)])


def key_position(b: BankRecord) -> list[Finding]:
    """The key-position findings of a bank."""
    return [f for f in lint_banks([b], CLAUSES) if f.rule == "key-position"]


def test_keys_crowding_one_position_are_a_warning_with_counts_and_chi_square():
    [finding] = key_position(position_bank(9, 5, 4, 2))
    assert finding.severity == "warning"
    assert render(finding.message) == (
        "the keys of the 20 four-option single-choice items are unevenly placed: "
        "A 9 (45%), B 5 (25%), C 4 (20%), D 2 (10%) (chi-square 5.2); put the key in each "
        "position about a quarter of the time"
    )


def test_a_position_that_almost_never_holds_the_key_is_a_warning():
    [finding] = key_position(position_bank(6, 6, 7, 1))
    assert "D 1 (5%)" in render(finding.message)


def test_key_position_accepts_shares_between_10_and_40_percent_and_needs_20_items():
    assert key_position(position_bank(5, 5, 5, 5)) == []
    assert key_position(position_bank(8, 6, 4, 2)) == []
    assert key_position(position_bank(19, 0, 0, 0)) == []


def test_all_or_none_of_the_above_and_both_a_and_b_are_errors():
    for phrase in ("All of the above", "none of the above", "Both A and B", "both (a) and (c)"):
        flawed = item(texts=[*TEXTS[:3], phrase])
        assert hits(flawed, rule="all-none-above") == [("error", "all-none-above")], phrase
    [message] = messages(item(texts=[*TEXTS[:3], "All of the above"]), rule="all-none-above")
    assert message.startswith('option d says "All of the above"')


def test_ordinary_uses_of_above_and_both_are_fine():
    fine = [
        "Above all, log the call and give it a priority",
        "Tell both internal and external teams",
    ]
    assert hits(item(texts=[*TEXTS[:2], *fine]), rule="all-none-above") == []


def negative(stem: str, kind: str = "single_choice") -> list[tuple[str, str]]:
    """The negative-stem findings of an item with this stem."""
    q = item(stem=stem)
    q.type = kind
    return hits(q, rule="negative-stem")


def test_a_negative_word_in_the_question_without_emphasis_is_a_warning():
    flagged = ("warning", "negative-stem")
    assert negative("Which of these is NOT part of incident management?") == [flagged]
    assert negative("Which record is not required by the standard?") == [flagged]
    assert negative("Which activity cannot be delegated by top management?") == [flagged]
    assert negative("Which control is LEAST effective? Choose one.") == [flagged]
    assert negative("Top management may NOT delegate this.", "true_false") == [flagged]


def test_the_message_suggests_bold_capitals():
    [message] = messages(item(stem="Which record is not required?"), rule="negative-stem")
    assert "(**NOT**)" in message


def test_emphasised_negatives_are_fine():
    for form in ("**NOT**", "*NOT*", "__NOT__", "<strong>NOT</strong>", "**not**"):
        assert negative(f"Which of these is {form} part of incident management?") == [], form


def test_negatives_outside_the_asking_clause_are_fine():
    assert negative("The change was not approved. What should the auditor record?") == []
    assert negative("If the review is not held, which clause applies?") == []
    assert (
        negative(
            "Which principle asks auditors to stay impartial, for example by not auditing "
            "their own work?"
        )
        == []
    )
    assert negative("Which TWO records must be kept for at least a year?") == []
    assert negative("Top management may not delegate its accountability.", "true_false") == []


CLUE_STEM = "Which plan sets the restore tests for payroll backups?"
CLUE_TEXTS = [
    "The continuity plan, which schedules regular backup restore trials",
    "The capacity plan, which forecasts storage growth for the next year",
    "The release plan, which lists the deployments for the coming quarter",
    "The budget plan, which sets the spending for each line of service",
]


def test_a_question_word_repeated_only_by_the_key_is_a_clue():
    assert messages(item(stem=CLUE_STEM, texts=CLUE_TEXTS), rule="key-word-clue") == [
        'only the key repeats "restore", "backups" from the question, which points a guesser '
        "at it; use the word in a distractor too, or reword the key"
    ]


def test_no_clue_when_a_distractor_shares_the_word_or_the_word_is_common():
    shared = [*CLUE_TEXTS[:3], "The backup plan, which restores the payroll data each week"]
    assert hits(item(stem=CLUE_STEM, texts=shared), rule="key-word-clue") == []
    common = "Which service management process should handle it?"
    texts = ["The incident management process of the service", *TEXTS[1:]]
    assert hits(item(stem=common, texts=texts), rule="key-word-clue") == []


def test_words_of_the_case_description_or_other_item_types_are_not_clues():
    case = "The payroll backups were never restored. Which plan should change?"
    assert hits(item(stem=case, texts=CLUE_TEXTS), rule="key-word-clue") == []
    multiple = item(stem=CLUE_STEM, texts=CLUE_TEXTS)
    multiple.type = "multiple_response"
    assert hits(multiple, rule="key-word-clue") == []


def test_a_distractor_far_shorter_than_the_key_is_a_warning():
    texts = [TEXTS[0], "Ignore it", *TEXTS[2:]]
    assert messages(item(texts=texts), rule="short-distractor") == [
        f"option b has 9 characters against the key's {len(TEXTS[0])}; a much shorter option "
        "is easy to rule out"
    ]


def test_a_two_word_distractor_among_long_options_is_a_warning():
    texts = ["Record it and assign a priority now", "Escalate immediately", *TEXTS[1:3]]
    assert messages(item(texts=texts), rule="short-distractor") == [
        "option b has 2 words while the other options average 9; a much shorter option is "
        "easy to rule out"
    ]


def test_short_options_are_fine_when_all_options_are_short():
    parts = ["ISO/IEC 20000-2", "ISO/IEC 20000-6", "ISO/IEC 20000-10", "ISO/IEC 20000-11"]
    assert hits(item(texts=parts), rule="short-distractor") == []


def scenario_item(stem: str) -> QuestionRecord:
    """An item on the cloud scenario."""
    return item(stem=stem, scenario="sc-cloud")


def test_a_scenario_item_that_never_refers_to_the_case_is_a_warning():
    [message] = messages(
        scenario_item("Which process should record complaints?"), rule="scenario-unused"
    )
    assert message.startswith("the stem does not refer to scenario sc-cloud")
    # "Power" only starts a sentence of the case, so it names nothing.
    assert hits(scenario_item("Which power supply record is needed?"), rule="scenario-unused") == [
        ("warning", "scenario-unused")
    ]


def test_a_scenario_item_may_refer_to_the_case_in_several_ways():
    for stem in (
        "In the scenario, which process should record complaints?",
        "In this case, which process should record complaints?",
        "Which process should Stratavault use to record complaints?",
        "What should FerroHost's contract add?",
        "What should Ines Kovač report to the board?",
        "What should stratavault cloud (iaas provider) change?",
    ):
        assert hits(scenario_item(stem), rule="scenario-unused") == [], stem
    assert hits(item(stem="Which process should record complaints?"), rule="scenario-unused") == []


def test_foundation_single_choice_items_need_four_options():
    five = [*TEXTS, "Close the call once the user has restarted the application"]
    assert messages(item(texts=five), rule="choice-count") == [
        "it has 5 options; foundation single-choice items have four"
    ]
    assert hits(item(texts=five, level="practitioner"), rule="choice-count") == []
    multiple = item(texts=five)
    multiple.type = "multiple_response"
    assert hits(multiple, rule="choice-count") == []


ABSOLUTE_TEXTS = [
    "Log the call, then give it a category and a priority",
    "Only raise a request for change, so that developers can repair it",
    "ALWAYS ask the supplier for a root-cause analysis before acting",
    "Never act until every affected user has reported the same fault",
]


def absolute(q: QuestionRecord) -> list[tuple[str, str]]:
    """The absolute-distractors findings of an item."""
    return hits(q, rule="absolute-distractors")


def test_distractors_that_all_speak_in_absolutes_beside_a_plain_key_are_a_warning():
    assert absolute(item(texts=ABSOLUTE_TEXTS)) == [("warning", "absolute-distractors")]
    [message] = messages(item(texts=ABSOLUTE_TEXTS), rule="absolute-distractors")
    assert message.startswith(
        'every wrong option uses an absolute word ("always", "every", "never", "only") '
        "and the key (a) uses none"
    )


def test_multiple_response_items_are_flagged_when_no_correct_option_is_absolute():
    texts = [*ABSOLUTE_TEXTS, "Tell the user when the service will be back"]
    q = QuestionRecord(
        id="q1",
        type="multiple_response",
        stem="Which TWO actions should the desk take first?",
        clauses=["8.6.1"],
        explanation=EXPLANATION,
        options=[OptionRecord(chr(97 + n), t, n in (0, 4)) for n, t in enumerate(texts)],
    )
    assert absolute(q) == [("warning", "absolute-distractors")]
    assert "the key (a, e) uses none" in messages(q, rule="absolute-distractors")[0]
    q.options[4] = OptionRecord("e", "Tell all users when the service will be back", True)
    assert absolute(q) == []


def test_no_absolute_cue_when_the_key_is_absolute_or_a_distractor_is_plain():
    firm_key = ["Always log the call and give it a priority", *ABSOLUTE_TEXTS[1:]]
    assert absolute(item(texts=firm_key)) == []
    one_plain = [*ABSOLUTE_TEXTS[:3], TEXTS[3]]
    assert absolute(item(texts=one_plain)) == []


def test_absolute_words_count_only_as_whole_words_and_only_in_choice_items():
    inside = [
        TEXTS[0],
        "Allocate the call to the developers for repair",
        "Ask everyone on the team for a root-cause analysis",
        "Wait, nonetheless, for several users to report it",
    ]
    assert absolute(item(texts=inside)) == []
    other = item(texts=ABSOLUTE_TEXTS)
    other.type = "ordering"
    assert absolute(other) == []


def test_findings_read_as_located_lines_and_come_in_bank_and_question_order():
    first = item("q1", explanation="", location=Location("banks/b.yaml", line=12))
    second = item(
        "q2", stem="Which record is not kept?", location=Location("banks/b.yaml", line=30)
    )
    keyed = [item(f"k{n}", stem=f"Question {n}?", key=0) for n in range(20)]
    found = lint_banks([bank(first, second, *keyed)], CLAUSES)
    assert [(f.rule, f.question_id) for f in found] == [
        ("key-position", None),
        # the same three distractors in 22 items: their phrases are recurring cues
        *[("recurring-distractor", None)] * 4,
        ("explanation-missing", "q1"),
        ("negative-stem", "q2"),
    ]
    assert render_finding(found[0]).startswith(
        "banks/b.yaml: warning [key-position] bank b: the keys"
    )
    assert render_finding(found[5]) == (
        "banks/b.yaml:12: error [explanation-missing] q1: there is no explanation; say why the "
        "key is right and the distractors wrong"
    )


def test_a_finding_without_location_names_its_bank():
    finding = Finding("warning", "key-position", None, "auditor", None, "keys are uneven")
    assert (
        render_finding(finding) == "auditor: warning [key-position] bank auditor: keys are uneven"
    )


def test_summary_counts_findings_by_severity():
    found = lint_banks(
        [bank(item("q1", explanation=""), item("q2", stem="Which is NOT kept?"))], CLAUSES
    )
    assert summary(found) == {"error": 1, "warning": 1}
    assert summary([]) == {"error": 0, "warning": 0}
