"""``parity compare``: each strategy measured on the project itself (see ``measure``)."""
