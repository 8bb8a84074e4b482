"""Factories of legislation (rounds, proposals, drafts, provisions, comments) and of the evaluation
projects of supervision (projects, groups, scores)."""

from __future__ import annotations

import datetime

import factory

from deputies.choices import EvaluationKind, ProvisionKind
from deputies.models import (
    DraftComment,
    DraftProvision,
    DraftRegulation,
    EvaluationGroup,
    EvaluationProject,
    EvaluationScore,
    LegislativeProposal,
    LegislativeRound,
)
from tests.congress.factories import CongressFactory, HandlingUnitFactory
from tests.deputies.factories import DeputyFactory


class LegislativeRoundFactory(factory.django.DjangoModelFactory):
    congress = factory.SubFactory(CongressFactory)
    year = 2026
    title = factory.Sequence(lambda n: f"2026年度立法计划项目征集{n}")
    deadline = datetime.date(2026, 3, 31)

    class Meta:
        model = LegislativeRound


class LegislativeProposalFactory(factory.django.DjangoModelFactory):
    round = factory.SubFactory(LegislativeRoundFactory)
    congress = factory.SelfAttribute("round.congress")
    deputy = factory.SubFactory(DeputyFactory)
    title = factory.Sequence(lambda n: f"益阳市条例{n}")
    reason = "现行规定滞后，亟需立法规范。"

    class Meta:
        model = LegislativeProposal


class DraftRegulationFactory(factory.django.DjangoModelFactory):
    congress = factory.SubFactory(CongressFactory)
    title = factory.Sequence(lambda n: f"益阳市条例（草案）{n}")
    text = "第一条　为了规范管理，制定本条例。\n第二条　本条例适用于本市。"
    comment_deadline = datetime.date(2026, 6, 30)

    class Meta:
        model = DraftRegulation


class DraftProvisionFactory(factory.django.DjangoModelFactory):
    draft = factory.SubFactory(DraftRegulationFactory)
    congress = factory.SelfAttribute("draft.congress")
    kind = ProvisionKind.ARTICLE
    position = factory.Sequence(lambda n: n + 1)
    label = factory.LazyAttribute(lambda provision: f"第{provision.position}条")
    text = "条文内容。"

    class Meta:
        model = DraftProvision


class DraftCommentFactory(factory.django.DjangoModelFactory):
    draft = factory.SubFactory(DraftRegulationFactory)
    congress = factory.SelfAttribute("draft.congress")
    deputy = factory.SubFactory(DeputyFactory)
    content = "建议进一步明确责任主体。"

    class Meta:
        model = DraftComment


class EvaluationProjectFactory(factory.django.DjangoModelFactory):
    congress = factory.SubFactory(CongressFactory)
    year = 2026
    kind = EvaluationKind.DEPARTMENT_SERVICE
    title = factory.Sequence(lambda n: f"部门服务抽样评{n}")
    scoring_closes_on = datetime.date(2026, 10, 31)

    class Meta:
        model = EvaluationProject


class EvaluationGroupFactory(factory.django.DjangoModelFactory):
    project = factory.SubFactory(EvaluationProjectFactory)
    congress = factory.SelfAttribute("project.congress")
    name = factory.Sequence(lambda n: f"第{n}评议小组")

    class Meta:
        model = EvaluationGroup


class EvaluationScoreFactory(factory.django.DjangoModelFactory):
    group = factory.SubFactory(EvaluationGroupFactory)
    congress = factory.SelfAttribute("group.congress")
    unit = factory.SubFactory(HandlingUnitFactory, congress=factory.SelfAttribute("..congress"))
    deputy = factory.SubFactory(DeputyFactory)
    score = 90

    class Meta:
        model = EvaluationScore
