"""Bank-level lint rules: cues a candidate learns across many items, not in one."""

from __future__ import annotations

from app.domain.lint import lint_banks
from app.domain.records import BankRecord, QuestionRecord, ScenarioRecord
from app.messages import render
from tests.unit.domain.test_lint import CLAUSES, EXPLANATION, item

ABSOLUTE = [
    "The service catalogue must always list every service in the scope of the SMS.",
    "Only top management may approve the service management policy.",
    "Every incident must be resolved within its target time.",
    "Changes may only be deployed after a post-implementation review.",
]
PLAIN = [
    "The organization keeps records of incidents and their resolution.",
    "A service level agreement can cover more than one service.",
    "Internal audits are carried out at planned intervals.",
    "The capacity plan is reviewed when demand changes.",
    "Configuration items are identified and recorded.",
    "A problem record is raised for the root cause of recurring incidents.",
]


def tf(qid: str, stem: str, answer: bool) -> QuestionRecord:
    """A true/false item with a sound explanation."""
    return QuestionRecord(
        id=qid, type="true_false", stem=stem, answer=answer, clauses=["8.6.1"],
        explanation=EXPLANATION,
    )  # fmt: skip


def rules(bank: BankRecord, rule: str) -> list[str]:
    """The rendered messages of one rule's findings on a bank."""
    return [render(f.message) for f in lint_banks([bank], CLAUSES) if f.rule == rule]


def test_true_false_where_absolute_means_false_is_flagged_with_its_score():
    items = [tf(f"a{n}", s, False) for n, s in enumerate(ABSOLUTE)]
    items += [tf(f"p{n}", s, n != 0) for n, s in enumerate(PLAIN)]
    found = rules(BankRecord(id="b", title="B", questions=items), "tf-absolute")
    assert len(found) == 1
    assert "4 of the 4 statements with an absolute word" in found[0]
    assert '"absolute means false" scores 9 of 10' in found[0]


def test_true_false_with_absolute_words_in_true_and_false_statements_passes():
    items = [tf(f"a{n}", s, n % 2 == 0) for n, s in enumerate(ABSOLUTE)]
    items += [tf(f"p{n}", s, n % 2 == 1) for n, s in enumerate(PLAIN)]
    assert rules(BankRecord(id="b", title="B", questions=items), "tf-absolute") == []


def test_the_reverse_cue_absolute_means_true_is_flagged_too():
    items = [tf(f"a{n}", s, True) for n, s in enumerate(ABSOLUTE)]
    items += [tf(f"p{n}", s, False) for n, s in enumerate(PLAIN)]
    found = rules(BankRecord(id="b", title="B", questions=items), "tf-absolute")
    assert len(found) == 1 and '"absolute means true" scores 10 of 10' in found[0]


FILLER = [
    "amber",
    "basalt",
    "cedar",
    "delta",
    "ember",
    "fjord",
    "garnet",
    "harbor",
    "indigo",
    "juniper",
    "kelp",
    "lagoon",
    "marble",
    "nectar",
    "onyx",
    "pebble",
    "quartz",
    "raven",
    "saffron",
    "tundra",
    "umber",
    "velvet",
    "willow",
    "xenon",
    "yarrow",
    "zephyr",
    "acorn",
    "birch",
    "cobalt",
    "dune",
]


def _choice(n: int, distractor: str, key_text: str = "Record the incident and classify it"):
    """A choice item whose two other distractors share no word with any other item's."""
    others = [f"{FILLER[2 * n]} {FILLER[2 * n + 1]}", f"{FILLER[-n - 1]} {FILLER[n]}"]
    texts = [key_text, distractor, *others]
    return item(f"c{n}", texts=texts, stem=f"A question about topic {n} of incident handling?")


def test_a_phrase_in_many_wrong_options_and_no_key_is_flagged_once():
    throwaway = "Ask the certification body to decide"
    items = [_choice(n, throwaway) for n in range(10)]
    found = rules(BankRecord(id="b", title="B", questions=items), "recurring-distractor")
    assert len(found) == 1, found
    assert '"certification body" is in a wrong option of 10 items and in the key of 0' in found[0]


def test_a_phrase_that_is_as_often_the_key_is_not_a_cue():
    items = [_choice(n, "Ask the certification body to decide") for n in range(10)]
    items += [
        _choice(
            n - 10,
            "Record the incident and classify it",
            key_text="Ask the certification body to decide",
        )
        for n in range(10, 20)
    ]
    assert rules(BankRecord(id="b", title="B", questions=items), "recurring-distractor") == []


def test_a_bank_where_many_stems_name_a_clause_is_flagged_with_the_share():
    named = [item(f"n{n}", stem=f"What does clause 8.{n % 9 + 1} require first?") for n in range(5)]
    plain = [item(f"p{n}", stem=f"Which action comes first for case {n}?") for n in range(11)]
    found = rules(BankRecord(id="b", title="B", questions=named + plain), "clause-stems")
    assert found == [
        "5 of 16 stems (31%) name a clause number; name one in at most 25% of stems, so "
        "that items test the requirement rather than its numbering"
    ]
    fewer = named[:3] + plain
    assert rules(BankRecord(id="b", title="B", questions=fewer), "clause-stems") == []


CASE = ScenarioRecord(
    "sc-port",
    "Harbour logistics",
    "Harbour Logistics runs a service desk for forty depots. Last March the desk logged "
    "three hundred incidents about the tracking portal, and the problem manager, Ade Bello, "
    "opened one problem record for the slow database queries behind them.",
)


def test_a_scenario_item_that_copies_the_case_is_flagged_and_one_that_points_at_it_is_not():
    copying = item(
        "s1",
        scenario="sc-port",
        stem="In the scenario the desk logged three hundred incidents about the tracking portal "
        "and the problem manager opened one problem record. What should happen next?",
    )
    pointing = item(
        "s2",
        scenario="sc-port",
        stem="In the scenario, what should Ade Bello do next with the record he opened?",
    )
    bank = BankRecord(id="b", title="B", scenarios=[CASE], questions=[copying, pointing])
    found = [f for f in lint_banks([bank], CLAUSES) if f.rule == "scenario-restates"]
    assert [f.question_id for f in found] == ["s1"]
    assert "of the stem is copied from scenario sc-port" in render(found[0].message)


def test_bank_rules_carry_no_question_and_the_bank_file():
    items = [_choice(n, "Ask the certification body to decide") for n in range(10)]
    found = [
        f
        for f in lint_banks([BankRecord(id="b", title="B", questions=items)], CLAUSES)
        if f.rule == "recurring-distractor"
    ]
    assert found and found[0].question_id is None and found[0].bank_id == "b"


def test_a_key_alone_in_its_form_is_flagged_and_a_shared_form_is_not():
    texts = [
        "Minor nonconformity: the lapse is isolated in a process that works",
        "Major nonconformity, because any late approval shows a breakdown",
        "Opportunity for improvement, because the approval came in the end",
        "No finding, because one exception in 25 is within tolerance",
    ]
    bank = BankRecord(id="b", title="B", questions=[item("k1", texts=texts)])
    found = rules(bank, "key-form")
    assert found == [
        'the key (a) is the only option written with ":", so its form gives it away; '
        "write every option in the same form"
    ]
    shared = [texts[0], *(t.replace(", because", ":") for t in texts[1:])]
    assert (
        rules(BankRecord(id="b", title="B", questions=[item("k2", texts=shared)]), "key-form") == []
    )
