"""The ``names`` accessor on pandas Series: ``df["applicant"].names.clean()``.

Every method calls the batch API, so results equal the CLI's. Results are aligned on the
Series index; missing values stay missing.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from namecleaner.batch import clean
from namecleaner.stages.name_type.person import ST96_PERSON_ELEMENTS, st96_person

#: The stages the name-type methods run: legal forms and romanisations are evidence for it.
NAME_TYPE_STAGES = ("transliterate", "legal_form", "name_type")


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

    def name_type(self, office: str | None = None, **kwargs: Any) -> pd.DataFrame:
        """Person or organisation and PSN sector, with confidence and evidence (legal forms and romanisations used).

        >>> df = pd.Series(["SMITH, John A.", "東京大学", "Siemens AG"]).names.name_type()
        >>> df[["name_type", "sector"]].values.tolist()
        [['person', 'individual'], ['organisation', 'university'], ['organisation', 'company']]
        """
        frame = clean(self._series, office, stages=NAME_TYPE_STAGES, **kwargs)
        return frame[["name_type", "sector", "name_type_confidence", "name_type_evidence"]]

    def person(self, office: str | None = None, *, st96: bool = False, **kwargs: Any) -> pd.DataFrame:
        """Person names split: family name, given names, prefix and suffix (empty for organisations).

        With ``st96`` the columns are the ST.96 ``PersonStructuredName`` elements.

        >>> s = pd.Series(["Prof. Dr. John Adam Smith Jr.", "山田太郎"])
        >>> s.names.person()[["family_name", "given_names"]].values.tolist()
        [['Smith', 'John Adam'], ['山田', '太郎']]
        >>> s.names.person(st96=True).iloc[0].tolist()
        ['Prof. Dr.', 'John', 'Adam', 'Smith', 'Jr.']
        """
        frame = clean(self._series, office, stages=NAME_TYPE_STAGES, **kwargs)
        columns = ["family_name", "given_names", "name_prefix", "name_suffix"]
        if not st96:
            return frame[columns]
        rows = [st96_person(*(None if pd.isna(v) else v for v in row)) for row in frame[columns].itertuples(index=False)]
        return pd.DataFrame(rows, index=frame.index, columns=list(ST96_PERSON_ELEMENTS), dtype=object)

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
