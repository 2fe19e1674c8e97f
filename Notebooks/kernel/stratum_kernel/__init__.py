"""A Jupyter kernel for Stratum: a thin wrapper around `stratum repl --protocol json`."""

__version__ = "0.1.0"
