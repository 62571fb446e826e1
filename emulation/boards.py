"""Sections other apps add to a unit's commitment board (inspections' findings, …),
registered from their AppConfig.ready. Emulation knows them only through this registry
and never imports them.

A section is a function `section(unit, user)` returning a `Section` — the template to
include and its context — or None when it has nothing to show. The board's view has
already checked that `user` may read `unit`'s board; a section still shows only what
that user may see of its own records."""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Section:
    template: str
    context: dict = field(default_factory=dict)


_registry: dict[str, Callable] = {}


def register_board_section(name: str, fn: Callable) -> None:
    """Declare a section of the board. Registering a name again replaces it (an app's
    ready() may run twice in tests)."""
    _registry[name] = fn


def unregister_board_section(name: str) -> None:
    _registry.pop(name, None)


def sections(unit, user) -> list[Section]:
    """The sections with something to show on `unit`'s board for `user`, in the order
    they were registered."""
    found = (fn(unit, user) for fn in _registry.values())
    return [section for section in found if section is not None]
