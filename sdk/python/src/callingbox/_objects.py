"""Result objects: dicts that also answer attribute access, and pages that are lists.

``CallingboxObject`` subclasses ``dict``, so ``dict(obj)``, ``json.dumps(obj)``, ``obj["id"]`` and
``obj.id`` all work, and nested objects are ``CallingboxObject`` too (``call.latency.p50_ms``).
A key that is a Python keyword or shadows a dict method is reached with a trailing underscore
(``event.data.from_``) or by subscription (``descriptor["items"]``).
"""

from __future__ import annotations

from typing import Any, Callable, ClassVar, Dict, Generic, Iterator, List, Optional, Type, TypeVar

T = TypeVar("T", bound="CallingboxObject")


class CallingboxObject(Dict[str, Any]):
    """A JSON object from the API with attribute access; also a plain ``dict``."""

    #: Fields holding typed objects (or lists of them), e.g. ``{"numbers": Number}`` on Agent.
    _nested: ClassVar[Dict[str, Type["CallingboxObject"]]] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, value in list(self.items()):
            cls = self._nested.get(key)
            if cls is not None and isinstance(value, dict):
                value = cls(value)
            elif cls is not None and isinstance(value, list):
                value = [cls(v) if isinstance(v, dict) else v for v in value]
            dict.__setitem__(self, key, convert(value))

    @classmethod
    def construct(cls: Type[T], value: Any) -> T:
        """Wrap a parsed JSON object (nested dicts become :class:`CallingboxObject`)."""
        return cls(value if isinstance(value, dict) else {})

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        if name in self:
            return self[name]
        if name.endswith("_") and name[:-1] in self:  # from_ → "from"
            return self[name[:-1]]
        raise AttributeError(f"{type(self).__name__} has no field {name!r}")

    def __setattr__(self, name: str, value: Any) -> None:
        self[name] = value

    def __delattr__(self, name: str) -> None:
        try:
            del self[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setitem__(self, key: str, value: Any) -> None:
        super().__setitem__(key, convert(value))

    def __dir__(self) -> List[str]:
        return sorted(set(super().__dir__()) | {k for k in self if k.isidentifier()})

    def __repr__(self) -> str:
        ident = self.get("id")
        head = f"<{type(self).__name__}" + (f" id={ident!r}" if ident else "")
        return f"{head} {dict.__repr__(self)}>"

    def to_dict(self) -> Dict[str, Any]:
        """A deep copy made of plain ``dict`` and ``list`` only."""
        return to_plain(self)  # type: ignore[no-any-return]


def convert(value: Any) -> Any:
    """Turn nested JSON values into result objects (plain dicts become CallingboxObject)."""
    if isinstance(value, CallingboxObject):
        return value
    if isinstance(value, dict):
        return CallingboxObject(value)
    if isinstance(value, list) and not isinstance(value, Page):
        return [convert(v) for v in value]
    return value


def to_plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: to_plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_plain(v) for v in value]
    return value


class Page(List[T], Generic[T]):
    """One page of a list: a ``list`` of items plus where the next page starts.

    ``data`` is the page itself (so ``page.data`` reads as in the JSON body of ``{data}`` lists);
    ``has_more`` and ``next_cursor`` come from the body or from the ``CallingBox-Next-Cursor``
    header. :meth:`auto_paging_iter` walks this page and every following one lazily.
    """

    def __init__(
        self,
        items: List[T],
        *,
        next_cursor: Optional[str] = None,
        has_more: Optional[bool] = None,
        fetch_next: Optional[Callable[[str], "Page[T]"]] = None,
    ) -> None:
        super().__init__(items)
        self.next_cursor = next_cursor
        self.has_more = bool(next_cursor) if has_more is None else has_more
        self._fetch_next = fetch_next

    @property
    def data(self) -> List[T]:
        return list(self)

    def has_next_page(self) -> bool:
        return bool(self.has_more and self.next_cursor)

    def next_page(self) -> Optional["Page[T]"]:
        """Fetch the following page, or None on the last one."""
        if not self.has_next_page() or self._fetch_next is None:
            return None
        assert self.next_cursor is not None
        return self._fetch_next(self.next_cursor)

    def auto_paging_iter(self) -> Iterator[T]:
        """Yield every item of this page and the following ones; a page is fetched only when
        the previous one has been consumed."""
        page: Optional[Page[T]] = self
        while page is not None:
            for item in page:
                yield item
            page = page.next_page()

    def __repr__(self) -> str:
        return f"<Page of {len(self)} has_more={self.has_more} next_cursor={self.next_cursor!r}>"
