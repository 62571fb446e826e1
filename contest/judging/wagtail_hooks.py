"""The organisers' judging screens in the admin: rounds, hand assignments, a round's page."""

from django.urls import path
from wagtail import hooks


@hooks.register("register_admin_viewset")
def register_round_viewset():
    from .admin_views import round_viewset

    return round_viewset


@hooks.register("register_admin_viewset")
def register_assignment_viewset():
    from .admin_views import assignment_viewset

    return assignment_viewset


@hooks.register("register_admin_urls")
def register_round_urls():
    from .admin_views import round_action, round_detail, round_export

    return [
        path("judging/<int:round_id>/", round_detail, name="judging_round_detail"),
        path("judging/<int:round_id>/scores.xlsx", round_export, name="judging_round_export"),
        path("judging/<int:round_id>/<slug:action>/", round_action, name="judging_round_action"),
    ]
