import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tayho_site.settings.dev")

application = get_wsgi_application()

# Public pages kept in the cache are answered before Django (tayho_site/pagecache.py).
from tayho_site.pagecache import FrontPageCache  # noqa: E402 - needs the settings above

application = FrontPageCache(application)
