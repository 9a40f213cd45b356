"""``parity recommend``: the course's decision matrix applied to the project at hand.

``facts`` reads what the project shows (native stacks, services, Pythons,
publication, strategies in use); ``scoring`` moves the course's scores
(``matrix``) on that evidence; ``weights`` says how much each criterion
counts; ``ranking`` ties them together (:func:`ranking.recommend_project`);
``gather`` is the only part that reads files.

Nothing is imported here: ``parity.recommend`` is also the name of the API
function, and ``import parity`` must stay cheap.
"""
