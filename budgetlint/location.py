"""Where a thing sits in a source file, physically and logically."""

from __future__ import annotations

from dataclasses import dataclass, replace

BBox = tuple[float, float, float, float]


@dataclass(frozen=True)
class Location:
    """A place in a source document.

    Text sources fill ``line``/``column`` (1-based, columns counted in Unicode
    code points, ``end_column`` exclusive); PDF sources fill ``page`` and
    ``bbox`` (x0, y0, x1, y1 in PDF points).  ``logical`` is the path a reviewer
    would name: table title › row label › column header.  Only the logical path
    enters fingerprints, so it survives re-pagination and renamed files.
    """

    path: str
    page: int | None = None
    line: int | None = None
    column: int | None = None
    end_line: int | None = None
    end_column: int | None = None
    bbox: BBox | None = None
    logical: tuple[str, ...] = ()

    def with_logical(self, *parts: str) -> Location:
        """Return a copy whose logical path is ``parts`` (empty parts dropped)."""
        logical = tuple(p for p in parts if p)  # built directly: dataclasses.replace is slow, and this runs per cell
        return Location(self.path, self.page, self.line, self.column, self.end_line, self.end_column, self.bbox, logical)

    @property
    def place(self) -> tuple[object, ...]:
        """Where it sits in the file, whatever its logical path: what two readings of one cell or line share."""
        return self.path, self.page, self.line, self.column, self.end_line, self.end_column, self.bbox

    def logical_text(self) -> str:
        """The logical path joined the way reports show it."""
        return " › ".join(self.logical)

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> Location:
        """The inverse of :meth:`to_dict`."""
        logical = str(data.get("logical_location") or "")
        bbox = data.get("bbox")
        return cls(
            path=str(data["path"]),
            page=data.get("page"),
            line=data.get("line"),
            column=data.get("column"),
            end_line=data.get("end_line"),
            end_column=data.get("end_column"),
            bbox=tuple(bbox) if bbox else None,
            logical=tuple(logical.split(" › ")) if logical else (),
        )

    def to_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "page": self.page,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "bbox": list(self.bbox) if self.bbox else None,
            "logical_location": self.logical_text(),
        }


def span(first: Location, last: Location) -> Location:
    """The location covering ``first`` through ``last`` (same file)."""
    bbox = None
    if first.bbox and last.bbox and first.page == last.page:
        bbox = (
            min(first.bbox[0], last.bbox[0]),
            min(first.bbox[1], last.bbox[1]),
            max(first.bbox[2], last.bbox[2]),
            max(first.bbox[3], last.bbox[3]),
        )
    return replace(
        first,
        end_line=last.end_line if last.end_line is not None else last.line,
        end_column=last.end_column,
        bbox=bbox or first.bbox,
    )
