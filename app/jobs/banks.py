"""Tasks for long bank imports and exports (see app/services/bank_jobs.py)."""
