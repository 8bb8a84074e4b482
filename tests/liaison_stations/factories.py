"""Factories of the liaison stations."""

from __future__ import annotations

import factory

from liaison_stations.models import Station, StationStaff
from tests.congress.factories import CongressFactory, UserFactory


class StationFactory(factory.django.DjangoModelFactory):
    congress = factory.SubFactory(CongressFactory)
    name = factory.Sequence(lambda n: f"第{n}人大代表联络站")
    managing_body = "街道人大工委"
    address = "桃花仑路 18 号"

    class Meta:
        model = Station


class StationStaffFactory(factory.django.DjangoModelFactory):
    user = factory.SubFactory(UserFactory)
    station = factory.SubFactory(StationFactory)
    role = "联络员"

    class Meta:
        model = StationStaff
