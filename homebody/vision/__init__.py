"""Brains (what to do next) and pixel-level perception (layer 1).

``scripted`` (the script brain), ``steps/`` (the embedded plain-English steps brain), ``vlm/``
(vision-language model brains and their backends), ``pixels/`` (OCR, diffs, settling, the verifier).
"""
