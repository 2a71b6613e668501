"""Quality reports (urls_quality) and journal-keeping / program-execution reports (urls_keeping) share
the "reports" namespace."""

from . import urls_keeping, urls_quality

app_name = "reports"
urlpatterns = [*urls_quality.urlpatterns, *urls_keeping.urlpatterns]
