"""How long the idea box keeps personal data (see tayho_site.retention).

- Ideas and supports never confirmed by e-mail go whole after the "unconfirmed" period.
- An idea's author loses their contact details (and, unless they chose to show it with a
  published idea, their name) once nothing has happened to the idea for the period and
  no referral is waiting for an answer. The idea, its public text, supporters and
  timeline stay; the file stays only with a published idea, where it is public anyway.
- A confirmed support keeps its hashed address (which stops a second support) until the
  support is older than the period and its idea is settled: no longer published, answered
  by the responsible unit, or in a call that has closed, with nothing happening to it for
  the period. The row stays, without the hash, so the count of supporters is unchanged
  (and recounts, e.g. when ideas are merged, still find it).
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Exists, OuterRef, Q, Value
from django.db.models.functions import Cast, Concat
from django.utils.translation import gettext_lazy as _

from referrals.models import Referral, ReferralStep
from tayho_site import retention
from tayho_site.models import AuditEntry

from .models import Idea, IdeaAuthor, IdeaEvent, Support

ERASED_HASH = "erased:"  # + the support's id: never a real hash (64 hex digits), unique per idea
ANSWERED_STAGES = (Idea.Stage.ACCEPTED, Idea.Stage.DONE, Idea.Stage.DECLINED)


def purge_unconfirmed_ideas(now, days) -> int:
    """Ideas whose author never confirmed them: deleted with author, consents and file."""
    stale = Idea.objects.filter(status=Idea.Status.AWAITING_CONFIRMATION, created_at__lt=retention.cutoff(now, days))
    return retention.delete_in_batches(stale, file_field="attachment")


def purge_unconfirmed_supports(now, days) -> int:
    """Supports never confirmed: not counted, so nothing is lost but the hashed address."""
    stale = Support.objects.filter(confirmed_at__isnull=True, created_at__lt=retention.cutoff(now, days))
    return retention.delete_in_batches(stale)


def quiet_ideas(before):
    """Confirmed ideas with no referral waiting for an answer and no step since `before`:
    not sent, confirmed, published or selected since, no event of their timeline, no
    step of their referrals and no audit entry (moderation, merge…)."""
    idea_type = ContentType.objects.get_for_model(Idea)
    subject = {"subject_type": idea_type, "subject_id": Cast(OuterRef("pk"), CharField())}
    return (
        Idea.objects.exclude(status=Idea.Status.AWAITING_CONFIRMATION)
        .filter(created_at__lt=before)
        .exclude(confirmed_at__gte=before)
        .exclude(published_at__gte=before)
        .exclude(selected_at__gte=before)
        .exclude(Exists(IdeaEvent.objects.filter(idea=OuterRef("pk"), at__gte=before)))
        .exclude(Exists(Referral.objects.filter(status=Referral.Status.OPEN, **subject)))
        .exclude(
            Exists(
                ReferralStep.objects.filter(
                    at__gte=before, **{f"referral__{name}": value for name, value in subject.items()}
                )
            )
        )
        .exclude(
            Exists(
                AuditEntry.objects.filter(
                    target_type=idea_type, target_id=Cast(OuterRef("pk"), CharField()), at__gte=before
                )
            )
        )
    )


def anonymise_authors(now, days) -> int:
    ideas = quiet_ideas(retention.cutoff(now, days)).filter(author__email__gt="")

    def apply(pks):
        rows = list(Idea.objects.filter(pk__in=pks).select_related("author"))
        hidden = [idea for idea in rows if idea.status != Idea.Status.PUBLISHED]
        retention.delete_files(idea.attachment for idea in hidden)
        Idea.objects.filter(pk__in=[idea.pk for idea in hidden]).update(attachment="", attachment_kind="")
        shown = [idea.pk for idea in rows if idea.status == Idea.Status.PUBLISHED and idea.author.show_name]
        authors = IdeaAuthor.objects.filter(idea_id__in=pks)
        authors.exclude(idea_id__in=shown).update(full_name="", show_name=False)
        return authors.update(email="", phone="", notify=False)

    return retention.in_batches(ideas, apply)


def anonymise_supports(now, days) -> int:
    before = retention.cutoff(now, days)
    settled = quiet_ideas(before).filter(
        ~Q(status=Idea.Status.PUBLISHED) | Q(stage__in=ANSWERED_STAGES) | Q(call__closes_at__lt=before)
    )
    supports = Support.objects.filter(confirmed_at__isnull=False, created_at__lt=before, idea__in=settled).exclude(
        email_hash__startswith=ERASED_HASH
    )

    def apply(pks):
        return Support.objects.filter(pk__in=pks).update(
            email_hash=Concat(Value(ERASED_HASH), Cast("pk", CharField())), follow_email="", following=False
        )

    return retention.in_batches(supports, apply)


def register_kinds():
    retention.register(
        "ideas.unconfirmed_ideas",
        "unconfirmed",
        purge_unconfirmed_ideas,
        _("Ideas never confirmed by e-mail: deleted whole."),
        model="ideas.Idea",
    )
    retention.register(
        "ideas.unconfirmed_supports",
        "unconfirmed",
        purge_unconfirmed_supports,
        _("Supports never confirmed by e-mail: deleted (they were never counted)."),
        model="ideas.Support",
    )
    retention.register(
        "ideas.authors",
        "idea_authors",
        anonymise_authors,
        _(
            "Authors of ideas, counted from the idea's last step when no unit still has to answer it: e-mail, phone "
            "and (unless shown with the published idea) name removed; the idea, its text, supporters and timeline "
            "stay."
        ),
        model="ideas.IdeaAuthor",
    )
    retention.register(
        "ideas.supports",
        "supports",
        anonymise_supports,
        _("Hashed e-mail addresses of supports of settled ideas: removed; the count of supporters stays."),
        model="ideas.Support",
    )
