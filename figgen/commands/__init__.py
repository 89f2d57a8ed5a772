"""One module per `figgen` command; each is a plain function the CLI calls."""
