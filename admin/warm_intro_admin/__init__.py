"""`warm-intro`: the organisation administrator's command line, for a deployed stack or the local server."""
