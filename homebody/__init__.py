"""homebody: a private computer-use agent that lives on your own machine."""

__version__ = "0.1.0"
