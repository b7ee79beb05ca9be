"""budgetlint: a linter for Chinese government budget disclosures."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("budgetlint")
except PackageNotFoundError:  # pragma: no cover - running from an uninstalled tree
    __version__ = "0.0.0"
