from django.urls import path

from . import views

app_name = "deputies"

urlpatterns = [
    path("", views.portal_home, name="portal_home"),
    path("record/", views.portal_record, name="portal_record"),
]
