"""Findings and fixes: what rules produce and reporters render."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional


@dataclass(frozen=True)
class Edit:
    """Replace the text between two 1-based (row, column) positions with `content`."""

    row: int
    column: int
    end_row: int
    end_column: int
    content: str

    def as_dict(self) -> dict[str, Any]:
        return {"content": self.content, "location": {"row": self.row, "column": self.column},
                "end_location": {"row": self.end_row, "column": self.end_column}}


@dataclass(frozen=True)
class Fix:
    applicability: str  # "safe" | "unsafe"
    message: str
    edits: tuple[Edit, ...]

    def as_dict(self) -> dict[str, Any]:
        return {"applicability": self.applicability, "message": self.message,
                "edits": [e.as_dict() for e in self.edits]}


@dataclass
class Finding:
    code: str
    name: str
    message: str
    path: str  # relative to the project root, "/"-separated
    row: int
    column: int
    end_row: int
    end_column: int
    fix: Optional[Fix] = None
    site_id: Optional[str] = None
    abspath: Optional[str] = field(default=None, compare=False)

    def sort_key(self) -> tuple:
        return (self.path, self.row, self.column, self.code)

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "message": self.message,
            "filename": self.path,
            "location": {"row": self.row, "column": self.column},
            "end_location": {"row": self.end_row, "column": self.end_column},
            "fix": self.fix.as_dict() if self.fix else None,
            "site_id": self.site_id,
        }
