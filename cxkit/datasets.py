"""Bundled survey data: a registry, checksum-verified loading, and data-source rules.

Four real public data sets and one simulated CX programme ship in the repository's
``datasets/`` folder, each described by a data card in ``datasets/README.md`` and pinned
by a SHA-256 checksum in ``datasets/SHA256SUMS``:

================== ====== ======================================================
name               rows   what it is
================== ====== ======================================================
bank_satisfaction  250    Spanish bank customer satisfaction, ECSI blocks, 0-10
bfi                2800   25 Big-Five IPIP items (SAPA), 1-6, with demographics
cx_programme       5000   SIMULATED CX programme: dates, regions, branches, channels
ecsi_mobile        250    ECSI mobile-phone customers (Tenenhaus et al. 2005), 1-10
spi_compassion     4000   Five SPI compassion items (SAPA), 1-6, with demographics
================== ====== ======================================================

The real data keep their own licences (GPL, see :attr:`DatasetInfo.licence`), separate
from the BSD-3-Clause licence of cxkit's code; ``cx_programme`` is cxkit's own output.

:func:`resolve_data_source` is the single rule every study uses to decide which file it
reads: a non-empty ``data_path`` wins, otherwise a bundled ``dataset`` name.

:func:`simulate_survey` draws Likert data from a factor model whose population
reliability (alpha and omega of the discrete items) is known exactly, for teaching and
for checking estimators; :func:`simulate_cx_programme` draws a whole CX programme (the
bundled ``cx_programme``) with its true NPS per branch, region and week.

Examples
--------
>>> from cxkit.datasets import load_dataset
>>> bfi = load_dataset("bfi")
>>> bfi.shape
(2800, 28)
>>> str(bfi["A1"].dtype), str(bfi["gender"].dtype)
('Int64', 'category')
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from cxkit.io import FORMATS, _one_line, log_read, read_table

if TYPE_CHECKING:  # pragma: no cover - typing only, keeps ``import cxkit`` light
    import pandas as pd

__all__ = [
    "DATASETS",
    "DatasetInfo",
    "data_dir",
    "dataset_info",
    "dataset_path",
    "list_datasets",
    "load_data",
    "load_dataset",
    "resolve_data_source",
    "sha256_file",
    "SimulatedSurvey",
    "simulate_survey",
    "CXProgrammeTruth",
    "SimulatedCXProgramme",
    "cx_branch_names",
    "simulate_cx_programme",
]

#: Environment variable that points :func:`data_dir` at another folder.
DATA_DIR_ENV = "CXKIT_DATA_DIR"
#: Name of the checksum file inside :func:`data_dir` (``sha256sum`` format).
CHECKSUM_FILE = "SHA256SUMS"
#: Suffixes :func:`resolve_data_source` accepts for ``data_path``.
DATA_SUFFIXES = tuple(FORMATS)
_CHUNK_SIZE = 1 << 20


def _frozen(mapping: Mapping) -> MappingProxyType:
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True)
class DatasetInfo:
    """Metadata of one bundled data set (see ``datasets/README.md`` for the full card).

    Attributes
    ----------
    name : str
        Registry name, passed to :func:`load_dataset`.
    filename : str
        File name inside :func:`data_dir`.
    description : str
        One-line description.
    source : str
        Where the file was exported from (R package and object) and the original study.
    licence : str
        Licence of the data (not of cxkit's code).
    items : tuple of str
        The Likert item columns, grouped by block (``blocks``).
    scale : tuple of (int, int)
        Minimum and maximum response of the items.
    blocks : Mapping[str, tuple of str]
        Construct (block) name to its item columns.
    categorical : Mapping[str, Mapping]
        Demographic column to its coding, raw code to label, in category order.
    ordered : tuple of str
        The ``categorical`` columns whose categories are ordered (education).
    integer : tuple of str
        Other integer columns (age), loaded as ``Int64``.
    reverse_keyed : tuple of str
        Items worded in the opposite direction of their block.
    index_col : str or None
        Raw header of a row-name column to use as the index (named ``index_name``);
        ``""`` is the unnamed first column that R's ``write.csv`` writes.
    index_name : str or None
        Name given to that index.
    dates : tuple of str
        Date columns, parsed as datetimes (ISO ``YYYY-MM-DD`` in the file).
    text : tuple of str
        Free-text columns, loaded as pandas ``string``.
    na_values : tuple of str or None
        The cell texts read as missing. ``None`` keeps pandas' defaults (``NA``, ``N/A``,
        ``None``, ... : R's ``NA`` marks the missing values of the files exported from
        R); a tuple means only those texts, so ``("",)`` keeps a region called ``NA``
        or a comment ``N/A`` as text and reads only empty cells as missing.
    simulated : bool
        True for data drawn by a cxkit simulator (no real respondents).
    """

    name: str
    filename: str
    description: str
    source: str
    licence: str
    items: tuple[str, ...]
    scale: tuple[int, int]
    blocks: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: _frozen({}))
    categorical: Mapping[str, Mapping[Any, str]] = field(default_factory=lambda: _frozen({}))
    ordered: tuple[str, ...] = ()
    integer: tuple[str, ...] = ()
    reverse_keyed: tuple[str, ...] = ()
    index_col: str | None = None
    index_name: str | None = None
    dates: tuple[str, ...] = ()
    text: tuple[str, ...] = ()
    na_values: tuple[str, ...] | None = None
    simulated: bool = False

    @property
    def columns(self) -> tuple[str, ...]:
        """Every column the loaded frame holds: items, categorical, integer, date, text."""
        return self.items + tuple(self.categorical) + self.integer + self.dates + self.text


def _blocks(**blocks: tuple[str, ...]) -> MappingProxyType:
    return _frozen(blocks)


def _numbered(prefix: str, n: int) -> tuple[str, ...]:
    return tuple(f"{prefix}{i}" for i in range(1, n + 1))


_SEX = _frozen({1: "male", 2: "female"})

_ECSI_BLOCKS = _blocks(
    image=_numbered("IMAG", 5),
    expectations=_numbered("CUEX", 3),
    perceived_quality=_numbered("PERQ", 7),
    perceived_value=_numbered("PERV", 2),
    satisfaction=_numbered("CUSA", 3),
    complaints=("CUSCO",),
    loyalty=_numbered("CUSL", 3),
)
_BANK_BLOCKS = _blocks(
    image=_numbered("imag", 5),
    expectations=_numbered("expe", 5),
    quality=_numbered("qual", 5),
    value=_numbered("val", 4),
    satisfaction=_numbered("sat", 4),
    loyalty=_numbered("loy", 4),
)
_SPI_BLOCKS = _blocks(compassion=("q_253", "q_90", "q_1763", "q_851", "q_1832"))
_BFI_BLOCKS = _blocks(
    agreeableness=_numbered("A", 5),
    conscientiousness=_numbered("C", 5),
    extraversion=_numbered("E", 5),
    neuroticism=_numbered("N", 5),
    openness=_numbered("O", 5),
)


def _items(blocks: Mapping[str, tuple[str, ...]]) -> tuple[str, ...]:
    return tuple(item for block in blocks.values() for item in block)


_REGISTRY = (
    DatasetInfo(
        name="cx_programme",
        filename="cx_programme.csv",
        description="SIMULATED multi-branch CX programme with known truth: a year of "
        "responses by date, region, branch and channel; LTR 0-10, CSAT 1-5, five empathy "
        "items on 1-5 (emp3 reverse-worded), comments (5000 responses).",
        source="simulated by cxkit.datasets.simulate_cx_programme() with its defaults "
        "(seed 2024); no real respondents. The population values are in its .truth",
        licence="BSD-3-Clause (generated by cxkit's code)",
        items=_numbered("emp", 5),
        scale=(1, 5),
        blocks=_blocks(empathy=_numbered("emp", 5)),
        categorical=_frozen({
            "region": _frozen({r: r for r in ("NA", "EMEA", "APAC", "LATAM")}),
            "branch": _frozen({b: b for b in (f"{r}-{j:02d}" for r in
                                              ("NA", "EMEA", "APAC", "LATAM")
                                              for j in range(1, 11))}),
            "channel": _frozen({c: c for c in ("branch", "phone", "web", "app")}),
        }),
        integer=("response_id", "ltr", "csat"),
        reverse_keyed=("emp3",),
        dates=("date",),
        text=("comment",),
        na_values=("",),
        simulated=True,
    ),
    DatasetInfo(
        name="bank_satisfaction",
        filename="bank_satisfaction.csv",
        description="Customer satisfaction with a Spanish bank: 27 ECSI-style items on 0-10, "
        "plus gender (250 customers).",
        source="R package plspm, data set `satisfaction` (Laboratory of Information Analysis "
        "and Modeling, Universitat Politecnica de Catalunya)",
        licence="GPL-3",
        items=_items(_BANK_BLOCKS),
        scale=(0, 10),
        blocks=_BANK_BLOCKS,
        categorical=_frozen({"gender": _frozen({"male": "male", "female": "female"})}),
        index_col="",
        index_name="respondent",
    ),
    DatasetInfo(
        name="bfi",
        filename="bfi.csv",
        description="25 Big-Five personality items (IPIP, SAPA project) on 1-6, plus gender, "
        "education and age (2800 participants).",
        source="R package psych / psychTools, data set `bfi` (Revelle, Wilt & Rosenthal 2010; "
        "items from Goldberg's IPIP 1999)",
        licence="GPL (>= 2); IPIP item wording is public domain",
        items=_items(_BFI_BLOCKS),
        scale=(1, 6),
        blocks=_BFI_BLOCKS,
        categorical=_frozen({
            "gender": _SEX,
            "education": _frozen({
                1: "HS",
                2: "finished HS",
                3: "some college",
                4: "college graduate",
                5: "graduate degree",
            }),
        }),
        ordered=("education",),
        integer=("age",),
        reverse_keyed=("A1", "C4", "C5", "E1", "E2", "O2", "O5"),
    ),
    DatasetInfo(
        name="ecsi_mobile",
        filename="ecsi_mobile.csv",
        description="European Customer Satisfaction Index survey of mobile-phone customers: "
        "24 items on 1-10 (250 customers).",
        source="R package semPLS, data set `mobi` (Tenenhaus, Esposito Vinzi, Chatelin & "
        "Lauro 2005, Computational Statistics & Data Analysis 48:159-205)",
        licence="GPL-2 / GPL-3 (semPLS; also in seminr and cSEM)",
        items=_items(_ECSI_BLOCKS),
        scale=(1, 10),
        blocks=_ECSI_BLOCKS,
        index_col="",
        index_name="respondent",
    ),
    DatasetInfo(
        name="spi_compassion",
        filename="spi_compassion.csv",
        description="Five IPIP compassion/empathy items of the SAPA Personality Inventory on "
        "1-6, plus age, sex and education (4000 participants).",
        source="R package psychTools, data set `spi` (SAPA Personality Inventory, Condon 2018)",
        licence="GPL (>= 2); IPIP item wording is public domain",
        items=_items(_SPI_BLOCKS),
        scale=(1, 6),
        blocks=_SPI_BLOCKS,
        categorical=_frozen({
            "sex": _SEX,
            "education": _frozen({
                1: "less than 12 years",
                2: "HS grad",
                3: "current university",
                4: "some university",
                5: "associate degree",
                6: "college degree",
                7: "in graduate/professional school",
                8: "graduate/professional degree",
            }),
        }),
        ordered=("education",),
        integer=("age",),
    ),
)

#: The bundled data sets by name (read-only), sorted by name.
DATASETS: Mapping[str, DatasetInfo] = MappingProxyType(
    {info.name: info for info in sorted(_REGISTRY, key=lambda info: info.name)}
)


# --------------------------------------------------------------------------- lookups


def _known() -> str:
    return ", ".join(DATASETS)


def dataset_info(name: str) -> DatasetInfo:
    """Registry entry of a bundled data set.

    Parameters
    ----------
    name : str
        One of ``bank_satisfaction``, ``bfi``, ``cx_programme``, ``ecsi_mobile``,
        ``spi_compassion``.

    Returns
    -------
    DatasetInfo
        File name, description, source, licence, items, scale, codings, keying.

    Raises
    ------
    TypeError
        If `name` is not a string.
    ValueError
        If `name` is not a bundled data set; the message lists the known names.

    Examples
    --------
    >>> info = dataset_info("bfi")
    >>> info.scale, info.reverse_keyed
    ((1, 6), ('A1', 'C4', 'C5', 'E1', 'E2', 'O2', 'O5'))
    >>> info.blocks["agreeableness"]
    ('A1', 'A2', 'A3', 'A4', 'A5')
    >>> dict(info.categorical["gender"])
    {1: 'male', 2: 'female'}
    """
    return _info(name, "name")


def _info(name: Any, argument: str) -> DatasetInfo:
    """:func:`dataset_info`, its errors naming ``argument`` (``name`` or ``dataset``)."""
    if not isinstance(name, str):
        raise TypeError(f"`{argument}` must be a str naming a data set, found "
                        f"{type(name).__name__}")
    try:
        return DATASETS[name]
    except KeyError:
        raise ValueError(f"unknown dataset {name!r} (`{argument}`); known data sets: "
                         f"{_known()}") from None


def data_dir() -> Path:
    """Folder holding the bundled data files and ``SHA256SUMS``.

    The repository's ``datasets/`` folder, unless the environment variable
    ``CXKIT_DATA_DIR`` is set to a non-empty value, which then wins.

    Returns
    -------
    pathlib.Path
        An absolute path (not checked for existence).

    Examples
    --------
    >>> (data_dir() / "SHA256SUMS").is_file()
    True
    """
    override = os.environ.get(DATA_DIR_ENV, "")
    if override:
        return Path(override).expanduser().resolve()
    return Path(__file__).resolve().parent.parent / "datasets"


def dataset_path(name: str) -> Path:
    """Path of a bundled data set's file inside :func:`data_dir`.

    Parameters
    ----------
    name : str
        A bundled data set name.

    Returns
    -------
    pathlib.Path
        ``data_dir() / dataset_info(name).filename`` (not checked for existence).

    Raises
    ------
    TypeError, ValueError
        As :func:`dataset_info`.

    Examples
    --------
    >>> dataset_path("ecsi_mobile").name
    'ecsi_mobile.csv'
    """
    return data_dir() / dataset_info(name).filename


# --------------------------------------------------------------------------- checksums


def sha256_file(path: str | os.PathLike[str]) -> str:
    """SHA-256 of a file, read in 1 MiB chunks so that large files cost little memory.

    Parameters
    ----------
    path : str or path-like
        The file.

    Returns
    -------
    str
        64 lowercase hex digits, the same as ``sha256sum`` prints.

    Raises
    ------
    OSError
        If the file cannot be opened (``FileNotFoundError``, ``IsADirectoryError``, ...).

    Examples
    --------
    >>> digest = sha256_file(dataset_path("bfi"))
    >>> len(digest)
    64
    >>> digest == _expected_checksums(data_dir())["bfi.csv"]
    True
    """
    if isinstance(path, bool) or not isinstance(path, (str, os.PathLike)):
        # open() takes an int as a file descriptor: 0 would read standard input
        raise TypeError(f"`path` must be a str or path-like naming a file; got "
                        f"{type(path).__name__}")
    if not os.fspath(path):
        raise ValueError("`path` is empty; name the file to checksum")
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(_CHUNK_SIZE), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _expected_checksums(directory: Path) -> dict[str, str]:
    """Parse ``directory/SHA256SUMS`` (``<hex>  <file>`` or ``<hex> *<file>`` lines)."""
    sums_path = directory / CHECKSUM_FILE
    try:
        text = sums_path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise FileNotFoundError(
            f"checksum file '{sums_path}' does not exist; the bundled data cannot be "
            f"verified (regenerate it with `sha256sum *.csv > {CHECKSUM_FILE}` in "
            f"'{directory}', or pass verify=False)"
        ) from None
    sums: dict[str, str] = {}
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        digest, sep, filename = line.partition(" ")
        filename = filename[1:] if filename[:1] in (" ", "*") else filename
        if not sep or len(digest) != 64 or not filename:
            raise ValueError(
                f"'{sums_path}' line {lineno} is not in sha256sum format "
                f"('<64 hex digits>  <file name>'): {line!r}"
            )
        try:
            int(digest, 16)
        except ValueError:
            raise ValueError(
                f"'{sums_path}' line {lineno} has a checksum that is not hexadecimal: "
                f"{digest!r}"
            ) from None
        sums[filename] = digest.lower()
    return sums


def _verify(path: Path, actual: str) -> None:
    """Check the SHA-256 `actual` of the bytes read from `path` against SHA256SUMS."""
    sums_path = path.parent / CHECKSUM_FILE
    expected = _expected_checksums(path.parent).get(path.name)
    if expected is None:
        raise ValueError(
            f"'{path.name}' is not listed in '{sums_path}', so '{path}' cannot be verified; "
            f"add its line with `sha256sum {path.name} >> {CHECKSUM_FILE}` if the file is "
            "meant to be there"
        )
    if actual != expected:
        raise ValueError(
            f"checksum mismatch for '{path}': SHA256SUMS expects {expected}, the file has "
            f"{actual}. The file was modified (or corrupted) after the checksum was written; "
            f"restore the original (e.g. `git checkout -- {path.name}`), or, if the change "
            f"is intended, update '{sums_path}' and the data card"
        )


# --------------------------------------------------------------------------- loading


def _require_file(path: Path, name: str) -> None:
    if not path.is_file():
        what = "is not a file" if path.exists() else "does not exist"
        raise FileNotFoundError(
            f"data file '{path}' of data set '{name}' {what}; restore the repository's "
            f"datasets/ folder or point {DATA_DIR_ENV} at a folder holding it"
        )


def _categorical(series: pd.Series, coding: Mapping[Any, str], ordered: bool,
                 column: str, path: Path) -> pd.Categorical:
    import pandas as pd

    present = {value.item() if hasattr(value, "item") else value
               for value in series.dropna().unique()}
    unknown = sorted(present - set(coding), key=str)
    if unknown:
        raise ValueError(
            f"column '{column}' of '{path}' has values {unknown} outside its documented "
            f"coding {dict(coding)}"
        )
    labels = series.map(coding, na_action="ignore")
    return pd.Categorical(labels, categories=list(coding.values()), ordered=ordered)


def _check_scale(frame: pd.DataFrame, info: DatasetInfo, path: Path) -> None:
    low, high = info.scale
    for column in info.items:
        values = frame[column]
        outside = values[((values < low) | (values > high)).fillna(False).astype(bool)]
        if len(outside):
            examples = ", ".join(str(v) for v in outside.unique()[:3])
            raise ValueError(
                f"column '{column}' of '{path}' has {len(outside)} values outside "
                f"{low}-{high} (e.g. {examples})"
            )


def _read_bundled(info: DatasetInfo, path: Path, raw: bytes) -> pd.DataFrame:
    import io

    import pandas as pd

    dtypes: dict[str, str] = dict.fromkeys(info.items + info.integer, "Int64")
    for column, coding in info.categorical.items():
        numeric = all(isinstance(code, int) for code in coding)
        dtypes[column] = "Int64" if numeric else "string"
    dtypes.update(dict.fromkeys(info.text, "string"))
    missing_marks: dict[str, Any] = ({} if info.na_values is None else
                                     {"keep_default_na": False,
                                      "na_values": list(info.na_values)})
    try:
        frame = pd.read_csv(io.BytesIO(raw), dtype=dtypes,
                            parse_dates=list(info.dates) or False, **missing_marks)
    except Exception as exc:  # parser errors of any kind become one clear line
        raise ValueError(f"could not parse '{path}': {_one_line(exc)}") from exc

    if info.index_col is not None:
        raw = "Unnamed: 0" if info.index_col == "" else info.index_col
        if raw not in frame.columns:
            raise ValueError(f"'{path}' has no row-name column {info.index_col!r}")
        frame = frame.set_index(raw)
        frame.index.name = info.index_name
    missing = [column for column in info.columns if column not in frame.columns]
    if missing:
        raise ValueError(f"'{path}' lacks the columns {missing} of data set '{info.name}'")
    for column, coding in info.categorical.items():
        frame[column] = _categorical(frame[column], coding, column in info.ordered,
                                     column, path)
    for column in info.dates:  # one resolution whatever pandas' parser picks
        frame[column] = frame[column].astype("datetime64[us]")
    _check_scale(frame, info, path)
    return frame


def load_dataset(name: str, *, verify: bool = True) -> pd.DataFrame:
    """Load a bundled data set with proper dtypes, after verifying its checksum.

    Parameters
    ----------
    name : str
        One of ``bank_satisfaction``, ``bfi``, ``cx_programme``, ``ecsi_mobile``,
        ``spi_compassion``.
    verify : bool, default True
        Compare the file's SHA-256 with its line in ``datasets/SHA256SUMS`` before parsing.

    Returns
    -------
    pandas.DataFrame
        One row per respondent. Likert items and other integer columns (age) are
        nullable ``Int64`` (missing values are ``pd.NA``, never silently dropped);
        demographics are ``Categorical`` with labels: gender/sex unordered, education
        ordered. ``ecsi_mobile`` and ``bank_satisfaction`` are indexed by ``respondent``
        (R's row names 1..250); the others have a default ``RangeIndex``.

    Raises
    ------
    TypeError
        If `name` is not a string.
    ValueError
        If `name` is unknown (the message lists the known names), if the checksum does
        not match (the message names the file and both checksums), if the file is not
        listed in ``SHA256SUMS``, or if its content does not parse as documented.
    FileNotFoundError
        If the data file or ``SHA256SUMS`` is missing.

    See Also
    --------
    load_data : load by name *or* by path, following :func:`resolve_data_source`.
    dataset_info : items, scale, codings and reverse-keyed items of a data set.

    Notes
    -----
    Set the environment variable ``CXKIT_DATA_DIR`` to read the files (and their
    ``SHA256SUMS``) from another folder.

    Examples
    --------
    >>> ecsi = load_dataset("ecsi_mobile")
    >>> ecsi.shape, ecsi.index.name
    ((250, 24), 'respondent')
    >>> str(ecsi["CUSL3"].dtype), int(ecsi["CUSL3"].min()), int(ecsi["CUSL3"].max())
    ('Int64', 1, 10)
    >>> bfi = load_dataset("bfi")
    >>> list(bfi["education"].cat.categories)
    ['HS', 'finished HS', 'some college', 'college graduate', 'graduate degree']
    >>> bfi["education"].cat.ordered, int(bfi["education"].isna().sum())
    (True, 223)
    >>> load_dataset("bfi")["gender"].value_counts().to_dict()
    {'female': 1881, 'male': 919}
    """
    info = dataset_info(name)
    if not isinstance(verify, bool):
        raise TypeError(f"`verify` must be True or False; got {type(verify).__name__} "
                        f"{verify!r}")
    path = data_dir() / info.filename
    _require_file(path, info.name)
    raw = path.read_bytes()  # read once: the bytes verified are the bytes parsed
    digest = hashlib.sha256(raw).hexdigest()
    if verify:
        _verify(path, digest)
    frame = _read_bundled(info, path, raw)
    log_read({"path": str(path.resolve()), "format": "csv", "bytes": len(raw),
              "sha256": digest, "dataset": info.name}, frame)
    return frame


_SHAPES: dict[tuple[str, int, int], tuple[int, int]] = {}


def _shape(name: str) -> tuple[int, int]:
    """Shape of the loaded frame, cached per file path, size and modification time."""
    path = dataset_path(name)
    _require_file(path, name)
    stat = path.stat()
    key = (str(path), stat.st_size, stat.st_mtime_ns)
    if key not in _SHAPES:
        _SHAPES[key] = load_dataset(name, verify=False).shape
    return _SHAPES[key]


def list_datasets() -> pd.DataFrame:
    """The bundled data sets, one row each.

    Returns
    -------
    pandas.DataFrame
        Columns ``name``, ``description``, ``rows``, ``columns``, ``licence``; ``rows`` and
        ``columns`` are the shape of the frame :func:`load_dataset` returns (the row-name
        index is not counted as a column). Sorted by name.

    Raises
    ------
    FileNotFoundError
        If a bundled file is missing.

    Examples
    --------
    >>> table = list_datasets()
    >>> list(table.columns)
    ['name', 'description', 'rows', 'columns', 'licence']
    >>> print(table[["name", "rows", "columns"]].to_string(index=False))
                 name  rows  columns
    bank_satisfaction   250       28
                  bfi  2800       28
         cx_programme  5000       13
          ecsi_mobile   250       24
       spi_compassion  4000        8
    """
    import pandas as pd

    records = []
    for name, info in DATASETS.items():
        rows, columns = _shape(name)
        records.append({"name": name, "description": info.description, "rows": rows,
                        "columns": columns, "licence": info.licence})
    return pd.DataFrame.from_records(
        records, columns=["name", "description", "rows", "columns", "licence"]
    )


# --------------------------------------------------------------------------- data sources


def _given(value: Any, argument: str) -> bool:
    if value is None:
        return False
    if argument == "dataset" and not isinstance(value, str):
        raise TypeError(f"`dataset` must be a str naming a bundled data set or None, "
                        f"found {type(value).__name__}")
    if argument == "data_path" and not isinstance(value, (str, os.PathLike)):
        raise TypeError(f"`data_path` must be a str or path-like or None, "
                        f"found {type(value).__name__}")
    return os.fspath(value) != ""


def _check_data_path(data_path: str | os.PathLike[str]) -> Path:
    path = Path(data_path).expanduser()
    shown = os.fspath(data_path)
    if not path.exists():
        raise ValueError(f"data_path '{shown}' does not exist")
    if not path.is_file():
        raise ValueError(f"data_path '{shown}' is not a file")
    suffix = path.suffix.lower()
    if suffix not in DATA_SUFFIXES:
        found = f"has suffix '{path.suffix}'" if path.suffix else "has no suffix"
        raise ValueError(f"data_path '{shown}' {found}; expected one of "
                         f"{', '.join(DATA_SUFFIXES)}")
    if not os.access(path, os.R_OK):
        raise ValueError(f"data_path '{shown}' is not readable (permission denied)")
    return path.resolve()


def _resolve(dataset: str | None, data_path: str | os.PathLike[str] | None
             ) -> tuple[Path, str | None]:
    """Path to read and, when it is a bundled data set, its name."""
    has_dataset = _given(dataset, "dataset")
    if _given(data_path, "data_path"):
        return _check_data_path(data_path), None
    if has_dataset:
        return data_dir() / _info(dataset, "dataset").filename, dataset
    raise ValueError(
        "no data source given: pass dataset= (a bundled data set: "
        f"{_known()}) or data_path= (a .csv or .parquet file); one of them is needed"
    )


def resolve_data_source(dataset: str | None = None,
                        data_path: str | os.PathLike[str] | None = None) -> Path:
    """Decide which file a study reads: the one rule shared by notebooks and the runner.

    Parameters
    ----------
    dataset : str or None
        Name of a bundled data set. ``None`` and ``""`` mean "not given".
    data_path : str, path-like or None
        Path of a ``.csv``, ``.parquet`` or ``.pq`` file. ``None`` and ``""`` mean "not
        given".

    Returns
    -------
    pathlib.Path
        A non-empty `data_path` wins (even when `dataset` is also given, so that a
        notebook's default data set can be overridden by a path): it must be an existing,
        readable regular file with an accepted suffix, and is returned resolved.
        Otherwise the bundled file of `dataset` (see :func:`dataset_path`).

    Raises
    ------
    TypeError
        If `dataset` is not a str/None or `data_path` not a str/path-like/None.
    ValueError
        If `data_path` does not exist, is not a file, has another suffix or cannot be
        read; if `dataset` is unknown (the message lists the known names); if neither is
        given.

    Examples
    --------
    >>> resolve_data_source("bfi").name
    'bfi.csv'
    >>> resolve_data_source("bfi", data_path="") == dataset_path("bfi")
    True
    >>> resolve_data_source("bfi", data_path="no/such/file.csv")
    Traceback (most recent call last):
    ...
    ValueError: data_path 'no/such/file.csv' does not exist
    >>> resolve_data_source(dataset="")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: no data source given: pass dataset= (a bundled data set: ...) or data_path= ...
    """
    return _resolve(dataset, data_path)[0]



def load_data(dataset: str | None = None,
              data_path: str | os.PathLike[str] | None = None, *,
              sep: str | None = None, decimal: str | None = None,
              encoding: str | None = None, date_format: str | None = None,
              sheet: str | int | None = None, na_values: Any = None) -> pd.DataFrame:
    """Load a study's data: a bundled data set by name, or a survey export by path.

    Parameters
    ----------
    dataset : str or None
        Name of a bundled data set (loaded with :func:`load_dataset`, checksum verified).
    data_path : str, path-like or None
        A CSV/TSV/TXT text file, an Excel ``.xlsx`` workbook, an SPSS ``.sav`` file or a
        ``.parquet``/``.pq`` file, read with :func:`cxkit.io.read_table`. Wins over
        `dataset` when non-empty.
    sep, decimal, encoding, date_format, sheet, na_values
        Read options of :func:`cxkit.io.read_table` for a file given by `data_path`
        (``None`` or ``""`` for "detect"; an empty list of `na_values` for "only empty
        cells are missing"). They do not apply to a bundled data set, which is read as its
        data card documents.

    Returns
    -------
    pandas.DataFrame
        Bundled data with the dtypes of :func:`load_dataset`; files given by path as
        :func:`cxkit.io.read_table` reads them, with what was detected, the question
        labels and the missing-value counts in ``frame.attrs["cxkit"]``.

    Raises
    ------
    TypeError, ValueError
        As :func:`resolve_data_source`; also ``ValueError`` naming the path and the
        parser's message when the file cannot be read or parsed, and naming the option
        when read options are given for a bundled data set.
    FileNotFoundError
        If a bundled file is missing.

    Examples
    --------
    >>> load_data(dataset="spi_compassion").shape
    (4000, 8)
    >>> load_data(dataset="spi_compassion", data_path=dataset_path("bfi")).shape
    (2800, 28)
    >>> load_data(dataset="bfi", sep=";")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: `sep` applies to files given by data_path; bundled data set 'bfi' is read ...
    """
    options = {"sep": sep, "decimal": decimal, "encoding": encoding,
               "date_format": date_format, "sheet": sheet, "na_values": na_values}
    given = {k: v for k, v in options.items()
             if v is not None and not (isinstance(v, (str, list, tuple)) and len(v) == 0)}
    path, bundled = _resolve(dataset, data_path)
    if bundled is not None:
        if given:
            names = ", ".join(f"`{k}`" for k in given)
            raise ValueError(f"{names} {'applies' if len(given) == 1 else 'apply'} to files "
                             f"given by data_path; bundled data set '{bundled}' is read as "
                             "its data card documents")
        return load_dataset(bundled)
    return read_table(path, **given)


# --------------------------------------------------------------------------- simulation

_MAX_CATEGORIES = 101  # e.g. a 0-100 slider; the exact covariance grows with its square
_SURVEY_MAX_N = 2_000_000  # respondents; beyond it the answers alone exhaust memory


@dataclass(frozen=True, repr=False, eq=False)
class SimulatedSurvey:
    """Simulated Likert answers with the population reliability of the items they came from.

    Returned by :func:`simulate_survey`; see its Notes for how ``alpha``, ``omega`` and
    ``omega_latent`` are defined and computed.

    Attributes
    ----------
    data : pandas.DataFrame
        ``n`` rows by ``k`` items, nullable ``Int64`` on ``scale``, no missing values.
        Reverse-keyed items are stored as a respondent answers them (reversed,
        ``min + max - x``): re-key them before any analysis.
    loadings : tuple
        The factor loadings: a tuple of ``k`` floats (one factor) or of ``k`` tuples of
        ``f`` floats (``f`` uncorrelated factors), one per item.
    reverse : tuple of str
        The reverse-keyed items, in item order.
    scale : tuple of (int, int)
        Lowest and highest answer.
    thresholds : tuple
        The cut points on the latent (standard normal) scale: ``K - 1`` floats shared by
        every item, or ``k`` tuples of them (one per item).
    alpha : float
        Population Cronbach's alpha of the discrete items after re-keying (covariances).
    omega : float
        Population omega total of the discrete items after re-keying (correlations,
        ``f``-factor minres fit); NaN when ``f`` factors are not identified by ``k`` items.
    omega_latent : float
        Omega total of the continuous latent responses, before discretisation.
    cov : pandas.DataFrame
        The exact population covariance matrix of the re-keyed discrete items.
    """

    data: pd.DataFrame
    loadings: tuple
    reverse: tuple[str, ...]
    scale: tuple[int, int]
    thresholds: tuple
    alpha: float
    omega: float
    omega_latent: float
    cov: pd.DataFrame

    @property
    def items(self) -> list[str]:
        """The item columns of ``data``."""
        return list(self.data.columns)

    @property
    def n(self) -> int:
        """Number of simulated respondents (rows)."""
        return int(self.data.shape[0])

    @property
    def k(self) -> int:
        """Number of items."""
        return int(self.data.shape[1])

    def __repr__(self) -> str:
        factors = len(self.loadings[0]) if isinstance(self.loadings[0], tuple) else 1
        return (f"SimulatedSurvey(n={self.n:,}, k={self.k}, factors={factors}, "
                f"scale={self.scale}, reverse={self.reverse}, alpha={self.alpha:.4f}, "
                f"omega={self.omega:.4f}, omega_latent={self.omega_latent:.4f})")


def simulate_survey(n: int, *, loadings: Any, reverse: Any = (),
                    scale: tuple[int, int] = (1, 5), thresholds: Any = None,
                    rng: Any = None, item_names: Any = None) -> SimulatedSurvey:
    """Simulate Likert answers from a factor model with known population alpha and omega.

    Each respondent has ``f`` uncorrelated standard-normal factor scores ``F`` and each
    item a latent response ``z_j = sum_m loadings[j, m] * F_m + psi_j * e_j`` with
    ``psi_j = sqrt(1 - sum_m loadings[j, m]**2)``, so every ``z_j`` has unit variance.
    ``z_j`` is cut into the ``K = max - min + 1`` answers of ``scale`` at ``thresholds``;
    reverse-keyed items are then recorded reversed (``min + max - x``), as a respondent
    answers an item worded in the opposite direction.

    Parameters
    ----------
    n : int
        Number of respondents, at least 2.
    loadings : sequence of float, or 2-D array of shape (k, f)
        One loading per item (one factor) or a ``k × f`` matrix (``f`` uncorrelated
        factors). Every loading lies strictly between -1 and 1 and each item's squared
        loadings add up to less than 1 (its unique variance is positive). At least 2 items.
    reverse : str or sequence of str, default ()
        Names of the reverse-keyed items.
    scale : (int, int), default (1, 5)
        Lowest and highest answer; from 2 to 101 answer categories.
    thresholds : sequence of float or 2-D array, optional
        ``K - 1`` strictly increasing cut points on the latent standard-normal scale
        (answer ``min + c`` when exactly ``c`` cut points lie below ``z``), shared by all
        items, or a ``k × (K - 1)`` array with one row per item (e.g. skewed items).
        Default: the normal quantiles at equally spaced probabilities,
        ``Φ⁻¹(c / K)`` for ``c = 1 … K-1``, so that each answer has probability ``1/K``
        and the distribution is symmetric around the scale midpoint (flat). For a
        bell-shaped distribution pass equally spaced cut points instead, e.g.
        ``thresholds=[-1.5, -0.5, 0.5, 1.5]`` on a 5-point scale.
    rng : None, int, numpy.random.SeedSequence or numpy.random.Generator
        Source of randomness (the global numpy state is never used). The same seed gives
        the same data.
    item_names : sequence of str, optional
        Column names; default ``item_1 … item_k``.

    Returns
    -------
    SimulatedSurvey
        ``data`` (``Int64`` columns), the model (``loadings``, ``reverse``, ``scale``,
        ``thresholds``), the population ``alpha``, ``omega`` and ``omega_latent`` and the
        population covariance ``cov`` of the re-keyed discrete items.

    Raises
    ------
    TypeError
        Non-numeric loadings or thresholds, a non-integer scale, names that are not
        strings, an invalid ``rng``.
    ValueError
        ``n < 2``; fewer than 2 items; a loading outside (-1, 1) or squared loadings
        adding up to 1 or more; a scale with fewer than 2 or more than 101 answers;
        thresholds of the wrong length, not finite or not increasing; unknown, repeated
        or duplicate item names.

    Notes
    -----
    **Population alpha** is Cronbach's alpha of the ``k`` discrete items after re-keying,
    computed exactly, not by simulation, from their population covariance matrix
    ``Σ``: ``alpha = k / (k - 1) * (1 - tr Σ / 1ᵀΣ1)``. It is the value the sample
    alpha of ``data`` (re-keyed) converges to as ``n`` grows. Variances come from the
    answer probabilities ``p_c = Φ(τ_c) - Φ(τ_{c-1})``. Because an answer is
    ``min + Σ_c 1{z > τ_c}``, the covariance of items ``i`` and ``j`` with latent
    correlation ``ρ = (ΛΛᵀ)_ij`` is

    ``Σ_ij = Σ_c Σ_d [Φ₂(τ_ic, τ_jd; ρ) - Φ(τ_ic) Φ(τ_jd)]
    = Σ_c Σ_d (1/2π) ∫_0^{arcsin ρ} exp(-(a² + b² - 2ab sin θ) / (2 cos² θ)) dθ``

    with ``a = τ_ic``, ``b = τ_jd``: the bivariate normal probabilities of the threshold
    rectangles, written with Sheppard's (1900) integral, which has a smooth bounded
    integrand. The integrals of all item pairs and cut points are evaluated together by
    adaptive quadrature (:func:`scipy.integrate.quad_vec`) to about 1e-13; they agree with
    :func:`scipy.stats.multivariate_normal` ``.cdf`` to rounding error.

    **Population omega** is McDonald's omega total of the re-keyed discrete items as
    ``psych::omega`` defines it, evaluated on their exact population correlation matrix
    ``R`` (Pearson correlations of the answers, not the latent correlations):
    ``omega = 1 - Σ_j u²_j / 1ᵀR1``, where ``u²_j = 1 - h²_j`` are the uniquenesses of
    an ``f``-factor minres (unweighted least squares, fitted by iterated principal axes)
    factor analysis of ``R`` with ``f`` the number of columns of ``loadings``. ``h²`` does
    not depend on the rotation, so this is also the omega total of psych's
    Schmid–Leiman solution. It is the value a one-factor (``f = 1``) sample omega total
    computed from Pearson correlations converges to. It is NaN when ``f`` factors are not
    identified by ``k`` items, i.e. when ``(k - f)² < k + f`` (e.g. one factor and two
    items).

    **Latent omega** (``omega_latent``) is the omega total of the continuous responses
    ``z`` before discretisation, ``Σ_m (Σ_j Λ_jm)² / (Σ_m (Σ_j Λ_jm)² + Σ_j ψ²_j)``; the
    gap ``omega_latent - omega`` is what cutting ``z`` into answers costs. It closes
    as the cut points become many and finely, evenly spaced on the latent scale; with
    the default equal-probability cut points it does not close entirely, because the
    answers then approach ``Φ(z)``, a non-linear transform of ``z``.

    References
    ----------
    Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests.
    *Psychometrika* 16, 297-334.
    McDonald, R. P. (1999). *Test theory: A unified treatment*. Erlbaum.
    Sheppard, W. F. (1900). On the calculation of the double integral expressing normal
    correlation. *Transactions of the Cambridge Philosophical Society* 19, 23-66.

    Examples
    --------
    >>> sim = simulate_survey(500, loadings=[0.8, 0.7, 0.7, 0.6, 0.5], reverse=["item_2"],
    ...                       rng=7)
    >>> sim.data.shape, str(sim.data["item_1"].dtype)
    ((500, 5), 'Int64')
    >>> round(sim.alpha, 4), round(sim.omega, 4), round(sim.omega_latent, 4)
    (0.7622, 0.7671, 0.7972)
    >>> rekeyed = sim.data.astype(float)
    >>> rekeyed["item_2"] = 1 + 5 - rekeyed["item_2"]   # what an analyst must do
    >>> bool(rekeyed.corr().to_numpy().min() > 0)
    True
    """
    import numpy as np
    import pandas as pd

    from cxkit._validation import check_positive_int, check_rng

    n = check_positive_int(n, "n", minimum=2, maximum=_SURVEY_MAX_N,
                           why="larger samples exhaust memory; the population alpha and omega need "
                               "no sample")
    lam = _check_loadings(loadings)
    k, n_factors = lam.shape
    lo, hi = _check_scale_arg(scale)
    tau = _check_thresholds(thresholds, k, hi - lo + 1)
    names = _check_item_names(item_names, k)
    reversed_ = _check_reverse(reverse, names)
    rng = check_rng(rng)

    data = _draw_survey(n, lam, tau, lo, hi, names, reversed_, rng)
    cov = _population_cov(lam, tau)
    omega = _omega_total(_cov_to_corr(cov), n_factors)
    if np.isnan(omega):
        from cxkit._validation import warn

        needed = next(j for j in range(k, 4 * k + 8) if (j - n_factors) ** 2 >= j + n_factors)
        warn(f"the population omega is NaN: {n_factors} factor(s) are not identified by {k} "
             f"items ((k - f)² < k + f); simulate at least {needed} items for an omega "
             "(alpha and omega_latent are defined)")
    one_factor = n_factors == 1 and np.ndim(loadings) == 1
    return SimulatedSurvey(
        data=data,
        loadings=(tuple(float(v) for v in lam[:, 0]) if one_factor
                  else tuple(tuple(float(v) for v in row) for row in lam)),
        reverse=tuple(name for name in names if name in reversed_),
        scale=(lo, hi),
        thresholds=(tuple(float(v) for v in tau[0]) if thresholds is None
                    or np.ndim(thresholds) == 1
                    else tuple(tuple(float(v) for v in row) for row in tau)),
        alpha=_alpha_from_cov(cov),
        omega=omega,
        omega_latent=_omega_latent(lam),
        cov=pd.DataFrame(cov, index=list(names), columns=list(names)),
    )


def _check_loadings(loadings: Any):
    import numpy as np

    from cxkit._validation import as_float_array

    lam = as_float_array(loadings, "loadings", ndim=None)
    if lam.ndim == 1:
        lam = lam[:, None]
    if lam.ndim != 2:
        raise ValueError("`loadings` must be a sequence of k numbers (one factor) or a "
                         f"k × f array (f factors); got an array of shape {lam.shape}")
    k, n_factors = lam.shape
    if k < 2 or n_factors < 1:
        raise ValueError(f"`loadings` must describe at least 2 items (and 1 factor); got "
                         f"shape {lam.shape}")
    bad = ~(np.abs(lam) < 1)  # NaN included
    if bad.any():
        raise ValueError(f"`loadings` must lie strictly between -1 and 1 (standardised "
                         f"loadings); got {bad.sum()} outside (e.g. "
                         f"{', '.join(f'{v:g}' for v in lam[bad][:3])})")
    communality = (lam ** 2).sum(axis=1)
    if (communality >= 1).any():
        j = int(np.argmax(communality))
        raise ValueError(f"`loadings` row {j} has squared loadings adding up to "
                         f"{communality[j]:.4g}; each item's sum must be below 1 so that its "
                         "unique variance 1 - Σλ² stays positive")
    return lam


def _check_scale_arg(scale: Any) -> tuple[int, int]:
    import numbers

    if isinstance(scale, (str, bytes)) or not hasattr(scale, "__len__") or len(scale) != 2:
        raise TypeError(f"`scale` must be a pair (lowest, highest answer) of integers, e.g. "
                        f"(1, 5); got {scale!r}")
    values = []
    for value in scale:
        if isinstance(value, bool) or not isinstance(value, numbers.Real) or \
                not float(value).is_integer():
            raise TypeError(f"`scale` must be a pair of integers, e.g. (1, 5); got {scale!r}")
        values.append(int(value))
    lo, hi = values
    categories = hi - lo + 1
    if not 2 <= categories <= _MAX_CATEGORIES:
        raise ValueError(f"`scale` must have lowest < highest and at most {_MAX_CATEGORIES} "
                         f"answers; got {scale!r} ({categories} answers)")
    return lo, hi


def _check_thresholds(thresholds: Any, k: int, categories: int):
    import numpy as np
    from scipy import stats

    from cxkit._validation import as_float_array

    if thresholds is None:
        tau = stats.norm.ppf(np.arange(1, categories) / categories)
        return np.tile(tau, (k, 1))
    tau = as_float_array(thresholds, "thresholds", ndim=None)
    expected = (f"{categories - 1} cut points (the scale has {categories} answers), shared "
                f"or one row of them per item ({k} × {categories - 1})")
    if tau.ndim == 1:
        if tau.shape != (categories - 1,):
            raise ValueError(f"`thresholds` must have {expected}; got {tau.size}")
        tau = np.tile(tau, (k, 1))
    elif tau.shape != (k, categories - 1):
        raise ValueError(f"`thresholds` must have {expected}; got shape {tau.shape}")
    if not np.isfinite(tau).all():
        raise ValueError("`thresholds` must be finite numbers on the latent standard-normal "
                         "scale (e.g. -1.5 … 1.5)")
    unordered = (np.diff(tau, axis=1) <= 0).any(axis=1)
    if unordered.any():
        row = [float(v) for v in tau[np.argmax(unordered)]]
        raise ValueError(f"`thresholds` must be strictly increasing; got {row}")
    return tau


def _check_item_names(item_names: Any, k: int) -> tuple[str, ...]:
    if item_names is None:
        return tuple(f"item_{j}" for j in range(1, k + 1))
    if isinstance(item_names, (str, bytes)) or not hasattr(item_names, "__iter__"):
        raise TypeError(f"`item_names` must be a sequence of {k} strings; got "
                        f"{type(item_names).__name__}")
    names = list(item_names)
    if len(names) != k:
        raise ValueError(f"`item_names` must name the {k} items (one per loading row); got "
                         f"{len(names)} names")
    for name in names:
        if not isinstance(name, str) or not name:
            raise TypeError(f"`item_names` must be non-empty strings; got {name!r}")
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise ValueError(f"`item_names` must be unique; repeated: {repeated}")
    return tuple(names)


def _check_reverse(reverse: Any, names: tuple[str, ...]) -> frozenset[str]:
    import difflib

    if reverse is None:
        return frozenset()
    if isinstance(reverse, str):
        reverse = [reverse]
    if not hasattr(reverse, "__iter__") or isinstance(reverse, bytes):
        raise TypeError(f"`reverse` must be an item name or a sequence of item names; got "
                        f"{type(reverse).__name__}")
    listed = list(reverse)
    for name in listed:
        if not isinstance(name, str):
            raise TypeError(f"`reverse` must hold item names (strings); got {name!r}")
    unknown = [name for name in listed if name not in names]
    if unknown:
        close = difflib.get_close_matches(unknown[0], names, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        shown = ", ".join(names[:10]) + (", …" if len(names) > 10 else "")
        raise ValueError(f"`reverse` names unknown items {unknown}{hint}; the items are "
                         f"{shown}")
    repeated = sorted({name for name in listed if listed.count(name) > 1})
    if repeated:
        raise ValueError(f"`reverse` lists {repeated} more than once")
    return frozenset(listed)


def _draw_survey(n, lam, tau, lo, hi, names, reversed_, rng):
    """Latent responses column by column (memory: n × f plus one item), then answers."""
    import numpy as np
    import pandas as pd

    k, n_factors = lam.shape
    factors = rng.standard_normal((n, n_factors))
    psi = np.sqrt(1.0 - (lam ** 2).sum(axis=1))
    columns = {}
    for j, name in enumerate(names):
        z = factors @ lam[j] + psi[j] * rng.standard_normal(n)
        answer = np.searchsorted(tau[j], z).astype(np.int64)  # cut points below z
        answer = hi - answer if name in reversed_ else lo + answer
        columns[name] = pd.array(answer, dtype="Int64")
    return pd.DataFrame(columns)


def _population_cov(lam, tau):
    """Exact covariance matrix of the discrete (re-keyed) answers; see simulate_survey."""
    import numpy as np
    from scipy import integrate, stats

    k = lam.shape[0]
    cdf = stats.norm.cdf(tau)  # k × (K-1)
    probs = np.diff(np.column_stack([np.zeros(k), cdf, np.ones(k)]), axis=1)
    values = np.arange(probs.shape[1], dtype=float)  # answers minus `lo`: 0 … K-1
    mean = probs @ values
    cov = np.diag(probs @ values ** 2 - mean ** 2)
    rows, cols = np.triu_indices(k, 1)
    rho = np.clip((lam @ lam.T)[rows, cols], -1.0, 1.0)
    angle = np.arcsin(rho)[:, None, None]
    a = tau[rows][:, :, None]
    b = tau[cols][:, None, :]
    squares, cross = a ** 2 + b ** 2, 2.0 * a * b

    def integrand(t):  # Sheppard: d/dθ of Φ₂(a, b; sin θ), θ = t·arcsin ρ
        theta = t * angle
        return (angle / (2 * np.pi)
                * np.exp(-(squares - cross * np.sin(theta)) / (2 * np.cos(theta) ** 2))
                ).ravel()

    pieces, _ = integrate.quad_vec(integrand, 0.0, 1.0, epsabs=1e-14, epsrel=1e-12)
    off = pieces.reshape(rows.size, -1).sum(axis=1)
    cov[rows, cols] = off
    cov[cols, rows] = off
    return cov


def _alpha_from_cov(cov) -> float:
    import numpy as np

    k = cov.shape[0]
    total = float(cov.sum())
    return k / (k - 1) * (1.0 - float(np.trace(cov)) / total) if total > 0 else float("nan")


def _cov_to_corr(cov):
    import numpy as np

    sd = np.sqrt(np.diag(cov))
    return cov / np.outer(sd, sd)


def _communalities(corr, n_factors: int, *, tol: float = 1e-12, max_iter: int = 100_000):
    """Communalities of the minres (ULS) fit, by iterated principal axes from the SMCs."""
    import numpy as np

    k = corr.shape[0]
    try:
        h2 = 1.0 - 1.0 / np.diag(np.linalg.inv(corr))
    except np.linalg.LinAlgError:  # pragma: no cover - population matrices are regular
        h2 = np.abs(corr - np.eye(k)).max(axis=1)
    h2 = np.clip(h2, 0.0, 1.0)
    reduced = corr.copy()
    for _ in range(max_iter):
        np.fill_diagonal(reduced, h2)
        eigval, eigvec = np.linalg.eigh(reduced)
        top = eigvec[:, -n_factors:] * np.sqrt(np.clip(eigval[-n_factors:], 0.0, None))
        new = np.clip((top ** 2).sum(axis=1), 0.0, 1.0)
        if np.max(np.abs(new - h2)) < tol:
            return new
        h2 = new
    return h2  # pragma: no cover - converges for the population matrices used here


def _omega_total(corr, n_factors: int) -> float:
    """psych's omega total 1 - Σu² / 1ᵀR1 of an n_factors minres fit; NaN if unidentified."""
    k = corr.shape[0]
    if (k - n_factors) ** 2 < k + n_factors:
        return float("nan")
    uniqueness = 1.0 - _communalities(corr, n_factors)
    return float(1.0 - uniqueness.sum() / corr.sum())


def _omega_latent(lam) -> float:
    common = float((lam.sum(axis=0) ** 2).sum())
    unique = float((1.0 - (lam ** 2).sum(axis=1)).sum())
    return common / (common + unique)


# --------------------------------------------------------------------------- CX programme
#
# A simulated multi-branch CX survey programme (dates, regions, branches, channels, an
# LTR with blanks, CSAT, five empathy items with one reverse-worded, comments), with the
# population values it was drawn from. The bundled ``datasets/cx_programme.csv`` is
# ``simulate_cx_programme().to_csv(...)`` with the defaults.

#: Region codes of :func:`simulate_cx_programme`, in order ("NA" is North America).
CX_REGIONS = ("NA", "EMEA", "APAC", "LATAM")
#: Survey channels of :func:`simulate_cx_programme`, in order.
CX_CHANNELS = ("branch", "phone", "web", "app")
#: Item columns of the empathy scale; ``emp3`` is worded in the opposite direction.
CX_EMPATHY_ITEMS = ("emp1", "emp2", "emp3", "emp4", "emp5")
#: Columns of the simulated data, in file order.
CX_COLUMNS = ("response_id", "date", "region", "branch", "channel", "ltr", "csat",
              *CX_EMPATHY_ITEMS, "comment")

# The model (latent scale, standard-normal noise); see simulate_cx_programme's Notes.
_CX_CHANNEL_SHARE = (0.35, 0.20, 0.25, 0.20)
_CX_CHANNEL_EFFECT = (0.15, -0.30, 0.0, 0.05)
_CX_REGION_SD, _CX_BRANCH_SD, _CX_SIZE_SD = 0.15, 0.30, 0.8
_CX_TREND_PER_WEEK = 0.006  # latent units per week: about +0.3 SD over a year
# LTR 0-10 at latent mean 0: P(0..10), Φ⁻¹ of their cumulative sums are the cut points
_CX_LTR_PROBS = (0.03, 0.01, 0.015, 0.02, 0.025, 0.06, 0.06, 0.12, 0.18, 0.17, 0.31)
_CX_CSAT_PROBS = (0.05, 0.08, 0.17, 0.35, 0.35)
_CX_CSAT_NOISE_R = 0.7  # correlation of the CSAT and LTR noise
_CX_EMPATHY_LOADINGS = (0.75, 0.70, 0.60, 0.70, 0.55)
_CX_EMPATHY_THRESHOLDS = (-1.8, -0.9, 0.1, 1.1)  # 1-5, skewed towards agreement
_CX_EMPATHY_LTR_R = 0.5  # correlation of the empathy factor with the LTR noise
_CX_MISSING = {"ltr": 0.03, "csat": 0.01, "emp": 0.01}
_CX_MAX_N = 2_000_000
_CX_COMMENTS = {
    "detractor": ("Waited far too long.", "Nobody called me back.",
                  "The app keeps logging me out.", "Staff did not listen to my problem."),
    "passive": ("It was fine.", "OK, but the queue was long.", "Got what I needed.",
                "Average, nothing special."),
    "promoter": ("Staff were friendly and quick.", "Great service, thank you!",
                 "Very easy to sort out.", "They really understood what I needed."),
}
# share of comments left blank, "N/A", "None" (a real answer a naive reader drops), text
_CX_COMMENT_KIND = (0.45, 0.07, 0.03, 0.45)


def _check_branches(n_regions: Any, n_branches: Any) -> tuple[int, int]:
    """``n_regions`` in 1..len(CX_REGIONS), ``n_branches`` in n_regions..1000."""
    from cxkit._validation import check_positive_int

    n_regions = check_positive_int(n_regions, "n_regions")
    if n_regions > len(CX_REGIONS):
        raise ValueError(f"`n_regions` must be between 1 and {len(CX_REGIONS)} "
                         f"({', '.join(CX_REGIONS)}); got {n_regions}")
    n_branches = check_positive_int(n_branches, "n_branches", minimum=n_regions)
    if n_branches > 1000:
        raise ValueError(f"`n_branches` must be at most 1000; got {n_branches}")
    return n_regions, n_branches


def cx_branch_names(n_regions: int = 4, n_branches: int = 40) -> tuple[str, ...]:
    """Branch labels of :func:`simulate_cx_programme`, grouped by region.

    Branch ``b`` (0-based) belongs to region ``b % n_regions`` and is labelled
    ``"<region>-<number within region, 2 digits>"``; the labels are returned sorted by
    region (in :data:`CX_REGIONS` order), then number.

    Examples
    --------
    >>> cx_branch_names(2, 5)
    ('NA-01', 'NA-02', 'NA-03', 'EMEA-01', 'EMEA-02')
    """
    n_regions, n_branches = _check_branches(n_regions, n_branches)
    return tuple(f"{CX_REGIONS[r]}-{j + 1:02d}" for r in range(n_regions)
                 for j in range(len(range(r, n_branches, n_regions))))


@dataclass(frozen=True, repr=False, eq=False)
class CXProgrammeTruth:
    """Population values behind a :func:`simulate_cx_programme` sample.

    Every NPS is the expected NPS (points, −100…100) of a response drawn from the
    population the sample was drawn from, computed exactly from the model (sums of
    normal probabilities), not from the sample. See :func:`simulate_cx_programme`.

    Attributes
    ----------
    nps : float
        Overall population NPS.
    nps_by_region : pandas.Series
        Population NPS per region (index ``region``, :data:`CX_REGIONS` order).
    nps_by_branch : pandas.DataFrame
        One row per branch: ``region``, ``branch``, ``share`` (probability that a
        response comes from the branch), ``latent_mean`` (the branch's mean on the
        latent scale at mid-year, channel mix included) and ``nps``.
    nps_by_channel : pandas.Series
        Population NPS per channel (index ``channel``).
    nps_by_week : pandas.Series
        Population NPS per week, indexed by the week's first day (``start`` + 7·w).
    trend_per_week : float
        Least-squares slope of ``nps_by_week`` on the week number: NPS points per week
        (NaN, with a ``UserWarning``, for a programme of one week).
    latent_trend_per_week : float
        The model's linear trend on the latent scale, per week.
    reverse_keyed : tuple of str
        The reverse-worded empathy items (``("emp3",)``).
    empathy_loadings : tuple of float
        Loadings of emp1…emp5 on the empathy factor (before reverse wording).
    alpha : float
        Population Cronbach's alpha of emp1…emp5 after re-keying emp3 (as
        :func:`simulate_survey` computes it: exact, from the discrete items' covariance).
    omega : float
        Population omega total of the re-keyed empathy items (one-factor minres).
    missing_rates : Mapping[str, float]
        Probability that an answer is blank (missing completely at random): ``ltr``,
        ``csat`` and each ``emp`` item.
    """

    nps: float
    nps_by_region: pd.Series
    nps_by_branch: pd.DataFrame
    nps_by_channel: pd.Series
    nps_by_week: pd.Series
    trend_per_week: float
    latent_trend_per_week: float
    reverse_keyed: tuple[str, ...]
    empathy_loadings: tuple[float, ...]
    alpha: float
    omega: float
    missing_rates: Mapping[str, float]

    def __repr__(self) -> str:
        return (f"CXProgrammeTruth(nps={self.nps:.2f}, regions={len(self.nps_by_region)}, "
                f"branches={len(self.nps_by_branch)}, weeks={len(self.nps_by_week)}, "
                f"trend_per_week={self.trend_per_week:.4f}, "
                f"reverse_keyed={self.reverse_keyed}, alpha={self.alpha:.4f})")


@dataclass(frozen=True, repr=False, eq=False)
class SimulatedCXProgramme:
    """A simulated CX survey programme and the truth it was drawn from.

    Returned by :func:`simulate_cx_programme`.

    Attributes
    ----------
    data : pandas.DataFrame
        One row per response, columns :data:`CX_COLUMNS`: ``response_id`` (``Int64``),
        ``date`` (datetime), ``region``, ``branch``, ``channel`` (Categorical),
        ``ltr`` 0–10, ``csat`` 1–5, ``emp1``…``emp5`` 1–5 (``Int64``, blanks are
        ``pd.NA``) and ``comment`` (string; ``pd.NA`` when left blank).
    truth : CXProgrammeTruth
        The population values.
    """

    data: pd.DataFrame
    truth: CXProgrammeTruth

    @property
    def n(self) -> int:
        """Number of responses (rows)."""
        return int(self.data.shape[0])

    def to_csv(self, path: str | os.PathLike[str]) -> Path:
        """Write ``data`` as the bundled file is written: UTF-8, ``\\n``, ISO dates.

        Blank answers are empty cells; text such as ``NA`` (the region) or ``N/A`` (a
        comment) is written as it is. The output depends only on ``data``, so the same
        seed gives the same bytes.

        Parameters
        ----------
        path : str or path-like
            The file to write (overwritten).

        Returns
        -------
        pathlib.Path
        """
        path = Path(path)
        frame = self.data.copy()
        frame["date"] = frame["date"].dt.strftime("%Y-%m-%d")
        frame.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")
        return path

    def __repr__(self) -> str:
        data = self.data
        return (f"SimulatedCXProgramme(n={self.n:,}, regions={data['region'].nunique()}, "
                f"branches={data['branch'].nunique()}, "
                f"dates={data['date'].min():%Y-%m-%d}..{data['date'].max():%Y-%m-%d}, "
                f"truth={self.truth!r})")


def simulate_cx_programme(n: int = 5000, *, n_regions: int = 4, n_branches: int = 40,
                          start: Any = "2024-01-01", weeks: int = 52,
                          rng: Any = 2024) -> SimulatedCXProgramme:
    """Simulate a multi-branch CX survey programme with known truth (NPS, trend, keying).

    A year of survey responses from branches of unequal size nested in regions, through
    four channels, with an improving trend: the shape of a real CX programme's export,
    including its traps (a region called ``"NA"``, blank scores, comments ``"N/A"``
    and ``"None"``, a reverse-worded item). Everything the estimators should recover is
    returned in ``truth``, computed exactly from the model.

    Parameters
    ----------
    n : int, default 5000
        Number of responses, from 2 to 2,000,000.
    n_regions : int, default 4
        Number of regions, 1 to 4: the first ``n_regions`` of :data:`CX_REGIONS`
        (``NA`` = North America, ``EMEA``, ``APAC``, ``LATAM``).
    n_branches : int, default 40
        Number of branches, at least ``n_regions`` and at most 1000; branch ``b`` belongs
        to region ``b % n_regions`` (see :func:`cx_branch_names`).
    start : str, date, Timestamp or numpy.datetime64, default "2024-01-01"
        First day of the programme (2024-01-01 is a Monday, so weeks run Monday–Sunday
        as pandas' ``"W"`` periods do).
    weeks : int, default 52
        Length of the programme in weeks (1 to 520); dates are uniform over its
        ``7 · weeks`` days.
    rng : None, int, numpy.random.SeedSequence or numpy.random.Generator, default 2024
        Source of randomness; the default seed gives the bundled ``cx_programme`` data.

    Returns
    -------
    SimulatedCXProgramme
        ``data`` (one row per response) and ``truth`` (:class:`CXProgrammeTruth`).

    Raises
    ------
    TypeError
        Non-integer sizes, a ``start`` that is not a date or string, an invalid ``rng``.
    ValueError
        Sizes out of range, or a ``start`` that does not parse as a date.

    Notes
    -----
    **Structure.** Each branch has a size weight ``exp(0.8·g)`` (``g`` standard normal),
    a region effect ``N(0, 0.15²)`` and a branch effect ``N(0, 0.30²)``, all drawn from
    ``rng``. A response picks a branch with probability proportional to its weight, a
    channel with probabilities 0.35 branch, 0.20 phone, 0.25 web, 0.20 app (effects
    +0.15, −0.30, 0, +0.05) and a day uniformly among the ``7 · weeks`` days.

    **LTR (0–10).** The latent experience is
    ``m = region + branch + channel + 0.006 · (t − t̄)``, with ``t`` the day in weeks
    since ``start`` and ``t̄`` its mid-point, so the latent scale improves by 0.006 SD a
    week. The answer is ``m + ε`` (``ε`` standard normal) cut at
    ``Φ⁻¹(cumulative sums of P(0…10))`` for the answer shares
    0.03, 0.01, 0.015, 0.02, 0.025, 0.06, 0.06, 0.12, 0.18, 0.17, 0.31 at ``m = 0``
    (an NPS of +26 there). Hence ``P(promoter | m) = 1 − Φ(τ₉ − m)`` and
    ``P(detractor | m) = Φ(τ₇ − m)``, and every true NPS in ``truth`` is the average of
    ``100 · (P(promoter) − P(detractor))`` over the population's branches, channels
    and days: exact finite sums, no simulation error.

    **CSAT (1–5)** is ``m + ε_c`` cut at the quantiles of shares 0.05, 0.08, 0.17, 0.35,
    0.35, with ``corr(ε_c, ε) = 0.7``.

    **Empathy items emp1–emp5 (1–5)** follow :func:`simulate_survey`'s one-factor model
    with loadings 0.75, 0.70, 0.60, 0.70, 0.55 and cut points −1.8, −0.9, 0.1, 1.1 on the
    latent scale; emp3 is recorded reversed (``6 − x``), as a reverse-worded item is
    answered. The empathy factor correlates 0.5 with the LTR noise ``ε`` but does not
    depend on branch, channel or date, so ``truth.alpha`` and ``truth.omega`` are
    :func:`simulate_survey`'s exact population values for these items.

    **Blanks** are missing completely at random: 3% of ``ltr``, 1% of ``csat`` and 1% of
    each empathy item. **Comments** are blank (45%), ``"N/A"`` (7%), ``"None"`` (3%) or
    one of four sentences matching the respondent's LTR category (45%).

    Examples
    --------
    >>> sim = simulate_cx_programme(2000, n_branches=12, weeks=26, rng=1)
    >>> sim.data.shape
    (2000, 13)
    >>> sim.data["region"].cat.categories.tolist()
    ['NA', 'EMEA', 'APAC', 'LATAM']
    >>> sim.truth.reverse_keyed, round(sim.truth.alpha, 3)
    (('emp3',), 0.765)
    >>> sim.truth.trend_per_week > 0
    True
    """
    from cxkit._validation import check_positive_int, check_rng

    n = check_positive_int(n, "n", minimum=2)
    if n > _CX_MAX_N:
        raise ValueError(f"`n` must be at most {_CX_MAX_N:,} responses (about 1 GB of "
                         f"memory at that size); got {n:,}")
    n_regions, n_branches = _check_branches(n_regions, n_branches)
    weeks = check_positive_int(weeks, "weeks")
    if weeks > 520:
        raise ValueError(f"`weeks` must be at most 520 (ten years); got {weeks}")
    first_day = _cx_start(start)
    rng = check_rng(rng)

    model = _cx_model(n_regions, n_branches, weeks, rng)
    data = _cx_draw(n, model, first_day, rng)
    truth = _cx_truth(model, first_day)
    return SimulatedCXProgramme(data=data, truth=truth)


def _cx_start(start: Any):
    import datetime as dt

    import numpy as np
    import pandas as pd

    if isinstance(start, bool) or not isinstance(start, (str, dt.date, pd.Timestamp,
                                                         np.datetime64)):
        raise TypeError(f"`start` must be a date or a date string such as '2024-01-01'; got "
                        f"{type(start).__name__} {start!r}")
    try:
        stamp = pd.Timestamp(start)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"`start` must be a date such as '2024-01-01'; got {start!r} "
                         f"({exc})") from None
    if pd.isna(stamp):
        raise ValueError(f"`start` must be a date such as '2024-01-01'; got {start!r}")
    return stamp.normalize().tz_localize(None) if stamp.tzinfo else stamp.normalize()


def _cx_model(n_regions: int, n_branches: int, weeks: int, rng) -> dict[str, Any]:
    """The fixed part of the model: branches, their regions, sizes and effects."""
    import numpy as np
    from scipy import stats

    region_of = np.arange(n_branches) % n_regions
    number = np.arange(n_branches) // n_regions + 1
    labels = np.array([f"{CX_REGIONS[r]}-{j:02d}" for r, j in zip(region_of, number, strict=True)])
    size = np.exp(_CX_SIZE_SD * rng.standard_normal(n_branches))
    region_effect = _CX_REGION_SD * rng.standard_normal(n_regions)
    branch_effect = _CX_BRANCH_SD * rng.standard_normal(n_branches)
    days = 7 * weeks
    return {
        "regions": CX_REGIONS[:n_regions], "region_of": region_of, "labels": labels,
        "share": size / size.sum(), "mean": region_effect[region_of] + branch_effect,
        "days": days, "weeks": weeks,
        # day d is (d - centre) / 7 weeks from the mid-point of the programme
        "time": (np.arange(days) - (days - 1) / 2) / 7,
        "ltr_cuts": stats.norm.ppf(np.cumsum(_CX_LTR_PROBS)[:-1]),
        "csat_cuts": stats.norm.ppf(np.cumsum(_CX_CSAT_PROBS)[:-1]),
    }


def _cx_draw(n: int, model: dict[str, Any], first_day, rng):
    import numpy as np
    import pandas as pd

    branch = rng.choice(model["labels"].size, size=n, p=model["share"])
    channel = rng.choice(len(CX_CHANNELS), size=n, p=_CX_CHANNEL_SHARE)
    day = rng.integers(0, model["days"], size=n)
    order = np.lexsort((branch, day))  # responses in date order, as an export lists them
    branch, channel, day = branch[order], channel[order], day[order]
    latent = (model["mean"][branch] + np.asarray(_CX_CHANNEL_EFFECT)[channel]
              + _CX_TREND_PER_WEEK * model["time"][day])

    factor = rng.standard_normal(n)
    r = _CX_EMPATHY_LTR_R
    noise = r * factor + np.sqrt(1 - r ** 2) * rng.standard_normal(n)
    ltr = np.searchsorted(model["ltr_cuts"], latent + noise).astype(np.int64)
    rc = _CX_CSAT_NOISE_R
    csat_noise = rc * noise + np.sqrt(1 - rc ** 2) * rng.standard_normal(n)
    csat = 1 + np.searchsorted(model["csat_cuts"], latent + csat_noise).astype(np.int64)

    columns: dict[str, Any] = {}
    lam = np.asarray(_CX_EMPATHY_LOADINGS)
    cuts = np.asarray(_CX_EMPATHY_THRESHOLDS)
    for j, item in enumerate(CX_EMPATHY_ITEMS):
        z = lam[j] * factor + np.sqrt(1 - lam[j] ** 2) * rng.standard_normal(n)
        answer = 1 + np.searchsorted(cuts, z).astype(np.int64)
        columns[item] = 6 - answer if item == "emp3" else answer

    def blanked(values, rate):
        out = pd.array(values, dtype="Int64")
        out[rng.random(n) < rate] = pd.NA
        return out

    category = np.where(ltr <= 6, 0, np.where(ltr >= 9, 2, 1))
    kind = rng.choice(4, size=n, p=_CX_COMMENT_KIND)
    pick = rng.integers(0, 4, size=n)
    texts = [_CX_COMMENTS[name] for name in ("detractor", "passive", "promoter")]
    comment = [None if k == 0 else "N/A" if k == 1 else "None" if k == 2
               else texts[c][p] for k, c, p in zip(kind, category, pick, strict=True)]

    labels = model["labels"]
    branch_order = [label for region in model["regions"] for label in labels
                    if label.split("-")[0] == region]
    frame = pd.DataFrame({
        "response_id": pd.array(np.arange(1, n + 1), dtype="Int64"),
        "date": pd.Series(first_day + pd.to_timedelta(day, unit="D")).astype(
            "datetime64[us]"),
        "region": pd.Categorical.from_codes(model["region_of"][branch],
                                            categories=list(model["regions"])),
        "branch": pd.Categorical(labels[branch], categories=branch_order),
        "channel": pd.Categorical.from_codes(channel, categories=list(CX_CHANNELS)),
        "ltr": blanked(ltr, _CX_MISSING["ltr"]),
        "csat": blanked(csat, _CX_MISSING["csat"]),
    })
    for item in CX_EMPATHY_ITEMS:
        frame[item] = blanked(columns[item], _CX_MISSING["emp"])
    frame["comment"] = pd.array(comment, dtype="string")
    return frame


def _cx_nps(latent, model):
    """Exact NPS (points) of responses with latent mean ``latent`` (any shape)."""
    from scipy import stats

    cuts = model["ltr_cuts"]
    promoters = stats.norm.sf(cuts[8] - latent)    # answer >= 9: latent + ε above τ₉
    detractors = stats.norm.cdf(cuts[6] - latent)  # answer <= 6: below τ₇
    return 100.0 * (promoters - detractors)


def _cx_truth(model: dict[str, Any], first_day) -> CXProgrammeTruth:
    import numpy as np
    import pandas as pd

    share = model["share"]
    channel_share = np.asarray(_CX_CHANNEL_SHARE)
    # NPS on the grid branch × channel × day: every population value is a weighted mean
    latent = (model["mean"][:, None, None] + np.asarray(_CX_CHANNEL_EFFECT)[None, :, None]
              + _CX_TREND_PER_WEEK * model["time"][None, None, :])
    grid = _cx_nps(latent, model)
    by_branch_day = np.tensordot(grid, channel_share, axes=([1], [0]))  # branch × day
    branch_nps = by_branch_day.mean(axis=1)
    regions = list(model["regions"])
    region_of = model["region_of"]
    region_nps = [float(np.average(branch_nps[region_of == r], weights=share[region_of == r]))
                  for r in range(len(regions))]
    channel_nps = np.tensordot(grid.mean(axis=2), share, axes=([0], [0]))
    by_day = share @ by_branch_day
    weekly = by_day.reshape(model["weeks"], 7).mean(axis=1)
    week_number = np.arange(model["weeks"], dtype=float)
    if model["weeks"] > 1:
        slope = float(np.polyfit(week_number, weekly, 1)[0])
    else:
        from cxkit._validation import warn

        warn("a programme of one week has no trend: truth.trend_per_week is NaN")
        slope = float("nan")

    lam = np.asarray(_CX_EMPATHY_LOADINGS)[:, None]
    tau = np.tile(np.asarray(_CX_EMPATHY_THRESHOLDS), (lam.shape[0], 1))
    cov = _population_cov(lam, tau)
    mid_latent = model["mean"] + float(channel_share @ np.asarray(_CX_CHANNEL_EFFECT))
    branches = pd.DataFrame({
        "region": [regions[r] for r in region_of], "branch": model["labels"],
        "share": share, "latent_mean": mid_latent, "nps": branch_nps,
    })
    order = [label for region in regions for label in model["labels"]
             if label.split("-")[0] == region]
    branches = branches.set_index("branch").loc[order].reset_index()[
        ["region", "branch", "share", "latent_mean", "nps"]]
    week_start = first_day + pd.to_timedelta(7 * np.arange(model["weeks"]), unit="D")
    return CXProgrammeTruth(
        nps=float(share @ branch_nps),
        nps_by_region=pd.Series(region_nps, index=pd.Index(regions, name="region"),
                                name="nps"),
        nps_by_branch=branches,
        nps_by_channel=pd.Series(channel_nps, index=pd.Index(CX_CHANNELS, name="channel"),
                                 name="nps"),
        nps_by_week=pd.Series(weekly, index=pd.DatetimeIndex(week_start, name="week"),
                              name="nps"),
        trend_per_week=slope,
        latent_trend_per_week=_CX_TREND_PER_WEEK,
        reverse_keyed=("emp3",),
        empathy_loadings=tuple(float(v) for v in lam[:, 0]),
        alpha=_alpha_from_cov(cov),
        omega=_omega_total(_cov_to_corr(cov), 1),
        missing_rates=_frozen({"ltr": _CX_MISSING["ltr"], "csat": _CX_MISSING["csat"],
                               **dict.fromkeys(CX_EMPATHY_ITEMS, _CX_MISSING["emp"])}),
    )
