"""The operator (layer 2): the loop that runs one task, step by step, against the protocols of
``homebody.protocols``, never concrete backends; with its approval gate, the verifier's watch,
action dispatch, task control (cancel, park) and takeover by hand.
"""
