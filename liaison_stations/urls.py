"""Station desk (/desk/stations/…), deputy portal (/portal/…), public pages (/q/…, /track/…,
/stations/…) and Open311 (/open311/v2/…), one view module per area."""

from .views import issues, open311, portal, public, receptions, stations

app_name = "liaison_stations"

urlpatterns = [
    *stations.urlpatterns,
    *receptions.urlpatterns,
    *issues.urlpatterns,
    *public.urlpatterns,
    *portal.urlpatterns,
    *open311.urlpatterns,
]
