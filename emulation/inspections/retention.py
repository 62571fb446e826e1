"""How long the evidence of inspection findings and the people they name are kept (see
tayho_site.retention).

A finding is settled when its inspection has a signed conclusion and every remedy that
conclusion requires of the finding's unit has been answered; the period runs from the
later of the last signature and the last answer. After it, the evidence file and the
names of the people concerned go; what was found, where, when and as which manifestation
stay (the unit's record, the public summary and the weekly figures).

Why five years by default (RETENTION_DAYS["inspection_evidence"] = 1825): the evidence and
the names are what a disciplinary review of a cadre, a complaint against the conclusion
or a re-inspection would rest on, and the Law on Cadres and Civil Servants (as amended in
2019) lets discipline for the least serious breaches be taken up for five years. Kept
longer they would only expose the people named; removed sooner, a lawful review could
find nothing to rest on. The district's legal office should confirm the figure."""

from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from referrals.models import Referral
from tayho_site import retention

from .models import Conclusion, Finding, Remedy


def settled_before(before):
    """Findings settled before the date that still hold evidence or names."""
    its_remedies = Remedy.objects.filter(conclusion__inspection=OuterRef("inspection"), unit=OuterRef("unit"))
    waiting = its_remedies.exclude(referral__status=Referral.Status.ANSWERED)
    last_answer = its_remedies.order_by("-referral__answered_on").values("referral__answered_on")[:1]
    last_signed = Conclusion.objects.filter(inspection=OuterRef("inspection")).order_by("-signed_on")
    named = Finding.people.through.objects.filter(finding=OuterRef("pk"))
    return (
        Finding.objects.annotate(signed=Subquery(last_signed.values("signed_on")[:1]), answered=Subquery(last_answer))
        .filter(signed__lt=before)
        .filter(Q(answered__isnull=True) | Q(answered__lt=before))
        .exclude(Exists(waiting))
        .filter(Q(evidence__gt="") | Exists(named))
    )


def clear_evidence(now, days) -> int:
    before = timezone.localdate(retention.cutoff(now, days))

    def apply(pks):
        rows = Finding.objects.filter(pk__in=pks)
        retention.delete_files(row.evidence for row in rows.only("evidence"))
        Finding.people.through.objects.filter(finding__in=pks).delete()
        return rows.update(evidence="", evidence_kind="")

    return retention.in_batches(settled_before(before), apply)


def register_kinds():
    retention.register(
        "inspections.evidence",
        "inspection_evidence",
        clear_evidence,
        _(
            "Evidence and people named in inspection findings, counted from the conclusion and the last answer "
            "to its remedies: deleted; what was found, where, when and as which manifestation stay."
        ),
        model="inspections.Finding",
    )
