"""Lockfile formats: one module per format, each with the same few functions.

- ``detect(name, text) -> bool``: whether a file (by name, else by content) is
  in this format;
- ``read(path, *, display=None)``: the file on disk, with a clear
  :class:`~parity.errors.LockFileError` (file and line) when it cannot be read;
- ``parse(text, *, path)``: the same, from text;
- ``write(...) -> str``: the text of the format, for the formats parity writes.

``requirements_txt`` (pip-tools' layout: one group per file; read and write),
``pylock`` (PEP 751: every group in one file; read, and write from uv's
export), ``poetry_lock`` (read only: Poetry writes it), ``conda_lock``
(rattler's lock with parity's header).  Adding a format is adding one module.
What a project's lock consists of is ``lock/outputs.py`` (writing) and
``lock/load.py`` (reading).
"""
