"""The budget model: the recognised content of one disclosure."""

from __future__ import annotations

from dataclasses import dataclass, field

from budgetlint.document import Document


@dataclass
class BudgetModel:
    """What recognisers found in a document; rules read this, never the source."""

    document: Document
