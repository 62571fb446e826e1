"""Two-factor sign-in for staff and judges (TOTP apps, with one-time backup codes),
built on django-otp. Anyone may turn it on. It is required of superusers, and of the
groups named in the site settings (→ Security): by default the organisers', judges',
council's and unit officers' (roles.TWO_FACTOR_REQUIRED), which an organiser may relax per
group, audited. A signed-in user who has a device, or who must have one, passes the second
step (or pairs an app) before anything else."""

import secrets

import segno
from django import forms
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django_otp import devices_for_user, user_has_device
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.actions.edit import EditAction

from .audit import record

BACKUP_CODES = 10
EXEMPT_PREFIXES = (
    "/tai-khoan/",
    "/dang-xuat/",
    "/static/",
    "/media/",
    "/healthz",
    "/i18n/",
    "/admin/logout/",
    "/captcha/",
)


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code"),
        max_length=16,
        min_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
        error_messages={"required": _("Please type the code."), "min_length": _("The code has at least 6 characters.")},
    )


def _safe_next(request, default="/"):
    target = request.POST.get("next") or request.GET.get("next") or default
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default


def required_for(user) -> bool:
    """Must the user use two-factor sign-in? Superusers always; others when one of their
    groups is named in the default site's security setting."""
    from wagtail.models import Site

    from .models import SecuritySettings

    if user.is_superuser:
        return True
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return False
    policy = SecuritySettings.for_site(site)
    return policy.two_factor_groups.filter(pk__in=user.groups.values("pk")).exists()


def record_requirement_change(policy, before: set[str], *, actor):
    """The audit entry of a change to the groups that must use two-factor sign-in: who,
    the groups before and after, which were relaxed and which newly required. Nothing
    when the groups did not change. Call it in the transaction that saved the change."""
    after = set(policy.two_factor_groups.values_list("name", flat=True))
    if after == before:
        return None
    relaxed, required = sorted(before - after), sorted(after - before)
    summary = "; ".join([f"− {name}" for name in relaxed] + [f"+ {name}" for name in required])
    return record(
        "security.two_factor.groups",
        policy,
        actor=actor,
        summary=summary,
        before=sorted(before),
        after=sorted(after),
        relaxed=relaxed,
        required=required,
    )


def may_reset(actor, user) -> bool:
    """Only administrators (superusers) reset someone's two-factor sign-in, and never
    their own from a session (they would lower their own bar): another administrator
    does, or the server's `manage.py reset_two_factor`."""
    return bool(actor and actor.is_superuser and actor.pk != user.pk)


def reset(user, *, by=None, actor_label="", reason=""):
    """Forget a person's authenticator apps and backup codes (a lost phone and lost
    codes): at their next sign-in they pair a new app, if two-factor is required of
    them. Audited with who did it and why. `by` None is the server's command."""
    from django.core.exceptions import PermissionDenied, ValidationError

    if by is not None and not may_reset(by, user):
        raise PermissionDenied(_("Only another administrator can reset this person's two-factor sign-in."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say why two-factor sign-in is reset (e.g. the phone was lost)."))
    with transaction.atomic():
        removed = sum(
            model.objects.filter(user=user).delete()[1].get(model._meta.label, 0)
            for model in (TOTPDevice, StaticDevice)
        )
        record(
            "account.two_factor.reset", user, actor=by, actor_label=actor_label, summary=reason[:200], devices=removed
        )
    return removed


class ResetForm(forms.Form):
    reason = forms.CharField(
        label=_("Why"),
        max_length=200,
        help_text=_("For the audit log, e.g. “lost phone and backup codes, checked in person”."),
    )


@never_cache
def reset_view(request, user_id):
    """Admin page: reset a person's two-factor sign-in, after a confirmation."""
    from django.contrib.auth import get_user_model
    from django.core.exceptions import PermissionDenied
    from django.shortcuts import get_object_or_404
    from wagtail.admin import messages

    person = get_object_or_404(get_user_model(), pk=user_id)
    if not may_reset(request.user, person):
        raise PermissionDenied
    form = ResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reset(person, by=request.user, reason=form.cleaned_data["reason"])
        messages.success(
            request,
            _("Two-factor sign-in of %(name)s was reset: they pair a new app at their next sign-in.")
            % {"name": person.get_username()},
        )
        return redirect("wagtailusers_users:index")
    return render(
        request,
        "tayho_site/admin/two_factor_reset.html",
        {"person": person, "form": form, "has_device": user_has_device(person, confirmed=None)},
    )


class SecuritySettingsEditAction(EditAction):
    """Saving the security setting in the admin: Wagtail's edit, and the audit entry of
    the change, in the one transaction Wagtail's edit runs in. The view has checked the
    permission (tayho_site.change_securitysettings, given to the organisers)."""

    def _save_instance(self):
        # The form has not saved the groups yet: these are the ones before the change.
        before = set(self.instance.two_factor_groups.values_list("name", flat=True))
        super()._save_instance()
        record_requirement_change(self.instance, before, actor=self.user)


@never_cache
@login_required
def setup(request):
    """Pair an authenticator app: scan the code (or type the key), confirm with a code."""
    if user_has_device(request.user) and not request.user.is_verified():
        # Pairing a new app must not stand in for the second step: the password alone
        # would then be enough. Pass the step first (a backup code, if the phone is lost).
        return redirect(f"{reverse('two_factor_verify')}?next={_safe_next(request)}")
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first() or TOTPDevice.objects.create(
        user=request.user, name=str(_("Authenticator app")), confirmed=False
    )
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"].replace(" ", "")):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=request.user, confirmed=False).delete()
            otp_login(request, device)
            backup = StaticDevice.objects.update_or_create(
                user=request.user, defaults={"name": str(_("Backup codes")), "confirmed": True}
            )[0]
            backup.token_set.all().delete()
            codes = [secrets.token_hex(4) for _ in range(BACKUP_CODES)]
            StaticToken.objects.bulk_create(StaticToken(device=backup, token=code) for code in codes)
            record("account.two_factor.enable", request.user, actor=request.user)
            return render(
                request, "tayho_site/account/two_factor_done.html", {"codes": codes, "next": _safe_next(request)}
            )
        form.add_error("token", _("The code is not right. Check the time on your phone and type the newest code."))
    # The SVG is generated by segno from our own key, never from a visitor's input.
    qr = segno.make(device.config_url, micro=False)
    svg = qr.svg_inline(scale=5, title=str(_("Code to scan with your authenticator app")))
    key = device.config_url.split("secret=")[1].split("&")[0]
    return render(
        request,
        "tayho_site/account/two_factor_setup.html",
        {
            "form": form,
            "qr_svg": mark_safe(svg),  # noqa: S308 - drawn by segno from our own key
            "key": " ".join(key[i : i + 4] for i in range(0, len(key), 4)),
            "next": _safe_next(request),
            "required": required_for(request.user),
            "administrator": request.user.is_superuser,
        },
        status=400 if form.errors else 200,
    )


@never_cache
@login_required
def verify(request):
    """The second step of signing in: a code from the app, or a backup code."""
    if request.user.is_verified():
        return redirect(_safe_next(request))
    if not user_has_device(request.user):
        return redirect(f"{reverse('two_factor_setup')}?next={_safe_next(request)}")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"].replace(" ", "")
        # for_verify locks the devices (select_for_update), which needs a transaction.
        with transaction.atomic():
            for device in devices_for_user(request.user, for_verify=True):
                allowed, _details = device.verify_is_allowed()
                if allowed and device.verify_token(token):
                    otp_login(request, device)
                    record(
                        "account.two_factor.verify", request.user, actor=request.user, device=device.__class__.__name__
                    )
                    return redirect(_safe_next(request))
        form.add_error("token", _("The code is not right, or has already been used."))
    return render(
        request,
        "tayho_site/account/two_factor_verify.html",
        {"form": form, "next": _safe_next(request)},
        status=400 if form.errors else 200,
    )


class RequireTwoFactorMiddleware:
    """Sends a signed-in user to the second step (or to pairing, when their group
    requires it) before they reach anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        path = request.path_info
        if (
            user is not None
            and user.is_authenticated
            and not user.is_verified()
            and not path.startswith(EXEMPT_PREFIXES)
        ):
            if user_has_device(user):
                return redirect(f"{reverse('two_factor_verify')}?next={request.get_full_path()}")
            if required_for(user):
                return redirect(f"{reverse('two_factor_setup')}?next={request.get_full_path()}")
        return self.get_response(request)
