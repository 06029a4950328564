"""`python -m tests.jobs.worker jobs worker --burst`: the real `flask jobs` command, in
a process that also knows the test tasks (tests/jobs/tasks.py)."""

import sys

from flask.cli import main

import tests.jobs.tasks  # noqa: F401  (registers the test tasks)

if __name__ == "__main__":
    sys.argv = ["flask", "--app", "wsgi", *sys.argv[1:]]
    main()
