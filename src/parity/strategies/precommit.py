"""``parity export --to pre-commit``: the ``parity-check`` hook in .pre-commit-config.yaml.

The hook runs the parity of the project's own environment (``language:
system``): the version the lock pins, not whatever a hook repository
installs.  It runs when a file it checks changes.  The config is the user's:
an existing one is edited round trip (the hook added or updated, everything
else kept); a new one holds only this hook.
"""

from __future__ import annotations

from typing import Any

from parity.strategies.base import FileOutput, Rendered, Request

NAME = "pre-commit"
NEEDS_LOCK = False
OPTIONS = ()
CONFIG = ".pre-commit-config.yaml"
HOOK_ID = "parity-check"
# The files `parity check --lock-only` reads: a change to any of them may break the gate.
FILES = (
    r"^(requirements[^/]*\.(in|txt)|requirements/.*\.(in|txt)|(.+/)?pyproject\.toml|parity\.toml"
    r"|poetry\.lock|uv\.lock|pdm\.lock|pylock(\..+)?\.toml|\.python-version|environment[^/]*\.ya?ml"
    r"|Dockerfile[^/]*|compose[^/]*\.ya?ml|docker-compose[^/]*\.ya?ml|\.gitlab-ci\.yml"
    r"|\.github/workflows/.*\.ya?ml|Makefile)$"
)


def hook() -> dict[str, Any]:
    return {
        "id": HOOK_ID,
        "name": "parity check (the lock is fresh and every file agrees)",
        "entry": "parity check --lock-only",
        "language": "system",
        "pass_filenames": False,
        "files": FILES,
    }


def render(request: Request) -> Rendered:
    from parity.strategies.roundtrip import dump_yaml, load_yaml, to_yaml_tree

    existing = request.workspace.read(CONFIG)
    data = load_yaml(existing, CONFIG) if existing else None
    if data is None:
        data = to_yaml_tree({"repos": []})
    repos = data.get("repos")
    if repos is None:
        data["repos"] = repos = to_yaml_tree([])
    local = next((r for r in repos if r.get("repo") == "local"), None)
    if local is None:
        local = to_yaml_tree({"repo": "local", "hooks": []})
        repos.append(local)
    hooks = local.setdefault("hooks", to_yaml_tree([]))
    wanted = to_yaml_tree(hook())
    for index, item in enumerate(hooks):
        if item.get("id") == HOOK_ID:
            hooks[index] = wanted
            break
    else:
        hooks.append(wanted)
    notes = (
        "run `pre-commit install` once; the hook runs the parity installed in your environment",
    )
    return Rendered(
        {CONFIG: FileOutput(dump_yaml(data, like=existing), owned=False)}, notes, artifact=NAME
    )
