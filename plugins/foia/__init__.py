"""Publication of police and crime decisions: Part 1 public, Part 2 and deferrals withheld."""

__version__ = "0.2.0"  # the one place; pyproject.toml reads it, every build prints it
