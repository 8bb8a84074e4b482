"""Pages of professional groups: the committee desk (groups with counts, a group's members, activities
and outputs, the outputs list, special supervisors) and the deputy portal (my groups, submit an output)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congress.models import Congress
from congress.permissions import deputy_required, role_required
from congress.roles import Role
from congress.scoping import get_scope

from ..choices import OutputKind
from ..exceptions import WorkflowError
from ..forms.groups import (
    AdoptForm,
    EndForm,
    GroupActivityForm,
    GroupForm,
    InviteMembersForm,
    MemberAddForm,
    OutputForm,
    RoleForm,
    SupervisorForm,
)
from ..models import GroupMembership, GroupOutput, ProfessionalGroup, SpecialSupervisor
from ..selectors import groups as selectors
from ..services import groups as services
from .common import desk_congress_id, form_errors, page_of, perform

DESK_READERS = (Role.OFFICE, Role.COMMITTEE, Role.LEADER)
DESK_WRITERS = (Role.OFFICE, Role.COMMITTEE)


def _int(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isascii() and raw.isdigit() else None


def _can_write(request: HttpRequest) -> bool:
    return get_scope(request.user).has_role(*DESK_WRITERS)


# --- committee desk ------------------------------------------------------------------------------


@role_required(*DESK_READERS)
def work_groups(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    groups = list(selectors.groups_with_counts(user=request.user, query=query))
    return render(
        request,
        "deputies/groups/work_list.html",
        {"groups": groups, "query": query, "can_write": _can_write(request)},
    )


@role_required(*DESK_WRITERS)
def work_group_create(request: HttpRequest) -> HttpResponse:
    congress_id = desk_congress_id(request)
    form = GroupForm(request.POST or None, congress_id=congress_id)
    if request.method == "POST" and form.is_valid():
        try:
            group = services.group_create(
                actor=request.user, congress=Congress.objects.get(pk=congress_id), **form.cleaned_data
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("The group was created; now add its members."))
            return redirect("deputies:work_group", pk=group.pk)
    return render(request, "deputies/groups/work_form.html", {"form": form})


def _desk_group(request: HttpRequest, pk: int) -> ProfessionalGroup:
    return get_object_or_404(
        ProfessionalGroup.objects.visible_to(request.user).select_related("counterpart_committee"), pk=pk
    )


@role_required(*DESK_WRITERS)
def work_group_edit(request: HttpRequest, pk: int) -> HttpResponse:
    group = _desk_group(request, pk)
    form = GroupForm(request.POST or None, instance=group, congress_id=group.congress_id)
    if request.method == "POST" and form.is_valid():
        try:
            services.group_update(group=group, actor=request.user, data=form.cleaned_data)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("deputies:work_group", pk=group.pk)
    return render(request, "deputies/groups/work_form.html", {"form": form, "group": group})


@role_required(*DESK_READERS)
def work_group(request: HttpRequest, pk: int) -> HttpResponse:
    """A group at the desk: members with roles, activities with attendance, outputs, invitations."""
    group = _desk_group(request, pk)
    return render(
        request,
        "deputies/groups/work_detail.html",
        {
            "group": group,
            "memberships": selectors.group_memberships(group=group),
            "activities": selectors.group_activities(group=group),
            "outputs": selectors.outputs_list(user=request.user, group_id=group.pk),
            "can_write": _can_write(request),
            "member_form": MemberAddForm(group=group),
            "role_form": RoleForm(),
            "invite_form": InviteMembersForm(group=group, activities=selectors.invitable_activities(group=group)),
            "roles": GroupMembership._meta.get_field("role").choices,
        },
    )


@role_required(*DESK_WRITERS)
@require_POST
def work_group_member_add(request: HttpRequest, pk: int) -> HttpResponse:
    group = _desk_group(request, pk)
    form = MemberAddForm(request.POST, group=group)
    if form.is_valid():
        perform(
            request,
            lambda: services.member_add(group=group, actor=request.user, **form.cleaned_data),
            _("%(name)s joined the group.") % {"name": form.cleaned_data["deputy"].name},
        )
    else:
        messages.error(request, _("Choose a serving deputy who is not yet a member."))
    return redirect("deputies:work_group", pk=group.pk)


def _membership(request: HttpRequest, pk: int, membership_pk: int) -> GroupMembership:
    group = _desk_group(request, pk)
    return get_object_or_404(GroupMembership.objects.select_related("deputy", "group"), pk=membership_pk, group=group)


@role_required(*DESK_WRITERS)
@require_POST
def work_group_member_role(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    membership = _membership(request, pk, membership_pk)
    form = RoleForm(request.POST)
    if form.is_valid():
        perform(
            request,
            lambda: services.member_change_role(
                membership=membership, actor=request.user, role=form.cleaned_data["role"]
            ),
            _("Role changed."),
        )
    return redirect("deputies:work_group", pk=pk)


@role_required(*DESK_WRITERS)
def work_group_member_remove(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    """Asks for confirmation first (GET), removes on POST."""
    membership = _membership(request, pk, membership_pk)
    if request.method == "POST":
        perform(
            request,
            lambda: services.member_remove(membership=membership, actor=request.user),
            _("%(name)s left the group.") % {"name": membership.deputy.name},
        )
        return redirect("deputies:work_group", pk=pk)
    return render(request, "deputies/groups/work_confirm_remove.html", {"membership": membership})


@role_required(*DESK_WRITERS)
def work_group_activity_create(request: HttpRequest, pk: int) -> HttpResponse:
    group = _desk_group(request, pk)
    form = GroupActivityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            activity = services.group_activity_create(
                group=group,
                actor=request.user,
                kind=data.pop("kind"),
                title=data.pop("title"),
                starts_at=data.pop("starts_at"),
                ends_at=data.pop("ends_at"),
                **data,
            )
        except (ValidationError, WorkflowError) as error:
            if isinstance(error, WorkflowError):
                form.add_error(None, error.message)
            else:
                form_errors(form, error)
        else:
            messages.success(request, _("The activity was created and the members invited."))
            return redirect("deputies:work_activity", pk=activity.pk)
    return render(request, "deputies/groups/work_activity_form.html", {"form": form, "group": group})


@role_required(*DESK_WRITERS)
@require_POST
def work_group_invite(request: HttpRequest, pk: int) -> HttpResponse:
    group = _desk_group(request, pk)
    form = InviteMembersForm(request.POST, group=group, activities=selectors.invitable_activities(group=group))
    if not form.is_valid():
        messages.error(request, _("Choose an activity."))
        return redirect("deputies:work_group", pk=pk)
    chosen = [deputy.pk for deputy in form.cleaned_data["deputies"]] or None
    invited: list[Any] = []

    def invite() -> None:
        invited.extend(
            services.group_invite_members(
                group=group, activity=form.cleaned_data["activity"], actor=request.user, deputy_ids=chosen
            )
        )

    if perform(request, invite, _("Invitations sent.")):
        messages.info(request, _("%(count)d members newly invited.") % {"count": len(invited)})
    return redirect("deputies:work_group", pk=pk)


def _output_form_submit(request: HttpRequest, group: ProfessionalGroup, form: OutputForm) -> GroupOutput | None:
    data = form.cleaned_data
    try:
        return services.output_record(
            group=group,
            actor=request.user,
            kind=data["kind"],
            title=data["title"],
            content=data["content"],
            authors=list(data["authors"]),
            file=data["file"],
            activity=data["activity"],
            submitted_on=data["submitted_on"],
        )
    except ValidationError as error:
        form_errors(form, error)
    return None


@role_required(*DESK_WRITERS)
def work_group_output_create(request: HttpRequest, pk: int) -> HttpResponse:
    group = _desk_group(request, pk)
    form = OutputForm(request.POST or None, request.FILES or None, group=group)
    if request.method == "POST" and form.is_valid():
        output = _output_form_submit(request, group, form)
        if output is not None:
            messages.success(request, _("The output was recorded."))
            return redirect("deputies:work_group_output", pk=output.pk)
    return render(request, "deputies/groups/output_form.html", {"form": form, "group": group, "desk": True})


@role_required(*DESK_READERS)
def work_group_outputs(request: HttpRequest) -> HttpResponse:
    """Outputs of every group with filters (kind, adopted, group, year, title) and the adopted mark."""
    raw_adopted = request.GET.get("adopted", "")
    filters = {
        "kind": request.GET.get("kind", "") if request.GET.get("kind", "") in OutputKind.values else "",
        "adopted": {"yes": True, "no": False}.get(raw_adopted),
        "group_id": _int(request.GET.get("group")),
        "year": _int(request.GET.get("year")),
        "query": request.GET.get("q", "").strip(),
    }
    page = page_of(request, selectors.outputs_list(user=request.user, **filters))
    return render(
        request,
        "deputies/groups/work_outputs.html",
        {
            "page": page,
            "filters": {**filters, "adopted": raw_adopted},
            "kinds": OutputKind.choices,
            "groups": ProfessionalGroup.objects.visible_to(request.user).order_by("name"),
            "years": selectors.output_years(user=request.user),
            "can_write": _can_write(request),
        },
    )


def _desk_output(request: HttpRequest, pk: int) -> GroupOutput:
    return get_object_or_404(
        GroupOutput.objects.visible_to(request.user).select_related("group", "activity").prefetch_related("authors"),
        pk=pk,
    )


@role_required(*DESK_READERS)
def work_group_output(request: HttpRequest, pk: int) -> HttpResponse:
    output = _desk_output(request, pk)
    return render(
        request,
        "deputies/groups/work_output.html",
        {"output": output, "adopt_form": AdoptForm(), "can_write": _can_write(request)},
    )


@role_required(*DESK_WRITERS)
@require_POST
def work_group_output_adopt(request: HttpRequest, pk: int) -> HttpResponse:
    output = _desk_output(request, pk)
    form = AdoptForm(request.POST)
    if form.is_valid():
        perform(
            request,
            lambda: services.output_mark_adopted(
                output=output,
                actor=request.user,
                adopted_on=form.cleaned_data["adopted_on"],
                where=form.cleaned_data["adopted_where"],
            ),
            _("Marked adopted by the standing committee."),
        )
    else:
        messages.error(request, _("Give the date and where it was adopted."))
    target = request.POST.get("next", "")
    if target.startswith("/work/") and "//" not in target:  # back to the list the action came from
        return redirect(target)
    return redirect("deputies:work_group_output", pk=pk)


@role_required(*DESK_READERS)
def work_special_supervisors(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    current = {"current": True, "ended": False}.get(request.GET.get("status", ""))
    congress_id = desk_congress_id(request)
    form = SupervisorForm(request.POST or None, congress_id=congress_id)
    if request.method == "POST":
        if not _can_write(request):
            raise PermissionDenied
        if form.is_valid():
            try:
                services.special_supervisor_appoint(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                form_errors(form, error)
            else:
                messages.success(request, _("Special supervisor appointed."))
                return redirect("deputies:work_special_supervisors")
    page = page_of(request, selectors.special_supervisors(user=request.user, query=query, current=current))
    return render(
        request,
        "deputies/groups/work_supervisors.html",
        {
            "page": page,
            "query": query,
            "status": request.GET.get("status", ""),
            "form": form,
            "end_form": EndForm(),
            "can_write": _can_write(request),
        },
    )


@role_required(*DESK_WRITERS)
@require_POST
def work_special_supervisor_end(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = get_object_or_404(SpecialSupervisor.objects.visible_to(request.user), pk=pk)
    form = EndForm(request.POST)
    if form.is_valid():
        perform(
            request,
            lambda: services.special_supervisor_end(
                appointment=appointment, actor=request.user, ends_on=form.cleaned_data["ends_on"]
            ),
            _("The appointment has ended."),
        )
    else:
        messages.error(request, _("Give the end date."))
    return redirect("deputies:work_special_supervisors")


# --- deputy portal -------------------------------------------------------------------------------


@deputy_required
def portal_groups(request: HttpRequest) -> HttpResponse:
    """My professional groups, their activities and outputs."""
    return render(
        request, "deputies/groups/portal_list.html", {"groups": selectors.groups_of_deputy(user=request.user)}
    )


def _my_group(request: HttpRequest, pk: int) -> ProfessionalGroup:
    """A group the deputy belongs to; any other answers 404."""
    deputy_id = get_scope(request.user).deputy_id
    return get_object_or_404(
        ProfessionalGroup.objects.visible_to(request.user).filter(memberships__deputy_id=deputy_id), pk=pk
    )


@deputy_required
def portal_group_output_create(request: HttpRequest, pk: int) -> HttpResponse:
    group = _my_group(request, pk)
    form = OutputForm(request.POST or None, request.FILES or None, group=group)
    if request.method == "POST" and form.is_valid():
        output = _output_form_submit(request, group, form)
        if output is not None:
            messages.success(request, _("Your output was submitted to the group's record."))
            return redirect("deputies:portal_group_output", pk=output.pk)
    return render(request, "deputies/groups/output_form.html", {"form": form, "group": group, "desk": False})


@deputy_required
def portal_group_output(request: HttpRequest, pk: int) -> HttpResponse:
    output = get_object_or_404(
        GroupOutput.objects.visible_to(request.user).select_related("group").prefetch_related("authors"), pk=pk
    )
    deputy_id = get_scope(request.user).deputy_id
    return render(
        request,
        "deputies/groups/portal_output.html",
        {
            "output": output,
            "is_author": any(author.pk == deputy_id for author in output.authors.all()),
            "formal": output.formal_suggestions.order_by("pk").first(),
        },
    )


urlpatterns = [
    path("work/groups/", work_groups, name="work_groups"),
    path("work/groups/new/", work_group_create, name="work_group_create"),
    path("work/groups/<int:pk>/", work_group, name="work_group"),
    path("work/groups/<int:pk>/edit/", work_group_edit, name="work_group_edit"),
    path("work/groups/<int:pk>/members/", work_group_member_add, name="work_group_member_add"),
    path(
        "work/groups/<int:pk>/members/<int:membership_pk>/role/", work_group_member_role, name="work_group_member_role"
    ),
    path(
        "work/groups/<int:pk>/members/<int:membership_pk>/remove/",
        work_group_member_remove,
        name="work_group_member_remove",
    ),
    path("work/groups/<int:pk>/activities/new/", work_group_activity_create, name="work_group_activity_create"),
    path("work/groups/<int:pk>/invite/", work_group_invite, name="work_group_invite"),
    path("work/groups/<int:pk>/outputs/new/", work_group_output_create, name="work_group_output_create"),
    path("work/group-outputs/", work_group_outputs, name="work_group_outputs"),
    path("work/group-outputs/<int:pk>/", work_group_output, name="work_group_output"),
    path("work/group-outputs/<int:pk>/adopt/", work_group_output_adopt, name="work_group_output_adopt"),
    path("work/special-supervisors/", work_special_supervisors, name="work_special_supervisors"),
    path("work/special-supervisors/<int:pk>/end/", work_special_supervisor_end, name="work_special_supervisor_end"),
    path("portal/groups/", portal_groups, name="portal_groups"),
    path("portal/groups/<int:pk>/outputs/new/", portal_group_output_create, name="portal_group_output_create"),
    path("portal/groups/outputs/<int:pk>/", portal_group_output, name="portal_group_output"),
]
