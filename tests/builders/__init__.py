"""The test builders, as Indico's ``testing/fixtures``: one home for what tests of several
features make, imported where needed.

- ``people``: confirmed accounts, the starter curriculum synced, logging in and posting
  forms as a browser does.
- ``experience``: valid audit entries (service data and form fields), a qualification,
  evidence files.
- ``accreditation``: a record that qualifies, applications, decisions.
- ``registry``: registry rows written directly (``Person``, ``RegistryBuilder`` and the
  ``registry``, ``member`` and ``member_token`` fixtures), for the registry and API tests.

The fixtures every test can ask for (``app``, ``client``, ``auth``, ``make_user``,
``synced_courses``) stay in ``tests/conftest.py`` and use these builders."""
