"""Output shape of a force's Champions for training managers: counts only, never a name."""

from rest_framework import serializers

from courses.api.manager_serializers import ForceSerializer


class BenchmarkSerializer(serializers.Serializer):
    forces = serializers.IntegerField(
        help_text="How many forces the benchmark is over: those with at least 10 trained "
        "learners. Below 5 forces no figure is given."
    )
    median = serializers.FloatField(allow_null=True, help_text="Median share, per cent.")
    lower_quartile = serializers.FloatField(allow_null=True, help_text="25th percentile, per cent.")
    upper_quartile = serializers.FloatField(allow_null=True, help_text="75th percentile, per cent.")
    available = serializers.BooleanField(help_text="Whether the figures above are given.")


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
    benchmark = BenchmarkSerializer(
        help_text="The national distribution of forces' Champions shares."
    )
