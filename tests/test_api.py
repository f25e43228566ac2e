import importlib

import helpers


def test_every_public_name_resolves_to_its_module():
    for name in helpers.__all__:
        value = getattr(helpers, name)
        module = importlib.import_module(f"helpers.{helpers._API[name]}")
        assert getattr(module, name) is value


def test_all_lists_exactly_the_api():
    assert sorted(helpers.__all__) == sorted(helpers._API)


def test_unknown_names_are_attribute_errors():
    try:
        helpers.no_such_thing  # noqa: B018
    except AttributeError as exc:
        assert "no_such_thing" in str(exc)
    else:
        raise AssertionError("no error")
