"""Check the pyproject tables parity reads against their published schemas.

validate-pyproject's schemas for PEP 621 ``[project]`` and PEP 735
``[dependency-groups]`` run before any reading, so a wrong type or a bad
requirement is reported as the schema words it (``project.dependencies must
be array``) at its line, instead of being read character by character.  Only
the keys that change a lock are checked: a project's description or URLs do
not stop it from being locked.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping

from parity.errors import SpecError
from parity.patterns import lazy_pattern
from parity.spec.pyproject import PYPROJECT, TomlLines

TYPE_CHECKING = False  # not typing's: an everyday command imports this module
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

# The [project] keys a lock depends on (name and dynamic decide how it is read).
_PROJECT_KEYS = frozenset(
    {"name", "version", "dynamic", "requires-python", "dependencies", "optional-dependencies"}
)


def schema_document(data: Mapping[str, Any]) -> dict[str, Any]:
    """The part of a pyproject document that is validated."""
    document: dict[str, Any] = {}
    project = data.get("project")
    if project is not None:
        if not isinstance(project, Mapping):
            return {"project": project}
        subset = {k: v for k, v in project.items() if k in _PROJECT_KEYS}
        dynamic = subset.get("dynamic")
        if "version" not in subset and not (isinstance(dynamic, list) and "version" in dynamic):
            # A virtual project needs no version to be locked (uv agrees).
            subset["version"] = "0"
        document["project"] = subset
    if "dependency-groups" in data:
        document["dependency-groups"] = data["dependency-groups"]
    return document


def validate_pyproject_tables(data: Mapping[str, Any], text: str) -> None:
    """Raise SpecError (file, line, what the schema says) when a table is invalid.

    The schemas run, not validate-pyproject's extra checks: its include-group
    check compares names without normalizing them (PEP 735 normalizes), and
    parity's own reader checks includes and cycles with the line.
    """
    document = schema_document(data)
    if not document:
        return
    from parity._vendor.validate_pyproject.fastjsonschema_exceptions import (
        JsonSchemaValueException,
    )

    try:
        _validate(document)
    except JsonSchemaValueException:
        pass
    else:
        return
    from parity._vendor.validate_pyproject import error_reporting

    try:  # again, for validate-pyproject's wording of the error
        with error_reporting.detailed_errors():
            _validate(document)
    except JsonSchemaValueException as exc:
        raise schema_error(
            str(getattr(exc, "name", "") or "").strip("`"),
            str(exc.message),
            getattr(exc, "value", None),
            str(getattr(exc, "rule", "") or ""),
            TomlLines(text),
        ) from None


def _validate(document: dict[str, Any]) -> None:
    from parity._vendor.validate_pyproject.fastjsonschema_validations import validate

    validate(document, custom_formats=_Formats())
    project = document.get("project")
    if isinstance(project, Mapping) and "dynamic" in project:
        from parity._vendor.validate_pyproject.extra_validations import (
            validate_project_dynamic,
        )

        validate_project_dynamic(document)


class _Formats(dict[str, "Callable[[str], bool]"]):
    """validate-pyproject's format checks, each loaded when the schema first asks for it.

    Its ``formats`` module imports packaging's requirement parser, which costs
    more than reading the project; the checks every lock meets (a name, a
    version, a requirement, a Python range) answer the plain cases without it,
    as packaging would, and hand the rest to validate-pyproject's own.
    """

    def __missing__(self, name: str) -> Callable[[str], bool]:
        check = _PLAIN_FORMATS.get(name)
        if check is None:
            from parity._vendor.validate_pyproject import FORMAT_FUNCTIONS

            check = FORMAT_FUNCTIONS[name]
        self[name] = check
        return check


def _pep508(value: str) -> bool:
    from parity.spec.requirements_file import plain_requirement

    if plain_requirement(value) is not None:
        return True
    from packaging.requirements import InvalidRequirement, Requirement

    try:  # validate-pyproject's own check, without the rest of its formats module
        Requirement(value)
    except InvalidRequirement:
        return False
    return True


def _pep508_versionspec(value: str) -> bool:
    if any(c in value for c in (";", "]", "@")):
        return False  # as validate-pyproject: no markers, extras or URLs in a range
    return _pep508(f"requirement{value}")


def _pep440(value: str) -> bool:
    from parity.versions import valid_version

    return valid_version(value)


def _pep508_identifier(value: str) -> bool:
    return _identifier().match(value) is not None


# validate-pyproject's PEP508_IDENTIFIER_REGEX.
_identifier = lazy_pattern(r"^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$", re.IGNORECASE)

_PLAIN_FORMATS: dict[str, Callable[[str], bool]] = {
    "pep508": _pep508,
    "pep508-versionspec": _pep508_versionspec,
    "pep440": _pep440,
    "pep508-identifier": _pep508_identifier,
}


_TYPES = {"array": "a list", "string": "a string", "object": "a table", "boolean": "true or false"}


def schema_error(name: str, message: str, value: Any, rule: str, lines: TomlLines) -> SpecError:
    """One schema violation as parity reports errors: what, where, and what to write."""
    name = re.sub(r"^data\.", "", name).replace("dependency_groups", "dependency-groups")
    line = line_of(lines, name)
    where = _where(name)
    hint = _hint(name)
    if rule == "type":
        wanted = re.search(r"must be (\w+)", message)
        kind = _TYPES.get(wanted.group(1), wanted.group(1)) if wanted else "another type"
        return SpecError(
            f"{where} must be {kind}, not {_shown(value)}", path=PYPROJECT, line=line, hint=hint
        )
    if rule == "format" and "pep508-identifier" in message and isinstance(value, str):
        template = "{{" in value or "{%" in value
        return SpecError(
            f"not a valid name in {where}: {value!r}",
            path=PYPROJECT,
            line=lines.string(value, line) or line,
            hint="This is a template not rendered yet: run parity in the project the template "
            "generates (cookiecutter, copier)."
            if template
            else "A name is letters, digits, '-', '_' and '.', starting and ending with a "
            "letter or digit (PEP 508).",
        )
    if rule == "format" and "pep508-versionspec" in message and isinstance(value, str):
        # requires-python: a range, worded as the reader of requires-python words it.
        return SpecError(
            f"{where} {value!r} is not a PEP 440 specifier",
            path=PYPROJECT,
            line=lines.string(value, line) or line,
            hint='Write a range such as ">=3.10".',
        )
    if rule == "format" and "pep508" in message and isinstance(value, str):
        from packaging.requirements import InvalidRequirement, Requirement

        try:
            Requirement(value)
            reason = ""
        except InvalidRequirement as exc:
            reason = f" ({exc})"
        return SpecError(
            f"not a valid requirement in {where}: {value!r}{reason}",
            path=PYPROJECT,
            line=lines.string(value, line) or line,
            hint="Write it as in PEP 508, e.g. `pandas>=2.0` or `name @ https://...`.",
        )
    if rule in ("additionalProperties", "propertyNames") and isinstance(value, Mapping):
        what = "extra" if "optional-dependencies" in name else "group"
        bad = [k for k in value if not re.fullmatch(_NAME, str(k))]
        if bad:
            table = ("project", "optional-dependencies") if what == "extra" else (name,)
            return SpecError(
                f"invalid {what} name {bad[0]!r}",
                path=PYPROJECT,
                line=lines.key(table, str(bad[0])) or line,
                hint="Use letters, digits, '-', '_' and '.', starting and ending with a letter "
                "or digit.",
            )
    if rule == "oneOf" and "dependency-groups" in name:
        return SpecError(
            f'{where} must be a requirement string or {{include-group = "..."}}, '
            f"not {_shown(value)}",
            path=PYPROJECT,
            line=line,
            hint=hint,
        )
    if rule == "required":
        missing = re.findall(r"'([^']+)'", message)
        return SpecError(
            f"{where} needs {', '.join(missing) or 'more keys'}",
            path=PYPROJECT,
            line=line,
            hint=hint,
        )
    text = message.replace("`", "").split("\n", 1)[0].rstrip(":")
    if value is not None and rule in ("format", "pattern", "enum"):
        text += f", not {_shown(value)}"
    return SpecError(text, path=PYPROJECT, line=line, hint=hint)


_NAME = r"[A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9._-]*[A-Za-z0-9]"


def _where(name: str) -> str:
    parts = name.split(".")
    if parts[0] == "project" and len(parts) > 1:
        return f"[project] {'.'.join(parts[1:])}"
    if parts[0] == "dependency-groups" and len(parts) > 1:
        return f"[dependency-groups] {'.'.join(parts[1:])}"
    return f"[{name}]"


def _shown(value: Any) -> str:
    try:
        shown = json.dumps(value)
    except (TypeError, ValueError):
        shown = repr(value)
    return shown if len(shown) <= 80 else shown[:77] + "..."


def _hint(name: str) -> str:
    if "dependency-groups" in name:
        return (
            'Each group is a list of requirement strings and {include-group = "other"} '
            "tables (PEP 735)."
        )
    if "dependencies" in name:
        return 'Write a list of PEP 508 requirement strings, e.g. ["pandas>=2.0"].'
    if "requires-python" in name:
        return 'Write a range such as ">=3.10".'
    return "See the pyproject.toml specification (PEP 621) for this key."


def line_of(lines: TomlLines, name: str) -> int | None:
    """The line of a dotted schema path such as ``project.optional-dependencies.gpu[0]``."""
    parts = [p for p in re.sub(r"\[\d+\]", "", name).split(".") if p]
    if not parts:
        return None
    if parts[0] == "dependency-groups":
        if len(parts) == 1:
            return lines.table("dependency-groups")
        return lines.key(("dependency-groups",), ".".join(parts[1:])) or lines.table(
            "dependency-groups"
        )
    if parts[0] == "project":
        if len(parts) == 1:
            return lines.table("project")
        if parts[1] == "optional-dependencies" and len(parts) > 2:
            return lines.key(("project", "optional-dependencies"), ".".join(parts[2:]))
        return lines.key(("project",), parts[1]) or lines.table("project")
    return None
