"""A bundled local web app for demos and integration tests: a shop (with an express checkout), a
webmail and a chat, a bank, a social feed, an invoice to pay, and product pages in eleven languages.

Served by the standard library on 127.0.0.1; nothing here reaches the network. Importing this
package starts nothing: call ``start_demo_site`` (a daemon thread) or ``serve_forever``.
"""

from homebody.demo.server import DemoSite, serve_forever, start_demo_site

__all__ = ["DemoSite", "serve_forever", "start_demo_site"]
