"""How long the contest keeps entrants' personal data (see tayho_site.retention).

- Entries never confirmed go whole after the "unconfirmed" period: nobody judged them.
- The other entries keep their text, scores and prize; a year (by default) after the
  contest's results were published, or it closed when they never were, the entrant's
  contact details and everything else that identifies them go, as with an erasure on
  request. A prize winner keeps the name they chose to show with the results (the
  results page and the honours built on it still need it); other entrants keep no name.
"""

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from tayho_site import retention

from .models import Award, Entrant, Entry


def purge_unconfirmed_entries(now, days) -> int:
    """Entries whose author never opened the confirmation link: deleted with their author,
    consents and attachment."""
    stale = Entry.objects.filter(status=Entry.Status.AWAITING_CONFIRMATION, created_at__lt=retention.cutoff(now, days))
    return retention.delete_in_batches(stale, file_field="attachment")


def expired_entrants(now, days):
    """Entries whose contest published its results (or, without results, closed) longer
    ago than the period, and whose author is not erased yet."""
    before = retention.cutoff(now, days)
    return (
        Entry.objects.filter(erased_at__isnull=True)
        .exclude(status=Entry.Status.AWAITING_CONFIRMATION)
        .filter(
            Q(contest__results_published_at__lt=before)
            | Q(contest__results_published_at__isnull=True, contest__closes_at__lt=before)
        )
    )


def anonymise_entrants(now, days) -> int:
    def apply(pks):
        entries = list(
            Entry.objects.filter(pk__in=pks)
            .annotate(won=Exists(Award.objects.filter(entry=OuterRef("pk"))))
            .select_related("entrant")
        )
        retention.delete_files(entry.attachment for entry in entries)
        for entry in entries:
            entrant = getattr(entry, "entrant", None)
            if entrant is not None:
                keep_full = entry.won and entrant.show_as == Entrant.ShowAs.FULL_NAME
                keep_pen = entry.won and entrant.show_as == Entrant.ShowAs.PEN_NAME and bool(entrant.pen_name)
                Entrant.objects.filter(pk=entrant.pk).update(
                    full_name=entrant.full_name if keep_full else "",
                    pen_name=entrant.pen_name if keep_pen else "",
                    show_as=entrant.show_as if keep_full or keep_pen else Entrant.ShowAs.ANONYMOUS,
                    birth_year=0,
                    phone="",
                    email="",
                    address="",
                    occupation="",
                )
        return Entry.objects.filter(pk__in=pks).update(attachment="", attachment_name="", erased_at=now, updated_at=now)

    return retention.in_batches(expired_entrants(now, days), apply)


def register_kinds():
    retention.register(
        "contest.unconfirmed_entries",
        "unconfirmed",
        purge_unconfirmed_entries,
        _("Contest entries never confirmed by e-mail: deleted whole."),
        model="contest.Entry",
    )
    retention.register(
        "contest.entrants",
        "entrants",
        anonymise_entrants,
        _(
            "Entrants' contact details and identity, counted from the publication of the results (or the closing "
            "date): removed with the attachment; the text, scores and prize stay, and a winner's published name."
        ),
        model="contest.Entrant",
    )
