"""How long evidence sent with nominations that came to nothing is kept (see
tayho_site.retention).

Evidence may hold personal documents. That of an approved nomination backs a published
honour and the council's decision, and stays. That of a nomination rejected by the
council or withdrawn is deleted (file and row) once the period has passed since then.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, OuterRef, Q, Subquery
from django.db.models.functions import Cast, Coalesce
from django.utils.translation import gettext_lazy as _

from tayho_site import retention
from tayho_site.models import AuditEntry

from .models import Evidence, Nomination


def purge_evidence(now, days) -> int:
    before = retention.cutoff(now, days)
    # A withdrawal is dated only by its audit entry; a rejection by the decision.
    withdrawn_at = (
        AuditEntry.objects.filter(
            action="honours.withdraw",
            target_type=ContentType.objects.get_for_model(Nomination),
            target_id=Cast(OuterRef("pk"), CharField()),
        )
        .order_by("-at")
        .values("at")[:1]
    )
    ended = Nomination.objects.annotate(ended_at=Coalesce("decided_at", Subquery(withdrawn_at), "created_at")).filter(
        Q(status=Nomination.Status.REJECTED) | Q(status=Nomination.Status.WITHDRAWN), ended_at__lt=before
    )
    evidence = Evidence.objects.filter(nomination__in=ended.values("pk"))
    return retention.delete_in_batches(evidence, file_field="file")


def register_kinds():
    retention.register(
        "honours.evidence",
        "nomination_evidence",
        purge_evidence,
        _(
            "Evidence files of nominations rejected or withdrawn, counted from the decision or withdrawal: "
            "deleted; the nomination and its audit trail stay."
        ),
        model="emulation.Evidence",
    )
