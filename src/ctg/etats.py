"""Models whose states are django-fsm fields protected from direct assignment.

``EtatsProteges`` gives ``refresh_from_db`` and concurrent-transition protection (django-fsm's
``ConcurrentTransitionMixin``: saving a row whose state changed since it was read fails), and keeps the
protected state fields out of ``full_clean`` (which would otherwise reassign them): their values are checked by
the transitions and by the database's constraints.
"""

from django.db import models
from django_fsm import ConcurrentTransitionMixin, FSMField, FSMFieldMixin


class ChampEtat(FSMField):
    """The state of a record: a protected django-fsm field, written in the migrations as the ``CharField`` it is in
    the database. Every django-fsm field connects a receiver to ``class_prepared`` when it joins a model, and
    ``migrate`` builds thousands of model states: with fsm fields in the migrations, their receivers pile up and
    apply all migrations to an empty database took two minutes instead of a few seconds."""

    def deconstruct(self):
        name, _chemin, args, kwargs = super().deconstruct()
        kwargs.pop("protected", None)
        return name, "django.db.models.CharField", args, kwargs


class EtatsProteges(ConcurrentTransitionMixin):
    def _champs_etat(self) -> set[str]:
        return {f.name for f in self._meta.concrete_fields if isinstance(f, FSMFieldMixin) and f.protected}

    def full_clean(self, exclude=None, validate_unique=True, validate_constraints=True):
        exclude = set(exclude or ()) | self._champs_etat()
        super().full_clean(exclude=exclude, validate_unique=validate_unique, validate_constraints=validate_constraints)


def a_la_permission(transition, user) -> bool:
    """Whether ``user`` holds the permission of ``transition`` (a bound django-fsm transition) from the current
    state, whatever its preconditions (``has_transition_perm`` checks both; the rules layers say which failed)."""
    meta = transition._django_fsm
    instance = transition.__self__
    return meta.has_transition_perm(instance, meta.field.get_state(instance), user)


class Verrouillable(models.Model):
    """A record that the state of what holds it may freeze (the visas of a signed convention, the comments of a
    validated diagnostic, the attendance of a meeting whose minutes are approved): ``verifier_modifiable()`` raises
    a ValidationError saying why, and is called before every save and delete."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.verifier_modifiable()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self.verifier_modifiable()
        return super().delete(*args, **kwargs)

    def verifier_modifiable(self) -> None:
        """Raise when the object may no longer change; each concrete model says when (its container's state)."""
        raise NotImplementedError(f"{type(self).__name__} doit définir verifier_modifiable()")
