"""The effect gate in a real Chromium against two loopback sites and a WebSocket server."""
