"""The ``names`` accessor on pandas Series: ``df["applicant"].names.clean()``.

Every method calls the batch API, so results equal the CLI's. Results are aligned on the
Series index; missing values stay missing.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from namecleaner.batch import clean


@pd.api.extensions.register_series_accessor("names")
class NamesAccessor:
    """Name cleaning for a Series of names."""

    def __init__(self, series: pd.Series) -> None:
        self._series = series

    def clean(self, office: str | None = None, **kwargs: Any) -> pd.DataFrame:
        """Run the whole pipeline; a DataFrame with one column per field, on the Series index.

        >>> s = pd.Series(["Ｃｏ．，Ｌｔｄ．", None], index=["a", "b"])
        >>> s.names.clean()[["name_clean", "name_match"]]
          name_clean name_match
        a   Co.,Ltd.   co.,ltd.
        b       <NA>       <NA>
        """
        return clean(self._series, office, **kwargs)

    def normalize(self, office: str | None = None) -> pd.DataFrame:
        """Unicode cleaning only: ``name_clean``, ``name_match`` and ``steps``.

        >>> pd.Series(["S\\u0430msung", "㈱日立"]).names.normalize()["name_match"].tolist()
        ['samsung', '(株)日立']
        """
        return clean(self._series, office, stages=("unicode",)).drop(columns="original")

    def legal_form(self, office: str | None = None, **kwargs: Any) -> pd.DataFrame:
        """Legal-form detection (and the stages it needs): form, class, ELF code, span, core name.

        >>> df = pd.Series(["トヨタ自動車株式会社", "Siemens AG"]).names.legal_form()
        >>> df[["legal_form", "legal_form_class", "elf_code", "name_core"]].fillna("-").values.tolist()
        [['KK', 'JSC', 'T417', 'トヨタ自動車'], ['AG', 'JSC', '-', 'Siemens']]
        """
        return clean(self._series, office, stages=("legal_form",), **kwargs).drop(columns="original")

    def transliterate(self, table: str | None = None, office: str | None = None) -> pd.DataFrame:
        """Unicode cleaning and transliteration: ``script``, ``language``, ``name_latin``, ``translit_table``.

        ``table`` forces one table id for every non-Latin name instead of the profile's choice.

        >>> pd.Series(["Київ", "ЩУКИН", "Siemens"]).names.transliterate()["name_latin"].tolist()
        ['Kyiv', 'SHCHUKIN', 'Siemens']
        >>> pd.Series(["Щукин"]).names.transliterate(table="icao-rus-Cyrl-Latn-9303")["name_latin"].tolist()
        ['Shchukin']
        """
        options = {"transliterate": {"table": table}} if table else None
        return clean(self._series, office, stages=("transliterate",), options=options).drop(columns="original")

    def cluster(self, office: str | None = None, **kwargs: Any) -> pd.DataFrame:
        """Clean and cluster: the cleaned fields plus ``cluster_id`` and ``cluster_name``.

        Keyword arguments go to :func:`namecleaner.cluster.cluster` (``strictness``,
        ``overrides``, ``authority``, ``counts``).

        >>> s = pd.Series(["Motorola Inc", "MOTOROLA INC.", "Nokia Oyj"], index=[7, 8, 9])
        >>> s.names.cluster()["cluster_name"].tolist()
        ['Motorola Inc', 'Motorola Inc', 'Nokia Oyj']
        """
        from namecleaner.cluster import cluster

        frame = cluster(self._series, office, **kwargs).drop(columns="original")
        frame.index = self._series.index
        return frame
