"""Time left, said the way people say it: "58 ngày", "5 giờ" on the last day, "12 phút"
in the last hour. Django's `timeuntil` ("1 month, 4 weeks") has no Vietnamese and counts
in months and weeks that nobody uses for a deadline."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

DAY = datetime.timedelta(days=1)
HOUR = datetime.timedelta(hours=1)
MINUTE = datetime.timedelta(minutes=1)


def time_left(moment: datetime.datetime, now: datetime.datetime | None = None) -> str:
    """The time from `now` until `moment` in one unit: whole days while a day or more is
    left, then whole hours, then minutes (at least one); "expired" once it has passed."""
    if moment is None:
        return ""
    remaining = moment - (now or timezone.now())
    if remaining <= datetime.timedelta(0):
        return _("expired")
    if remaining >= DAY:
        days = remaining // DAY
        return ngettext("%(count)d day", "%(count)d days", days) % {"count": days}
    if remaining >= HOUR:
        hours = remaining // HOUR
        return ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}
    minutes = max(1, remaining // MINUTE)
    return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}
