"""Office profiles: one TOML data file per office, named by its WIPO ST.3 code.

A profile configures the pipeline stages for the conventions of one office's data, under
``[stages.<stage name>]``. Every profile is read over ``default.toml``, so it only states
where it differs. ``--office`` takes an ST.3 code of a shipped profile or the path of a
profile file of your own.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from namecleaner.errors import DataFileError, NameCleanerError
from namecleaner.resources import data_path

OFFICES_DIR = data_path("offices")
DEFAULT_CODE = "default"
_OFFICE_KEYS = {"code", "name", "countries", "notes"}


@dataclass(frozen=True)
class OfficeProfile:
    """The merged settings of one office: its code, name, countries and per-stage options."""

    code: str
    name: str
    countries: tuple[str, ...] = ()
    stages: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    source: str = ""

    def stage_options(self, stage: str) -> dict[str, Any]:
        """The options the profile sets for one stage (``enabled`` left out)."""
        return {k: v for k, v in self.stages.get(stage, {}).items() if k != "enabled"}

    def stage_enabled(self, stage: str) -> bool:
        """False when the profile switches the stage off with ``enabled = false``."""
        return bool(self.stages.get(stage, {}).get("enabled", True))


def available_offices() -> list[str]:
    """ST.3 codes of the shipped profiles.

    >>> "default" in available_offices()
    True
    """
    return sorted(path.stem for path in OFFICES_DIR.glob("*.toml"))


def _read_profile_file(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise DataFileError(path, [str(error)]) from None
    problems = [f"unknown section '{key}' (expected 'office' and 'stages')" for key in data if key not in ("office", "stages")]
    office = data.get("office", {})
    problems += [f"unknown key 'office.{key}' (expected one of {', '.join(sorted(_OFFICE_KEYS))})" for key in office if key not in _OFFICE_KEYS]
    for stage, options in data.get("stages", {}).items():
        if not isinstance(options, dict):
            problems.append(f"'stages.{stage}' must be a table of options")
    if problems:
        raise DataFileError(path, problems)
    return data


def _merge(base: Mapping[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in over.items():
        merged[key] = _merge(merged[key], value) if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping) else value
    return merged


@cache
def load_office(office: str | None = None) -> OfficeProfile:
    """The profile for an ST.3 code or a profile file path; the default profile for None.

    >>> load_office().code, load_office("jp").code
    ('default', 'JP')
    """
    default = _read_profile_file(OFFICES_DIR / f"{DEFAULT_CODE}.toml")
    if office is None or office.lower() == DEFAULT_CODE:
        data, path = default, OFFICES_DIR / f"{DEFAULT_CODE}.toml"
    else:
        path = Path(office) if office.endswith(".toml") else OFFICES_DIR / f"{office.upper()}.toml"
        if not path.is_file():
            raise NameCleanerError(
                f"no office profile '{office}': use one of {', '.join(available_offices())} or the path of a .toml profile"
            )
        data = _merge(default, _read_profile_file(path))
    info = data.get("office", {})
    return OfficeProfile(
        code=info.get("code", path.stem),
        name=info.get("name", ""),
        countries=tuple(info.get("countries", ())),
        stages=data.get("stages", {}),
        source=str(path),
    )
