"""The organisation behind the emulation movement: units as a tree, and people.
Units and their kinds are data (boundaries and bodies change), never fixed choices."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node


class UnitKind(models.Model):
    """E.g. party committee, People's Committee office, ward, party cell, mass organisation.
    The monthly evaluation rubric is chosen per kind."""

    name = models.CharField(_("Name"), max_length=120, unique=True)

    class Meta:
        verbose_name = _("Kind of unit")
        verbose_name_plural = _("Kinds of unit")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Unit(MP_Node):
    name = models.CharField(_("Name"), max_length=200)
    kind = models.ForeignKey(UnitKind, verbose_name=_("Kind"), on_delete=models.PROTECT, related_name="units")
    active = models.BooleanField(_("Active"), default=True)

    node_order_by = ["name"]

    class Meta:
        verbose_name = _("Unit")
        verbose_name_plural = _("Units")

    def __str__(self):
        return self.name

    def with_descendants(self):
        """This unit and every unit below it: what its officers may see."""
        return Unit.get_tree(self)


class Person(models.Model):
    full_name = models.CharField(_("Full name"), max_length=120)
    position = models.CharField(_("Position"), max_length=200, blank=True)
    unit = models.ForeignKey(Unit, verbose_name=_("Unit"), on_delete=models.PROTECT, related_name="people")
    party_member = models.BooleanField(_("Party member"), default=False)
    email = models.EmailField(_("E-mail"), blank=True)
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("Photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("User account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    active = models.BooleanField(_("Active"), default=True)

    class Meta:
        verbose_name = _("Person")
        verbose_name_plural = _("People")
        ordering = ["unit__path", "full_name"]

    def __str__(self):
        return f"{self.full_name} ({self.unit})"
