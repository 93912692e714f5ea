"""Output shape of a force's Champions for training managers: counts only, never a name."""

from rest_framework import serializers

from courses.api.manager_serializers import ForceSerializer, NationalBenchmarkSerializer


class ChampionsSerializer(serializers.Serializer):
    force = ForceSerializer()
    as_of = serializers.DateField(help_text="The UK date the figures describe (today).")
    champions = serializers.IntegerField(
        help_text="Champions among the force's trained learners (active accounts)."
    )
    trained = serializers.IntegerField(
        help_text="The force's learners who have completed every module of their role's "
        "pathway (active accounts)."
    )
    share = serializers.FloatField(
        allow_null=True,
        help_text="Champions as a share of those trained, per cent (one decimal place); null "
        "when nobody is trained.",
    )
    target_percent = serializers.IntegerField(
        help_text="The force's target share of Champions among those trained, per cent."
    )
    target = serializers.IntegerField(help_text="Champions wanted: the target share, rounded up.")
    still_needed = serializers.IntegerField(help_text="More Champions needed to meet the target.")
    benchmark = NationalBenchmarkSerializer(
        help_text="The national distribution of forces' Champions shares."
    )
