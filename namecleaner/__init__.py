"""namecleaner: clean and standardise applicant, owner and inventor names in IP data.

Implements the recommendations of the draft WIPO Standard ST.93. The one batch API is
:func:`clean`, configured by one :class:`Config`; ``import namecleaner`` also registers the ``names`` accessor on pandas Series.
"""

from namecleaner import accessor as _accessor  # noqa: F401  (registers Series.names)
from namecleaner.batch import clean
from namecleaner.config import ClusterOptions, Config, available_offices
from namecleaner.context import Context
from namecleaner.errors import NameCleanerError
from namecleaner.pipeline import STAGES
from namecleaner.record import OUTPUT_COLUMNS, NameRecord, Step

__version__ = "0.1.0"

__all__ = [
    "OUTPUT_COLUMNS",
    "STAGES",
    "ClusterOptions",
    "Config",
    "Context",
    "NameCleanerError",
    "NameRecord",
    "Step",
    "available_offices",
    "clean",
]
