"""Publication of police and crime decisions: Part 1 public, Part 2 and deferrals withheld."""

__version__ = "0.1.0"
