"""``python -m namecleaner``: the command line."""

import sys

from namecleaner.cli import main

if __name__ == "__main__":
    sys.exit(main())
