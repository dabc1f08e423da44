"""factory_boy factories: each test builds only the data it needs."""

from __future__ import annotations

import factory
from django.contrib.auth.models import Group

from triage.models import User, Ward
from triage.roles import Role

PASSWORD = "correct-horse-battery"


class WardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ward
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Ward {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def roles(self, create: bool, extracted: tuple[Role, ...] | None, **kwargs) -> None:
        if create and extracted:
            self.groups.add(*(Group.objects.get_or_create(name=r.value)[0] for r in extracted))

    @factory.post_generation
    def wards(self, create: bool, extracted: tuple[Ward, ...] | None, **kwargs) -> None:
        if create and extracted:
            self.wards.add(*extracted)
