"""The public API is what kg/__init__.py lists in __all__, and all of it resolves."""

import kg


def test_exported_members_resolve():
    for name in kg.__all__:
        assert getattr(kg, name) is not None, name


def test_exported_members_are_sorted_and_public():
    assert kg.__all__ == sorted(kg.__all__)
    assert not [name for name in kg.__all__ if name.startswith("_")]


def test_exported_members_cover_every_stage():
    stages = {"read_documents", "extract_documents", "build", "open_store", "run_query",
              "export", "validate_store", "serve"}
    assert stages <= set(kg.__all__)
