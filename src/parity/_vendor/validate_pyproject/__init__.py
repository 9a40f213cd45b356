# parity: the one edit to the generated code (redo it after regenerating): nothing is
# imported until asked for (PEP 562), because ``formats`` imports packaging's
# requirement parser and this package is loaded for every pyproject.toml parity reads.
from functools import reduce
from typing import Any, Callable, Dict

__all__ = [
    "validate",
    "FORMAT_FUNCTIONS",
    "EXTRA_VALIDATIONS",
    "ValidationError",
    "JsonSchemaException",
    "JsonSchemaValueException",
]


def __getattr__(name: str) -> Any:
    if name == "FORMAT_FUNCTIONS":
        from . import formats

        functions: Dict[str, Callable[[str], bool]] = {
            fn.__name__.replace("_", "-"): fn
            for fn in formats.__dict__.values()
            if callable(fn) and not fn.__name__.startswith("_")
        }
        globals()[name] = functions
        return functions
    if name == "EXTRA_VALIDATIONS":
        from .extra_validations import EXTRA_VALIDATIONS

        return EXTRA_VALIDATIONS
    if name in ("ValidationError", "detailed_errors"):
        from . import error_reporting

        return getattr(error_reporting, name)
    if name in ("JsonSchemaException", "JsonSchemaValueException"):
        from . import fastjsonschema_exceptions

        return getattr(fastjsonschema_exceptions, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def validate(data: Any) -> bool:
    """Validate the given ``data`` object using JSON Schema
    This function raises ``ValidationError`` if ``data`` is invalid.
    """
    from .error_reporting import detailed_errors
    from .extra_validations import EXTRA_VALIDATIONS
    from .fastjsonschema_validations import validate as _validate

    with detailed_errors():
        _validate(data, custom_formats=__getattr__("FORMAT_FUNCTIONS"))
        reduce(lambda acc, fn: fn(acc), EXTRA_VALIDATIONS, data)
    return True
