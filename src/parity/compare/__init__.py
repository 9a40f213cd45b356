"""``parity compare``: each strategy measured on the project itself.

``targets`` says what each strategy runs and whether its tools are here;
``measure`` runs them (whole processes, interleaved, medians) on scratch
copies of the project; ``cache`` keeps the result per input digest under
``.parity/compare/``; ``envfiles`` tells whether two builds are identical
and how much disk an environment takes; ``run`` ties them together
(:func:`run.compare_project`).

Nothing is imported here: ``parity.compare`` is also the name of the API
function, and ``import parity`` must stay cheap.
"""
