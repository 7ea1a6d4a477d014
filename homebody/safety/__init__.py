"""The pre-commit checker (layer 1): judges an action's target before it reaches the page.

``lexicon`` and ``phrases`` (commit verbs in 11 languages), ``facts`` (what a target is and what
surrounds it), ``classify`` (facts → a commit category or none), ``policy`` (category → verdict,
with the user's grants), ``checker`` (the rules checker the loop runs), ``chain`` (checkers run
together, failing closed), ``tagparse`` and ``stream`` (``homebody safety classify`` over JSON lines).
"""
