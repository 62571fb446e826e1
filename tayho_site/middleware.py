"""The Wagtail admin runs inline scripts of its own that carry no nonce, so its pages get
a policy that allows them (settings.ADMIN_CSP); public pages keep the strict SECURE_CSP."""

from django.conf import settings


class AdminContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.prefixes = tuple(getattr(settings, "ADMIN_PATH_PREFIXES", ("/admin/",)))

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(self.prefixes) and not hasattr(response, "_csp_config"):
            response._csp_config = settings.ADMIN_CSP
        return response
