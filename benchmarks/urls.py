"""The site's URLs plus a bare view for the load benchmark: the cost of a request through
the same gunicorn and middleware when the view itself does nothing."""

from django.http import HttpResponse
from django.urls import path

from tayho_site import urls as site_urls

# The site's patterns are appended, not included: they hold i18n_patterns, which Django
# allows only in the root URLconf.
urlpatterns = [path("bench/bare/", lambda request: HttpResponse("ok"), name="bench_bare"), *site_urls.urlpatterns]

# The site's error views (e.g. the 503 "try again" page when the database is away) are
# looked up in the root URLconf: this one.
globals().update(
    {
        name: getattr(site_urls, name)
        for name in ("handler400", "handler403", "handler404", "handler500")
        if hasattr(site_urls, name)
    }
)
