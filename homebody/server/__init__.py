"""The local HTTP endpoint, ``homebody serve`` (layer 4): the FastAPI app, auth (token, Host,
Origin), the SQLite task store, the queue per profile, live streams, routes/ and the static page.
"""
