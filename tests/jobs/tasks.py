"""Tasks the job-queue tests run in a real worker: they leave their trace in files."""

from __future__ import annotations

from pathlib import Path

from app.services.jobs import task


@task("test.write")
def write(path: str, text: str) -> None:
    """Append a line to a file."""
    with Path(path).open("a") as out:
        out.write(text + "\n")


@task("test.fails_while")
def fails_while(switch: str, log: str) -> None:
    """Fail while the file `switch` exists; note every try in `log`."""
    with Path(log).open("a") as out:
        out.write("try\n")
    if Path(switch).exists():
        raise RuntimeError("the outside system is down")
