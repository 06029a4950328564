"""One module per outside system, protocol details only; they never decide permissions."""
