"""Find, inspect and run the parameterized studies in ``notebooks/``.

A *study* is a Jupyter notebook with exactly one cell tagged ``parameters`` whose lines
read ``name: type = value  # help``. This module reads those parameters (with papermill's
notebook inspection), validates and casts values given on the command line or in a YAML
file, executes the notebook with papermill into its own run folder, exports HTML and
records everything needed to reproduce the run in ``run.json``.

The command line (``cxkit list``, ``cxkit run``) is a thin layer over :func:`list_studies`
and :func:`run_study`; both work from Python too.

Examples
--------
>>> from cxkit.studies import get_study
>>> study = get_study("dataset_profile")
>>> study.parameters["dataset"].type
'str'
>>> cast_parameter(study.parameters["columns"], "A1, A2,A3")
['A1', 'A2', 'A3']
"""

from __future__ import annotations

import ast
import contextlib
import datetime as _dt
import json
import math
import os
import platform
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "Parameter",
    "RunResult",
    "Study",
    "StudyError",
    "cast_parameter",
    "collect_caveats",
    "get_study",
    "list_studies",
    "notebooks_dir",
    "refresh_figures",
    "resolve_parameters",
    "run_study",
    "write_results",
]

#: Parameters the runner sets itself; a user cannot override them.
RUNNER_PARAMETERS = ("output_dir",)
#: Packages whose versions every run records.
KEY_PACKAGES = (
    "cxkit", "numpy", "pandas", "scipy", "statsmodels", "seaborn", "matplotlib",
    "pingouin", "papermill", "nbclient", "nbconvert", "nbformat", "ipykernel", "pyarrow",
)
#: File suffixes of figures copied to ``figures/`` by :func:`refresh_figures`.
FIGURE_SUFFIXES = (".png", ".svg", ".pdf")
_TRUE = {"true", "yes", "y", "on", "1"}
_FALSE = {"false", "no", "n", "off", "0"}
_NONE = {"none", "null", "~", ""}


class StudyError(ValueError):
    """A user error: unknown study, bad parameter, missing input. Nothing was executed."""


@contextlib.contextmanager
def _as_study_error():
    """Re-raise the parameter layer's errors as :class:`StudyError` (one line, exit 2)."""
    from cxkit._parameters import ParameterError

    try:
        yield
    except ParameterError as exc:
        raise StudyError(str(exc)) from None


def project_root() -> Path:
    """The repository root (the folder holding ``notebooks/`` and ``datasets/``)."""
    return Path(__file__).resolve().parent.parent


def notebooks_dir() -> Path:
    """The folder of studies: ``$CXKIT_NOTEBOOKS_DIR`` or the repository's ``notebooks/``."""
    return Path(os.environ.get("CXKIT_NOTEBOOKS_DIR") or project_root() / "notebooks")


# --------------------------------------------------------------------------- discovery


@dataclass(frozen=True)
class Parameter:
    """One line of a study's ``parameters`` cell: ``name: type = default  # help``."""

    name: str
    type: str
    default: Any
    help: str
    default_source: str

    @property
    def optional(self) -> bool:
        """Whether ``None`` is an accepted value (``T | None`` or ``Optional[T]``)."""
        return _split_optional(self.type)[1]


@dataclass(frozen=True)
class Study:
    """A notebook in ``notebooks/``: its name, description and parameters."""

    name: str
    path: Path
    description: str
    parameters: dict[str, Parameter] = field(default_factory=dict)
    #: Parameters whose value names a column (or, for lists, columns) of the study's data.
    column_parameters: tuple[str, ...] = ()
    #: Parameters restricted to fixed choices: ``{name: (choice, ...)}``.
    choices: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: Text parameters (or list elements) that must match a regular expression.
    patterns: Mapping[str, str] = field(default_factory=dict)

    def defaults(self) -> dict[str, Any]:
        """The default value of every parameter."""
        return {p.name: p.default for p in self.parameters.values()}


def _description(nb) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown" and cell.source.strip():
            for line in cell.source.splitlines():
                text = line.strip().lstrip("#").strip()
                if text:
                    return text
    return ""


def _check_all_parsed(path: Path, source: str, inspected: Mapping[str, Any]) -> None:
    """Refuse a study when papermill silently skipped a line of its parameters cell."""
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        raise StudyError(f"study '{path.stem}': the parameters cell is not valid Python "
                         f"(line {exc.lineno}: {exc.msg})") from None
    assigned = [node.target.id if isinstance(node, ast.AnnAssign) else node.targets[0].id
                for node in tree.body if isinstance(node, (ast.AnnAssign, ast.Assign))
                and isinstance(getattr(node, "target", None) or node.targets[0], ast.Name)]
    skipped = [name for name in assigned if name not in inspected]
    if skipped:
        raise StudyError(
            f"study '{path.stem}': papermill could not read the parameter line(s) of "
            f"{', '.join(skipped)}; write each as `name: type = value  # help` with one '=' "
            "per line and a type such as str, int, float, bool, list or Optional[float]")


def _load_study(path: Path) -> Study:
    import nbformat
    import papermill

    nb = nbformat.read(path, as_version=4)
    tagged = [c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    if len(tagged) != 1:
        raise StudyError(f"study '{path.stem}' ({path}) has {len(tagged)} cells tagged "
                         "'parameters'; a study needs exactly one")
    from cxkit._parameters import check_annotation, check_plain

    inspected = papermill.inspect_notebook(str(path))
    _check_all_parsed(path, tagged[0].source, inspected)
    params = {}
    for name, info in inspected.items():
        source = info["default"]
        try:
            default = ast.literal_eval(source)
        except (ValueError, SyntaxError) as exc:
            raise StudyError(f"study '{path.stem}': the default of parameter '{name}' "
                             f"({source!r}) is not a literal value") from exc
        type_name = info["inferred_type_name"]
        if type_name in (None, "None"):
            type_name = type(default).__name__ if default is not None else "any"
        with _as_study_error():
            check_annotation(type_name, name, path.stem)
            check_plain(default, name)
        params[name] = Parameter(name, type_name, default, info.get("help") or "", source)
    declared = _declarations(path.stem, nb.metadata.get("cxkit", {}), params)
    return Study(path.stem, path, _description(nb), params, **declared)


def _declarations(study: str, meta: Any, params: Mapping[str, Parameter]) -> dict[str, Any]:
    """Read the notebook metadata ``cxkit``: which parameters name columns, fixed choices.

    The notebook's metadata may hold ``{"cxkit": {"column_parameters": [name, ...],
    "choices": {name: [choice, ...]}, "patterns": {name: regex}}}``; the runner then checks
    those parameters against the data, the choices and the patterns before a kernel starts.
    """
    import re

    if not isinstance(meta, Mapping):
        raise StudyError(f"study '{study}': notebook metadata 'cxkit' must be a mapping")
    unknown = set(meta) - {"column_parameters", "choices", "patterns"}
    if unknown:
        raise StudyError(f"study '{study}': unknown key(s) in notebook metadata 'cxkit': "
                         f"{', '.join(sorted(unknown))}")
    columns = tuple(meta.get("column_parameters", ()))
    choices = {name: tuple(values) for name, values in dict(meta.get("choices", {})).items()}
    patterns = {name: str(rx) for name, rx in dict(meta.get("patterns", {})).items()}
    for name, rx in patterns.items():
        try:
            re.compile(rx)
        except re.error as exc:
            raise StudyError(f"study '{study}': pattern of parameter '{name}' is not a "
                             f"regular expression: {exc}") from None
    for name in (*columns, *choices, *patterns):
        if name not in params:
            raise StudyError(f"study '{study}': notebook metadata 'cxkit' names parameter "
                             f"'{name}', which its parameters cell does not declare")
    return {"column_parameters": columns, "choices": choices, "patterns": patterns}


def _check_path_argument(value: Any, name: str, *, allow_none: bool = True) -> Path | None:
    """A str or path-like (or None): else a TypeError naming the argument; '' is refused."""
    if value is None and allow_none:
        return None
    if not isinstance(value, (str, os.PathLike)) or isinstance(value, bytes):
        expected = "a str or path-like" + (" or None" if allow_none else "")
        raise TypeError(f"`{name}` must be {expected}; got {type(value).__name__}")
    if not os.fspath(value).strip():
        raise ValueError(f"`{name}` is empty; name a folder")
    return Path(value).expanduser()


def _study_folder(directory: Any) -> Path:
    folder = _check_path_argument(directory, "directory")
    return folder if folder is not None else notebooks_dir()


def list_studies(directory: str | os.PathLike | None = None) -> list[Study]:
    """Every study (``*.ipynb``) in ``directory`` (default :func:`notebooks_dir`), by name."""
    folder = _study_folder(directory)
    return [_load_study(p) for p in sorted(folder.glob("*.ipynb"))]


def get_study(name: str, directory: str | os.PathLike | None = None) -> Study:
    """The study called ``name``; an unknown name raises :class:`StudyError` listing them."""
    folder = _study_folder(directory)
    if not isinstance(name, str) or not name or "/" in name or "\0" in name or \
            not _is_file(folder / f"{name}.ipynb"):
        known = ", ".join(sorted(p.stem for p in folder.glob("*.ipynb"))) or "(none)"
        raise StudyError(f"unknown study {name!r}; known studies: {known}")
    return _load_study(folder / f"{name}.ipynb")


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:  # e.g. a name longer than the file system allows
        return False


# --------------------------------------------------------------------------- parameters


def _split_optional(type_name: str) -> tuple[str, bool]:
    t = type_name.replace(" ", "")
    if t.startswith("Optional[") and t.endswith("]"):
        return t[len("Optional["):-1], True
    parts = [p for p in t.split("|") if p]
    if "None" in parts and len(parts) > 1:
        return "|".join(p for p in parts if p != "None"), True
    return t, False


def _cast_failure(param: Parameter, value: Any, expected: str) -> StudyError:
    return StudyError(f"parameter '{param.name}' expects {expected} (declared type "
                      f"'{param.type}'), got {value!r}")


def _yaml_value(param: Parameter, text: str, expected: str) -> Any:
    from cxkit._parameters import ParameterError, load_yaml

    try:
        return load_yaml(text, "the YAML")
    except ParameterError as exc:
        raise StudyError(f"{_cast_failure(param, text, expected)}; {exc}") from None


def _as_list(param: Parameter, value: Any) -> list:

    if type(value) in (list, tuple):
        return list(value)
    if type(value) is not str:
        raise _cast_failure(param, value, "a list such as [a, b] or a,b")
    text = value.strip()
    if text.startswith("["):
        loaded = _yaml_value(param, value, "a list such as [a, b] or a,b")
        if type(loaded) is not list:
            raise _cast_failure(param, value, "a list such as [a, b] or a,b")
        return loaded
    return [item.strip() for item in text.split(",") if item.strip()]


def _cast_scalar(param: Parameter, base: str, value: Any) -> Any:
    kind = type(value)
    if base == "str":
        if kind is str:
            return value
        if kind in (int, float):  # a YAML file's `wave: 2024` for a text parameter
            return str(value)
        raise _cast_failure(param, value, "a string")
    if kind not in (str, int, float, bool) and not base.startswith(("list", "dict")):
        raise _cast_failure(param, value, f"a value of type {base}")
    if base == "bool":
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in _TRUE or text in _FALSE:
            return text in _TRUE
        raise _cast_failure(param, value, "true or false")
    if base == "int":
        if isinstance(value, bool):
            raise _cast_failure(param, value, "an integer")
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        try:
            return int(str(value).strip())
        except ValueError:
            raise _cast_failure(param, value, "an integer") from None
    if base == "float":
        if isinstance(value, bool):
            raise _cast_failure(param, value, "a number")
        try:
            return float(value if isinstance(value, (int, float)) else str(value).strip())
        except ValueError:
            raise _cast_failure(param, value, "a number") from None
    if base.startswith("list"):
        items = _as_list(param, value)
        inner = base[len("list["):-1] if base.startswith("list[") else None
        if not inner:
            return items
        try:
            return [_cast_scalar(param, inner, item) for item in items]
        except StudyError as exc:
            raise StudyError(f"{exc}, an element of the list {value!r}") from None
    if base.startswith("dict"):
        if kind is dict:
            loaded = dict(value)
        elif kind is str:
            loaded = _yaml_value(param, value, "a mapping such as {a: 1}")
        else:
            loaded = None
        if type(loaded) is not dict:
            raise _cast_failure(param, value, "a mapping such as {a: 1}")
        inner = base[len("dict[str,"):-1] if base.startswith("dict[str,") else None
        if inner:
            loaded = {key: _cast_scalar(param, inner, item) for key, item in loaded.items()}
        return loaded
    raise _cast_failure(param, value, f"a value of the declared type {base}")


def cast_parameter(param: Parameter, value: Any) -> Any:
    """Cast ``value`` (a command-line string or a YAML value) to ``param``'s annotated type.

    ``str`` stays a string (``"2024"`` is not turned into a number); ``int``, ``float`` and
    ``bool`` parse their text; ``list`` accepts ``a,b,c`` or ``[a, b]`` and ``list[int]``
    (``list[float]``, ``list[str]``) also casts each element; ``Optional[T]`` (or
    ``T | None``) also accepts ``none``/``null``/an empty string.

    Raises
    ------
    StudyError
        Naming the parameter, the expected type and the value.

    Examples
    --------
    >>> p = Parameter("wave", "str", "2023", "survey wave", '"2023"')
    >>> cast_parameter(p, "2024")
    '2024'
    >>> cast_parameter(Parameter("n", "int", 1, "", "1"), "2.5")
    Traceback (most recent call last):
    ...
    cxkit.studies.StudyError: parameter 'n' expects an integer (declared type 'int'), got '2.5'
    """
    if not isinstance(param, Parameter):
        raise TypeError(f"`param` must be a cxkit.studies.Parameter (from get_study(...)"
                        f".parameters); got {type(param).__name__}")
    base, optional = _split_optional(param.type)
    if value is None or (optional and isinstance(value, str) and value.strip().lower() in _NONE):
        if optional or param.default is None:
            return None
        raise _cast_failure(param, value, f"a value of type {base} (None is not allowed)")
    from cxkit._parameters import check_plain

    cast = _cast_scalar(param, base.replace(" ", ""), value)
    with _as_study_error():
        check_plain(cast, param.name)
    return cast


def resolve_parameters(study: Study, overrides: Mapping[str, Any] | None = None) -> dict:
    """Defaults of ``study`` updated with cast ``overrides``; unknown names are errors."""
    if not isinstance(study, Study):
        raise TypeError(f"`study` must be a cxkit.studies.Study (from get_study); got "
                        f"{type(study).__name__}")
    overrides = _check_overrides(overrides, "overrides")
    valid = [n for n in study.parameters if n not in RUNNER_PARAMETERS]
    for name in overrides:
        if name in RUNNER_PARAMETERS:
            raise StudyError(f"parameter '{name}' is set by the runner; use --out to choose "
                             "where runs are written")
        if name not in study.parameters:
            import difflib

            close = difflib.get_close_matches(name, valid, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise StudyError(f"unknown parameter '{name}' for study '{study.name}'{hint}; "
                             f"valid parameters: {', '.join(valid)}")
    values = study.defaults()
    for name, value in overrides.items():
        values[name] = cast_parameter(study.parameters[name], value)
    _check_choices(study, values)
    return values


def _check_overrides(overrides: Any, name: str) -> dict[str, Any]:
    """A mapping of parameter names (text) to values, or None; a copy as a dict."""
    if overrides is None:
        return {}
    if not isinstance(overrides, Mapping):
        raise TypeError(f"`{name}` must be a mapping of parameter name to value or None; got "
                        f"{type(overrides).__name__}")
    for key in overrides:
        if not isinstance(key, str):
            raise StudyError(f"`{name}`: parameter names must be text; got "
                             f"{type(key).__name__} {key!r}")
    return dict(overrides)


def _check_choices(study: Study, values: Mapping[str, Any]) -> None:
    import re

    for name, rx in study.patterns.items():
        given = values.get(name)
        for value in given if isinstance(given, list) else [given]:
            if value not in (None, "") and not re.fullmatch(rx, str(value)):
                raise StudyError(f"parameter '{name}' of study '{study.name}' must match "
                                 f"{rx!r}; got {value!r}")
    for name, allowed in study.choices.items():
        given = values.get(name)
        wrong = [v for v in (given if isinstance(given, list) else [given])
                 if v not in (None, "") and v not in allowed]
        if not wrong:
            continue
        value = wrong[0]
        import difflib

        close = difflib.get_close_matches(str(value), allowed, n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        raise StudyError(f"parameter '{name}' of study '{study.name}' must be one of "
                         f"{', '.join(allowed)}; got {value!r}{hint}")


#: Parameters a study may declare to say how its data file is read (see cxkit.io).
READ_OPTIONS = ("sep", "decimal", "encoding", "date_format", "sheet", "na_values")


def _read_options(values: Mapping[str, Any]) -> dict[str, Any]:
    """The data-reading options among a study's values (empty and None mean "detect")."""
    return {name: values[name] for name in READ_OPTIONS
            if name in values and values[name] not in (None, "", [], {})}


def _check_read_options(study: Study, values: Mapping[str, Any]) -> None:
    """Reading options apply to a ``data_path`` file only; never ignore one silently."""
    given = _read_options(values)
    if given and not values.get("data_path"):
        names = ", ".join(f"'{n}'" for n in given)
        raise StudyError(f"parameter(s) {names} of study '{study.name}' say how to read a "
                         "data_path file; the bundled data set "
                         f"'{values.get('dataset')}' needs none (give data_path, or drop them)")


def _check_columns(study: Study, values: Mapping[str, Any]) -> None:
    """Check column-naming parameters against the data before any kernel starts."""
    named = {name: values.get(name) for name in study.column_parameters}
    wanted = {name: ([v] if isinstance(v, str) else list(v or [])) for name, v in named.items()}
    wanted = {name: [c for c in cols if c not in (None, "")] for name, cols in wanted.items()}
    if not ("dataset" in values or "data_path" in values):
        return
    if not any(wanted.values()) and not values.get("data_path"):
        return  # a bundled data set reads; a file given by path is read here, options too
    from cxkit.datasets import load_data

    dataset, data_path = values.get("dataset"), values.get("data_path")
    source = f"data_path '{data_path}'" if data_path else f"data set '{dataset}'"
    try:
        frame = load_data(dataset=dataset, data_path=data_path, **_read_options(values))
    except (ValueError, TypeError, OSError) as exc:
        raise StudyError(f"cannot read the data of study '{study.name}': {exc}") from None
    present = {str(c) for c in frame.columns}
    for name, columns in wanted.items():
        missing = [c for c in columns if str(c) not in present]
        if not missing:
            continue
        import difflib

        close = difflib.get_close_matches(str(missing[0]), sorted(present), n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        shown = [str(c) for c in frame.columns]
        listed = ", ".join(shown[:30]) + (f", … ({len(shown)} in all)" if len(shown) > 30
                                           else "")
        what = "column" if len(missing) == 1 else "columns"
        raise StudyError(f"parameter '{name}': {what} {', '.join(map(repr, missing))} not in "
                         f"{source}{hint}; its columns are: {listed}")


def read_parameter_file(path: str | os.PathLike) -> dict[str, Any]:
    """Read a YAML (or JSON) file of ``name: value`` parameters."""
    from cxkit._parameters import load_yaml

    path = Path(path).expanduser()
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise StudyError(f"cannot read parameter file '{path}': {exc.strerror}") from None
    except UnicodeDecodeError:
        raise StudyError(f"parameter file '{path}' is not UTF-8 text") from None
    with _as_study_error():
        loaded = load_yaml(text, f"parameter file '{path}'")
    if loaded is None:
        return {}
    if type(loaded) is not dict:
        raise StudyError(f"parameter file '{path}' must hold a mapping of name: value, "
                         f"found {type(loaded).__name__}")
    bad = [key for key in loaded if type(key) is not str]
    if bad:
        raise StudyError(f"parameter file '{path}': every key must be a parameter name "
                         f"(text), found {type(bad[0]).__name__} {bad[0]!r}")
    return loaded


# --------------------------------------------------------------------------- inputs


def _input_files(values: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Check the study's input files before anything runs; absolutize paths.

    ``dataset``/``data_path`` follow :func:`cxkit.datasets.resolve_data_source` (the same
    rule the notebooks use); any other non-empty ``*_path`` parameter must be a readable
    file. Returns the values to inject and one record per input file for ``run.json``.
    """
    from cxkit.datasets import resolve_data_source, sha256_file

    values = dict(values)
    records = []
    if "dataset" in values or "data_path" in values:
        try:
            source = resolve_data_source(values.get("dataset"), values.get("data_path"))
        except (ValueError, TypeError, OSError) as exc:
            raise StudyError(str(exc)) from None
        if values.get("data_path"):
            values["data_path"] = str(Path(values["data_path"]).expanduser().resolve())
        records.append(("data_path" if values.get("data_path") else "dataset", source))
    for name, value in values.items():
        if name.endswith("_path") and name != "data_path" and value:
            path = Path(value).expanduser()
            if not path.is_file():
                raise StudyError(f"parameter '{name}': file '{value}' does not exist")
            values[name] = str(path.resolve())
            records.append((name, path))
    out = []
    for name, path in records:
        path = Path(path).resolve()
        try:
            checksum = sha256_file(path)
        except OSError as exc:
            raise StudyError(f"parameter '{name}': cannot read '{path}': {exc.strerror}") \
                from None
        out.append({"parameter": name, "path": _display_path(path),
                    "bytes": path.stat().st_size, "sha256": checksum})
    return values, out


def _display_path(path: Path) -> str:
    try:
        return str(path.relative_to(project_root()))
    except ValueError:
        return str(path)


# --------------------------------------------------------------------------- provenance


def _versions() -> dict[str, str | None]:
    from importlib.metadata import PackageNotFoundError, version

    found = {"python": platform.python_version()}
    for name in KEY_PACKAGES:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = None
    return found


def _git_state() -> dict[str, Any]:
    root = project_root()

    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(["git", "-C", str(root), *args], capture_output=True,
                                  text=True, timeout=20, check=True)
        except (OSError, subprocess.SubprocessError):
            return None
        return done.stdout.strip()

    commit = git("rev-parse", "HEAD")
    status = git("status", "--porcelain") if commit else None
    return {"commit": commit, "dirty": bool(status) if status is not None else None}


def _platform() -> dict[str, str]:
    return {"system": platform.system(), "release": platform.release(),
            "machine": platform.machine(), "platform": platform.platform(),
            "python_implementation": platform.python_implementation(),
            "executable": sys.executable}


def _now() -> _dt.datetime:
    return _dt.datetime.now(_dt.UTC)


def _new_run_dir(base: Path, study: str, started: _dt.datetime) -> Path:
    """``base/study/<UTC timestamp>``, suffixed ``-2``, ``-3``… so no run overwrites another."""
    parent = base / study
    parent.mkdir(parents=True, exist_ok=True)
    stamp = started.strftime("%Y%m%dT%H%M%SZ")
    for k in range(1, 10_000):
        candidate = parent / (stamp if k == 1 else f"{stamp}-{k}")
        try:
            candidate.mkdir()
        except FileExistsError:
            continue
        return candidate
    raise StudyError(f"cannot create a new run folder under {parent}")


def _finite_or_none(obj: Any) -> Any:
    if isinstance(obj, float):
        return obj if obj == obj and obj not in (float("inf"), float("-inf")) else None
    if isinstance(obj, dict):
        return {key: _finite_or_none(value) for key, value in obj.items()}
    if isinstance(obj, list):
        return [_finite_or_none(value) for value in obj]
    return obj


def _check_result_keys(results: Mapping[str, Any]) -> None:
    """Refuse what JSON cannot hold faithfully: a value that contains itself, and keys that
    collide once written as text (``1`` and ``"1"`` would silently keep only one)."""
    seen: set[int] = set()

    def walk(obj: Any, where: str) -> None:
        if isinstance(obj, (Mapping, list, tuple, set, frozenset)):
            if id(obj) in seen:
                raise ValueError(f"`results`{where} contains itself (a circular reference); "
                                 "JSON can only hold a tree of values")
            seen.add(id(obj))
            if isinstance(obj, Mapping):
                texts: dict[str, Any] = {}
                for key, value in obj.items():
                    text = key if isinstance(key, str) else str(key)
                    if text in texts:
                        raise ValueError(f"`results`{where} has keys {texts[text]!r} and "
                                         f"{key!r}, which are both written as {text!r}; "
                                         "rename one")
                    texts[text] = key
                    walk(value, f"{where}[{key!r}]")
            else:
                for i, value in enumerate(obj):
                    walk(value, f"{where}[{i}]")
            seen.discard(id(obj))

    walk(results, "")


@contextlib.contextmanager
def collect_caveats(caveats: list[str], *, echo: bool = False):
    """Turn the UserWarnings raised inside the block into a study's caveats.

    A study notebook wraps each analysis step in this block, so every warning a cxkit
    function gives (a small segment, an undefined statistic, a reverse-keyed item) lands
    in ``caveats`` — and so in ``results.json`` and the report — instead of scrolling
    past in the output. Messages are appended in the order raised.

    Parameters
    ----------
    caveats : list of str
        The study's list of caveats; appended to in place when the block ends.
    echo : bool, default False
        Also print each as ``Caveat: ...`` when the block ends.

    Raises
    ------
    TypeError
        ``caveats`` is not a list, or ``echo`` is not a bool.

    Examples
    --------
    >>> import cxkit
    >>> caveats = []
    >>> with collect_caveats(caveats):
    ...     result = cxkit.nps([1, 2, 3, 4, 5] * 4)  # a 1-5 score taken for the 0-10 LTR
    >>> result.estimate, len(caveats), caveats[0].startswith("`scores`: no score reaches")
    (-100.0, 1, True)
    """
    from cxkit._validation import caught_user_warnings

    if not isinstance(caveats, list):
        raise TypeError(f"`caveats` must be the study's list of caveats (a list); got "
                        f"{type(caveats).__name__}")
    if not isinstance(echo, bool):
        raise TypeError(f"`echo` must be True or False; got {type(echo).__name__}")
    with caught_user_warnings() as said:
        yield caveats
    caveats.extend(said)
    if echo:
        for message in said:
            print("Caveat:", message)


def write_results(output_dir: str | os.PathLike, results: Mapping[str, Any]) -> Path:
    """Write a study's ``results.json`` into ``output_dir``: full precision, valid JSON.

    Called by every notebook at its end. Values are converted with
    :func:`cxkit._results.to_builtin` (numpy scalars, DataFrames as lists of records,
    Series as mappings, timestamps as ISO 8601 text, result objects via ``to_dict``);
    numbers are never rounded; NaN and infinities become ``null`` so that any JSON
    reader can load the file.

    Examples
    --------
    >>> import json, math, tempfile
    >>> folder = tempfile.mkdtemp()
    >>> path = write_results(folder, {"estimate": 1 / 3, "missing": math.nan})
    >>> json.loads(path.read_text())
    {'estimate': 0.3333333333333333, 'missing': None}
    """
    from cxkit._results import to_builtin

    folder = _check_path_argument(output_dir, "output_dir", allow_none=False)
    if not folder.is_dir():
        what = "is not a folder" if folder.exists() else "does not exist"
        raise ValueError(f"`output_dir` '{folder}' {what}; the study writes results.json into "
                         "an existing folder")
    if not isinstance(results, Mapping):
        raise TypeError(f"`results` must be a mapping of names to values; got "
                        f"{type(results).__name__}")
    _check_result_keys(results)
    path = folder / "results.json"
    payload = _finite_or_none(to_builtin(dict(results)))
    text = json.dumps(payload, indent=2, allow_nan=False, ensure_ascii=False)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(text + "\n", encoding="utf-8")
    tmp.replace(path)
    return path


def _write_json(path: Path, payload: dict) -> None:
    tmp = path.with_suffix(".json.tmp")
    text = json.dumps(_finite_or_none(payload), indent=2, default=str, allow_nan=False)
    tmp.write_text(text + "\n", encoding="utf-8")
    tmp.replace(path)


# --------------------------------------------------------------------------- execution


#: Figures are shown inline in the executed notebook (and so in its HTML export), whatever
#: MPLBACKEND the caller has set for itself (e.g. Agg for headless tests).
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"


@contextlib.contextmanager
def _kernel_environment(**variables: str):
    """Set environment variables that the kernel inherits, restoring them afterwards."""
    saved = {name: os.environ.get(name) for name in variables}
    os.environ.update(variables)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _progress_engine():
    """A papermill engine that reports 'code cell k of N' before each code cell."""
    from papermill.engines import NBClientEngine

    class ProgressEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, progress=None, **kwargs):
            if progress is not None:
                code = [i for i, c in enumerate(nb_man.nb.cells) if c.cell_type == "code"]
                position = {index: k for k, index in enumerate(code, start=1)}
                original = nb_man.cell_start

                def cell_start(cell, cell_index=None, **kw):
                    if cell_index in position:
                        progress(position[cell_index], len(code))
                    return original(cell, cell_index, **kw)

                nb_man.cell_start = cell_start
            return super().execute_managed_notebook(nb_man, kernel_name, **kwargs)

    return ProgressEngine


@dataclass(frozen=True)
class RunResult:
    """What :func:`run_study` did: the run folder, its status and ``run.json``."""

    study: str
    run_dir: Path
    status: str
    record: dict
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.status == "succeeded"

    @property
    def results(self) -> dict:
        """The notebook's ``results.json``."""
        return json.loads((self.run_dir / "results.json").read_text(encoding="utf-8"))


def _failure_summary(exc: BaseException) -> str:
    """A few readable lines for a failing cell: which cell, the exception, its message."""
    ename = getattr(exc, "ename", type(exc).__name__)
    evalue = getattr(exc, "evalue", str(exc))
    cell = getattr(exc, "exec_count", None)
    where = f"cell [{cell}]" if cell is not None else "a cell"
    lines = (getattr(exc, "source", None) or "").strip().splitlines()
    source = f"\n  cell starts: {lines[0][:100]}" if lines else ""
    return f"{where} raised {ename}: {evalue}{source}"


def _export_html(nb_path: Path, html_path: Path) -> str | None:
    try:
        import nbformat
        from nbconvert import HTMLExporter

        body, _ = HTMLExporter().from_notebook_node(nbformat.read(nb_path, as_version=4))
        html_path.write_text(body, encoding="utf-8")
        return None
    except Exception as exc:  # noqa: BLE001 - a failed export must not hide the run's status
        return f"HTML export failed: {type(exc).__name__}: {exc}"


def _outputs(run_dir: Path) -> list[dict[str, Any]]:
    from cxkit.datasets import sha256_file

    files = sorted(p for p in run_dir.rglob("*") if p.is_file() and p.name != "run.json")
    return [{"path": str(p.relative_to(run_dir)), "bytes": p.stat().st_size,
             "sha256": sha256_file(p)} for p in files]


class RunInterrupted(KeyboardInterrupt):
    """Raised in the runner when SIGTERM or SIGHUP arrives, as SIGINT raises KeyboardInterrupt."""

    def __init__(self, signal_name: str):
        super().__init__(signal_name)
        self.signal_name = signal_name


@contextlib.contextmanager
def _signals_interrupt():
    """While a study runs, SIGTERM and SIGHUP interrupt it as Ctrl-C (SIGINT) does."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum, frame):
        raise RunInterrupted(signal.Signals(signum).name)

    wanted = [getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)]
    saved = {sig: signal.signal(sig, handler) for sig in wanted}
    try:
        yield
    finally:
        for sig, previous in saved.items():
            signal.signal(sig, previous)


@contextlib.contextmanager
def _quiet_kernel_shutdown():
    """Keep nbclient/zmq/asyncio log lines (tracebacks of a killed kernel) off the terminal."""
    import logging

    names = ("papermill", "nbclient", "traitlets", "asyncio", "jupyter_client")
    loggers = [logging.getLogger(name) for name in names]
    saved = [(lg, lg.level, lg.propagate) for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for lg, level, propagate in saved:
            lg.setLevel(level)
            lg.propagate = propagate


#: The file (in the run folder) where cxkit's readers log what the notebook actually read.
READ_LOG = ".cxkit-read.jsonl"


def _read_records(run_dir: Path) -> list[dict[str, Any]]:
    log = run_dir / READ_LOG
    if not log.is_file():
        return []
    records = []
    for line in log.read_text(encoding="utf-8").splitlines():
        with contextlib.suppress(ValueError):
            records.append(json.loads(line))
    log.unlink()
    return records


def _compare_reads(inputs: list[dict], read: list[dict]) -> list[str]:
    """Warnings when the notebook read bytes other than those checked before the run."""
    expected = {item["sha256"] for item in inputs}
    changed = [r for r in read if inputs and r.get("sha256") not in expected]
    return [f"the notebook read '{r.get('path')}' with SHA-256 {r.get('sha256')}, which "
            "differs from the file checked before the run (it changed during the run); the "
            "results describe the bytes read" for r in changed]


def _check_out(out: str | os.PathLike | None) -> Path:
    base = Path(out).expanduser() if out is not None else Path("reports")
    if base.exists() and not base.is_dir():
        raise StudyError(f"--out '{out}' is a file; give a folder for the runs")
    probe = base
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    if probe.exists() and not probe.is_dir():
        raise StudyError(f"--out '{out}' lies under '{probe}', which is a file")
    return base


def _check_timeout(timeout: Any) -> int | None:
    if timeout is None:
        return None
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or \
            not math.isfinite(timeout) or timeout <= 0 or int(timeout) != timeout:
        raise StudyError(f"`timeout` must be a positive whole number of seconds, got "
                         f"{timeout!r}")
    return int(timeout)


def _prepare(name, parameters, directory, out, timeout):
    """Everything checked before a run folder exists: study, values, data, --out, timeout."""
    parameters = _check_overrides(parameters, "parameters")
    if not isinstance(out, (str, os.PathLike, type(None))) or isinstance(out, bytes):
        raise TypeError(f"`out` must be a str or path-like or None; got {type(out).__name__}")
    study = get_study(name, directory)
    values = resolve_parameters(study, parameters)
    values, inputs = _input_files(values)
    _check_read_options(study, values)
    _check_columns(study, values)
    overrides = {k: values[k] for k in (parameters or {})}
    return study, values, inputs, overrides, _check_out(out), _check_timeout(timeout)


#: The kernel's own stderr (zmq and shutdown noise) goes here, not to the terminal.
KERNEL_LOG = "kernel.log"


def _kernel_manager_class(log_path: Path):
    """An AsyncKernelManager whose kernel writes its stderr to ``log_path``."""
    from jupyter_client import AsyncKernelManager

    class LoggedKernelManager(AsyncKernelManager):
        async def _async_launch_kernel(self, kernel_cmd, **kw):
            log = open(log_path, "ab")  # noqa: SIM115 - the kernel process holds it open
            try:
                kw.setdefault("stderr", log)
                return await super()._async_launch_kernel(kernel_cmd, **kw)
            finally:
                log.close()

    return LoggedKernelManager


def _drop_empty_log(run_dir: Path) -> None:
    log = run_dir / KERNEL_LOG
    if log.is_file() and log.stat().st_size == 0:
        log.unlink()


def _execute(study: Study, values: dict, nb_out: Path, run_dir: Path, timeout, progress,
             clock: float) -> None:
    import tempfile

    import papermill
    from papermill.engines import papermill_engines
    from traitlets.config import Config

    from cxkit._parameters import register_translator

    register_translator()
    papermill_engines.register("cxkit-progress", _progress_engine())
    with tempfile.TemporaryDirectory(prefix="cxkit-kernel-") as sockets, \
            _kernel_environment(MPLBACKEND=INLINE_BACKEND,
                                CXKIT_READ_LOG=str(run_dir / READ_LOG)), \
            _quiet_kernel_shutdown():
        # The kernel talks over private Unix sockets rather than open localhost ports.
        config = Config({"KernelManager": {"transport": "ipc", "ip": f"{sockets}/k"}})
        papermill.execute_notebook(
            str(study.path), str(nb_out), parameters=values, engine_name="cxkit-progress",
            progress_bar=False, cwd=str(run_dir), execution_timeout=timeout, config=config,
            kernel_manager_class=_kernel_manager_class(run_dir / KERNEL_LOG),
            progress=(lambda k, n: progress(k, n, time.monotonic() - clock))
            if progress else None,
        )


def run_study(
    name: str,
    parameters: Mapping[str, Any] | None = None,
    *,
    out: str | os.PathLike | None = None,
    timeout: float | None = None,
    progress: Callable[[int, int, float], None] | None = None,
    directory: str | os.PathLike | None = None,
) -> RunResult:
    """Validate parameters, execute the study with papermill and record the run.

    Parameters
    ----------
    name : str
        A study in :func:`notebooks_dir` (see :func:`list_studies`).
    parameters : mapping, optional
        Overrides of the notebook's defaults; strings are cast to the annotated types and
        every value must end as plain JSON data (text, numbers, booleans, null, lists and
        mappings of them); anything else is refused before a kernel starts.
    out : path, optional
        Root of the reports (default ``reports/`` under the current directory); the run
        goes to ``out/<study>/<UTC timestamp>[-k]/`` and never overwrites another run.
    timeout : int, optional
        Whole seconds any single cell may run before the run fails (papermill's execution
        timeout). ``None``: no limit.
    progress : callable, optional
        Called as ``progress(k, n_code_cells, elapsed_seconds)`` before each code cell.
    directory : path, optional
        Where to look for studies (default :func:`notebooks_dir`).

    Returns
    -------
    RunResult
        ``status`` is ``"succeeded"`` or ``"failed"``; a failed run keeps its executed
        notebook (with the error) and its ``run.json`` says ``failed``.

    Raises
    ------
    StudyError
        For user errors found before execution (unknown study or parameter, a value that
        cannot be cast or is not plain data, a missing data file, a column the data does
        not have, a choice not offered, ``out`` naming a file). No run folder is created.
    KeyboardInterrupt
        On Ctrl-C, SIGTERM or SIGHUP (:class:`RunInterrupted` for the latter two), after
        ``run.json`` records ``"status": "interrupted"``, the signal and the end time.
    """
    if progress is not None and not callable(progress):
        raise TypeError(f"`progress` must be a callable progress(k, n, seconds) or None; got "
                        f"{type(progress).__name__}")
    study, values, inputs, overrides, base, timeout = _prepare(
        name, parameters, directory, out, timeout)
    versions = _versions()
    started = _now()
    run_dir = _new_run_dir(base, study.name, started).resolve()
    if "output_dir" in study.parameters:
        values["output_dir"] = str(run_dir)
    record: dict[str, Any] = {
        "study": study.name,
        "notebook": _display_path(study.path),
        "run_id": run_dir.name,
        "status": "running",
        "parameters": values,
        "defaults": study.defaults(),
        "overrides": overrides,
        "inputs": inputs,
        "cxkit_version": versions["cxkit"],
        "versions": versions,
        "platform": _platform(),
        "git": _git_state(),
        "started": started.isoformat(),
        "ended": None,
        "duration_seconds": None,
        "timeout_seconds": timeout,
    }
    _write_json(run_dir / "run.json", record)
    nb_out = run_dir / f"{study.name}.ipynb"
    error = None
    clock = time.monotonic()
    try:
        with _signals_interrupt():
            _execute(study, values, nb_out, run_dir, timeout, progress, clock)
        status = "succeeded"
        if "output_dir" in study.parameters and not (run_dir / "results.json").is_file():
            status, error = "failed", "the notebook finished but did not write results.json"
    except Exception as exc:  # noqa: BLE001 - any failure of the run is recorded, not raised
        status, error = "failed", _failure_summary(exc)
    except KeyboardInterrupt as exc:
        signal_name = getattr(exc, "signal_name", "SIGINT")
        _drop_empty_log(run_dir)
        record.update(status="interrupted", signal=signal_name, ended=_now().isoformat(),
                      duration_seconds=time.monotonic() - clock,
                      read=_read_records(run_dir), outputs=_outputs(run_dir))
        _write_json(run_dir / "run.json", record)
        raise
    read = _read_records(run_dir)
    _drop_empty_log(run_dir)
    export_error = _export_html(nb_out, run_dir / f"{study.name}.html") \
        if nb_out.is_file() else "no executed notebook to export"
    ended = _now()
    record.update(status=status, error=error, html_export_error=export_error,
                  ended=ended.isoformat(), duration_seconds=time.monotonic() - clock,
                  read=read, warnings=_compare_reads(inputs, read), outputs=_outputs(run_dir))
    _write_json(run_dir / "run.json", record)
    return RunResult(study.name, run_dir, status, record, error)


def refresh_figures(run: RunResult, figures: str | os.PathLike) -> list[Path]:
    """Copy a successful run's figures into ``figures/<study>/`` (replacing the old ones)."""
    if not isinstance(run, RunResult):
        raise TypeError(f"`run` must be a cxkit.studies.RunResult (from run_study); got "
                        f"{type(run).__name__}")
    study = run.study
    if not isinstance(study, str) or not study.strip() or study in (".", "..") or \
            any(sep in study for sep in ("/", "\\", "\0")):
        # the folder figures/<study> is deleted and rewritten: never a parent or a path
        raise ValueError(f"`run` names the study {study!r}, which is not a study name")
    folder = _check_path_argument(figures, "figures", allow_none=False)
    if not run.ok:
        return []
    target = folder / study
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    copied = []
    for path in sorted(run.run_dir.rglob("*")):
        if path.suffix.lower() in FIGURE_SUFFIXES and path.is_file():
            dest = target / path.relative_to(run.run_dir)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, dest)
            copied.append(dest)
    return copied
