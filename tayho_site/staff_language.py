"""The staff side speaks Vietnamese unless a person chose otherwise.

The public site follows the URL (Vietnamese at the root, English under /en/). The
admin, the staff account pages and the staff guide have no language in their URL, so Django would
otherwise follow the browser's Accept-Language header, and a district officer whose
browser is set to English would get an English admin. Here those paths start in the
site's language; Wagtail then applies the language chosen in the account settings
("Ngôn ngữ ưu tiên"), when one was chosen.
"""

from django.conf import settings
from django.utils import translation

STAFF_PATH_PREFIXES = ("/admin/", "/tai-khoan/", "/huong-dan/")


class StaffLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith(STAFF_PATH_PREFIXES):
            translation.activate(settings.LANGUAGE_CODE)
            request.LANGUAGE_CODE = settings.LANGUAGE_CODE
        return self.get_response(request)
