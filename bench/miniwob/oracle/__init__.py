"""The oracle: a brain that reads the episode's DOM to choose targets and acts only through the loop.

    brain.py    ``OracleBrain``, and the ``Intent``s a solver yields (the rules are in its docstring)
    click.py    solvers for the click- family (and the utterance helpers the others share)
    forms.py    solvers for the enter-, focus-, login- and choose- families
    more.py     solvers for the navigate-, use-, email-inbox and book-flight families

The solver modules import the core from ``brain.py``, never from this package: a submodule named
``click`` becomes the package's attribute ``click`` once imported, so this namespace holds no
names of its own that a submodule could replace.
"""

from bench.miniwob.oracle.brain import OracleBrain, Solver
from bench.miniwob.oracle.click import SOLVERS as CLICK_SOLVERS
from bench.miniwob.oracle.forms import SOLVERS as FORM_SOLVERS
from bench.miniwob.oracle.more import SOLVERS as MORE_SOLVERS

#: Every task the oracle can play, by name.
SOLVERS: dict[str, Solver] = {**CLICK_SOLVERS, **FORM_SOLVERS, **MORE_SOLVERS}

__all__ = ["SOLVERS", "OracleBrain", "Solver"]
