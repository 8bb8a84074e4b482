"""The citizens' loop: every move allowed and forbidden (one event each, nothing written when
refused), tier due dates on the working calendar, the hotline's supervision case, conversion into a
suggestion, the duty record, quiet closing, contact masking and intake with the broker down."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from kombu.exceptions import OperationalError
from PIL import Image

from congress.choices import CalendarDayKind
from congress.models import CalendarDay, Notification
from congress.roles import Role
from deputies.models import ActivityRecord, Deputy
from liaison_stations import tasks
from liaison_stations.choices import Channel, CloseReason, IssueAction, IssueStatus
from liaison_stations.exceptions import NotAllowed, WorkflowError
from liaison_stations.models import IssueAnswer, IssueEvent, IssuePhoto, PublicIssue, StationDeputy
from liaison_stations.services import issues as services
from suggestions.choices import SupervisionStatus, SupervisionTrigger
from suggestions.models import Suggestion, SupervisionCase
from suggestions.services import supervision_action_record, supervision_close
from tests.congress.factories import UserFactory

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2030, 3, 4)  # a week without holidays


@pytest.fixture
def loop(world, station_user, office_user, unit_user, deputy_user, committee_user):
    """The people of the loop in congress A, and helpers to bring an issue to a state."""

    class Loop:
        a = world.a
        station = station_user
        office = office_user
        unit = unit_user
        deputy_user_ = deputy_user
        committee = committee_user
        deputy = Deputy.objects.get(user=deputy_user)

        def submit(self, **kwargs: Any) -> PublicIssue:
            values = {
                "congress": world.a.congress,
                "channel": Channel.QR,
                "content": "村口的桥栏杆松动，孩子上学经过很危险",
                "station": world.a.station,
                "citizen_name": "王五",
                "citizen_phone": "13900000044",
                "consent": True,
                "on": MONDAY,
            }
            values.update(kwargs)
            return services.issue_submit(**values)

        def handling(self, tier: int = 1, **kwargs: Any) -> PublicIssue:
            issue = self.submit(**kwargs)
            unit = world.a.unit if tier == 3 else None
            return services.issue_screen(
                issue=issue, actor=station_user, accept=True, tier=tier, handling_unit=unit, on=MONDAY
            )

        def answered(self, tier: int = 1, **kwargs: Any) -> PublicIssue:
            issue = self.handling(tier, **kwargs)
            actor = unit_user if tier == 3 else station_user
            return services.issue_answer(issue=issue, actor=actor, body="已修好栏杆，请查看。")

        def hotline(self) -> PublicIssue:
            return self.submit(
                channel=Channel.HOTLINE, reported_by=self.deputy, category=world.a.subject_category, actor=station_user
            )

    return Loop()


def events(issue: PublicIssue) -> list[str]:
    return list(IssueEvent.objects.filter(issue=issue).order_by("pk").values_list("action", flat=True))


def reread(issue: PublicIssue) -> PublicIssue:
    return PublicIssue.objects.get(pk=issue.pk)


# --- submit --------------------------------------------------------------------------------------


def test_a_citizen_submits_an_issue_with_one_event_and_a_screening_due_date(loop):
    # when a citizen writes through the QR page (no account)
    issue = loop.submit(deputy=loop.a.deputies[0])

    # then it waits for screening, due one working day later, with one "submit" event by the citizen
    assert issue.status == IssueStatus.SUBMITTED
    assert issue.due_on == MONDAY + datetime.timedelta(days=1)
    assert events(issue) == [IssueAction.SUBMIT]
    event = IssueEvent.objects.get(issue=issue)
    assert (event.actor, event.actor_label) == (None, services.actor_label(None))
    assert len(issue.tracking_code) == 12


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"content": "太短"}, "content"),
        ({"content": "长" * 2001}, "content"),
        ({"citizen_phone": "12345"}, "citizen_phone"),
        ({"channel": "fax"}, "channel"),
        ({"channel": Channel.HOTLINE}, "reported_by"),
    ],
)
def test_a_submission_with_bad_input_is_refused_by_field(loop, change, field):
    # when the input is wrong, then a ValidationError names the field and nothing is saved
    with pytest.raises(ValidationError) as raised:
        loop.submit(**change)
    assert field in raised.value.message_dict
    assert not PublicIssue.objects.exists()


def test_a_submission_accepts_a_landline_and_spaces_in_a_mobile_number(loop):
    assert loop.submit(citizen_phone="0737-4221234").citizen_phone == "0737-4221234"
    assert loop.submit(citizen_phone="139 0000 0044").citizen_phone == "13900000044"


def test_a_submission_with_another_congress_station_deputy_or_category_is_refused(loop, world):
    for change, field in [
        ({"station": world.b.station}, "station"),
        ({"deputy": world.b.deputies[0]}, "deputy"),
        ({"category": world.b.subject_category}, "category"),
    ]:
        with pytest.raises(ValidationError) as raised:
            loop.submit(**change)
        assert field in raised.value.message_dict
    assert not PublicIssue.objects.exists()


def jpeg_with_location() -> SimpleUploadedFile:
    """A real JPEG carrying EXIF with a GPS position and the camera, as phones write them."""
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (28.0, 33.0, 0.0), 3: "E", 4: (112.0, 21.0, 0.0)}  # GPSInfo
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(buffer, format="JPEG", exif=exif)
    return SimpleUploadedFile("street.jpg", buffer.getvalue(), content_type="image/jpeg")


def test_photos_are_kept_with_the_issue_without_their_metadata(loop, settings, tmp_path):
    # given an uploaded photo (already checked by the intake form) that says where it was taken
    settings.MEDIA_ROOT = tmp_path
    photo = jpeg_with_location()
    assert Image.open(io.BytesIO(photo.read())).getexif()  # the test photo does carry EXIF
    photo.seek(0)

    # when the issue is submitted with it
    issue = loop.submit(photos=[photo])

    # then it is an IssuePhoto of the issue's congress, still a readable JPEG of the same size, without EXIF
    saved = IssuePhoto.objects.get(issue=issue, congress=loop.a.congress)
    with Image.open(saved.image.path) as image:
        assert (image.format, image.size) == ("JPEG", (40, 30))
        assert not image.getexif()


def test_an_issue_to_a_deputy_goes_to_the_deputys_station(loop, world):
    # given a deputy who works at the other station
    deputy = world.a.deputies[0]
    StationDeputy.objects.create(congress=world.a.congress, station=world.a.other_station, deputy=deputy)

    # when a citizen writes to them without naming a station
    issue = loop.submit(station=None, deputy=deputy)

    # then the deputy's station takes it in
    assert issue.station == world.a.other_station


def test_a_deputy_records_only_what_they_collected_or_the_hotline(loop):
    # when a deputy records an issue they collected, and reports one through the hotline
    collected = loop.submit(channel=Channel.DEPUTY, actor=loop.deputy_user_)
    hotline = loop.submit(channel=Channel.HOTLINE, actor=loop.deputy_user_)

    # then they are its deputy and its reporter; other channels are not theirs to record
    assert collected.deputy == loop.deputy
    assert hotline.reported_by == loop.deputy
    with pytest.raises(NotAllowed):
        loop.submit(channel=Channel.VISIT, actor=loop.deputy_user_)


@pytest.mark.parametrize("role", ["unit_user", "committee_user", "leader_user", "office_user_b"])
def test_other_roles_cannot_record_issues(loop, request, role):
    with pytest.raises(NotAllowed):
        loop.submit(actor=request.getfixturevalue(role))
    assert not PublicIssue.objects.exists()


# --- intake notice, broker down --------------------------------------------------------------------


def test_the_handlers_are_told_after_the_commit_once(loop, django_capture_on_commit_callbacks):
    # when an issue is submitted to a deputy at the station
    with django_capture_on_commit_callbacks(execute=True):
        issue = loop.submit(deputy=loop.deputy)

    # then the station's staff and the deputy are told, and the issue says so
    assert Notification.objects.filter(user=loop.station).count() == 1
    assert Notification.objects.filter(user=loop.deputy_user_).count() == 1
    assert reread(issue).intake_notified_at is not None
    # and telling again (a retry) sends nothing
    assert services.issue_intake_notify(issue_id=issue.pk) is None
    assert Notification.objects.count() == 2


def test_an_issue_without_a_station_goes_to_the_office(loop, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        loop.submit(station=None)
    assert Notification.objects.filter(user=loop.office).count() == 1


def test_with_the_broker_down_the_issue_is_kept_and_the_sweeper_tells_once(
    loop, monkeypatch, django_capture_on_commit_callbacks
):
    # given a broker that refuses connections
    def down(*args: Any, **kwargs: Any) -> None:
        raise OperationalError("Connection refused")

    monkeypatch.setattr(tasks.issue_intake_task, "delay", down)

    # when a citizen submits
    with django_capture_on_commit_callbacks(execute=True):
        issue = loop.submit()

    # then the issue is saved, nobody is told yet
    assert reread(issue).intake_notified_at is None
    assert not Notification.objects.exists()

    # when the sweeper runs (the issue is more than two minutes old) twice
    from liaison_stations.reminders import send_owed_intake

    later = reread(issue).created_at + datetime.timedelta(minutes=5)
    assert send_owed_intake(now=later) == 1
    assert send_owed_intake(now=later) == 0

    # then the station's staff were told once
    assert Notification.objects.filter(user=loop.station).count() == 1
    assert reread(issue).intake_notified_at is not None


def test_the_sweeper_leaves_fresh_issues_to_the_task(loop):
    from liaison_stations.reminders import send_owed_intake

    issue = loop.submit()
    assert send_owed_intake(now=reread(issue).created_at) == 0


# --- screen --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("tier", "days"), [(1, 2), (2, 5), (3, 10)])
def test_accepting_sets_the_tier_and_its_due_date(loop, tier, days):
    # given a submitted issue
    issue = loop.submit()

    # when the station accepts it at a tier on a Monday
    issue = services.issue_screen(
        issue=issue,
        actor=loop.station,
        accept=True,
        tier=tier,
        handling_unit=loop.a.unit if tier == 3 else None,
        on=MONDAY,
    )

    # then it is handled at that tier, due after that tier's working days, with one "accept" event
    from congress.calendar import add_working_days

    assert issue.status == IssueStatus.HANDLING
    assert issue.tier == tier
    assert issue.due_on == add_working_days(MONDAY, days)
    assert events(issue) == [IssueAction.SUBMIT, IssueAction.ACCEPT]


def test_tier_due_dates_skip_holidays_and_count_make_up_days(loop):
    # given the May Day holiday (Thu 1 – Mon 5 May 2031) and a make-up working Saturday 10 May
    for day in range(1, 6):
        CalendarDay.objects.create(date=datetime.date(2031, 5, day), kind=CalendarDayKind.HOLIDAY, name="劳动节")
    CalendarDay.objects.create(date=datetime.date(2031, 5, 10), kind=CalendarDayKind.WORKDAY, name="调休")
    issue = loop.submit(on=datetime.date(2031, 4, 30))

    # when it is accepted at tier 1 (2 working days) on Wednesday 30 April
    issue = services.issue_screen(issue=issue, actor=loop.station, accept=True, tier=1, on=datetime.date(2031, 4, 30))

    # then the holiday does not count: Tue 6 May, Wed 7 May
    assert issue.due_on == datetime.date(2031, 5, 7)

    # and tier 2 (5 working days) from Wed 7 May counts the make-up Saturday: 8, 9, 10(Sat), 12, 13
    issue = services.issue_escalate(issue=issue, actor=loop.station, on=datetime.date(2031, 5, 7))
    assert issue.due_on == datetime.date(2031, 5, 13)


def test_screening_rules_come_from_the_congress(loop):
    # given a congress whose tier 1 has 3 working days
    rules = services.issue_rules_for(loop.a.congress.pk)
    rules.tier1_days = 3
    rules.save()

    # when accepted at tier 1 on a Monday, then it is due on Thursday
    assert loop.handling(1).due_on == MONDAY + datetime.timedelta(days=3)


def test_not_accepting_needs_a_reason_the_citizen_reads(loop):
    issue = loop.submit()
    with pytest.raises(ValidationError) as raised:
        services.issue_screen(issue=issue, actor=loop.station, accept=False)
    assert "reason" in raised.value.message_dict
    assert events(issue) == [IssueAction.SUBMIT]

    issue = services.issue_screen(issue=issue, actor=loop.station, accept=False, reason="属于法院审理事项，请依法诉讼")
    assert issue.status == IssueStatus.NOT_ACCEPTED
    assert issue.rejection_reason == "属于法院审理事项，请依法诉讼"
    assert issue.due_on is None
    assert events(issue) == [IssueAction.SUBMIT, IssueAction.REJECT]


def test_tier_3_needs_a_unit_and_tier_4_is_not_a_screening_choice(loop):
    issue = loop.submit()
    with pytest.raises(ValidationError) as raised:
        services.issue_screen(issue=issue, actor=loop.station, accept=True, tier=3)
    assert "handling_unit" in raised.value.message_dict
    with pytest.raises(ValidationError):
        services.issue_screen(issue=issue, actor=loop.station, accept=True, tier=4)
    assert reread(issue).status == IssueStatus.SUBMITTED
    assert events(issue) == [IssueAction.SUBMIT]


def test_screening_twice_is_refused(loop):
    issue = loop.handling(1)
    with pytest.raises(WorkflowError):
        services.issue_screen(issue=issue, actor=loop.station, accept=True)
    assert events(issue) == [IssueAction.SUBMIT, IssueAction.ACCEPT]


@pytest.mark.parametrize("role", ["unit_user", "committee_user", "leader_user", "deputy_user", "office_user_b"])
def test_only_the_station_or_the_office_screen(loop, request, role):
    issue = loop.submit()
    with pytest.raises(NotAllowed):
        services.issue_screen(issue=issue, actor=request.getfixturevalue(role), accept=True)
    assert events(issue) == [IssueAction.SUBMIT]


def test_staff_of_another_station_cannot_screen(loop, world):
    other = UserFactory(username="other-station")
    other.groups.add(Group.objects.get(name=Role.STATION))
    from tests.liaison_stations.factories import StationStaffFactory

    StationStaffFactory(user=other, station=world.a.other_station)
    issue = loop.submit()
    with pytest.raises(NotAllowed):
        services.issue_screen(issue=issue, actor=other, accept=True)


def test_office_staff_screen_too(loop):
    issue = services.issue_screen(issue=loop.submit(), actor=loop.office, accept=True, tier=2, on=MONDAY)
    assert issue.tier == 2


# --- assign, escalate ----------------------------------------------------------------------------


def test_assigning_changes_the_handler_and_keeps_the_due_date(loop):
    issue = loop.handling(1)
    due = issue.due_on
    issue = services.issue_assign(issue=issue, actor=loop.station, deputy=loop.a.deputies[0])
    assert issue.deputy == loop.a.deputies[0]
    assert issue.due_on == due
    assert events(issue)[-1] == IssueAction.ASSIGN
    with pytest.raises(ValidationError):
        services.issue_assign(issue=issue, actor=loop.station)
    with pytest.raises(NotAllowed):
        services.issue_assign(issue=issue, actor=loop.unit, handling_unit=loop.a.unit)
    assert len(events(issue)) == 3


def test_assigning_an_issue_not_being_handled_is_refused(loop):
    issue = loop.submit()
    with pytest.raises(WorkflowError):
        services.issue_assign(issue=issue, actor=loop.station, handling_unit=loop.a.unit)
    assert events(issue) == [IssueAction.SUBMIT]


def test_escalating_goes_one_tier_up_with_a_new_due_date(loop):
    issue = loop.handling(1)
    issue = services.issue_escalate(issue=issue, actor=loop.station, note="需街道协调", on=MONDAY)
    assert (issue.tier, issue.status) == (2, IssueStatus.HANDLING)
    assert issue.due_on == MONDAY + datetime.timedelta(days=7)  # 5 working days
    assert events(issue)[-1] == IssueAction.ESCALATE


def test_escalating_to_tier_3_needs_a_unit(loop):
    issue = loop.handling(2)
    with pytest.raises(ValidationError):
        services.issue_escalate(issue=issue, actor=loop.station)
    issue = services.issue_escalate(issue=issue, actor=loop.station, handling_unit=loop.a.unit, on=MONDAY)
    assert (issue.tier, issue.handling_unit) == (3, loop.a.unit)
    assert events(issue) == [IssueAction.SUBMIT, IssueAction.ACCEPT, IssueAction.ESCALATE]


def test_escalating_from_tier_3_says_to_convert(loop):
    issue = loop.handling(3)
    with pytest.raises(WorkflowError, match="代表建议"):  # "…turn the issue into a suggestion instead."
        services.issue_escalate(issue=issue, actor=loop.station)
    assert reread(issue).tier == 3
    assert len(events(issue)) == 2


def test_the_tier_1_deputy_may_pass_it_up_but_others_not(loop):
    issue = loop.handling(1, deputy=loop.deputy)
    with pytest.raises(NotAllowed):
        services.issue_escalate(issue=issue, actor=loop.unit)
    issue = services.issue_escalate(issue=issue, actor=loop.deputy_user_)
    assert issue.tier == 2


# --- answer --------------------------------------------------------------------------------------


def test_tier_1_is_answered_by_the_deputy_written_to(loop):
    issue = loop.handling(1, deputy=loop.deputy)
    issue = services.issue_answer(issue=issue, actor=loop.deputy_user_, body="我已联系村委会维修。")
    assert issue.status == IssueStatus.ANSWERED
    answer = IssueAnswer.objects.get(issue=issue)
    assert answer.tier == 1
    assert loop.deputy.name in answer.answerer_name
    assert events(issue)[-1] == IssueAction.ANSWER


@pytest.mark.parametrize(
    ("tier", "allowed", "refused"),
    [
        (1, ["station_user", "office_user"], ["unit_user", "committee_user", "leader_user"]),
        (2, ["station_user", "office_user"], ["unit_user", "deputy_user", "committee_user"]),
        (3, ["unit_user", "office_user"], ["station_user", "deputy_user", "leader_user"]),
    ],
)
def test_who_answers_at_each_tier(loop, request, tier, allowed, refused):
    for role in refused:
        issue = loop.handling(tier, deputy=loop.deputy if tier > 1 else None)
        with pytest.raises(NotAllowed):
            services.issue_answer(issue=issue, actor=request.getfixturevalue(role), body="答复")
        assert reread(issue).status == IssueStatus.HANDLING
        assert IssueEvent.objects.filter(issue=issue, action=IssueAction.ANSWER).count() == 0
    for role in allowed:
        issue = loop.handling(tier)
        issue = services.issue_answer(issue=issue, actor=request.getfixturevalue(role), body="答复")
        assert issue.status == IssueStatus.ANSWERED


def test_a_tier_3_answer_carries_the_units_name(loop):
    issue = loop.answered(3)
    assert IssueAnswer.objects.get(issue=issue).answerer_name == loop.a.unit.name


def test_answering_needs_words_and_an_issue_being_handled(loop):
    issue = loop.handling(1)
    with pytest.raises(ValidationError):
        services.issue_answer(issue=issue, actor=loop.station, body="  ")
    issue = services.issue_answer(issue=issue, actor=loop.station, body="答复")
    with pytest.raises(WorkflowError):
        services.issue_answer(issue=issue, actor=loop.station, body="再答复")
    assert IssueAnswer.objects.filter(issue=issue).count() == 1


# --- rate ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("rating", ["satisfied", "basically"])
def test_a_citizen_satisfied_closes_it_confirmed_with_one_event(loop, rating):
    issue = loop.answered(1)
    issue = services.issue_rate(issue=issue, rating=rating, tracking_code=issue.tracking_code.lower())
    assert (issue.status, issue.close_reason, issue.rating) == (IssueStatus.CLOSED, CloseReason.CONFIRMED, rating)
    assert events(issue)[-1] == IssueAction.RATE
    assert events(issue).count(IssueAction.RATE) == 1


def test_the_wrong_tracking_code_or_an_account_cannot_rate_a_citizens_issue(loop):
    issue = loop.answered(1)
    with pytest.raises(NotAllowed):
        services.issue_rate(issue=issue, rating="satisfied", tracking_code="WRONGCODE234")
    with pytest.raises(NotAllowed):
        services.issue_rate(issue=issue, rating="satisfied", actor=loop.station, tracking_code=issue.tracking_code)
    assert reread(issue).status == IssueStatus.ANSWERED


def test_rating_before_an_answer_is_refused(loop):
    issue = loop.handling(1)
    with pytest.raises(WorkflowError):
        services.issue_rate(issue=issue, rating="satisfied", tracking_code=issue.tracking_code)
    assert IssueAction.RATE not in events(issue)


def test_unsatisfied_reopens_it_one_tier_up_with_a_new_due_date(loop):
    issue = loop.answered(1)
    issue = services.issue_rate(
        issue=issue, rating="unsatisfied", comment="栏杆还是松的", tracking_code=issue.tracking_code, on=MONDAY
    )
    assert (issue.status, issue.tier, issue.reopen_count) == (IssueStatus.HANDLING, 2, 1)
    assert issue.due_on == MONDAY + datetime.timedelta(days=7)
    assert events(issue)[-1] == IssueAction.REOPEN
    # a citizen's issue opens no supervision case
    assert not SupervisionCase.objects.exists()


def test_the_satisfied_rating_of_a_deputys_issue_counts_in_their_duty_record_once(loop):
    # given an issue the deputy handled at tier 1
    issue = loop.handling(1, deputy=loop.deputy)
    issue = services.issue_answer(issue=issue, actor=loop.deputy_user_, body="已解决")

    # when the citizen is satisfied
    services.issue_rate(issue=issue, rating="satisfied", tracking_code=issue.tracking_code)

    # then the deputy's record has one citizen_issue act for it
    record = ActivityRecord.objects.get(deputy=loop.deputy)
    assert (record.activity_type.code, record.source_key) == ("citizen_issue", f"issue:{issue.pk}")


def test_an_unsatisfied_rating_does_not_count_in_the_duty_record(loop):
    issue = loop.answered(1, deputy=loop.deputy)
    services.issue_rate(issue=issue, rating="unsatisfied", tracking_code=issue.tracking_code)
    assert not ActivityRecord.objects.exists()


# --- the hotline -----------------------------------------------------------------------------------


def _answered_hotline(loop: Any) -> PublicIssue:
    issue = loop.hotline()
    issue = services.issue_screen(issue=issue, actor=loop.station, accept=True, tier=2, on=MONDAY)
    return services.issue_answer(issue=issue, actor=loop.station, body="已协调解决")


def test_the_hotline_answer_is_rated_by_the_reporting_deputy_only(loop):
    issue = _answered_hotline(loop)
    with pytest.raises(NotAllowed):
        services.issue_rate(issue=issue, rating="satisfied", tracking_code=issue.tracking_code)
    with pytest.raises(NotAllowed):
        services.issue_rate(issue=issue, rating="satisfied", actor=loop.station)
    issue = services.issue_rate(issue=issue, rating="satisfied", actor=loop.deputy_user_)
    assert issue.status == IssueStatus.CLOSED


def test_the_hotline_deputy_unsatisfied_opens_one_case_for_the_counterpart_committee(
    loop, django_capture_on_commit_callbacks
):
    # given an answered hotline issue in a category whose counterpart is the committee
    issue = _answered_hotline(loop)

    # when the reporting deputy rates it unsatisfied
    with django_capture_on_commit_callbacks(execute=True):
        issue = services.issue_rate(issue=issue, rating="unsatisfied", actor=loop.deputy_user_, on=MONDAY)

    # then it is reopened at tier 3 and one supervision case (without a suggestion) is open for the committee
    case = SupervisionCase.objects.get()
    assert (case.committee, case.trigger, case.suggestion) == (loop.a.committee, SupervisionTrigger.HOTLINE, None)
    assert issue.tracking_code in case.subject
    assert case.due_on == issue.due_on
    assert issue.supervision_case == case
    assert (issue.tier, issue.status) == (3, IssueStatus.HANDLING)
    # and the committee is told, and sees the case and the issue
    assert Notification.objects.filter(user=loop.committee).count() == 1
    assert list(SupervisionCase.objects.visible_to(loop.committee)) == [case]
    assert PublicIssue.objects.visible_to(loop.committee).filter(pk=issue.pk).exists()
    # and the office sees the case too, but another committee does not
    assert list(SupervisionCase.objects.visible_to(loop.office)) == [case]


def test_a_second_unsatisfied_round_opens_a_second_case_and_retries_open_none(loop):
    issue = _answered_hotline(loop)
    issue = services.issue_rate(issue=issue, rating="unsatisfied", actor=loop.deputy_user_)
    # a retry of the same source opens nothing new
    from suggestions.services import supervision_open_on_subject

    again, created = supervision_open_on_subject(
        congress_id=issue.congress_id,
        committee_id=loop.a.committee.pk,
        subject="x",
        source_key=f"public_issue:{issue.pk}:1",
    )
    assert (again, created) == (issue.supervision_case, False)
    assert SupervisionCase.objects.count() == 1

    # when the unit answers and the deputy is unsatisfied again
    issue = services.issue_answer(issue=issue, actor=loop.unit if issue.handling_unit else loop.office, body="再答复")
    issue = services.issue_rate(issue=issue, rating="unsatisfied", actor=loop.deputy_user_)

    # then a second case exists (one per unsatisfied rating), tier stays 3
    assert SupervisionCase.objects.count() == 2
    assert issue.tier == 3
    assert issue.reopen_count == 2


def test_the_committee_records_and_closes_a_hotline_case(loop):
    issue = _answered_hotline(loop)
    issue = services.issue_rate(issue=issue, rating="unsatisfied", actor=loop.deputy_user_)
    case = issue.supervision_case
    supervision_action_record(case=case, actor=loop.committee, kind="face_to_face", date=MONDAY, note="约见代表")
    case = supervision_close(case=case, actor=loop.committee, outcome="已督促单位重新办理", on=MONDAY)
    assert case.status == SupervisionStatus.CLOSED
    assert case.actions.count() == 1


# --- close, convert, outcome -----------------------------------------------------------------------


def test_staff_close_an_answered_issue_confirmed_by_phone(loop):
    issue = loop.answered(1)
    with pytest.raises(NotAllowed):
        services.issue_close(issue=issue, actor=loop.unit)
    issue = services.issue_close(issue=issue, actor=loop.station, note="电话回访，群众满意")
    assert (issue.status, issue.close_reason) == (IssueStatus.CLOSED, CloseReason.CONFIRMED)
    assert events(issue)[-1] == IssueAction.CLOSE
    with pytest.raises(WorkflowError):
        services.issue_close(issue=issue, actor=loop.station)
    assert events(issue).count(IssueAction.CLOSE) == 1


def test_closing_an_issue_being_handled_is_refused(loop):
    issue = loop.handling(1)
    with pytest.raises(WorkflowError):
        services.issue_close(issue=issue, actor=loop.station)


def test_converting_drafts_a_suggestion_for_the_deputy_and_links_it(loop, world, django_capture_on_commit_callbacks):
    # given an issue at tier 3 written to a deputy
    issue = loop.handling(3, deputy=loop.deputy, category=world.a.subject_category)

    # when the station turns it into a formal suggestion
    with django_capture_on_commit_callbacks(execute=True):
        issue = services.issue_convert(issue=issue, actor=loop.station, title="关于加固村口桥梁的建议")

    # then a draft of that deputy is linked, the issue is converted at tier 4, and the deputy is told
    suggestion = Suggestion.objects.get()
    assert (suggestion.lead_deputy, suggestion.status, suggestion.title) == (
        loop.deputy,
        "draft",
        "关于加固村口桥梁的建议",
    )
    assert issue.tracking_code in suggestion.body
    assert (issue.status, issue.tier, issue.suggestion) == (IssueStatus.CONVERTED, 4, suggestion)
    assert events(issue)[-1] == IssueAction.CONVERT
    assert Notification.objects.filter(user=loop.deputy_user_, title__contains="关于加固").exists()
    # and the deputy sees the draft in their portal
    assert Suggestion.objects.visible_to(loop.deputy_user_).filter(pk=suggestion.pk).exists()


def test_converting_needs_a_lead_deputy_and_an_issue_being_handled(loop):
    issue = loop.handling(2)
    with pytest.raises(ValidationError):
        services.issue_convert(issue=issue, actor=loop.station)
    with pytest.raises(NotAllowed):
        services.issue_convert(issue=issue, actor=loop.unit, lead_deputy=loop.deputy)
    answered = loop.answered(1)
    with pytest.raises(WorkflowError):
        services.issue_convert(issue=answered, actor=loop.station, lead_deputy=loop.deputy)
    assert not Suggestion.objects.exists()
    assert IssueAction.CONVERT not in events(issue) + events(answered)


def test_outcomes_are_recorded_with_an_event(loop):
    issue = loop.answered(2)
    issue = services.issue_record_outcome(
        issue=issue, actor=loop.office, people_helped=562, money_involved=Decimal("3680000")
    )
    assert (issue.people_helped, issue.money_involved) == (562, Decimal("3680000"))
    assert events(issue)[-1] == IssueAction.OUTCOME
    with pytest.raises(ValidationError):
        services.issue_record_outcome(issue=issue, actor=loop.office, people_helped=-1, money_involved=None)
    with pytest.raises(WorkflowError):
        services.issue_record_outcome(issue=loop.submit(), actor=loop.office, people_helped=1, money_involved=None)
    with pytest.raises(NotAllowed):
        services.issue_record_outcome(issue=issue, actor=loop.unit, people_helped=1, money_involved=None)


# --- quiet closing -----------------------------------------------------------------------------------


def test_answered_issues_close_after_the_quiet_period(loop):
    # given an issue answered (now) and left unrated
    issue = loop.answered(1)
    answered_on = reread(issue).answered_at.date()

    # when the sweep runs six days later, nothing closes; seven days later it closes (quiet)
    assert services.issues_close_quiet(as_of=answered_on + datetime.timedelta(days=6)) == 0
    assert services.issues_close_quiet(as_of=answered_on + datetime.timedelta(days=7), dry_run=True) == 1
    assert reread(issue).status == IssueStatus.ANSWERED
    assert services.issues_close_quiet(as_of=answered_on + datetime.timedelta(days=7)) == 1
    issue = reread(issue)
    assert (issue.status, issue.close_reason) == (IssueStatus.CLOSED, CloseReason.QUIET)
    assert events(issue)[-1] == IssueAction.CLOSE
    # and again: nothing more
    assert services.issues_close_quiet(as_of=answered_on + datetime.timedelta(days=8)) == 0


# --- who sees the contact ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        ("station_user", True),
        ("office_user", True),
        ("deputy_user", True),  # the deputy written to
        ("unit_user", True),  # the unit assigned
        ("leader_user", False),
        ("committee_user", False),
        ("other_deputy_user", False),
        ("office_user_b", False),
        ("admin_user", True),
    ],
)
def test_the_contact_is_shown_to_those_handling_it(loop, request, role, sees):
    issue = loop.handling(3, deputy=loop.deputy)
    assert services.can_see_contact(user=request.getfixturevalue(role), issue=issue) is sees


def test_masking_keeps_the_first_three_and_last_four_digits():
    assert services.mask_phone("13900000044") == "139****0044"
    assert services.mask_phone("") == ""
    assert services.mask_name("张三丰") == "张**"
