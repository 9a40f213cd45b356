"""pip-tools style inputs: requirements.in, requirements-<group>.in, requirements/*.in.

pip's requirements-file syntax: comments, ``\\`` continuations, PEP 508 lines,
URLs, ``-e``/local paths, ``-r``/``-c`` includes and index options.  A ``-r``
of another group's file makes that group an include (``requirements-dev.in``
with ``-r requirements.in`` is prod plus dev); a ``-r`` of a file that is no
group of its own is inlined, each requirement keeping its own file and line.

- ``discover``: which files are groups (and whether a file is a compiled lock);
- ``project``: a whole project read (groups, includes, fragments, one index);
- ``parse``: one file's lines and options;
- ``line``: one requirement line (PEP 508, URL or local path);
- ``paths``: include paths made project-relative and confined to the project;
- ``constraints``: ``-c`` files, followed as pip follows them;
- ``cycles``: ``-r`` cycles, with the path that reaches them;
- ``model``: the values these return.

The logical lines themselves come from ``spec/requirements_file.py``, the one
requirements-line tokenizer.  Import from the submodules: this package imports
none of them, so reading one idea costs only that one.
"""
