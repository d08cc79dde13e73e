"""A requirement CI must have fails there and skips elsewhere (tests/ci_requirements.py)."""

from __future__ import annotations

import pytest
from ci_requirements import in_ci, missing


@pytest.mark.parametrize("value, expected", [("true", True), ("1", True), ("yes", True), ("", False),
                                             ("0", False), ("false", False), ("False", False)])
def test_ci_is_read_from_the_environment(monkeypatch, value, expected):
    monkeypatch.setenv("CI", value)
    assert in_ci() is expected


def test_missing_requirement_fails_under_ci(monkeypatch):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="LibreOffice .* CI must run this test"):
        missing("LibreOffice (soffice) is not installed")


def test_missing_requirement_skips_with_its_reason_elsewhere(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="apt-get install libreoffice-calc-nogui"):
        missing("LibreOffice (soffice) is not installed: apt-get install libreoffice-calc-nogui")
