"""The HTTP routes of ``homebody serve``, one module per resource: tasks, live streams, profiles, the page."""
