"""homebody against real open-source web apps installed from PyPI and served on loopback.

``python -m bench.realapps``: see ``bench/realapps/runner.py`` for the flags.
"""
