"""``python -m bench.miniwob``: see ``bench/miniwob/runner.py`` for the flags and examples."""

import sys

from bench.miniwob.runner import main

sys.exit(main())
