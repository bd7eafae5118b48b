"""namecleaner: clean and standardise applicant, owner and inventor names in IP data.

Implements the recommendations of the draft WIPO Standard ST.93. The one batch API is
:func:`clean`; ``import namecleaner`` also registers the ``names`` accessor on pandas Series.
"""

from namecleaner import accessor as _accessor  # noqa: F401  (registers Series.names)
from namecleaner.batch import clean
from namecleaner.errors import NameCleanerError
from namecleaner.office import OfficeProfile, available_offices, load_office
from namecleaner.pipeline import STAGES, build_pipeline
from namecleaner.record import OUTPUT_COLUMNS, NameRecord, Step

__version__ = "0.1.0"

__all__ = [
    "OUTPUT_COLUMNS",
    "STAGES",
    "NameCleanerError",
    "NameRecord",
    "OfficeProfile",
    "Step",
    "available_offices",
    "build_pipeline",
    "clean",
    "load_office",
]
