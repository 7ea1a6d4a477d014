"""``python -m bench.realapps``: see ``bench/realapps/runner.py`` for the flags and what it checks."""

import sys

from bench.realapps.runner import main

sys.exit(main())
