"""The options every command shares for its configuration, and the one way to turn them into a Config.

``--config FILE`` reads a configuration written by an earlier run (or any profile file), ``--office``
an office profile; the flags of a command then change single values on top. The result is checked
before any work starts, so ``--strictness 2`` is refused at once.
"""

from __future__ import annotations

import argparse
import os
from typing import Any

from namecleaner import __version__
from namecleaner.config import Config, available_offices
from namecleaner.errors import InputError
from namecleaner.io import STDIO, atomic_output

#: Suffix of the configuration file written beside an output.
CONFIG_SUFFIX = ".config.toml"


def add_config_options(parser: argparse.ArgumentParser, *, cleaning: bool = True) -> None:
    """``--config`` and ``--office``, and with ``cleaning`` the transliteration flags."""
    group = parser.add_argument_group("configuration")
    group.add_argument(
        "--config",
        metavar="FILE",
        help=f"a configuration written by an earlier run (OUTPUT{CONFIG_SUFFIX}) or a profile",
    )
    group.add_argument(
        "--office", help=f"office profile: an ST.3 code ({', '.join(available_offices())}) or a .toml path"
    )
    if cleaning:
        group.add_argument(
            "--tables",
            action="append",
            metavar="DIR",
            help="also read transliteration tables from this folder (repeatable)",
        )
        group.add_argument(
            "--language", help="read the names of a script in this language (e.g. uk for Cyrillic), choosing its table"
        )


def _changes(args: argparse.Namespace) -> dict[str, Any]:
    """The configuration values the flags of this command set (flags left out change nothing)."""
    transliterate = {
        k: v
        for k, v in (("tables_dirs", getattr(args, "tables", None)), ("language", getattr(args, "language", None)))
        if v
    }
    cluster = {
        key: getattr(args, key)
        for key in ("strictness", "overrides", "authority", "model", "workers", "regional_units")
        if getattr(args, key, None) is not None
    }
    return {k: v for k, v in (("transliterate", transliterate), ("cluster", cluster)) if v}


def config_from_args(args: argparse.Namespace) -> Config:
    """The run's configuration: ``--config`` or ``--office`` (else the default), then the flags.

    >>> args = argparse.Namespace(config=None, office="JP", language="uk", strictness=0.6)
    >>> config = config_from_args(args)
    >>> config.office, config.transliterate.language, config.cluster.strictness
    ('JP', 'uk', 0.6)
    """
    if getattr(args, "config", None) and getattr(args, "office", None):
        raise InputError("--config and --office both name a profile: give one of them")
    config = Config.from_profile(getattr(args, "config", None) or getattr(args, "office", None))
    changes = _changes(args)
    if not changes:
        return config
    for option in ("overrides", "authority", "model"):
        path = changes.get("cluster", {}).get(option)
        if path and not os.path.isfile(path):
            raise InputError(f"{path}: no such file (--{option})")
    return config.replace(source="command line", **changes)


def write_config(config: Config, output: str, tables: list[str] | None = None) -> str | None:
    """Write the effective configuration beside ``output`` (none for stdout); its path.

    ``tables`` (``id@version`` of each table used) is recorded with the namecleaner version.
    """
    if output == STDIO:
        return None
    path = output.rstrip("/") + CONFIG_SUFFIX
    provenance = {"written by": f"namecleaner {__version__}", "repeat with": f"--config {os.path.basename(path)}"}
    if tables:
        provenance["tables used"] = ", ".join(tables)
    with atomic_output(path) as handle:
        handle.write(config.to_toml(provenance))
    return path
