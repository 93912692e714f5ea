"""`GET /api/v1/forces/<code>/champions/`: a force's Champions against its target and the
national benchmark. Counts only: no Champion is named (their names are in the lead's admin
list). Scoped and logged like every force endpoint (ForceScopedAPIView)."""

from dataclasses import asdict

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from courses import selectors
from courses.api import champion_schema
from courses.api.champion_serializers import ChampionsSerializer
from courses.api.manager_serializers import national_benchmark_data
from courses.api.manager_views import ForceScopedAPIView
from courses.models import Force, LearnerProfile


@extend_schema(**champion_schema.CHAMPIONS)
class ForceChampionsView(ForceScopedAPIView):
    serializer_class = ChampionsSerializer
    queryset = LearnerProfile.objects.none()  # for the schema only; see get_queryset()

    def force_queryset(self, *, force: Force):
        return selectors.trained_profiles(force=force)

    def get(self, request, code):
        today = timezone.localdate()
        summary = selectors.champions_summary(force=self.force)
        national = selectors.champions_benchmark(day=today)
        data = {
            "force": self.force,
            "as_of": today,
            **asdict(summary),
            "benchmark": national_benchmark_data(national),
        }
        self.log_access(row_count=1)
        return Response(self.get_serializer(data).data)
