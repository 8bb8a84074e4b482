"""Pages of campaigns of central work: the committee desk (campaigns with counts per level, a
campaign's opinions with search and Excel export) and the deputy portal (open campaigns, send an
opinion, my opinions)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from congress.choices import CongressLevel
from congress.excel import xlsx_response
from congress.models import Congress
from congress.permissions import deputy_required, role_required
from congress.roles import Role
from congress.scoping import get_scope

from ..exceptions import NotAllowed, WorkflowError
from ..forms.campaigns import CampaignForm, OpinionForm
from ..models import Campaign
from ..selectors import campaigns as selectors
from ..services import campaigns as services
from .common import form_errors, page_of

DESK_READERS = (Role.OFFICE, Role.COMMITTEE, Role.LEADER)
DESK_WRITERS = (Role.OFFICE, Role.COMMITTEE)


# --- committee desk ------------------------------------------------------------------------------


@role_required(*DESK_READERS)
def work_campaigns(request: HttpRequest) -> HttpResponse:
    """Campaigns with the number of opinions per level; office and committee staff open new ones."""
    scope = get_scope(request.user)
    can_write = scope.has_role(*DESK_WRITERS)
    form = CampaignForm(request.POST or None)
    if request.method == "POST":
        congress_id = min(scope.congress_ids, default=None)
        if not can_write or congress_id is None:
            raise NotAllowed
        if form.is_valid():
            try:
                campaign = services.campaign_create(
                    actor=request.user, congress=Congress.objects.get(pk=congress_id), **form.cleaned_data
                )
            except ValidationError as error:
                form_errors(form, error)
            else:
                messages.success(request, _("The campaign was opened."))
                return redirect("deputies:work_campaign", pk=campaign.pk)
    query = request.GET.get("q", "").strip()
    return render(
        request,
        "deputies/campaigns/work_list.html",
        {
            "campaigns": selectors.campaigns_with_counts(user=request.user, query=query),
            "levels": selectors.level_columns(),
            "query": query,
            "form": form,
            "can_write": can_write,
            "today": timezone.localdate(),
        },
    )


def _opinion_filters(request: HttpRequest) -> dict[str, str]:
    level = request.GET.get("level", "")
    return {"query": request.GET.get("q", "").strip(), "level": level if level in CongressLevel.values else ""}


@role_required(*DESK_READERS)
def work_campaign(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(Campaign.objects.visible_to(request.user), pk=pk)
    filters = _opinion_filters(request)
    opinions = selectors.campaign_opinions(user=request.user, campaign=campaign, **filters)
    page = page_of(request, opinions)
    selectors.campaign_with_counts(campaign=campaign)
    return render(
        request,
        "deputies/campaigns/work_detail.html",
        {
            "campaign": campaign,
            "page": page,
            "filters": filters,
            "levels": selectors.level_columns(),
            "level_counts": zip(selectors.level_columns(), campaign.level_counts, strict=True),
        },
    )


@role_required(*DESK_READERS)
def work_campaign_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The campaign's opinions (as filtered on the page) as an Excel workbook; no phone numbers."""
    campaign = get_object_or_404(Campaign.objects.visible_to(request.user), pk=pk)
    opinions = selectors.campaign_opinions(user=request.user, campaign=campaign, **_opinion_filters(request))
    return xlsx_response(
        f"campaign-{campaign.pk}-opinions",
        _("Opinions"),
        [_("Deputy"), _("Deputy level"), _("Work unit and title"), _("Opinion"), _("Submitted at")],
        (
            [
                opinion.deputy.name,
                opinion.get_level_display(),
                f"{opinion.deputy.work_unit} {opinion.deputy.job_title}".strip(),
                opinion.content,
                timezone.localtime(opinion.created_at).strftime("%Y-%m-%d %H:%M"),
            ]
            for opinion in opinions
        ),
    )


# --- deputy portal -------------------------------------------------------------------------------


@deputy_required
def portal_campaigns(request: HttpRequest) -> HttpResponse:
    """Campaigns open today, and my opinions."""
    return render(
        request,
        "deputies/campaigns/portal_list.html",
        {
            "campaigns": selectors.open_campaigns(user=request.user),
            "opinions": selectors.opinions_of_deputy(user=request.user)[:50],
        },
    )


@deputy_required
def portal_campaign(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(Campaign.objects.visible_to(request.user), pk=pk)
    form = OpinionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.campaign_opinion_submit(
                campaign=campaign, actor=request.user, content=form.cleaned_data["content"]
            )
        except ValidationError as error:
            form_errors(form, error)
        except WorkflowError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Thank you: your opinion was sent."))
            return redirect("deputies:portal_campaigns")
    today = timezone.localdate()
    return render(
        request,
        "deputies/campaigns/portal_detail.html",
        {
            "campaign": campaign,
            "form": form,
            "is_open": campaign.starts_on <= today <= campaign.ends_on,
            "my_opinions": selectors.opinions_of_deputy(user=request.user).filter(campaign=campaign),
        },
    )


urlpatterns = [
    path("work/campaigns/", work_campaigns, name="work_campaigns"),
    path("work/campaigns/<int:pk>/", work_campaign, name="work_campaign"),
    path("work/campaigns/<int:pk>/export.xlsx", work_campaign_export, name="work_campaign_export"),
    path("portal/campaigns/", portal_campaigns, name="portal_campaigns"),
    path("portal/campaigns/<int:pk>/", portal_campaign, name="portal_campaign"),
]
