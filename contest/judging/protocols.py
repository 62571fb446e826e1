"""How callers plug into the judging engine. The engine imports none of them: a contest
page or an idea call implements `Call`, an entry or an idea implements `Subject`."""

from typing import Protocol, runtime_checkable


@runtime_checkable
class Call(Protocol):
    """A page whose rounds the engine runs (a contest, an idea call). What a round
    decides is a prize (contest) or a selection (ideas): `judging_decision_kind`."""

    judging_decision_kind: str  # "prize" or "select"

    def judging_candidates(self):
        """What its rounds may judge (confirmed entries, published ideas): a queryset."""

    def judging_decisions(self) -> dict:
        """{subject id: the decision's label} for what has been decided so far."""

    def judging_award(self, subject, label: str, position: int, *, by):
        """Record a decision (a prize, a selection) for a subject."""

    def judging_withdraw(self, subject, *, by):
        """Take a decision back."""

    def judging_publish(self, *, by) -> int:
        """Publish the results; how many authors are being told."""


@runtime_checkable
class Subject(Protocol):
    """What a call gives the engine to judge (a contest entry, an idea)."""

    pk: int

    @property
    def judging_reference(self) -> str:
        """The subject's own code (a tracking code…), for the organisers only."""

    def judging_card(self, blind: bool = True) -> dict:
        """What a judge reads: title, body_html, category, words, supporters, attachment
        (a file or None), and author when not blind. Never the subject's own code: the
        engine labels the card with the round's code."""

    # Optional: judging_identifiers() -> [(kind, value), …] names what would identify the
    # author in a blind round (kinds "name", "pen_name", "phone", "email", "ward",
    # "workplace"); the engine scans the card's text for them before the round opens.
    #
    # Optional, on the model: a classmethod judging_corpus(call_id=…) yielding
    # {"pk", "reference", "source", "text"} for everything of its kind a round's texts are
    # compared with for similar texts (entries of other contests, every idea).
