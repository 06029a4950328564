"""One module per outside system: protocol details only, never permissions."""
