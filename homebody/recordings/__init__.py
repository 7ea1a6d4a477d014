"""Recordings of tasks (layer 1): the crash-safe recorder (events.jsonl + frames), the timeline read
back from it, markers for a scrubber, the one-file HTML export and the video export."""
