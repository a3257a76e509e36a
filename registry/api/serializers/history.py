"""A recorded change of an object (django-simple-history), as GET /api/<resource>/<key>/history/
lists them."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

TYPES = {"+": "created", "~": "changed", "-": "deleted"}


class ChangeSerializer(serializers.Serializer):
    """One field's change (describes `changes` in the schema)."""

    field = serializers.CharField()
    old = serializers.JSONField(allow_null=True)
    new = serializers.JSONField(allow_null=True)


class HistoryRecordSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="record.history_id")
    date = serializers.DateTimeField(source="record.history_date")
    user = serializers.SerializerMethodField()
    type = serializers.SerializerMethodField()
    change_reason = serializers.CharField(source="record.history_change_reason", allow_null=True)
    changes = serializers.SerializerMethodField()

    def get_user(self, entry) -> str | None:
        user = entry["record"].history_user
        return user.get_username() if user else None

    def get_type(self, entry) -> str:
        return TYPES[entry["record"].history_type]

    @extend_schema_field(ChangeSerializer(many=True))
    def get_changes(self, entry) -> list[dict]:
        return [{"field": name, "old": old, "new": new} for name, old, new in entry["delta"]]
