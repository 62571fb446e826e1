"""Small pieces for the admin pages the apps add."""

from wagtail.admin.menu import MenuItem


class PermissionMenuItem(MenuItem):
    """A menu item shown only to users who hold `permission` (the page checks it too)."""

    def __init__(self, label, url, *, permission, **kwargs):
        self.permission = permission
        super().__init__(label, url, **kwargs)

    def is_shown(self, request):
        return request.user.has_perm(self.permission)
