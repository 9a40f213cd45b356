"""Package names in their one canonical spelling (PEP 503), without importing packaging.

``packaging.utils.canonicalize_name`` is this one substitution; importing
``packaging.utils`` also loads ``packaging.tags`` (and with it logging,
platform, subprocess, sysconfig), which costs more than a whole snapshot of
a 100-package environment.  A test checks that both spell every name alike.
"""

from __future__ import annotations


def canonical_name(name: str) -> str:
    """``Foo_Bar.baz`` -> ``foo-bar-baz``, as ``packaging.utils.canonicalize_name``.

    ``re.sub(r"[-_.]+", "-", name).lower()``, spelled without ``re``: ``parity
    snapshot`` canonicalises every name and would import ``re`` only for this.
    """
    text = name.replace("_", "-").replace(".", "-")
    while "--" in text:
        text = text.replace("--", "-")
    return text.lower()
