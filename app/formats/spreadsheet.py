"""Spreadsheet banks (CSV and XLSX) and the blank templates trainers start from.

Both formats share one row model (app.formats.sheet_model and sheet_read); the
columns are documented in docs/formats/spreadsheet.md.
"""

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
from app.formats.csv_format import read_csv, write_csv
from app.formats.xlsx_format import read_xlsx, write_xlsx

__all__ = ["read_csv", "read_xlsx", "template_bank", "template_csv", "template_xlsx"]
__all__ += ["write_csv", "write_xlsx"]


def template_csv() -> bytes:
    """A CSV with the header row and one example row per question type."""
    return write_csv(template_bank()).data


def template_xlsx() -> bytes:
    """An .xlsx workbook with the header row and one example row per question type."""
    return write_xlsx(template_bank()).data


def template_bank() -> BankRecord:
    """A small example bank: one scenario and one question of every type."""
    return BankRecord(
        id="my-bank",
        title="My question bank",
        licence="CC-BY-SA-4.0",
        description="Replace the example rows with your own questions.",
        scenarios=[
            ScenarioRecord(
                "sc-northwind",
                "Northwind Travel",
                "Northwind Travel runs an online booking service with a team of six.\n"
                "Outages are fixed by whoever is on call, and nothing is written down.",
            )
        ],
        questions=[*_choice_examples(), *_structured_examples(), *_text_examples()],
    )


def _choice_examples() -> list[QuestionRecord]:
    """Single choice, multiple response and true/false examples."""
    single = [
        OptionRecord("a", "Incident management", True, "Right: it restores service first."),
        OptionRecord("b", "Problem management", False, "It looks for causes, later."),
        OptionRecord("c", "Capacity management"),
        OptionRecord("d", "Supplier management"),
    ]
    multi = [
        OptionRecord("a", "Assess the risk of the proposed change", True),
        OptionRecord("b", "Decide whether to approve the change", True),
        OptionRecord("c", "Restore a failed service as fast as possible"),
        OptionRecord("d", "Agree service level targets with customers"),
    ]
    return [
        QuestionRecord(
            id="ex-single-01",
            type="single_choice",
            stem="Northwind's booking site stopped answering this morning. "
            "Which process deals with it first?",
            clauses=["8.6.1"],
            difficulty=1,
            scenario="sc-northwind",
            options=single,
            explanation="Restoring the service is incident management (8.6.1); "
            "finding the cause comes later under problem management (8.6.3).",
        ),
        QuestionRecord(
            id="ex-multi-01",
            type="multiple_response",
            stem="Which TWO activities belong to change management?",
            clauses=["8.5.1"],
            options=multi,
            explanation="Assessing and approving changes is change management (8.5.1); "
            "restoring service is incident management and targets belong to 8.3.3.",
        ),
        QuestionRecord(
            id="ex-tf-01",
            type="true_false",
            stem="A change should be assessed before it is approved.",
            clauses=["8.5.1"],
            difficulty=1,
            answer=True,
            feedback_true="Yes: assessment informs the decision.",
            feedback_false="Approval without assessment is a guess.",
            explanation="Change management (8.5.1) assesses a change before deciding on it.",
        ),
    ]


def _structured_examples() -> list[QuestionRecord]:
    """Matching and ordering examples."""
    return [
        QuestionRecord(
            id="ex-match-01",
            type="matching",
            stem="Match each situation to the process that handles it.",
            clauses=["8.6.1", "8.6.2", "8.6.3"],
            pairs=[
                PairRecord("p1", "A user cannot log in", "Incident management"),
                PairRecord("p2", "The same fault keeps returning", "Problem management"),
                PairRecord("p3", "A new starter needs an account", "Service request management"),
            ],
            extra_matches=["Capacity management"],
            explanation="Interruptions are incidents, recurring faults are problems, and "
            "routine requests are service requests; capacity fits none of them.",
        ),
        QuestionRecord(
            id="ex-order-01",
            type="ordering",
            stem="Put the handling of a change in order.",
            clauses=["8.5.1"],
            difficulty=2,
            steps=[
                StepRecord("s1", "Record the request for change"),
                StepRecord("s2", "Assess the change"),
                StepRecord("s3", "Approve the change"),
                StepRecord("s4", "Deploy the change"),
                StepRecord("s5", "Review the change"),
            ],
            explanation="A change is recorded, assessed and approved before it is "
            "deployed, and reviewed afterwards.",
        ),
    ]


def _text_examples() -> list[QuestionRecord]:
    """Short answer and essay examples."""
    return [
        QuestionRecord(
            id="ex-short-01",
            type="short_answer",
            stem="Which process looks for the root cause of recurring incidents? (two words)",
            clauses=["8.6.3"],
            answers=["problem management"],
            explanation="Problem management (8.6.3) analyses causes so that incidents stop "
            "coming back.",
        ),
        QuestionRecord(
            id="ex-essay-01",
            type="essay",
            stem="Describe two ways Northwind's managers could show commitment to the "
            "service management system.",
            level="practitioner",
            clauses=["5.1"],
            difficulty=3,
            marks=4.0,
            scenario="sc-northwind",
            rubric=[
                RubricCriterion("First way", 2.0, "A concrete, visible action, explained"),
                RubricCriterion("Second way", 2.0, "A different action, explained"),
            ],
            model_answer="They could approve the resources the on-call team needs, and "
            "chair regular reviews of how the services perform.",
            explanation="Leadership (5.1) is shown by actions such as providing "
            "resources and taking part in reviews.",
        ),
    ]
