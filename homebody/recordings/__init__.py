"""Recordings of tasks (layer 1): the crash-safe recorder (events.jsonl + frames), the timeline read
back from it, the words for actions and inputs, markers for the frames, the replay page (one HTML
page and its static/ style and script, for the one-file export and the server alike) and the video
export."""
