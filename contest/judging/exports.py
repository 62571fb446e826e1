"""Scoring sheets of a round as an XLSX workbook: per judge, per item, per criterion."""

from collections import defaultdict

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from tayho_site.exports import add_sheet, new_workbook, workbook_bytes

from .models import Review, Round
from .rank import weighted_total


def scoring_workbook(round_: Round) -> bytes:
    from .queries import rubric_of

    criteria = list(round_.criteria.all())
    rubric = rubric_of(round_)
    reviews = list(
        Review.objects.filter(assignment__item__round=round_)
        .select_related("assignment__item", "assignment__judge")
        .order_by("assignment__judge__username", "assignment__item__code")
    )
    workbook = new_workbook()

    per_judge = []
    for review in reviews:
        judge = review.assignment.judge
        per_judge.append(
            [
                judge.get_full_name() or judge.get_username(),
                review.assignment.item.code,
                *[review.points.get(str(c.pk)) for c in criteria],
                round(weighted_total(review.points, rubric), 4),
                review.get_status_display(),
                review.comment,
            ]
        )
    add_sheet(
        workbook,
        _("Per judge"),
        [
            _("Judge"),
            _("Code"),
            *[c.name for c in criteria],
            _("Weighted total"),
            _("Status"),
            pgettext("assessment", "Comment"),
        ],
        per_judge,
    )

    by_item = defaultdict(list)
    for review in reviews:
        if review.status == Review.Status.SUBMITTED:
            by_item[review.assignment.item.code].append(review.points)
    per_item = []
    for code in sorted(by_item):
        points = by_item[code]
        means = [sum(float(p.get(str(c.pk), 0)) for p in points) / len(points) for c in criteria]
        totals = [weighted_total(p, rubric) for p in points]
        per_item.append([code, len(points), *[round(m, 4) for m in means], round(sum(totals) / len(totals), 4)])
    add_sheet(
        workbook, _("Per item"), [_("Code"), _("Reviews"), *[c.name for c in criteria], _("Weighted mean")], per_item
    )

    per_criterion = []
    for criterion in criteria:
        values = [
            float(p[str(criterion.pk)])
            for points in by_item.values()
            for p in points
            if p.get(str(criterion.pk)) is not None
        ]
        mean = sum(values) / len(values) if values else None
        per_criterion.append(
            [
                criterion.name,
                float(criterion.weight),
                criterion.max_points,
                len(values),
                round(mean, 4) if mean is not None else None,
                min(values) if values else None,
                max(values) if values else None,
            ]
        )
    add_sheet(
        workbook,
        _("Per criterion"),
        [_("Criterion"), _("Weight"), _("Maximum points"), _("Scores"), _("Mean"), _("Lowest"), _("Highest")],
        per_criterion,
    )
    return workbook_bytes(workbook)
