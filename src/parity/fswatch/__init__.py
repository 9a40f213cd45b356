"""What a computation looked at on disk, so its result can be reused while that stays as it was.

While a :class:`Recorder` is active it wraps the ``os`` and ``io`` functions
every path operation ends in (``stat``, ``lstat``, ``listdir``, ``scandir``,
``readlink``, ``access``, ``open``) and notes each observation as a *fact*:

- ``("stat", path, follow, field)``: one field of a status, only the fields
  the code read (``os.path.realpath`` reads a folder's type, not its mtime,
  so a busy ``/tmp`` does not matter), or the error it raised;
- ``("list", path)``: the names in a folder;
- ``("read", path)``: the SHA-256 of a file's bytes (size, mtime and inode
  for files over 8 MiB);
- ``("link", path)`` and ``("access", path, mode)``.

:func:`facts_hold` checks them all again.  Whatever cannot be checked that
way makes the run *unsafe* and its result is not reused: a write outside the
allowed folders, a subprocess (unless the caller allows it), a network
connection, a path given as a file descriptor.  Folders whose status fields
were not read are not facts, which is the point: reading a project tells
nothing about the mtime of its parent folders.

A self-test (:func:`tracking_works`) proves on this interpreter that
``pathlib``, ``glob`` and ``os.path`` reach the wrapped functions; where they
do not (Python 3.10's ``pathlib`` binds them at import), nothing is reused.

- ``facts``: observations, made the same way when recording and when
  checking, and :func:`facts_hold` (all a replay imports);
- ``recorder``: the :class:`Recorder` and the wrappers it installs;
- ``selftest``: :func:`tracking_works`.

Only the standard library is imported here, and only at use; this package's
``__init__`` imports none of its modules, so a replay pays for ``facts`` alone.
"""
