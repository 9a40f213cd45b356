"""Third-party code shipped inside parity (see each package's NOTICE).

``validate_pyproject`` is validate-pyproject's own pre-compiled validator
(MPL-2.0; fastjsonschema, BSD-3-Clause), generated the way setuptools
generates its copy, without tool plugins:

    python -m validate_pyproject.pre_compile \\
        -O src/parity/_vendor/validate_pyproject -D distutils setuptools -R '<replacements>'

The replacements point the two links to the registry's classifier list at a
placeholder host and switch the classifier download off (parity never
validates classifiers, and never reaches the network to read a project).
Regenerate it with that command when validate-pyproject is upgraded; do not
edit it by hand, except for one edit to redo after regenerating: its
``__init__`` imports nothing until asked for (PEP 562), because its
``formats`` module imports packaging's requirement parser, which would cost
every command on a pyproject.toml project more than reading it.
tests/spec/test_schema_formats.py fails while that edit is missing.
"""
