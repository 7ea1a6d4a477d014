"""MiniWoB++ through the real operator loop (run from the repository root: ``python -m bench.miniwob --help``).

    runner.py    arguments, the episode loop over tasks × seeds, ``main`` (``__main__.py`` calls it)
    pages.py     the task pages of the installed ``miniwob`` distribution, served on loopback; task lookup
    episode.py   one episode through the operator loop, composed as ``homebody run`` composes it
    brains.py    which brain plays: the oracle, or one built exactly as ``homebody run`` builds it
    report.py    the figures: per task, per family, overall; failure causes grouped
    oracle/      the oracle brain (``brain.py``) and its solvers per family (click, forms, more)

This package is ``bench.miniwob``; a plain ``import miniwob`` still names the installed MiniWoB++
distribution, since ``bench/`` itself is never on ``sys.path``.
"""

import os

# Set before the first submodule imports numpy, OpenCV, onnxruntime or torch, which read them once:
# two cores shared, one thread per library.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "OMP_THREAD_LIMIT"):
    os.environ.setdefault(_var, "1")
