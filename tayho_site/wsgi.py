import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tayho_site.settings.dev")


def _with_front(application):
    """Public pages kept in the cache are answered before Django (tayho_site/pagecache.py);
    imported once the settings are known."""
    from tayho_site.pagecache import FrontPageCache

    return FrontPageCache(application)


application = _with_front(get_wsgi_application())
