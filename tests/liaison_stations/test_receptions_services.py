"""Services of reception days, visits and forums: the schedule with deputies of the station, the
published-ahead rule, confirming a day (duty record once), the day-before reminder (once), visits
with their dispositions and confidentiality, the loop hand-off, and forums in the duty record."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError

from congress.models import Notification
from congress.roles import Role
from deputies.models import ActivityRecord
from liaison_stations.exceptions import WorkflowError
from liaison_stations.models import Forum, PublicIssue, ReceptionDay, Visit
from liaison_stations.selectors import receptions as selectors
from liaison_stations.services import receptions as services
from suggestions import reminders
from suggestions.models import ReminderDispatch
from tests.congress.factories import UserFactory
from tests.liaison_stations.factories import StationStaffFactory
from tests.liaison_stations.factories_stations import (
    BlockFactory,
    ReceptionDayFactory,
    StationDeputyFactory,
    VisitFactory,
)

TODAY = datetime.date(2026, 3, 10)


@pytest.fixture
def on_duty(world, deputy_user):
    """Two deputies of station A: the `deputy` account and a colleague."""
    StationDeputyFactory(station=world.a.station, deputy=deputy_user.deputy)
    StationDeputyFactory(station=world.a.station, deputy=world.a.deputies[0])
    return [deputy_user.deputy, world.a.deputies[0]]


def _acts(code: str) -> list[tuple[int, str]]:
    return sorted(ActivityRecord.objects.filter(activity_type__code=code).values_list("deputy_id", "source_key"))


# --- the schedule --------------------------------------------------------------------------------


def test_station_staff_plan_a_reception_day_with_deputies_of_the_station(world, station_user, on_duty):
    # when the liaison plans a day with the two deputies of the station
    reception = services.reception_save(
        station=world.a.station,
        actor=station_user,
        date=datetime.date(2026, 3, 15),
        deputy_ids=[d.pk for d in on_duty],
        topic="老旧小区改造",
    )

    # then it is there with them on duty
    assert set(reception.deputies.all()) == set(on_duty)
    assert reception.congress == world.a.congress


def test_a_deputy_not_of_the_station_cannot_be_on_duty(world, station_user, on_duty):
    with pytest.raises(ValidationError) as caught:
        services.reception_save(
            station=world.a.station,
            actor=station_user,
            date=datetime.date(2026, 3, 15),
            deputy_ids=[on_duty[0].pk, world.a.deputies[1].pk],
        )
    assert world.a.deputies[1].name in caught.value.message_dict["deputies"][0]
    assert not ReceptionDay.objects.exists()


def test_a_day_needs_a_deputy_and_must_end_after_it_starts(world, station_user, on_duty):
    with pytest.raises(ValidationError) as caught:
        services.reception_save(station=world.a.station, actor=station_user, date=TODAY, deputy_ids=[])
    assert "deputies" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.reception_save(
            station=world.a.station,
            actor=station_user,
            date=TODAY,
            deputy_ids=[on_duty[0].pk],
            starts_at=datetime.time(11),
            ends_at=datetime.time(9),
        )
    assert "ends_at" in caught.value.message_dict


@pytest.mark.parametrize("role", ["leader_user", "deputy_user", "committee_user", "office_user_b"])
def test_other_roles_cannot_plan_reception_days(request, world, on_duty, role):
    with pytest.raises(PermissionDenied):
        services.reception_save(
            station=world.a.station, actor=request.getfixturevalue(role), date=TODAY, deputy_ids=[on_duty[0].pk]
        )


# --- the public page's rule ----------------------------------------------------------------------


def test_a_reception_three_days_ahead_is_not_public_two_days_ahead_is(world, on_duty):
    # given a station publishing 2 days ahead and days 0, 1, 2 and 3 days from today, and one past
    station = world.a.station
    assert station.notice_days == 2
    days = {n: ReceptionDayFactory(station=station, date=TODAY + datetime.timedelta(days=n)) for n in (-1, 0, 1, 2, 3)}

    # when the public page's days are read today
    published = selectors.published_receptions(station=station, today=TODAY)

    # then today, tomorrow and the day after are there; three days ahead and yesterday are not
    assert published == [days[0], days[1], days[2]]
    assert days[3].published_from() == TODAY + datetime.timedelta(days=1)


def test_the_notice_days_of_the_station_decide(world):
    world.a.station.notice_days = 0
    world.a.station.save()
    today = ReceptionDayFactory(station=world.a.station, date=TODAY)
    ReceptionDayFactory(station=world.a.station, date=TODAY + datetime.timedelta(days=1))
    assert selectors.published_receptions(station=world.a.station, today=TODAY) == [today]


# --- confirming a day ----------------------------------------------------------------------------


def test_confirming_a_day_writes_each_deputy_who_came_into_the_duty_record_once(world, station_user, on_duty):
    # given a reception day with two deputies on duty
    reception = ReceptionDayFactory(station=world.a.station, date=TODAY, deputies=on_duty)

    # when the liaison confirms it (one deputy did not come), and again
    services.reception_confirm(reception=reception, actor=station_user, absent_ids=[on_duty[1].pk], today=TODAY)
    services.reception_confirm(reception=reception, actor=station_user, absent_ids=[on_duty[1].pk], today=TODAY)

    # then the deputy who came has one station_reception act with the reception as source
    assert _acts("station_reception") == [(on_duty[0].pk, f"reception:{reception.pk}")]
    assert services.reception_confirmed(reception)


def test_a_coming_day_cannot_be_confirmed(world, station_user, on_duty):
    reception = ReceptionDayFactory(station=world.a.station, date=TODAY + datetime.timedelta(days=1), deputies=on_duty)
    with pytest.raises(WorkflowError):
        services.reception_confirm(reception=reception, actor=station_user, today=TODAY)
    assert _acts("station_reception") == []


def test_leaders_cannot_confirm(world, leader_user, on_duty):
    reception = ReceptionDayFactory(station=world.a.station, date=TODAY, deputies=on_duty)
    with pytest.raises(PermissionDenied):
        services.reception_confirm(reception=reception, actor=leader_user, today=TODAY)


def test_a_confirmed_day_or_one_with_visits_cannot_be_removed(world, station_user, on_duty):
    confirmed = ReceptionDayFactory(station=world.a.station, date=TODAY, deputies=on_duty)
    services.reception_confirm(reception=confirmed, actor=station_user, today=TODAY)
    visited = ReceptionDayFactory(station=world.a.station, date=TODAY, deputies=on_duty)
    VisitFactory(station=world.a.station, reception_day=visited)
    for reception in (confirmed, visited):
        with pytest.raises(WorkflowError):
            services.reception_delete(reception=reception, actor=station_user)
    planned = ReceptionDayFactory(station=world.a.station, date=TODAY, deputies=on_duty)
    services.reception_delete(reception=planned, actor=station_user)
    assert ReceptionDay.objects.count() == 2


# --- the reminder --------------------------------------------------------------------------------


def test_deputies_on_duty_are_reminded_the_day_before_once(world, deputy_user, on_duty):
    # given tomorrow's reception day with the `deputy` account on duty, and one in three days
    reception = ReceptionDayFactory(station=world.a.station, date=TODAY + datetime.timedelta(days=1), deputies=on_duty)
    ReceptionDayFactory(station=world.a.station, date=TODAY + datetime.timedelta(days=3), deputies=on_duty)

    # when the sweep runs twice today, and once more tomorrow
    first = services.reception_duty_reminders(as_of=TODAY)
    second = services.reception_duty_reminders(as_of=TODAY)
    services.reception_duty_reminders(as_of=TODAY + datetime.timedelta(days=1))

    # then the deputy with an account got one notice, recorded by one dispatch for the day
    assert first == {"count": 1}
    assert second == {"count": 0}
    assert Notification.objects.filter(user=deputy_user).count() == 1
    assert list(ReminderDispatch.objects.values_list("target_type", "target_id", "kind", "due_on")) == [
        ("reception", reception.pk, "duty", reception.date)
    ]


def test_a_dry_run_sends_nothing(world, deputy_user, on_duty):
    ReceptionDayFactory(station=world.a.station, date=TODAY + datetime.timedelta(days=1), deputies=on_duty)
    assert services.reception_duty_reminders(as_of=TODAY, dry_run=True) == {"count": 1}
    assert not Notification.objects.exists()
    assert not ReminderDispatch.objects.exists()


def test_the_sweep_runs_inside_run_reminders(world, deputy_user, on_duty, monkeypatch):
    # given the stations' sweep registered as the app does
    monkeypatch.setattr(reminders, "_other_sweeps", {})
    services.register_reminders()
    ReceptionDayFactory(station=world.a.station, date=TODAY + datetime.timedelta(days=1), deputies=on_duty)

    # when the daily sweep runs twice
    first = reminders.run_reminders(as_of=TODAY)
    second = reminders.run_reminders(as_of=TODAY)

    # then the reminder went once
    assert first.other_sweeps["stations.receptions"] == {"count": 1}
    assert second.other_sweeps["stations.receptions"] == {"count": 0}
    assert Notification.objects.filter(user=deputy_user).count() == 1


# --- visits --------------------------------------------------------------------------------------


def _visit(world, actor, **fields):
    data = {
        "station": world.a.station,
        "actor": actor,
        "visited_on": TODAY,
        "words": "小区门口的路灯坏了一个月了",
        "disposition": "answered",
        "disposition_note": "已联系物业，三天内修好",
    }
    data.update(fields)
    return services.visit_record(**data)


@pytest.mark.parametrize("role", ["station_user", "office_user"])
def test_staff_record_a_visit_answered_on_the_spot(request, world, role, on_duty):
    reception = ReceptionDayFactory(station=world.a.station, date=TODAY, deputies=on_duty)
    actor = request.getfixturevalue(role)
    visit = _visit(world, actor, reception_day=reception, deputy=on_duty[0], visitor_name="张大爷")
    assert (visit.disposition, visit.recorded_by, visit.reception_day) == ("answered", actor, reception)


@pytest.mark.parametrize(
    ("disposition", "field"),
    [("answered", "disposition_note"), ("not_accepted", "disposition_note"), ("maybe", "disposition")],
)
def test_answer_and_reason_are_required(world, station_user, disposition, field):
    with pytest.raises(ValidationError) as caught:
        _visit(world, station_user, disposition=disposition, disposition_note="")
    assert field in caught.value.message_dict
    assert not Visit.objects.exists()


def test_a_visit_not_accepted_keeps_its_reason_and_no_issue_is_made(world, station_user):
    visit = _visit(world, station_user, disposition="not_accepted", disposition_note="属于诉讼程序，已引导走司法途径")
    assert visit.disposition_note.startswith("属于诉讼")
    assert not PublicIssue.objects.exists()


def test_words_are_required_and_the_date_may_not_be_ahead(world, station_user):
    with pytest.raises(ValidationError) as caught:
        _visit(world, station_user, words="  ", visited_on=datetime.date(2999, 1, 1))
    assert {"words", "visited_on"} <= set(caught.value.message_dict)


def test_the_reception_day_must_be_of_the_station_and_the_same_date(world, station_user):
    other = ReceptionDayFactory(station=world.a.other_station, date=TODAY)
    with pytest.raises(ValidationError) as caught:
        _visit(world, station_user, reception_day=other)
    assert "reception_day" in caught.value.message_dict
    earlier = ReceptionDayFactory(station=world.a.station, date=TODAY - datetime.timedelta(days=1))
    with pytest.raises(ValidationError) as caught:
        _visit(world, station_user, reception_day=earlier)
    assert "visited_on" in caught.value.message_dict


@pytest.mark.parametrize("role", ["leader_user", "deputy_user", "unit_user"])
def test_other_roles_cannot_record_visits(request, world, role):
    with pytest.raises(PermissionDenied):
        _visit(world, request.getfixturevalue(role))


def test_a_visit_taken_into_the_loop_becomes_a_citizen_issue(world, station_user, on_duty):
    # given a visit received by a deputy of the station's congress
    # when the liaison records it as taken into the loop
    visit = _visit(
        world,
        station_user,
        disposition="loop",
        disposition_note="",
        deputy=on_duty[0],
        visitor_name="李阿姨",
        visitor_phone="13912345678",
        consent=True,
    )

    # then one issue of the visit channel is linked to it, with the words and the contact
    issue = PublicIssue.objects.get()
    assert (issue.channel, issue.visit, issue.station, issue.deputy) == ("visit", visit, world.a.station, on_duty[0])
    assert (issue.content, issue.citizen_name, issue.consent) == (visit.words, "李阿姨", True)
    assert issue.status == "submitted"


def test_the_loop_is_handed_the_words_through_issue_submit(world, station_user, monkeypatch):
    # given the issues' intake (stubbed, to see what it is handed)
    calls = []
    monkeypatch.setattr(services.issue_services, "issue_submit", lambda **kwargs: calls.append(kwargs))

    # when a visit is taken into the loop
    visit = _visit(world, station_user, disposition="loop", disposition_note="", visitor_phone="13900000000")

    # then the intake got the channel, the visit, the station and the words
    assert len(calls) == 1
    assert calls[0]["channel"] == "visit"
    assert calls[0]["visit"] == visit
    assert calls[0]["station"] == world.a.station
    assert calls[0]["content"] == visit.words
    assert calls[0]["citizen_phone"] == "13900000000"


# --- confidentiality -----------------------------------------------------------------------------


@pytest.fixture
def confidential(world, deputy_user):
    return VisitFactory(station=world.a.station, confidentiality="confidential", deputy=deputy_user.deputy)


@pytest.mark.parametrize(
    ("role", "reads"),
    [
        ("office_user", True),
        ("station_user", True),
        ("deputy_user", True),  # the deputy who received it
        ("admin_user", True),
        ("leader_user", False),
        ("other_deputy_user", False),
        ("office_user_b", False),
    ],
)
def test_confidential_words_are_for_the_office_the_station_and_the_receiving_deputy(request, confidential, role, reads):
    assert services.can_read_words(request.getfixturevalue(role), confidential) is reads


def test_station_staff_of_another_station_do_not_read_them(world, confidential):
    liaison = UserFactory(username="liaison-other")
    liaison.groups.add(Group.objects.get(name=Role.STATION))
    StationStaffFactory(user=liaison, station=world.a.other_station)
    assert services.can_read_words(liaison, confidential) is False


def test_a_public_visit_is_read_by_whoever_sees_it(world, leader_user):
    assert services.can_read_words(leader_user, VisitFactory(station=world.a.station)) is True


def test_searching_words_does_not_find_confidential_visits_for_leaders(world, leader_user, office_user, confidential):
    filters = {"q": confidential.words[:4]}
    assert list(selectors.visits_for_station(station=world.a.station, user=leader_user, filters=filters)) == []
    assert list(selectors.visits_for_station(station=world.a.station, user=office_user, filters=filters)) == [
        confidential
    ]


# --- forums --------------------------------------------------------------------------------------


def test_a_held_forum_writes_each_deputy_present_once(world, station_user, on_duty):
    # given a block of the station
    block = BlockFactory(station=world.a.station)

    # when the liaison records a forum held today with two deputies, then corrects it
    forum = services.forum_save(
        station=world.a.station,
        actor=station_user,
        held_on=TODAY,
        topic="加装电梯民情恳谈会",
        deputy_ids=[d.pk for d in on_duty],
        block=block,
        residents=42,
        today=TODAY,
    )
    services.forum_save(
        station=world.a.station,
        actor=station_user,
        held_on=TODAY,
        topic="加装电梯民情恳谈会",
        deputy_ids=[d.pk for d in on_duty],
        block=block,
        residents=45,
        forum=forum,
        today=TODAY,
    )

    # then each deputy present has one forum act with the forum and deputy as source
    assert _acts("forum") == sorted((d.pk, f"forum:{forum.pk}:{d.pk}") for d in on_duty)
    forum.refresh_from_db()
    assert forum.residents == 45


def test_a_planned_forum_writes_nothing_yet(world, station_user, on_duty):
    services.forum_save(
        station=world.a.station,
        actor=station_user,
        held_on=TODAY + datetime.timedelta(days=5),
        topic="下周恳谈会",
        deputy_ids=[on_duty[0].pk],
        today=TODAY,
    )
    assert _acts("forum") == []


def test_forum_checks(world, station_user):
    with pytest.raises(ValidationError) as caught:
        services.forum_save(
            station=world.a.station, actor=station_user, held_on=TODAY, topic="x", deputy_ids=[world.b.deputies[0].pk]
        )
    assert "deputies" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.forum_save(
            station=world.a.station,
            actor=station_user,
            held_on=TODAY,
            topic="x",
            block=BlockFactory(station=world.a.other_station),
        )
    assert "block" in caught.value.message_dict
    assert not Forum.objects.exists()


def test_a_forum_with_issues_cannot_be_removed(world, station_user):
    forum = services.forum_save(station=world.a.station, actor=station_user, held_on=TODAY, topic="恳谈会", today=TODAY)
    PublicIssue.objects.create(
        congress=world.a.congress, channel="forum", content="路面积水", forum=forum, station=world.a.station
    )
    with pytest.raises(WorkflowError):
        services.forum_delete(forum=forum, actor=station_user)
    assert Forum.objects.filter(pk=forum.pk).exists()
