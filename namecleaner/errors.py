"""Errors that namecleaner raises for bad input, bad tables and bad profiles.

Each carries a message that names the file, line or row and what to do, so the CLI can print
it on one line without a traceback.
"""


class NameCleanerError(Exception):
    """Base class for every error a user can fix by changing input, options or data files."""


class InputError(NameCleanerError):
    """An input file or column cannot be read as asked."""


class ParquetTextError(InputError):
    """The table holds what Parquet cannot: two columns of one name, or undecodable bytes (CSV keeps both)."""


class DataFileError(NameCleanerError):
    """A data file (table, profile, overrides) is malformed. Lists every problem at once."""

    def __init__(self, path: object, problems: list[str]) -> None:
        self.path = str(path)
        self.problems = list(problems)
        shown = "; ".join(self.problems[:20])
        more = f" (and {len(self.problems) - 20} more)" if len(self.problems) > 20 else ""
        super().__init__(f"{self.path}: {shown}{more}")


class MissingDependencyError(NameCleanerError, ImportError):
    """A dependency is needed for the feature asked for: an optional extra, or a broken install."""

    def __init__(self, package: str, feature: str, extra: str | None) -> None:
        install = f"namecleaner[{extra}]" if extra else package
        super().__init__(f"{feature} needs the '{package}' package: pip install '{install}'")
