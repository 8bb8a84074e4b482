"""Deputy portal (/portal/…) and committee desk (/work/…) pages, one view module per area."""

from django.urls import path

from . import views
from .views import activities, campaigns, duty, groups, legislation, meetings, supervision, training

app_name = "deputies"

urlpatterns = [
    path("portal/", views.portal_home, name="portal_home"),
    path("portal/record/", views.portal_record, name="portal_record"),
    *duty.urlpatterns,
    *activities.urlpatterns,
    *training.urlpatterns,
    *meetings.urlpatterns,
    *groups.urlpatterns,
    *legislation.urlpatterns,
    *supervision.urlpatterns,
    *campaigns.urlpatterns,
]
