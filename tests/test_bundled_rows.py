"""The `reference` and `banks` fixtures restore exactly the rows the real services wrote."""

from app.models import Bank, Clause, Question
from tests.conftest import BundledRows, _copy_rows


def _written_out(rows) -> list[str]:
    """Each row written out with sorted columns, sorted: tables compare in any order."""
    return sorted(repr(sorted(row.items())) for row in rows)


def test_the_banks_fixture_gives_the_rows_of_a_real_import(banks, bundled_rows: BundledRows):
    written = {**bundled_rows.reference}
    for name, rows in bundled_rows.banks.items():
        written[name] = written.get(name, ()) + rows
    restored = _copy_rows()
    assert restored.keys() == written.keys()
    for name in written:
        assert len(restored[name]) == len(written[name]), name
        assert _written_out(restored[name]) == _written_out(written[name]), name
    assert Bank.query.count() == 3 and Question.query.count() >= 400


def test_restored_rows_are_numbered_after_rows_a_test_wrote_first(
    make_user, banks, bundled_rows: BundledRows
):
    """The fixtures insert new rows: a user made before them keeps its id, and every
    question of the restored banks points at a clause and a version that exist."""
    user = make_user()
    assert user.id is not None
    questions = Question.query.all()
    assert all(q.current_version_id == q.live_version_id for q in questions)
    assert all(q.current_version.question_id == q.id for q in questions)
    clause_ids = {c.id for c in Clause.query.all()}
    assert all(c.parent_id in clause_ids for c in Clause.query.all() if c.parent_id)
