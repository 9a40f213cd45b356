"""One module per kind of file ``parity check`` compares (see the package docstring)."""
