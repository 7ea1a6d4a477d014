"""Schedules: tasks that run by themselves while ``homebody serve`` runs.

``timing.py`` says when (pure), ``models.py`` what a schedule is on the wire and on disk,
``store.py`` keeps schedules and their runs in the server's SQLite store (the CLI writes there
too, with or without a server running), ``scheduler.py`` starts the runs that are due.
"""
