"""A small bank with one question of every type, for format round-trip tests."""

from __future__ import annotations

from app.domain.records import (
    BankRecord,
    OptionRecord,
    PairRecord,
    QuestionRecord,
    RubricCriterion,
    ScenarioRecord,
    StepRecord,
)


def every_type_bank() -> BankRecord:
    """One bank holding a question of every supported type, with feedback and tags."""
    opts = [
        OptionRecord("a", "Record, classify and prioritise it", True, "Yes: 8.6.1."),
        OptionRecord("b", "Raise a change request at once", False, "Not yet."),
        OptionRecord("c", "Close it after a workaround", False, ""),
        OptionRecord("d", "Send it to the supplier unrecorded", False, "No record."),
    ]
    multi = [
        OptionRecord("a", "Scope statement", True),
        OptionRecord("b", "Service management policy", True),
        OptionRecord("c", "Staff canteen menu", False),
        OptionRecord("d", "Vendor marketing brochure", False),
    ]
    questions = [
        QuestionRecord(
            id="q-single",
            type="single_choice",
            stem="What happens **first** to a new incident?",
            level="foundation",
            clauses=["8.6.1"],
            difficulty=1,
            title="Incident first step",
            explanation="Clause 8.6.1 expects incidents to be recorded and classified first.",
            tags=["incidents"],
            options=opts,
        ),
        QuestionRecord(
            id="q-multi",
            type="multiple_response",
            stem="Which TWO are documented information of the SMS?",
            level="foundation",
            clauses=["7.5.4", "4.3"],
            difficulty=2,
            explanation="Clause 7.5.4 lists the scope and the policy among SMS documents.",
            options=multi,
        ),
        QuestionRecord(
            id="q-tf",
            type="true_false",
            stem="Top management may delegate its accountability for the SMS.",
            level="foundation",
            clauses=["5.1"],
            answer=False,
            feedback_true="Accountability stays with top management.",
            feedback_false="Right: accountability cannot be delegated.",
            explanation="Clause 5.1 keeps accountability for the SMS with top management.",
        ),
        QuestionRecord(
            id="q-match",
            type="matching",
            stem="Match each activity to its clause.",
            level="practitioner",
            clauses=["8.6"],
            difficulty=2,
            explanation="Incidents are 8.6.1, requests 8.6.2 and problems 8.6.3.",
            pairs=[
                PairRecord("p1", "Restore service quickly", "Incident management"),
                PairRecord("p2", "Find the root cause", "Problem management"),
                PairRecord("p3", "Fulfil a password reset", "Service request management"),
            ],
            scenario="sc-desk",
        ),
        QuestionRecord(
            id="q-order",
            type="ordering",
            stem="Put the change activities in order.",
            level="practitioner",
            clauses=["8.5.1.3"],
            difficulty=3,
            explanation="Clause 8.5.1.3: assess, approve, deploy, then review the change.",
            steps=[
                StepRecord("s1", "Assess the request"),
                StepRecord("s2", "Approve the change"),
                StepRecord("s3", "Deploy the change"),
                StepRecord("s4", "Review the change"),
            ],
            scenario="sc-desk",
        ),
        QuestionRecord(
            id="q-short",
            type="short_answer",
            stem="Which clause number covers problem management?",
            level="foundation",
            clauses=["8.6.3"],
            answers=["8.6.3", "clause 8.6.3"],
            explanation="Problem management sits in clause 8.6.3 of the 2018 edition.",
        ),
        QuestionRecord(
            id="q-essay",
            type="essay",
            stem="Write a nonconformity statement for the finding described.",
            level="auditor",
            clauses=["10.1"],
            difficulty=3,
            marks=4.0,
            explanation="A statement names the requirement, the evidence and the finding.",
            rubric=[
                RubricCriterion("Requirement", 1.0, "Names clause 10.1"),
                RubricCriterion("Evidence", 2.0, "Cites what was seen"),
                RubricCriterion("Finding", 1.0, "States the gap"),
            ],
            model_answer="Clause 10.1 requires ... Evidence: ... Finding: ...",
        ),
    ]
    return BankRecord(
        id="sample",
        title="Sample bank",
        language="en",
        licence="CC-BY-SA-4.0",
        edition="2018",
        description="Every type once.",
        scenarios=[ScenarioRecord("sc-desk", "A service desk", "A desk with **30** agents.")],
        questions=questions,
    )


def _chinese(value):
    """A stand-in translation of source texts: each text marked as translated."""
    if isinstance(value, str):
        return f"译：{value}"
    if isinstance(value, dict):
        return {k: _chinese(v) for k, v in value.items()}
    return [_chinese(v) for v in value]


def translate(q, language: str = "zh-Hans"):
    """A current translation of a question (or, given a ScenarioRecord, a case text)."""
    from app.domain import translation
    from app.domain.records import TranslationRecord

    if isinstance(q, ScenarioRecord):
        texts, made_from = translation.scenario_texts(q), translation.scenario_hash(q)
    else:
        texts, made_from = translation.source_texts(q), translation.source_hash(q)
    return TranslationRecord(language, "en", made_from, _chinese(texts))


def translated_bank() -> BankRecord:
    """The every-type bank with combined feedback and hints, every item and the case text
    translated into zh-Hans."""
    from app.domain.records import HintRecord

    bank = every_type_bank()
    single = bank.questions[0]
    single.correct_feedback, single.incorrect_feedback = "Well done.", "Look at 8.6.1 again."
    single.hints = [HintRecord("Think of the record.", show_num_correct=True)]
    for item in [*bank.questions, *bank.scenarios]:
        item.translations = {"zh-Hans": translate(item)}
    return bank


def classification_question() -> QuestionRecord:
    """A classification item (a plug-in type whose own fields are in `data`)."""
    return QuestionRecord(
        id="q-class",
        type="classification",
        stem="Sort each record into its process.",
        level="foundation",
        clauses=["8.6"],
        explanation="Outages are incidents; a laptop for a new starter is a request.",
        data={
            "categories": [
                {"id": "inc", "text": "Incident"},
                {"id": "req", "text": "Service request"},
            ],
            "items": [
                {"id": "i1", "text": "The printer on floor 2 is down", "category": "inc"},
                {"id": "i2", "text": "A new starter needs a laptop", "category": "req"},
                {"id": "i3", "text": "Users cannot log in", "category": "inc"},
            ],
        },
    )


def translated_classification() -> QuestionRecord:
    """The classification item with a current zh-Hans translation of all its texts."""
    q = classification_question()
    q.translations = {"zh-Hans": translate(q)}
    return q
