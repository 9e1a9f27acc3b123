from django.apps import AppConfig


class PatentsConfig(AppConfig):
    """The patent resource library (专利转化资源库)."""

    name = "patentbridge.patents"
    verbose_name = "专利资源库"

    def ready(self) -> None:
        from patentbridge.core.labels import register_values
        from patentbridge.core.restrict import register_rule
        from patentbridge.patents.choices import (
            ApplicantKindChoices,
            LegalStatusChoices,
            LibraryStatusChoices,
            PatentTypeChoices,
            SelfAssessmentChoices,
        )
        from patentbridge.patents.models import Patent
        from patentbridge.patents.queries import restrict

        register_rule(Patent, restrict)
        from patentbridge.patents import panels

        panels.register()

        # The record's history shows stored values as users read them (core.labels).
        for field, choices in (
            ("library_status", LibraryStatusChoices),
            ("legal_status", LegalStatusChoices),
            ("patent_type", PatentTypeChoices),
            ("applicant_kind", ApplicantKindChoices),
            ("self_assessment", SelfAssessmentChoices),
        ):
            register_values(field, choices.choices)
