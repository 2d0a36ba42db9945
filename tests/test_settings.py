import pytest

from flowers_helpers import settings


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    for name in ("FLOWERS_PROFILE", "FLOWERS_DATASET", "FLOWERS_ARTIFACTS"):
        monkeypatch.delenv(name, raising=False)


def test_full_profile_is_the_default():
    assert settings.profile() == "full"
    assert settings.default_dataset() == "flower_photos"
    assert settings.default_epochs(15) == 15
    assert settings.default_artifacts_dir() == "artifacts/full"


def test_smoke_profile_uses_the_sample_and_few_epochs(monkeypatch):
    monkeypatch.setenv("FLOWERS_PROFILE", "smoke")
    assert settings.default_dataset() == "sample"
    assert settings.default_epochs(15) == settings.SMOKE_EPOCHS == 2
    assert settings.default_artifacts_dir() == "artifacts/smoke"


def test_flowers_dataset_wins_in_both_profiles(monkeypatch):
    monkeypatch.setenv("FLOWERS_DATASET", "/data/my_photos")
    assert settings.default_dataset() == "/data/my_photos"
    monkeypatch.setenv("FLOWERS_PROFILE", "smoke")
    assert settings.default_dataset() == "/data/my_photos"


def test_flowers_artifacts_sets_the_folder(monkeypatch):
    monkeypatch.setenv("FLOWERS_ARTIFACTS", "/tmp/run1")
    assert settings.default_artifacts_dir() == "/tmp/run1"


def test_unknown_profile_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("FLOWERS_PROFILE", "quick")
    with pytest.raises(ValueError, match="FLOWERS_PROFILE='quick'.*full, smoke"):
        settings.profile()
