"""tokenlint: static analysis of the Python code that spends money on LLM APIs."""

__version__ = "0.1.0"
