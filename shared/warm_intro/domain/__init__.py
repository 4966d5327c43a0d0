"""The pure core: lifecycle, tokens, timings and limits. Imports no AWS SDK and does no I/O."""
