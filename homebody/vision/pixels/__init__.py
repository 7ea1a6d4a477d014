"""Pixel-level perception without a model: OCR, frame diffs, waiting for the screen to settle, the
visual verifier, and crops of regions."""
