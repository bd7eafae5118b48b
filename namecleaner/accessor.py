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
