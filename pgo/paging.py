"""One page of a long list: which page, how many there are, and the slice to read (issue #22: clinic-wide lists
page instead of reading every patient's rows)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Paging:
    """What `components/pager.html` needs: ``page`` of ``pages``, with ``total`` items in all."""

    page: int
    pages: int
    total: int
    per_page: int

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


def paging(*, total: int, page: int, per_page: int) -> Paging:
    """The page asked for, kept within 1..pages (a page past the end shows the last one)."""
    if per_page < 1:
        raise ValueError("per_page must be at least 1")
    pages = max(1, -(-total // per_page))
    return Paging(page=min(max(1, page), pages), pages=pages, total=total, per_page=per_page)
