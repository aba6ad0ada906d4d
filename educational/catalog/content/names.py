"""The shapes of names in content files: slugs, codes, versions, language codes."""

from __future__ import annotations

import re

SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")
SLUG_HINT = "lower-case letters, digits and hyphens, starting with a letter or digit"

#: Scheme and standard codes: the scheme's is also the registry id prefix (ASI-000123).
CODE = re.compile(r"[A-Z][A-Z0-9]*")
CODE_HINT = 'upper-case letters and digits, like "PS"'

ROLE = re.compile(r"[a-z][a-z0-9_]*")
ROLE_HINT = 'lower-case letters, digits and underscores, like "lead_auditor"'

VERSION = re.compile(r"[0-9A-Za-z][0-9A-Za-z.-]*")
VERSION_HINT = 'letters, digits, dots and hyphens, like "3" or "2024.1"'

LANGUAGE = re.compile(r"[a-z]{2}")
LANGUAGE_HINT = 'an ISO 639-1 code: two lower-case letters, like "en"'

#: A module file's name: NN (the file order) and a slug, e.g. "01-accreditation-process".
MODULE = re.compile(r"[0-9]+-[a-z0-9][a-z0-9-]*")
MODULE_HINT = 'a number, a hyphen and a slug, like "01-accreditation-process"'
