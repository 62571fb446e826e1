"""What callers' templates show of judging, without importing the engine: an entrant's
private page and results e-mail load `judging_tags`."""

from django import template

register = template.Library()


@register.simple_tag
def judging_feedback(subject, include_closed=False):
    """The judges' feedback to the author of `subject` (see queries.feedback_for): from
    published rounds; with `include_closed`, from closed ones too (the results e-mail is
    written while the round is being published)."""
    from contest.judging.models import Round
    from contest.judging.queries import feedback_for

    statuses = (Round.Status.PUBLISHED, Round.Status.CLOSED) if include_closed else (Round.Status.PUBLISHED,)
    return feedback_for(subject, statuses=statuses)


@register.simple_tag
def judging_agreement(call):
    """The agreement between judges (Krippendorff's alpha) of each round of `call` whose
    results are published: [{"round": name, "alpha": value}] (one query)."""
    from contest.judging.models import Round

    rounds = Round.objects.filter(call=call, status=Round.Status.PUBLISHED, agreement__isnull=False)
    return [{"round": name, "alpha": alpha} for name, alpha in rounds.values_list("name", "agreement")]
