"""UNESCO's name as the fixtures meant it: an unquoted comma in participants.yaml had cut it to
"United Nations Educational". Only that cut name is mended; a curator's own name is kept."""

from django.db import migrations

from registry.matching import normalize_name

CUT = "United Nations Educational"
WHOLE = "United Nations Educational, Scientific and Cultural Organization"


def mend(apps, schema_editor):
    Participant = apps.get_model("registry", "Participant")
    Participant.objects.filter(slug="unesco", name=CUT).update(name=WHOLE, name_key=normalize_name(WHOLE))


class Migration(migrations.Migration):
    dependencies = [("registry", "0016_process_versions")]
    operations = [migrations.RunPython(mend, migrations.RunPython.noop)]
