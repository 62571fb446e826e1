"""The framework's limit: a Django project of one view and nothing else (no middleware, no
database, no templates), served by the same gunicorn as the site. `benchmarks/load.py`
prints every page's throughput as a share of this view's, measured in the same run.

    .venv/bin/python -m gunicorn benchmarks.bare_django:application --workers 2
"""

import secrets

import django
from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path

if not settings.configured:
    settings.configure(
        DEBUG=False,
        SECRET_KEY=secrets.token_hex(32),  # nothing is signed here
        ALLOWED_HOSTS=["127.0.0.1", "localhost"],
        ROOT_URLCONF=__name__,
        MIDDLEWARE=[],
        INSTALLED_APPS=[],
        DATABASES={},
        USE_TZ=True,
    )
    django.setup()


def bare(request):
    return HttpResponse("ok")


urlpatterns = [path("", bare)]

application = get_wsgi_application()
