"""Factories of professional groups and campaigns."""

from __future__ import annotations

import datetime

import factory

from deputies.models import (
    Campaign,
    CampaignOpinion,
    GroupMembership,
    GroupOutput,
    ProfessionalGroup,
    SpecialSupervisor,
)
from tests.congress.factories import CommitteeFactory, HandlingUnitFactory, TermFactory
from tests.deputies.factories import DeputyFactory


class ProfessionalGroupFactory(factory.django.DjangoModelFactory):
    counterpart_committee = factory.SubFactory(CommitteeFactory)
    congress = factory.SelfAttribute("counterpart_committee.congress")
    name = factory.Sequence(lambda n: f"专业小组{n}")
    field = "农业农村"
    keywords = "农业 农村"

    class Meta:
        model = ProfessionalGroup


class GroupMembershipFactory(factory.django.DjangoModelFactory):
    group = factory.SubFactory(ProfessionalGroupFactory)
    congress = factory.SelfAttribute("group.congress")
    deputy = factory.SubFactory(DeputyFactory)
    joined_on = datetime.date(2026, 1, 15)

    class Meta:
        model = GroupMembership


class GroupOutputFactory(factory.django.DjangoModelFactory):
    group = factory.SubFactory(ProfessionalGroupFactory)
    congress = factory.SelfAttribute("group.congress")
    kind = "opinion"
    title = factory.Sequence(lambda n: f"关于河道采砂整治的意见{n}")
    content = "建议加强联合执法。"
    submitted_on = datetime.date(2026, 6, 12)

    class Meta:
        model = GroupOutput


class SpecialSupervisorFactory(factory.django.DjangoModelFactory):
    unit = factory.SubFactory(HandlingUnitFactory)
    congress = factory.SelfAttribute("unit.congress")
    term = factory.SubFactory(TermFactory, congress=factory.SelfAttribute("..unit.congress"))
    deputy = factory.SubFactory(DeputyFactory)
    appointed_on = datetime.date(2026, 3, 1)

    class Meta:
        model = SpecialSupervisor


class CampaignFactory(factory.django.DjangoModelFactory):
    congress = factory.SubFactory("tests.congress.factories.CongressFactory")
    title = factory.Sequence(lambda n: f"联系群众办实事：安全生产和自建房整治{n}")
    theme = "安全生产"
    starts_on = datetime.date(2026, 5, 1)
    ends_on = datetime.date(2026, 7, 31)

    class Meta:
        model = Campaign


class CampaignOpinionFactory(factory.django.DjangoModelFactory):
    campaign = factory.SubFactory(CampaignFactory)
    congress = factory.SelfAttribute("campaign.congress")
    deputy = factory.SubFactory(DeputyFactory)
    level = "city"
    content = "建议对经营性自建房开展拉网式排查。"

    class Meta:
        model = CampaignOpinion
