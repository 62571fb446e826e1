"""Where a month's proposed deductions and merits come from: sources registered by other
apps (referrals, inspections, …) from their AppConfig.ready. Emulation knows them only
through this registry and never imports them.

A source is a function `source(unit, month)` — `month` the first day of the month —
returning (or yielding) `Proposed` items: plain data, one per record the source holds
against that unit in that month. `key` must be stable (the same record gives the same
key on every run) so that gathering again never duplicates a proposal. A deduction names
the manifestation it is (`manifestation_for(code)` finds one by its code); a merit may
name one; either may name the cadre concerned when the source knows one.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .models import Manifestation, MonthProposal

DEDUCTION, MERIT = MonthProposal.Kind.DEDUCTION, MonthProposal.Kind.MERIT


@dataclass(frozen=True)
class Proposed:
    key: str
    kind: str
    title: str
    url: str = ""
    manifestation_id: int | None = None
    person_id: int | None = None


@dataclass(frozen=True)
class Source:
    name: str
    fn: Callable[..., Iterable[Proposed]]
    label: str  # shown on the month page, e.g. "Referrals"


_registry: dict[str, Source] = {}


def register_source(name: str, fn, *, label="") -> Source:
    """Declare a source of proposals. Registering a name again replaces it (an app's
    ready() may run twice in tests)."""
    if not name or len(name) > MonthProposal._meta.get_field("source").max_length:
        raise ValueError(f"a source name is 1 to 40 characters: {name!r}")
    source = Source(name, fn, label or name)
    _registry[name] = source
    return source


def unregister_source(name: str) -> None:
    _registry.pop(name, None)


def sources() -> list[Source]:
    return list(_registry.values())


def source_label(name: str) -> str:
    source = _registry.get(name)
    return str(source.label) if source else name


def manifestation_for(code: str) -> Manifestation | None:
    """The manifestation carrying `code` (on the newest movement when several do)."""
    if not code:
        return None
    return Manifestation.objects.filter(code=code).order_by("-page__period_start", "pk").first()
