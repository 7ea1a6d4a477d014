"""The effect gate's pure parts: what a held request or WebSocket message would send, described by names only."""
