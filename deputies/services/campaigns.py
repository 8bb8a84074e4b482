"""Writes of campaigns of central work (e.g. 联系群众办实事: safety and self-built housing): staff open a
campaign, serving deputies send opinions while it runs; each opinion records the deputy's highest
serving level and writes their duty record."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congress.choices import CongressLevel
from congress.models import Congress

from ..choices import MandateStatus
from ..duty import duty_record_act
from ..exceptions import NotAllowed, WorkflowError
from ..models import Campaign, CampaignOpinion, Mandate
from .activities import acting_deputy, ensure_work_staff, serving_deputy_ids

# Highest first: a deputy of several congresses counts at the highest level they serve at.
LEVEL_ORDER = (
    CongressLevel.NATIONAL,
    CongressLevel.PROVINCE,
    CongressLevel.CITY,
    CongressLevel.COUNTY,
    CongressLevel.TOWNSHIP,
)


def highest_serving_level(*, deputy_id: int) -> str | None:
    """The highest level among the deputy's serving mandates (national > province > city > county > township)."""
    levels = set(
        Mandate.objects.filter(deputy_id=deputy_id, status=MandateStatus.SERVING).values_list(
            "congress__level", flat=True
        )
    )
    return next((level for level in LEVEL_ORDER if level in levels), None)


@transaction.atomic
def campaign_create(
    *,
    actor: Any,
    congress: Congress,
    title: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    theme: str = "",
    description: str = "",
) -> Campaign:
    """Office or committee staff open a campaign that collects deputies' opinions between two dates."""
    ensure_work_staff(actor, congress.pk)
    if not title.strip():
        raise ValidationError({"title": _("Give the campaign a title.")})
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The campaign cannot end before it starts.")})
    return Campaign.objects.create(
        congress=congress,
        title=title.strip(),
        theme=theme.strip(),
        description=description,
        starts_on=starts_on,
        ends_on=ends_on,
    )


@transaction.atomic
def campaign_opinion_submit(
    *, campaign: Campaign, actor: Any, content: str, on: datetime.date | None = None
) -> CampaignOpinion:
    """A serving deputy of the campaign's congress sends an opinion while the campaign runs."""
    deputy_id = acting_deputy(actor, campaign.congress_id)
    if not serving_deputy_ids(congress_id=campaign.congress_id, deputy_ids=[deputy_id]):
        raise NotAllowed(_("Only a serving deputy of this congress can do this."))
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    today = on or timezone.localdate()
    if today < campaign.starts_on:
        raise WorkflowError(_("The campaign opens on %(day)s.") % {"day": campaign.starts_on.isoformat()})
    if today > campaign.ends_on:
        raise WorkflowError(_("The campaign closed on %(day)s.") % {"day": campaign.ends_on.isoformat()})
    if not content.strip():
        raise ValidationError({"content": _("Write your opinion.")})
    opinion = CampaignOpinion.objects.create(
        congress_id=campaign.congress_id,
        campaign=campaign,
        deputy_id=deputy_id,
        level=highest_serving_level(deputy_id=deputy_id) or campaign.congress.level,
        content=content.strip(),
    )
    duty_record_act(
        deputy_id=deputy_id,
        congress_id=campaign.congress_id,
        code="campaign_opinion",
        on=today,
        source_key=f"campaign-opinion:{opinion.pk}",
        description=campaign.title,
    )
    return opinion
