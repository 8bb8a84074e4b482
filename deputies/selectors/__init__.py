"""Reads of the deputy registry."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from congress.scoping import get_scope

from ..models import Deputy, Mandate


def deputy_for_user(*, user: Any) -> Deputy | None:
    deputy_id = get_scope(user).deputy_id
    return Deputy.objects.filter(pk=deputy_id).first() if deputy_id else None


def mandates_of_deputy(*, deputy: Deputy) -> QuerySet[Mandate]:
    return (
        Mandate.objects.filter(deputy=deputy)
        .select_related("congress", "term", "delegation")
        .order_by("-start_date", "pk")
    )


def _popolo_date(value: Any) -> str | None:
    return value.isoformat() if value else None


def popolo_export(*, user: Any) -> dict[str, list[dict[str, Any]]]:
    """The registry in Popolo shape, limited to the user's scope. Five queries whatever the size."""
    from congress.models import Committee, Congress

    from ..models import Delegation

    congresses = list(Congress.objects.visible_to(user).order_by("pk"))
    congress_ids = {congress.pk for congress in congresses}
    organizations: list[dict[str, Any]] = []
    for congress in congresses:
        organization: dict[str, Any] = {
            "id": f"congress/{congress.pk}",
            "name": congress.name,
            "classification": "legislature",
            "identifiers": [{"scheme": "administrative-area-code", "identifier": congress.area_code}],
            "other_names": [{"name": congress.short_name}] if congress.short_name else [],
        }
        if congress.parent_id in congress_ids:
            organization["parent_id"] = f"congress/{congress.parent_id}"
        organizations.append(organization)
    for committee in Committee.objects.filter(congress_id__in=congress_ids).order_by("pk"):
        organizations.append(
            {
                "id": f"committee/{committee.pk}",
                "name": committee.name,
                "classification": "committee",
                "parent_id": f"congress/{committee.congress_id}",
            }
        )
    for delegation in Delegation.objects.filter(congress_id__in=congress_ids).order_by("pk"):
        organizations.append(
            {
                "id": f"delegation/{delegation.pk}",
                "name": delegation.name,
                "classification": "delegation",
                "parent_id": f"congress/{delegation.congress_id}",
            }
        )

    persons = [
        {
            "id": f"deputy/{deputy.pk}",
            "name": deputy.name,
            "gender": deputy.gender,
            # Official lists publish the year and month of birth only.
            "birth_date": deputy.birth_date.strftime("%Y-%m") if deputy.birth_date else None,
            "identifiers": [{"scheme": "public-code", "identifier": deputy.public_code}],
        }
        for deputy in Deputy.objects.visible_to(user).order_by("pk")
    ]
    for person in persons:
        if person["birth_date"] is None:
            del person["birth_date"]
    person_ids = {person["id"] for person in persons}

    memberships: list[dict[str, Any]] = []
    mandates = Mandate.objects.filter(congress_id__in=congress_ids).select_related("term").order_by("pk")
    for mandate in mandates:
        person_id = f"deputy/{mandate.deputy_id}"
        if person_id not in person_ids:
            continue
        base = {
            "person_id": person_id,
            "role": "deputy",
            "label": f"{mandate.term.number}",
            "start_date": _popolo_date(mandate.start_date),
        }
        if mandate.end_date:
            base["end_date"] = _popolo_date(mandate.end_date)
        memberships.append(
            {"id": f"mandate/{mandate.pk}", "organization_id": f"congress/{mandate.congress_id}", **base}
        )
        if mandate.delegation_id:
            memberships.append(
                {
                    "id": f"mandate/{mandate.pk}/delegation",
                    "organization_id": f"delegation/{mandate.delegation_id}",
                    **base,
                    "role": "member",
                }
            )
    return {"persons": persons, "organizations": organizations, "memberships": memberships}
