"""``python -m homebody``: the same as the ``homebody`` command."""

import sys

from homebody.cli import main

sys.exit(main())
