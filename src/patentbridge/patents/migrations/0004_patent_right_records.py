"""Raw incoPat licence/pledge/transfer cells per patent (read into the licensing ledger)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("patents", "0003_library_version_rewrites"),
    ]

    operations = [
        migrations.AddField(
            model_name="patent",
            name="right_records",
            field=models.JSONField(blank=True, default=dict, verbose_name="许可/质押/转让记录（导入原文）"),
        ),
    ]
