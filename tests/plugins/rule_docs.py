"""Docs for the test plugins' rules (a rule without docs cannot be registered)."""

DOCS = {"en": {"what": "A test rule.", "why": "To test the plugin machinery.", "example": "-", "authority": "-"}}
