"""The organization readiness export as a task."""
