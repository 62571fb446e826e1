"""Where suggested honours come from besides the movement's own records (queries.suggestions):
sources registered by other apps (inspections, …) from their AppConfig.ready. Honours
knows them only through this registry and never imports them.

A source is a function `source(today, taken)` returning suggestions — dicts with the keys
queries.suggestions() gives ("key", "source", "person", "unit", "note", "year") — and
leaving out those whose key is in `taken` (the keys nominations were already made from).
`key` must be stable and start with the source's own prefix so that it is never offered
again once proposed."""

from collections.abc import Callable

_registry: dict[str, Callable] = {}


def register_suggestion_source(name: str, fn: Callable) -> None:
    """Declare a source of suggestions. Registering a name again replaces it."""
    _registry[name] = fn


def unregister_suggestion_source(name: str) -> None:
    _registry.pop(name, None)


def registered(today, taken) -> list[dict]:
    out = []
    for fn in _registry.values():
        out += list(fn(today, taken))
    return out
