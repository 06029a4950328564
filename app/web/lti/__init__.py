"""LTI 1.3: the tool's endpoints for platforms, and the pages launches open."""
