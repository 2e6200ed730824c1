"""Parameters are data, never code: YAML reading, type checks and safe injection.

Three rules keep a study parameter from ever running code:

1. YAML (from ``-p`` list values or ``-f`` files) is read with explicit tags, anchors and
   aliases refused, and implicit timestamps kept as text, so ``!!binary``, ``!!python/…``,
   ``!!set`` and friends never construct anything (:func:`load_yaml`).
2. After casting, every value must be *plain JSON data* — exactly ``str``, ``int``,
   finite ``float``, ``bool``, ``None``, and lists / string-keyed dicts of them; subclasses
   (whose ``str`` or ``repr`` could be anything) and non-finite floats are refused
   (:func:`check_plain`).
3. The injected cell is written by :class:`LiteralTranslator` as ``name = repr(value)`` —
   a Python literal that ``ast.literal_eval`` reads back to the same value — rather than by
   papermill's own translator, which quotes ``str(value)`` for types it does not know.
"""

from __future__ import annotations

import ast
import math
import re
from typing import Any

#: Scalar annotations a study may declare, and the containers of them.
SCALAR_TYPES = ("str", "int", "float", "bool")
_CONCRETE = re.compile(
    r"^(?:(?P<scalar>str|int|float|bool)|list\[(?P<item>str|int|float|bool)\]"
    r"|dict\[str,(?P<value>str|int|float|bool)\])$")
#: Largest integer a parameter may hold (beyond it, int64 code in the notebook overflows).
MAX_INT = 2**63 - 1


class ParameterError(ValueError):
    """A parameter value or declaration that the runner refuses (nothing was executed)."""


def _yaml_tag(tag: str) -> str:
    return tag.replace("tag:yaml.org,2002:", "!!")


def _plain_loader():
    import yaml

    class PlainLoader(yaml.SafeLoader):
        """SafeLoader that keeps implicit dates as text (``2024-01-01`` stays a string)."""

    PlainLoader.add_constructor("tag:yaml.org,2002:timestamp",
                                lambda loader, node: loader.construct_scalar(node))
    return PlainLoader


def load_yaml(text: str, where: str) -> Any:
    """Read YAML ``text`` as plain data; ``where`` names the source in messages.

    Raises
    ------
    ParameterError
        For a syntax error (with its line), an explicit tag or an anchor/alias.

    Examples
    --------
    >>> load_yaml("[a, 2, 2024-01-01]", "parameter 'x'")
    ['a', 2, '2024-01-01']
    >>> load_yaml("[!!binary aGk=]", "parameter 'x'")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    cxkit._parameters.ParameterError: parameter 'x': YAML tags are not accepted (found !!binary ...
    """
    import yaml

    loader = _plain_loader()
    try:
        for event in yaml.parse(text, Loader=loader):
            line = event.start_mark.line + 1 if event.start_mark else "?"
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise ParameterError(f"{where}: YAML anchors and aliases (& and *) are not "
                                     f"accepted (line {line}); write each value out")
            tag = getattr(event, "tag", None)
            if tag not in (None, "!"):
                raise ParameterError(f"{where}: YAML tags are not accepted (found "
                                     f"{_yaml_tag(tag)} at line {line}); write a plain value")
        return yaml.load(text, Loader=loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ParameterError(f"{where} is not valid YAML{at}: {problem}") from None


def check_plain(value: Any, name: str) -> None:
    """Refuse anything but plain JSON data (exact built-in types, finite floats).

    Examples
    --------
    >>> check_plain({"a": [1, 2.5, None, True, "x"]}, "p")
    >>> check_plain(float("nan"), "confidence_level")
    Traceback (most recent call last):
    ...
    cxkit._parameters.ParameterError: parameter 'confidence_level' must be a finite number, got nan
    >>> check_plain(b"id", "columns")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    cxkit._parameters.ParameterError: parameter 'columns' must be plain data (text, ...), got bytes
    """
    kind = type(value)
    if value is None or kind is bool:
        return
    if kind is str:
        if "\x00" in value:
            raise ParameterError(f"parameter '{name}' must not contain a NUL character")
        return
    if kind is int:
        if abs(value) > MAX_INT:
            raise ParameterError(f"parameter '{name}' is too large (more than 2**63 - 1)")
        return
    if kind is float:
        if not math.isfinite(value):
            raise ParameterError(f"parameter '{name}' must be a finite number, got {value!r}")
        return
    if kind is list:
        for item in value:
            check_plain(item, name)
        return
    if kind is dict:
        for key, item in value.items():
            if type(key) is not str:
                raise ParameterError(f"parameter '{name}': mapping keys must be text, got "
                                     f"{type(key).__name__} {key!r}")
            check_plain(item, name)
        return
    raise ParameterError(f"parameter '{name}' must be plain data (text, a number, true/false, "
                         f"null, or a list or mapping of them), got {kind.__name__}")


def check_annotation(type_name: str, name: str, study: str) -> None:
    """Refuse a parameter whose annotation is not concrete (bare ``list``, ``dict``, none).

    Accepted: ``str``, ``int``, ``float``, ``bool``, ``list[T]``, ``dict[str, T]`` with T
    one of those scalars, each optionally as ``Optional[...]`` or ``... | None``.
    """
    t = type_name.replace(" ", "")
    if t.startswith("Optional[") and t.endswith("]"):
        t = t[len("Optional["):-1]
    t = "|".join(p for p in t.split("|") if p != "None") if "|" in t else t
    if not _CONCRETE.match(t):
        raise ParameterError(
            f"study '{study}': parameter '{name}' is declared as '{type_name}'; declare a "
            "concrete type: str, int, float, bool, list[str] (list[int], list[float]), "
            "dict[str, T], optionally Optional[...]")


def literal(value: Any, name: str) -> str:
    """``value`` as a Python literal that reads back to an equal value (checked)."""
    check_plain(value, name)
    text = repr(value)
    if ast.literal_eval(text) != value:  # pragma: no cover - repr of plain data round-trips
        raise ParameterError(f"parameter '{name}' cannot be written as a literal")
    return text


def literal_translator():
    """A papermill translator that writes ``name = <literal>`` for plain values only."""
    from papermill.translators import PythonTranslator

    class LiteralTranslator(PythonTranslator):
        @classmethod
        def codify(cls, parameters, comment="Parameters"):
            lines = [cls.comment(comment)]
            for name, value in parameters.items():
                if not (type(name) is str and name.isidentifier()):
                    raise ParameterError(f"parameter name {name!r} is not an identifier")
                lines.append(f"{name} = {literal(value, name)}")
            return "\n".join(lines) + "\n"

    return LiteralTranslator


def register_translator() -> None:
    """Make papermill inject parameters with :class:`LiteralTranslator` for Python."""
    from papermill.translators import papermill_translators

    translator = literal_translator()
    for key in ("python", "python3"):
        papermill_translators.register(key, translator)
