"""The command line: accounts, reference data and the idempotent set-up."""

from app.models import Clause, ClauseMapping, Role, Scheme, User
from app.services import users


def test_users_create_reads_the_password_from_stdin(app):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "cli@example.org",
            "--name",
            "Cli Person",
            "--role",
            "trainer",
            "--role",
            "learner",
            "--password-stdin",
        ],
        input="a-piped-secret-77\n",
    )
    assert result.exit_code == 0, result.output
    assert users.authenticate("cli@example.org", "a-piped-secret-77").roles == {
        Role.TRAINER,
        Role.LEARNER,
    }


def test_users_create_refuses_a_weak_password_and_writes_nothing(app):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["users", "create", "--email", "w@example.org", "--name", "W", "--role", "learner"],
        input="weak\n",
    )
    assert result.exit_code != 0
    assert "at least 10 characters" in result.output
    assert users.find_by_email("w@example.org") is None


def test_users_list_shows_roles_and_state(app, make_user):
    make_user(role=Role.MANAGER, email="boss@example.org")
    result = app.test_cli_runner().invoke(args=["users", "list"])
    assert "boss@example.org" in result.output and "manager" in result.output


def test_setup_is_safe_to_run_twice(app, tmp_path):
    app.instance_path = str(tmp_path)
    runner = app.test_cli_runner()
    first = runner.invoke(args=["setup"])
    assert first.exit_code == 0, first.output
    assert "shown once" in first.output
    counts = (
        User.query.count(),
        Clause.query.count(),
        ClauseMapping.query.count(),
        Scheme.query.count(),
    )
    second = runner.invoke(args=["setup"])
    assert second.exit_code == 0, second.output
    assert "already exist" in second.output
    assert counts == (
        User.query.count(),
        Clause.query.count(),
        ClauseMapping.query.count(),
        Scheme.query.count(),
    )
    assert counts[0] == 4 and counts[1] > 100 and counts[3] == 3
    assert "Bank foundation:" in first.output and "same" in second.output
    assert (tmp_path / "demo-accounts.txt").read_text().count("@clausewise.test") == 4


def test_banks_cli_imports_exports_and_refuses_bad_files(app, tmp_path):
    from app.services.reference import load_reference_data
    from tests.services.test_bank_import import BANK, ROOT

    load_reference_data(ROOT)
    runner = app.test_cli_runner()
    source = tmp_path / "demo.yaml"
    source.write_text(BANK)
    dry = runner.invoke(args=["banks", "import", str(source), "--dry-run"])
    assert dry.exit_code == 0 and "Dry run" in dry.output
    done = runner.invoke(args=["banks", "import", str(source), "--publish"])
    assert done.exit_code == 0 and "2 new" in done.output
    out = tmp_path / "demo.gift"
    exported = runner.invoke(
        args=["banks", "export", "demo", "--format", "gift", "--output", str(out)]
    )
    assert exported.exit_code == 0 and "=Its classification and priority" in out.read_text()
    bad = tmp_path / "bad.yaml"
    bad.write_text(BANK.replace("type: true_false", "type: hotspot"))
    refused = runner.invoke(args=["banks", "validate", str(bad)])
    assert refused.exit_code != 0 and "bad.yaml:" in refused.output
    listed = runner.invoke(args=["banks", "list"])
    assert "demo" in listed.output and "2 published" in listed.output


def test_banks_import_dry_run_shows_bank_changes_and_held_changes(app, tmp_path):
    from app.queries.banks import published_pool
    from app.services.reference import load_reference_data
    from tests.services.test_bank_import import BANK, ROOT

    load_reference_data(ROOT)
    runner = app.test_cli_runner()
    source = tmp_path / "demo.yaml"
    source.write_text(BANK.replace("title: Demo bank}", "title: Demo bank, licence: CC0}"))
    assert runner.invoke(args=["banks", "import", str(source), "--publish"]).exit_code == 0
    live = published_pool()[1]["demo-1"]
    plain = tmp_path / "extra.gift"
    plain.write_text("::Desk:: Who logs incidents first? {=The desk ~The supplier}\n")
    args = ["banks", "import", str(plain), "--bank", "demo", "--clause", "8.6.1"]
    assert "bank title" not in runner.invoke(args=[*args, "--dry-run"]).output
    changed = BANK.replace("title: Demo bank}", "title: Desk bank}").replace(
        "recorded first", "logged first"
    )
    source.write_text(changed)
    dry = runner.invoke(args=["banks", "import", str(source), "--dry-run"])
    assert dry.exit_code == 0 and "bank title: 'Demo bank' -> 'Desk bank'" in dry.output
    assert "licence" not in dry.output
    done = runner.invoke(args=["banks", "import", str(source)])
    assert done.exit_code == 0 and "1 changed published question(s) stay in exams" in done.output
    assert published_pool()[1]["demo-1"] == live
    both = runner.invoke(args=["banks", "import", str(source), "--publish", "--review"])
    assert both.exit_code == 2


def test_banks_import_without_reference_data_says_how_to_load_it(app, tmp_path):
    from tests.services.test_bank_import import BANK

    source = tmp_path / "demo.yaml"
    source.write_text(BANK)
    result = app.test_cli_runner().invoke(args=["banks", "import", str(source)])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert "flask --app wsgi reference load" in result.output and "demo.yaml:5" in result.output


def test_banks_coverage_shows_counts_and_distinct_forms(app, tmp_path):
    app.instance_path = str(tmp_path)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["setup"]).exit_code == 0
    result = runner.invoke(args=["banks", "coverage", "--scheme", "foundation"])
    assert result.exit_code == 0, result.output
    assert "8.5.1" in result.output and "Operation of the SMS: 16 needed" in result.output
    assert "complete exam forms can be drawn" in result.output
    unknown = runner.invoke(args=["banks", "coverage", "--scheme", "nope"])
    assert unknown.exit_code != 0 and "No scheme" in unknown.output


def test_bundled_banks_pass_the_linter(app):
    result = app.test_cli_runner().invoke(args=["banks", "lint"])
    assert result.exit_code == 0, result.output
    assert " 0 errors, 0 warnings" in result.output


def test_linter_fails_on_item_writing_errors(app, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "bank: {id: bad, title: Bad}\nquestions:\n"
        "  - id: bad-1\n    type: single_choice\n    clauses: ['8.6.1']\n"
        "    stem: Which step comes first for a new incident at the desk?\n"
        "    options:\n      - {id: a, text: Record and classify it, correct: true}\n"
        "      - {id: b, text: None of the above}\n"
    )
    result = app.test_cli_runner().invoke(args=["banks", "lint", str(bad)])
    assert result.exit_code != 0
    assert "all-none-above" in result.output and "explanation-missing" in result.output


def test_feedback_and_hints_from_moodle_are_stored_and_exported_with_warnings(app, tmp_path):
    """Read a Moodle export, store it, export it again: Moodle XML keeps the combined
    feedback and hints; GIFT lists each one it leaves out, at its question."""
    from pathlib import Path

    from app.formats import moodle_xml
    from app.services.reference import load_reference_data
    from tests.services.test_bank_import import ROOT

    load_reference_data(ROOT)
    runner = app.test_cli_runner()
    source = Path(__file__).parent / "data" / "moodlexml" / "feedback_and_hints.xml"
    done = runner.invoke(args=["banks", "import", str(source), "--format", "moodlexml"])
    assert done.exit_code == 0, done.output
    original = moodle_xml.read(source.read_bytes(), source.name).bank.questions
    out = tmp_path / "again.xml"
    bank = ["banks", "export", "feedback-and-hints"]
    exported = runner.invoke(args=[*bank, "--format", "moodlexml", "--output", str(out)])
    assert exported.exit_code == 0, exported.output
    again = {q.id: q for q in moodle_xml.read(out.read_bytes(), "again.xml").bank.questions}
    for q in original:
        stored = again[q.id]
        assert stored.hints == q.hints, q.id
        assert (stored.correct_feedback, stored.partial_feedback, stored.incorrect_feedback) == (
            q.correct_feedback,
            q.partial_feedback,
            q.incorrect_feedback,
        ), q.id
    gift = tmp_path / "again.gift"
    said = runner.invoke(args=[*bank, "--format", "gift", "--output", str(gift)])
    assert said.exit_code == 0, said.output
    assert "INC-MAJ-01: warning: question 'INC-MAJ-01': GIFT cannot hold its 2 hints" in said.output
    assert said.output.count("cannot hold its feedback for right, partly right") == 4


def test_banks_merge_translations_merges_a_sidecar_into_a_copy_of_a_bundled_bank(app, tmp_path):
    """The tool on a real bank file: the merged bank reads back with the translated item
    current and its comments kept; an entry that does not fit is reported and left out."""
    import shutil
    from pathlib import Path

    import yaml

    from app.domain.translation import source_texts
    from app.formats import native

    def translated(value):
        if isinstance(value, str):
            return f"译：{value}"
        if isinstance(value, dict):
            return {k: translated(v) for k, v in value.items()}
        return [translated(v) for v in value]

    source = Path(app.config["QUESTION_BANKS_DIR"]) / "banks" / "auditor.yaml"
    banks = tmp_path / "banks"
    banks.mkdir()
    shutil.copy(source, banks / "auditor.yaml")
    first, second = native.read_yaml(source.read_bytes(), "auditor.yaml").bank.questions[:2]
    sidecar = {
        "bank": "auditor",
        "questions": {
            first.id: translated(source_texts(first)),
            second.id: {"stem": "另一题"},  # lacks the other fields of its source
        },
    }
    side = tmp_path / "auditor-zh.yaml"
    side.write_text(yaml.safe_dump(sidecar, allow_unicode=True), encoding="utf-8")
    runner = app.test_cli_runner()
    args = ["banks", "merge-translations", str(side), "--language", "zh-Hans"]
    args += ["--banks-dir", str(banks)]
    dry = runner.invoke(args=[*args, "--dry-run"])
    assert "Dry run" in dry.output
    assert (banks / "auditor.yaml").read_bytes() == source.read_bytes()
    result = runner.invoke(args=args)
    assert result.exit_code != 0  # the second entry was left out
    assert f"{second.id}, translation zh-Hans: " in result.output
    assert "1 questions and 0 case texts merged" in result.output
    merged = (banks / "auditor.yaml").read_text(encoding="utf-8")
    original = source.read_text(encoding="utf-8")
    assert [line for line in original.splitlines() if line.lstrip().startswith("#")] == [
        line for line in merged.splitlines() if line.lstrip().startswith("#")
    ]
    read = native.read_yaml(merged, "auditor.yaml")
    assert read.problems == []
    done = {q.id: q.translations for q in read.bank.questions}
    before = native.read_yaml(source.read_bytes(), "auditor.yaml").bank.questions
    # The bundled bank is translated already: only the first item's translation changed.
    assert [q.id for q in before if q.translations != done[q.id]] == [first.id]
    assert done[first.id]["zh-Hans"].status == "current"
