"""Password rules: Django's validators, with a Chinese message where Django's catalogue lacks one.

Django 5.2's zh-Hans catalogue translates the similarity, common and numeric messages but not the
minimum-length error (its message id changed), so that one is given here.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import MinimumLengthValidator
from django.core.exceptions import ValidationError

__all__ = ["ChineseMinimumLengthValidator"]


class ChineseMinimumLengthValidator(MinimumLengthValidator):
    """``MinimumLengthValidator`` whose error is in Chinese like the platform's other messages."""

    def validate(self, password: str, user: Any = None) -> None:
        if len(password) < self.min_length:
            raise ValidationError(
                f"密码太短，至少需要 {self.min_length} 个字符。",
                code="password_too_short",
                params={"min_length": self.min_length},
            )

    def get_help_text(self) -> str:
        return f"密码至少需要 {self.min_length} 个字符。"
