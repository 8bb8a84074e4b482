from django.urls import path

from .views import pages, records, report

app_name = "dashboard"

urlpatterns = [
    path("", pages.overview, name="overview"),
    path("suggestions/", pages.suggestions, name="suggestions"),
    path("units/", pages.units, name="units"),
    path("deputies/", pages.deputies, name="deputies"),
    path("issues/", pages.issues, name="issues"),
    path("stations/", pages.stations, name="stations"),
    path("records/<slug:kind>/<slug:figure>/", records.records, name="records"),
    path("report/", report.report, name="report"),
    path("report/xlsx/", report.report_xlsx, name="report_xlsx"),
]
