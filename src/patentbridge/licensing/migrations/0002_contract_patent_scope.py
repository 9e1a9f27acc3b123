"""The contract–patent many-to-many becomes an explicit model (ContractPatent) over the same table,
so a patent can leave a running contract's scope on the day it lapses (``ended_on``,
``end_reason``). The table and its rows stay; only the two new columns are added."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("licensing", "0001_initial"),
        ("patents", "0006_created_at_index"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The table exists (the plain many-to-many's); tell the state what it already is.
            state_operations=[
                migrations.CreateModel(
                    name="ContractPatent",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "licencecontract",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="scope",
                                to="licensing.licencecontract",
                            ),
                        ),
                        (
                            "patent",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="contract_scopes",
                                to="patents.patent",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "合同专利",
                        "verbose_name_plural": "合同专利",
                        "db_table": "licensing_licencecontract_patents",
                        "unique_together": {("licencecontract", "patent")},
                    },
                ),
                migrations.AlterField(
                    model_name="licencecontract",
                    name="patents",
                    field=models.ManyToManyField(
                        related_name="licence_contracts",
                        through="licensing.ContractPatent",
                        to="patents.patent",
                        verbose_name="专利",
                    ),
                ),
            ],
            database_operations=[],
        ),
        migrations.AddField(
            model_name="contractpatent",
            name="ended_on",
            field=models.DateField(blank=True, null=True, verbose_name="退出许可范围日期"),
        ),
        migrations.AddField(
            model_name="contractpatent",
            name="end_reason",
            field=models.CharField(blank=True, max_length=300, verbose_name="退出原因"),
        ),
    ]
