"""Start Ralph's LRS (its own ASGI app, auth and validation) on the file-system backend,
for the xAPI tests: `python serve.py HOST PORT`, run with the Python of Ralph's venv.

Ralph 5.1.0's file-system backend writes with the "create" operation by default, which
refuses to touch a file that exists: its LRS would store the first POST and answer 500
to every later one. A file LRS must append, so that is the one setting changed here;
the configuration comes from the RALPH_* environment as usual.
"""

import sys

import uvicorn
from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend

FSLRSBackend.default_operation_type = BaseOperationType.APPEND

if __name__ == "__main__":
    uvicorn.run("ralph.api:app", host=sys.argv[1], port=int(sys.argv[2]), log_level="info")
