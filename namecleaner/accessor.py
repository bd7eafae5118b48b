"""The ``names`` accessor on pandas Series: ``df["applicant"].names.clean()``.

Every method calls the batch API with one :class:`~namecleaner.config.Config` (or an office
code or profile path), so its columns equal those of :meth:`NamesAccessor.clean` and of the CLI
for the same configuration. ``country`` gives an ISO country code per row. Results are aligned
on the Series index; missing values stay missing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeAlias

import pandas as pd

from namecleaner.batch import clean
from namecleaner.config import Config, as_config
from namecleaner.stages.name_type.person import ST96_PERSON_ELEMENTS, st96_person

#: What a method takes for its configuration: a Config, an office code or profile path, or None.
ConfigLike: TypeAlias = Config | str | None
#: What a method takes for the countries of its rows.
Countries: TypeAlias = "Sequence[Any] | pd.Series | None"


@pd.api.extensions.register_series_accessor("names")
class NamesAccessor:
    """Name cleaning for a Series of names."""

    def __init__(self, series: pd.Series) -> None:
        self._series = series

    def _clean(self, config: ConfigLike, country: Countries, stages: tuple[str, ...] | None = None) -> pd.DataFrame:
        return clean(self._series, config, country=country, stages=stages)

    def clean(self, config: ConfigLike = None, *, country: Countries = None) -> pd.DataFrame:
        """Run the whole pipeline; a DataFrame with one column per field, on the Series index.

        >>> s = pd.Series(["Ｃｏ．，Ｌｔｄ．", None], index=["a", "b"])
        >>> s.names.clean()[["name_clean", "name_match"]]
          name_clean name_match
        a   Co.,Ltd.   co.,ltd.
        b       <NA>       <NA>
        """
        return self._clean(config, country)

    def normalize(self, config: ConfigLike = None, *, country: Countries = None) -> pd.DataFrame:
        """Unicode cleaning only: ``name_clean``, ``name_match`` and ``steps``.

        >>> pd.Series(["S\\u0430msung", "㈱日立"]).names.normalize()["name_match"].tolist()
        ['samsung', '(株)日立']
        """
        return self._clean(config, country, ("unicode",)).drop(columns="original")

    def legal_form(self, config: ConfigLike = None, *, country: Countries = None) -> pd.DataFrame:
        """Legal-form detection (and the stages it needs, romanisation included): form, class, ELF code, core name.

        >>> df = pd.Series(["トヨタ自動車株式会社", "Siemens AG"]).names.legal_form()
        >>> df[["legal_form", "legal_form_class", "elf_code", "name_core"]].fillna("-").values.tolist()
        [['株式会社', 'JSC', 'T417', 'トヨタ自動車'], ['AG', 'JSC', '-', 'Siemens']]
        """
        return self._clean(config, country, ("legal_form",)).drop(columns="original")

    def transliterate(
        self, table: str | None = None, config: ConfigLike = None, *, country: Countries = None
    ) -> pd.DataFrame:
        """Unicode cleaning and transliteration: ``script``, ``language``, ``name_latin``, ``translit_table``.

        ``table`` forces one table id for every non-Latin name instead of the profile's choice.

        >>> pd.Series(["Київ", "ЩУКИН", "Siemens"]).names.transliterate()["name_latin"].tolist()
        ['Kyiv', 'SHCHUKIN', 'Siemens']
        >>> pd.Series(["Щукин"]).names.transliterate(table="icao-rus-Cyrl-Latn-9303")["name_latin"].tolist()
        ['Shchukin']
        """
        config = as_config(config).replace(transliterate={"table": table}) if table else config
        return self._clean(config, country, ("transliterate",)).drop(columns="original")

    def name_type(self, config: ConfigLike = None, *, country: Countries = None) -> pd.DataFrame:
        """Person or organisation and PSN sector, with confidence and evidence (legal forms and romanisations used).

        >>> df = pd.Series(["SMITH, John A.", "東京大学", "Siemens AG"]).names.name_type()
        >>> df[["name_type", "sector"]].values.tolist()
        [['person', 'individual'], ['organisation', 'university'], ['organisation', 'company']]
        """
        frame = self._clean(config, country, ("name_type",))
        return frame[["name_type", "sector", "name_type_confidence", "name_type_evidence"]]

    def person(self, config: ConfigLike = None, *, country: Countries = None, st96: bool = False) -> pd.DataFrame:
        """Person names split: family name, given names, prefix and suffix (empty for organisations).

        With ``st96`` the columns are the ST.96 ``PersonStructuredName`` elements.

        >>> s = pd.Series(["Prof. Dr. John Adam Smith Jr.", "山田太郎"])
        >>> s.names.person()[["family_name", "given_names"]].values.tolist()
        [['Smith', 'John Adam'], ['山田', '太郎']]
        >>> s.names.person(st96=True).iloc[0].tolist()
        ['Prof. Dr.', 'John', 'Adam', 'Smith', 'Jr.']
        """
        frame = self._clean(config, country, ("name_type",))
        columns = ["family_name", "given_names", "name_prefix", "name_suffix"]
        if not st96:
            return frame[columns]
        rows = [
            st96_person(*(None if pd.isna(v) else v for v in row)) for row in frame[columns].itertuples(index=False)
        ]
        return pd.DataFrame(rows, index=frame.index, columns=list(ST96_PERSON_ELEMENTS), dtype=object)

    def cluster(
        self,
        config: ConfigLike = None,
        *,
        country: Countries = None,
        counts: Sequence[int] | None = None,
        **options: Any,
    ) -> pd.DataFrame:
        """Clean and cluster: the cleaned fields plus ``cluster_id`` and ``cluster_name``.

        ``config.cluster`` gives the strictness, overrides and authority file, and keyword
        ``options`` change them (``strictness=0.6``; see :func:`namecleaner.cluster.cluster`);
        ``counts`` gives the mentions of each row.

        >>> s = pd.Series(["Motorola Inc", "MOTOROLA INC.", "Nokia Oyj"], index=[7, 8, 9])
        >>> s.names.cluster()["cluster_name"].tolist()
        ['Motorola Inc', 'Motorola Inc', 'Nokia Oyj']
        """
        from namecleaner.cluster import cluster

        frame = cluster(self._series, config, country=country, counts=counts, **options).drop(columns="original")
        frame.index = self._series.index
        return frame
