"""The browser computer: launching Chromium, the computer that drives a page (its own context or a
remote tab), input, the pre-commit probe and its DevTools plumbing, redaction of secret fields, the
in-page select menu, visible sign-in windows and the live screencast."""
