"""Demo station and the `station` account, then the station's blocks, receptions and forums
(`demo_stations`) and the citizens' issues (`demo_issues`)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from congress.roles import Role

from . import demo_issues, demo_stations
from .models import Station, StationStaff


def seed(context: dict[str, Any]) -> None:
    station, _created = Station.objects.update_or_create(
        congress=context["congresses"]["heshan"],
        name="会龙山街道人大代表联络站",
        defaults={
            "managing_body": "会龙山街道人大工委",
            "address": "益阳市赫山区会龙山街道桃花仑路 18 号",
            "opening_hours": "工作日 9:00–17:00；每月 15 日为代表接待日",
        },
    )
    user, _created = get_user_model().objects.get_or_create(username="station")
    user.first_name = "会龙山街道联络员 李娟"
    user.set_password(context["password"])
    user.save()
    user.groups.add(Group.objects.get(name=Role.STATION))
    StationStaff.objects.get_or_create(user=user, station=station, defaults={"role": "联络员"})
    context["station"] = station
    context["accounts"].append(("station", str(Role(Role.STATION).label)))
    # The station's blocks, receptions and forums first: the issues demo files issues in its blocks.
    demo_stations.seed(context)
    demo_issues.seed(context)
