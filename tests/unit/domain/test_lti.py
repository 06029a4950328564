"""What LTI links open (their custom parameters) and what LTI roles give."""

import pytest

from app.domain.lti import (
    Activity,
    ActivityError,
    course_standing,
    from_custom,
    make_activity,
    to_custom,
)

MEMBERSHIP = "http://purl.imsglobal.org/vocab/lis/v2/membership"
INSTITUTION = "http://purl.imsglobal.org/vocab/lis/v2/institution/person"


@pytest.mark.parametrize(
    "activity",
    [
        Activity("mock", "foundation"),
        Activity("drill", "auditor", ("8.5", "8.6.1"), 12),
        Activity("practice", "practitioner", (), 20),
    ],
)
def test_an_activity_travels_through_custom_parameters_unchanged(activity):
    custom = to_custom(activity)
    assert all(isinstance(v, str) for v in custom.values())
    assert from_custom(custom) == activity


def test_a_link_without_our_parameters_names_no_activity():
    assert from_custom({}) is None
    assert from_custom({"course_code": "ITSM101"}) is None


@pytest.mark.parametrize(
    ("custom", "code"),
    [
        ({"clausewise_activity": "quiz", "clausewise_scheme": "foundation"}, "lti.activity_kind"),
        ({"clausewise_activity": "mock", "clausewise_scheme": "a b"}, "lti.activity_scheme"),
        ({"clausewise_activity": "drill", "clausewise_scheme": "f"}, "lti.activity_no_clauses"),
        (
            {"clausewise_activity": "drill", "clausewise_scheme": "f", "clausewise_clauses": "8.x"},
            "lti.activity_clauses",
        ),
        (
            {"clausewise_activity": "practice", "clausewise_scheme": "f", "clausewise_count": "0"},
            "lti.activity_count",
        ),
        (
            {"clausewise_activity": "practice", "clausewise_scheme": "f", "clausewise_count": "٣"},
            "lti.activity_count",
        ),
    ],
)
def test_malformed_parameters_say_what_is_wrong(custom, code):
    with pytest.raises(ActivityError) as raised:
        from_custom(custom)
    assert raised.value.message.code == code


def test_a_mock_ignores_clauses_and_counts():
    assert make_activity("mock", "foundation", ["8.5"], 7) == Activity("mock", "foundation")


def test_practice_and_drills_take_a_default_size():
    assert make_activity("practice", "f", [], None).count == 20
    assert make_activity("drill", "f", ["8.5", " 8.5 ", ""], None) == Activity(
        "drill", "f", ("8.5",), 10
    )


@pytest.mark.parametrize(
    ("roles", "standing"),
    [
        ([f"{MEMBERSHIP}#Learner"], {"learner"}),
        ([f"{MEMBERSHIP}#Instructor"], {"instructor"}),
        ([f"{MEMBERSHIP}/Instructor#TeachingAssistant"], {"instructor"}),
        ([f"{MEMBERSHIP}#ContentDeveloper"], {"instructor"}),
        (["Learner"], {"learner"}),  # the deprecated short form
        ([f"{MEMBERSHIP}#Mentor"], set()),
        (["http://purl.imsglobal.org/vocab/lis/v2/system/person#Administrator"], {"admin"}),
        ([f"{INSTITUTION}#Instructor"], {"instructor"}),  # no context role: the institution's
        ([f"{MEMBERSHIP}#Learner", f"{INSTITUTION}#Faculty"], {"learner"}),
        ([], set()),
    ],
)
def test_lti_roles_give_a_standing_in_the_course(roles, standing):
    assert course_standing(roles) == standing
