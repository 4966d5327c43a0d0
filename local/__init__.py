"""The local stand-in for AWS (never deployed): serves the very handlers Lambda runs, over HTTP,
against moto, reading routes and the table's shape from template.yaml itself."""
