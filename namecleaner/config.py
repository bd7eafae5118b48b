"""The one configuration of a run: office, countries, every stage's options and clustering.

A :class:`Config` is frozen and hashable. It is read from an office profile (a TOML file named
by its WIPO ST.3 code in ``data/offices``, or the path of a file of your own), always over
``default.toml``, changed with :meth:`Config.replace` and written back with
:meth:`Config.to_toml`. The CLI, the ``names`` accessor, :func:`namecleaner.clean`,
:func:`namecleaner.cluster.cluster` and Dask all build one and pass it down, so the same choice
gives the same output on every route.

Every value goes through one validator, :func:`check_options`, which reports every problem at
once in one phrasing: ``<source>: <section>.<option> …``.

>>> config = Config.from_profile("JP")
>>> config.office, config.countries, config.transliterate.han
('JP', ('JP',), 'ja')
>>> config.replace(transliterate={"language": "uk"}).transliterate.language
'uk'
>>> Config.from_profile("JP").transliterate.han  # a change never leaks into the profile
'ja'
"""

from __future__ import annotations

import dataclasses
import math
import tomllib
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

import tomli_w

from namecleaner.errors import DataFileError, NameCleanerError
from namecleaner.resources import data_path, read_data_text, shared

OFFICES_DIR = data_path("offices")
DEFAULT_CODE = "default"
#: How deep a profile's tables may nest before it is refused (a guard against hostile files).
_MAX_DEPTH = 8


#: The conventions for a regional unit or group member (:attr:`ClusterOptions.regional_units`).
RegionalUnits = Literal["apart", "together"]


def _model_threshold(regional_units: str = "apart") -> float:
    """The fitted match model's threshold under a regional-units convention, the default strictness
    (``data/cluster/model.tsv``, written by ``tools/fit_cluster_model.py``: per convention, the threshold
    with the best mean F1 leave-one-dataset-out over the dev sets of that convention)."""
    from namecleaner.resources import read_tsv_table

    metadata = read_tsv_table(data_path("cluster", "model.tsv"), required_metadata=("threshold",)).metadata
    return float(metadata.get(f"threshold_{regional_units}", metadata["threshold"]))


def _range(low: float, high: float) -> dict[str, Any]:
    return {"range": (low, high)}


@shared
def _default_profile() -> dict[str, Any]:
    return read_profile_file(OFFICES_DIR / f"{DEFAULT_CODE}.toml")


def _default_tables() -> tuple[tuple[str, str], ...]:
    """The default profile's table for each script, so that ``Config()`` equals ``Config.from_profile()``."""
    return tuple(sorted(_default_profile()["stages"]["transliterate"]["tables"].items()))


@dataclass(frozen=True)
class UnicodeOptions:
    """Stage 1, Unicode cleaning (see :mod:`namecleaner.stages.unicode`)."""

    enabled: bool = True


@dataclass(frozen=True)
class TransliterateOptions:
    """Stage 2, transliteration (see :mod:`namecleaner.stages.transliterate`).

    ``tables`` maps ``Script`` or ``Script:language`` to a table id; ``table`` forces one table
    for every non-Latin run; ``language`` reads a script in that language; ``han`` reads Han
    without kana as Japanese (``ja``), Chinese (``zh``), Korean Hanja (``ko``) or by the evidence in the name
    (``auto``); ``prefer`` gives the language of a script whose letters leave it open;
    ``tables_dirs`` adds folders of tables; ``icu_fallback`` is the ICU transform tried when no
    table applies (``""`` for none); ``unidecode`` is the last resort.
    """

    enabled: bool = True
    tables: tuple[tuple[str, str], ...] = field(default_factory=_default_tables)
    table: str | None = None
    language: str | None = None
    han: Literal["auto", "zh", "ja", "ko"] = "auto"
    prefer: tuple[tuple[str, str], ...] = ()
    tables_dirs: tuple[str, ...] = ()
    icu_fallback: str = "Any-Latin"
    unidecode: bool = True


@dataclass(frozen=True)
class LegalFormOptions:
    """Stage 3, legal forms (see :mod:`namecleaner.stages.legal_form`)."""

    enabled: bool = True


@dataclass(frozen=True)
class NameTypeOptions:
    """Stage 4, person or organisation (see :mod:`namecleaner.stages.name_type`).

    ``person_order`` is ``auto`` (decided per name), ``given-first`` or ``family-first`` (the
    feed's convention); with ``capitals_family`` the words in capitals of a mixed-case name are
    the family name; ``family_first_countries`` put the family name first in Latin script, and
    ``pinyin_family_first_countries`` in romanised Chinese names (pinyin syllables after a Chinese family name).
    """

    enabled: bool = True
    person_order: Literal["auto", "given-first", "family-first"] = "auto"
    capitals_family: bool = True
    family_first_countries: tuple[str, ...] = ("HU", "VN")
    pinyin_family_first_countries: tuple[str, ...] = ("CN",)


@dataclass(frozen=True)
class MatchKeyOptions:
    """Stage 5, the match key (see :mod:`namecleaner.stages.match_key`)."""

    enabled: bool = True


@dataclass(frozen=True)
class ClusterOptions:
    """Clustering (see :mod:`namecleaner.cluster`).

    ``strictness`` is the match-probability threshold (0 to 1; default, ``None``: the fitted
    model's for the ``regional_units`` convention, in ``data/cluster/model.tsv``; :attr:`threshold` is the one in use);
    ``overrides`` a TSV of must_link / cannot_link / pin decisions; ``authority`` a file of
    existing clusters; ``model`` a fitted match model of your own; ``workers`` the processes
    to use (``None``: every core).

    ``regional_units`` is the data owner's convention for a regional unit or group member, a
    name that is another's with a place word more (Motorola Japan, Motorola) or only a group
    word more (Samty Holdings, Samty): ``apart``, another applicant (a veto keeps the pair
    apart), or ``together``, the same one (the fitted model weighs the pair). The names cannot
    tell, and labelled sources disagree (PatentsView keeps subsidiaries apart; OFAC's aliases
    and harmonised applicant lists join them). The default is ``apart``: an office's applicant
    is a legal entity, and a subsidiary is another one.
    """

    strictness: float | None = field(default=None, metadata=_range(0.0, 1.0))
    overrides: str | None = None
    authority: str | None = None
    model: str | None = None
    workers: int | None = field(default=None, metadata=_range(1, 4096))
    regional_units: RegionalUnits = "apart"

    @property
    def threshold(self) -> float:
        """The match-probability threshold in use: :attr:`strictness`, else the fitted model's
        for the convention (lenient where units join: an owner who joins them joins more).

        >>> ClusterOptions(strictness=0.6).threshold, ClusterOptions().threshold == _model_threshold("apart")
        (0.6, True)
        """
        return self.strictness if self.strictness is not None else _model_threshold(self.regional_units)


#: The section of each stage's options, in pipeline order.
STAGE_OPTIONS: dict[str, type] = {
    "unicode": UnicodeOptions,
    "transliterate": TransliterateOptions,
    "legal_form": LegalFormOptions,
    "name_type": NameTypeOptions,
    "match_key": MatchKeyOptions,
}
_OFFICE_KEYS = ("code", "name", "countries", "notes")


@dataclass(frozen=True)
class Config:
    """Everything a run depends on. Build it with :meth:`from_profile`; it never changes.

    ``Config()`` is the default profile:

    >>> Config() == Config.from_profile()
    True
    """

    office: str = DEFAULT_CODE
    office_name: str = field(default_factory=lambda: str(_default_profile()["office"].get("name", "")))
    countries: tuple[str, ...] = ()
    unicode: UnicodeOptions = field(default_factory=UnicodeOptions)
    transliterate: TransliterateOptions = field(default_factory=TransliterateOptions)
    legal_form: LegalFormOptions = field(default_factory=LegalFormOptions)
    name_type: NameTypeOptions = field(default_factory=NameTypeOptions)
    match_key: MatchKeyOptions = field(default_factory=MatchKeyOptions)
    cluster: ClusterOptions = field(default_factory=ClusterOptions)
    #: Where the configuration was read from, for messages; not part of its identity.
    source: str = field(default="", compare=False)

    @classmethod
    def from_profile(cls, profile: str | Path | None = None) -> Config:
        """The configuration of an ST.3 code or a profile file, read over the default profile.

        >>> Config.from_profile().office, Config.from_profile("jp").office_name
        ('default', 'Japan Patent Office')
        """
        default_path = OFFICES_DIR / f"{DEFAULT_CODE}.toml"
        default = _default_profile()
        if profile is None or str(profile).lower() == DEFAULT_CODE:
            return cls.from_dict(default, source=str(default_path))
        text = str(profile)
        path = text if _is_toml_text(text) else _profile_path(text)
        source = "<config text>" if _is_toml_text(text) else str(path)
        return cls.from_dict(_merge(default, read_profile_file(path)), source=source)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, source: str = "<config>") -> Config:
        """A configuration from the sections of a profile (``office``, ``stages``, ``cluster``)."""
        problems = [
            f"unknown section '{key}' (expected office, stages, cluster)" for key in data if key not in _SECTIONS
        ]
        office = _table(data, "office", problems)
        problems += [
            f"unknown key 'office.{key}' (expected one of {', '.join(_OFFICE_KEYS)})"
            for key in office
            if key not in _OFFICE_KEYS
        ]
        stages = _table(data, "stages", problems)
        problems += [
            f"unknown stage '{stage}' (the stages are {', '.join(STAGE_OPTIONS)})"
            for stage in stages
            if stage not in STAGE_OPTIONS
        ]
        values: dict[str, Any] = {}
        for name, kind in STAGE_OPTIONS.items():
            values[name] = check_options(
                kind, _table(stages, name, problems, f"stages.{name}"), f"stages.{name}", problems
            )
        values["cluster"] = check_options(ClusterOptions, _table(data, "cluster", problems), "cluster", problems)
        code = office.get("code", Path(source).stem if source.endswith(".toml") else DEFAULT_CODE)
        name = office.get("name", "")
        countries = _coerce(office.get("countries", ()), tuple[str, ...], "office.countries", problems)
        for key, value in (("code", code), ("name", name)):
            if not isinstance(value, str):
                problems.append(f"office.{key} must be text, not {value!r}")
        if problems:
            raise DataFileError(source, problems)
        return cls(
            office=code,
            office_name=name,
            countries=tuple(c.upper() for c in countries or ()),
            source=source,
            **values,
        )

    def replace(self, *, source: str = "<replace>", **changes: Any) -> Config:
        """A copy with some values changed; a section takes a dict of option changes (merged, as in a profile).

        ``source`` names where the changes come from in error messages (``command line``).

        >>> config = Config().replace(cluster={"strictness": 0.7}, countries=["jp"])
        >>> config.cluster.strictness, config.countries
        (0.7, ('JP',))
        >>> Config().replace(cluster={"strictness": 2})
        Traceback (most recent call last):
        ...
        namecleaner.errors.DataFileError: <replace>: cluster.strictness must be between 0.0 and 1.0, not 2
        """
        data = self.to_dict()
        for key, value in changes.items():
            # Tables of options merge as a profile merges over the default: changes add or override.
            if key in STAGE_OPTIONS:
                data["stages"][key] = _merge(data["stages"][key], _as_dict(value))
            elif key == "cluster":
                data["cluster"] = _merge(data["cluster"], _as_dict(value))
            elif key in ("office", "office_name", "countries"):
                data["office"][{"office": "code", "office_name": "name"}.get(key, key)] = value
            else:
                raise NameCleanerError(
                    f"unknown configuration value '{key}': use a stage name, cluster, office or countries"
                )
        return Config.from_dict(data, source=source)

    def to_dict(self) -> dict[str, Any]:
        """The configuration as the sections of a profile (unset values left out)."""
        stages = {name: _plain(getattr(self, name)) for name in STAGE_OPTIONS}
        office = {"code": self.office, "name": self.office_name, "countries": list(self.countries)}
        return {"office": office, "stages": stages, "cluster": _plain(self.cluster)}

    def to_toml(self, provenance: Mapping[str, Any] | None = None) -> str:
        """The configuration as a profile file, read back by :meth:`from_profile` to repeat a run.

        ``provenance`` (the tables used, with their versions) is written as comments.

        >>> Config.from_profile(Config.from_profile("JP").to_toml()) == Config.from_profile("JP")
        True
        """
        lines = [f"# {key}: {value}" for key, value in (provenance or {}).items()]
        return "\n".join([*lines, tomli_w.dumps(self.to_dict())]) if lines else tomli_w.dumps(self.to_dict())

    def enabled_stages(self) -> tuple[str, ...]:
        """The stages this configuration runs, in pipeline order."""
        return tuple(name for name in STAGE_OPTIONS if getattr(self, name).enabled)


_SECTIONS = ("office", "stages", "cluster")


def as_config(config: Config | str | Path | None) -> Config:
    """A configuration from a Config, an office code or profile path, or None (the default).

    >>> as_config("JP").office, as_config(None).office
    ('JP', 'default')
    """
    return config if isinstance(config, Config) else Config.from_profile(config)


def available_offices() -> list[str]:
    """ST.3 codes of the shipped profiles.

    >>> "default" in available_offices() and "JP" in available_offices()
    True
    """
    return sorted(path.stem for path in OFFICES_DIR.glob("*.toml"))


def _is_toml_text(text: str) -> bool:
    return "\n" in text or text.lstrip().startswith(("[", "#"))


def _profile_path(profile: str) -> Path:
    if profile.endswith(".toml") or "/" in profile:
        return Path(profile)
    path = OFFICES_DIR / f"{profile.upper()}.toml"
    if not path.is_file():
        raise NameCleanerError(
            f"no office profile '{profile}': use one of {', '.join(available_offices())} or the path of a .toml profile"
        )
    return path


def read_profile_file(path: Path | str) -> dict[str, Any]:
    """The sections of a profile file; TOML text (a written config) is read as such.

    Problems of the file itself (missing, a folder, not UTF-8, not TOML, nested too deep) are
    one :class:`DataFileError` naming it.
    """
    text = str(path)
    if _is_toml_text(text):
        source, content = "<config>", text
    else:
        source, content = text, read_data_text(path)
    try:
        data = tomllib.loads(content)
    except RecursionError:
        raise DataFileError(source, [f"tables nested more than {_MAX_DEPTH} deep"]) from None
    except tomllib.TOMLDecodeError as error:
        raise DataFileError(source, [f"not a valid TOML profile: {str(error).splitlines()[0][:200]}"]) from None
    if _depth(data) > _MAX_DEPTH:
        raise DataFileError(source, [f"tables nested more than {_MAX_DEPTH} deep"])
    return data


def _depth(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + max((_depth(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((_depth(v) for v in value), default=0)
    return 0


def _merge(base: Mapping[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in over.items():
        both = isinstance(value, Mapping) and isinstance(merged.get(key), Mapping)
        merged[key] = _merge(merged[key], value) if both else value
    return merged


def _table(data: Mapping[str, Any], key: str, problems: list[str], label: str | None = None) -> Mapping[str, Any]:
    value = data.get(key, {})
    if isinstance(value, Mapping):
        return value
    problems.append(f"'{label or key}' must be a table of options, not {value!r}")
    return {}


def check_options(kind: type, values: Mapping[str, Any], section: str, problems: list[str]) -> Any:
    """An options object of ``kind`` from ``values``; every problem appended to ``problems``.

    >>> problems = []
    >>> check_options(NameTypeOptions, {"person_order": "sideways", "colour": 1}, "stages.name_type", problems)
    NameTypeOptions(enabled=True, person_order='auto', capitals_family=True, family_first_countries=('HU', 'VN'), pinyin_family_first_countries=('CN',))
    >>> for problem in problems:
    ...     print(problem)
    stages.name_type.colour is not an option (the options are enabled, person_order, capitals_family, family_first_countries, pinyin_family_first_countries)
    stages.name_type.person_order must be one of 'auto', 'given-first', 'family-first', not 'sideways'
    """
    fields = {f.name: f for f in dataclasses.fields(kind)}
    hints = typing.get_type_hints(kind)
    known = ", ".join(fields)
    checked: dict[str, Any] = {}
    for name in values:
        if name not in fields:
            problems.append(f"{section}.{name} is not an option (the options are {known})")
    for name, spec in fields.items():
        if name in values:
            before = len(problems)
            value = _coerce(values[name], hints[name], f"{section}.{name}", problems, spec.metadata.get("range"))
            if len(problems) == before:
                checked[name] = value
    return kind(**checked)


def _coerce(value: Any, hint: Any, label: str, problems: list[str], bounds: tuple[float, float] | None = None) -> Any:
    """``value`` as the type ``hint`` asks for, or a problem appended and None returned."""
    origin, args = get_origin(hint), get_args(hint)
    if origin in (types.UnionType, typing.Union) and type(None) in args:
        if value is None or value == "":
            return None
        return _coerce(value, next(a for a in args if a is not type(None)), label, problems, bounds)
    if origin is Literal:
        if value in args:
            return value
        problems.append(f"{label} must be one of {', '.join(repr(a) for a in args)}, not {value!r}")
    elif hint is bool:
        if isinstance(value, bool):
            return value
        problems.append(f"{label} must be true or false, not {value!r}")
    elif hint is str:
        if isinstance(value, str):
            return value
        problems.append(f"{label} must be text, not {value!r}")
    elif hint in (int, float):
        number_ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        if not number_ok or (hint is int and not float(value).is_integer()) or not math.isfinite(value):
            problems.append(f"{label} must be a {'whole ' if hint is int else ''}number, not {value!r}")
        elif bounds and not bounds[0] <= value <= bounds[1]:
            problems.append(f"{label} must be between {bounds[0]} and {bounds[1]}, not {value!r}")
        else:
            return hint(value)
    elif origin is tuple and args[-1] is Ellipsis and get_origin(args[0]) is tuple:
        pairs = (
            dict(value)
            if isinstance(value, (tuple, list)) and all(isinstance(p, (tuple, list)) for p in value)
            else value
        )
        if isinstance(pairs, Mapping) and all(isinstance(k, str) and isinstance(v, str) for k, v in pairs.items()):
            return tuple(sorted(pairs.items()))
        problems.append(f"{label} must be a table of text values, not {value!r}")
    elif origin is tuple:
        if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
            return tuple(value)
        problems.append(f"{label} must be a list of text values, not {value!r}")
    else:  # pragma: no cover - a field type the validator does not know is a programming error
        raise TypeError(f"{label}: no rule for type {hint}")
    return None


def _as_dict(value: Any) -> dict[str, Any]:
    return _plain(value) if dataclasses.is_dataclass(value) else dict(value)


def _plain(options: Any) -> dict[str, Any]:
    """An options object as TOML values: pairs as tables, tuples as lists, None left out."""
    out: dict[str, Any] = {}
    for spec in dataclasses.fields(options):
        value = getattr(options, spec.name)
        if value is None:
            continue
        if isinstance(value, tuple) and value and isinstance(value[0], tuple):
            value = dict(value)
        elif isinstance(value, tuple):
            value = list(value)
        out[spec.name] = value
    return out
